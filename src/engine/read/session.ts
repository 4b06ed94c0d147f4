// read: one sync of the configured streams. The plan (which jobs, where each resumes) comes from a pure planner
// (plan/syncPlan.ts); a Session owns what a running sync holds: the abort signal and the process signals that
// raise it, the one client (one rate limiter for the key), the window the first response fixes, the pacer and
// a context per stream. Every API stream reads concurrently; a failing stream ends INCOMPLETE without hiding the
// others' records, and how a failure is reported is decided here, once.
import { setMaxListeners } from 'node:events';
import type { Capacity } from '../../budget/capacity.js';
import { connectionOptions, type Config } from '../../config.js';
import { ConfigError, TransientError, asConnectorError } from '../../errors.js';
import type { Emitter } from '../../protocol/emitter.js';
import { errorTrace } from '../../protocol/failure.js';
import type { Logger } from '../../protocol/logger.js';
import { createShipStationClient, type ShipStationClient } from '../../shipstation/client.js';
import { createSchemaAjv, type SchemaAjv } from '../../streams/schemas.js';
import type { SelectedStream } from '../../streams/types.js';
import type { Dialect } from '../../dialects/dialect.js';
import type { KeysetPosition } from '../plan/keyset.js';
import { planSync, type StreamJob } from '../plan/syncPlan.js';
import { readFullRefresh } from './fullRefresh.js';
import { readIncremental } from './incremental.js';
import { readNewestFirst } from './newestFirst.js';
import { Pacer } from './pacer.js';
import { ReadGroup } from './readGroup.js';
import { createRecordPreparer, createValueConverter, type RecordConverter } from './records.js';
import { StreamContext, type ApiClient, type StreamProgress } from './streamContext.js';
import { SyncWindow } from './syncWindow.js';

/** Parsed pages held at once (about 5 MB each for 500 orders), however many requests are in flight. */
const BODIES_IN_MEMORY = 2;

/** Someone watching the sync (the CLI's progress view): started with the streams, stopped at the end. */
export type SyncWatcher = (streams: readonly StreamProgress[], budget: () => Capacity) => { stop(): void };

export interface SyncInput {
  config: Config;
  /** The API the config names: its streams, clock and words. */
  dialect: Dialect;
  streams: SelectedStream[];
  state: Map<string, unknown>;
  emitter: Emitter;
  logger: Logger;
  watch?: SyncWatcher;
}

export async function runSync(input: SyncInput): Promise<number> {
  const { config, logger, dialect } = input;
  // Every state is read before the first request: a bad one is a config error, not a half-done sync.
  const plan = planSync({
    offered: dialect.streams,
    streams: input.streams,
    state: input.state,
    startDate: config.startDate,
    lookbackDays: (def) => (def.lookbackConfigKey ? config[def.lookbackConfigKey] : 0),
    zone: dialect.zone,
    api: dialect.name,
    fullPass: { nowUtc: Date.now(), hours: config.fullPassHours, settleMs: config.settleMs },
  });
  for (const note of plan.notes) logger[note.level](note.message);
  const session = new Session(input);
  try {
    return await session.run(plan.jobs, plan.fresh);
  } finally {
    await session.close();
  }
}

class Session {
  private readonly controller = new AbortController();
  private readonly client: ShipStationClient;
  private readonly window: SyncWindow;
  private readonly pacer: Pacer;
  private readonly contexts = new Map<string, StreamContext>();
  /** Failures already said: the same credential problem hits every stream, and is said once. */
  private readonly reported = new Set<string>();
  private readonly stopSignals: () => void;

  constructor(private readonly input: SyncInput) {
    const { config, logger, emitter } = input;
    // Every queued request of every stream listens for cancellation: many listeners here are expected, not a leak.
    setMaxListeners(0, this.controller.signal);
    this.stopSignals = this.cancelOnSignals();
    emitter.onClose(() => this.controller.abort(new TransientError('stdout was closed')));
    this.window = new SyncWindow({
      startedAt: Date.now(),
      settleMs: config.settleMs,
      endDate: config.endDate,
      zone: input.dialect.zone,
      logger,
    });
    this.client = createShipStationClient({
      ...connectionOptions(config),
      maxConcurrent: config.maxConcurrency,
      bodiesInMemory: BODIES_IN_MEMORY,
      logger,
      signal: this.controller.signal,
      // Streams with a request waiting show the wait in their status.
      onRateLimitWait: ({ untilEpochMs }) => {
        for (const ctx of this.contexts.values()) if (ctx.inFlight > 0) void ctx.setStatus('RUNNING', untilEpochMs);
      },
    });
    this.pacer = new Pacer(() => this.client.capacity());
  }

  async run(jobs: StreamJob[], fresh: KeysetPosition): Promise<number> {
    const ajv = this.input.config.validateRecords ? await createSchemaAjv() : undefined;
    const groups = jobs.map((job) => this.groupFor(job, ajv));
    const watcher = this.input.watch?.([...this.contexts.values()], () => this.client.capacity());
    try {
      const results = await Promise.all(jobs.map((job, i) => this.runJob(job, groups[i]!, fresh)));
      return results.every(Boolean) ? 0 : 1;
    } finally {
      watcher?.stop();
    }
  }

  async close(): Promise<void> {
    this.stopSignals();
    await this.client.close();
  }

  /** SIGTERM and SIGINT stop every stream at its next request; each one's last checkpoint is already out. */
  private cancelOnSignals(): () => void {
    const { logger } = this.input;
    const cancel = (signal: string) => () => {
      logger.warn(`received ${signal}: stopping; each stream's last checkpoint has been emitted`);
      this.controller.abort(
        new TransientError(`sync cancelled by ${signal}; the next sync resumes from the last checkpoint`),
      );
    };
    const onTerm = cancel('SIGTERM');
    const onInt = cancel('SIGINT');
    process.once('SIGTERM', onTerm);
    process.once('SIGINT', onInt);
    return () => {
      process.off('SIGTERM', onTerm);
      process.off('SIGINT', onInt);
    };
  }

  /** The API as readers see it: the first response that arrives fixes the window's end from the server's clock. */
  private readonly api: ApiClient = {
    getJson: async (path, query, onSent) => {
      const response = await this.client.getJson(path, query, onSent);
      this.window.observe(response.serverTime, Date.now());
      return response;
    },
  };

  private contextFor(name: string, prepare: RecordConverter): StreamContext {
    const { emitter, logger } = this.input;
    const ctx = new StreamContext({
      name,
      api: this.api,
      emitter,
      logger,
      prepare,
      signal: this.controller.signal,
      timer: this.pacer,
    });
    this.contexts.set(name, ctx);
    return ctx;
  }

  /** A job's read group: the parent's context when it is selected, and one per selected child. */
  private groupFor(job: StreamJob, ajv: SchemaAjv | undefined): ReadGroup {
    const { logger } = this.input;
    const { def } = job;
    const set = this.input.dialect.streams;
    const parent = job.parent
      ? this.contextFor(def.name, createRecordPreparer(def.name, logger, ajv, this.input.dialect.dates, set))
      : undefined;
    const children = job.children.map(({ def: child }) => ({
      def: child,
      // Child rows are cut from parent records already converted to UTC.
      ctx: this.contextFor(child.name, createRecordPreparer(child.name, logger, ajv, 'converted', set)),
    }));
    return new ReadGroup(parent, children, createValueConverter(def.name, logger, this.input.dialect.dates, set));
  }

  private async runJob(job: StreamJob, group: ReadGroup, fresh: KeysetPosition): Promise<boolean> {
    const { config, logger, emitter } = this.input;
    const { def } = job;
    const members = group.contexts;
    for (const ctx of members) await ctx.setStatus('STARTED');
    try {
      // An endpoint's own page limit (v2 products and users: 100) caps the configured size.
      const pageSize = Math.min(config.pageSize, def.maxPageSize ?? config.pageSize);
      const common = { pageSize, maxSlices: config.maxParallelSlices, dialect: this.input.dialect };
      if (job.newestFirst) {
        await readNewestFirst(def, group, { ...common, ...job.newestFirst, window: this.window }, this.pacer);
      } else if (job.incremental) {
        const { voids, ...incremental } = job.incremental;
        await readIncremental(
          def,
          group,
          {
            ...common,
            ...incremental,
            window: this.window,
            fresh,
            checkpoints: true,
            ...(voids ? { voids: { start: voids, settleMs: config.settleMs } } : {}),
          },
          this.pacer,
        );
      } else await readFullRefresh(def, group, common, this.pacer);
      for (const ctx of members) {
        logger.info(
          `${ctx.name}: ${ctx.emitted} records in ${ctx.requests} requests${ctx.name === def.name ? '' : ` (read from ${def.name})`}`,
        );
        await ctx.setStatus('COMPLETE');
      }
      return true;
    } catch (err) {
      const signal = this.controller.signal;
      const error = asConnectorError(signal.aborted ? signal.reason : err);
      // The same credential problem, or a cancellation, hits every stream: say it once.
      const shared = error instanceof ConfigError || signal.aborted;
      for (const ctx of members) {
        const key = shared ? error.message : `${ctx.name}:${error.message}`;
        if (!this.reported.has(key) && !emitter.isClosed) {
          this.reported.add(key);
          await emitter.emit(errorTrace(error, shared ? undefined : ctx.name));
        }
        await ctx.setStatus('INCOMPLETE');
      }
      return false;
    }
  }
}
