// read: one Sync for the configured streams. Every API stream reads concurrently through one client (one
// rate limiter for the key); a failing stream ends INCOMPLETE without hiding the others' records. Child streams
// (order_items, shipment_items) are read with their parent as one group: the parent's requests only, the
// parent's records emitted only if it is selected (see readGroup.ts).
import { setMaxListeners } from 'node:events';
import type { Config } from '../config.js';
import { ConfigError, TransientError, asConnectorError } from '../errors.js';
import type { Emitter } from '../protocol/emitter.js';
import type { Logger } from '../protocol/logger.js';
import { createShipStationClient } from '../shipstation/client.js';
import { childCursorFor, childCursors } from '../streams/children.js';
import { findChildStream, findStream } from '../streams/definitions.js';
import type { ChildStreamDefinition, SelectedStream, StreamDefinition } from '../streams/types.js';

import { errorTrace } from '../protocol/failure.js';
import { readFullRefresh } from './fullRefresh.js';
import { readIncremental, type IncrementalPlan } from './incremental.js';
import { ReadGroup } from './readGroup.js';
import { createRecordPreparer, createValueConverter, type RecordConverter } from './records.js';
import { StreamContext, type ApiClient } from './streamContext.js';
import { resumePoint } from './streamState.js';
import { mergePlans } from './slices.js';
import { Pacer } from './pacer.js';
import { pacificZone } from './pacificZone.js';
import { floorSecond } from './wallClock.js';
import { SyncWindow } from './window.js';
import { startProgress } from './progress.js';
import type { Writable } from 'node:stream';

/** Parsed pages held at once (about 5 MB each for 500 orders), however many requests are in flight. */
const BODIES_IN_MEMORY = 2;

export interface SyncInput {
  config: Config;
  streams: SelectedStream[];
  state: Map<string, unknown>;
  emitter: Emitter;
  logger: Logger;
  /** Where people watch progress (stderr); undefined = no progress output. */
  progress?: { out: Writable & { isTTY?: boolean }; intervalSeconds: number };
}

/**
 * One reader: an API stream read once, for itself if selected and for its selected child streams. Parent and
 * children share the sync mode and cursor (the catalog is checked for that).
 */
interface Job {
  def: StreamDefinition;
  parent?: SelectedStream;
  children: { def: ChildStreamDefinition; selected: SelectedStream }[];
  plan?: IncrementalPlan;
}

/** Groups the selected streams by the API stream they are read from, in catalog order. */
function groupJobs(streams: SelectedStream[]): Job[] {
  const jobs = new Map<string, Job>();
  const jobFor = (def: StreamDefinition): Job => {
    let job = jobs.get(def.name);
    if (!job) jobs.set(def.name, (job = { def, children: [] }));
    return job;
  };
  for (const selected of streams) {
    const def = findStream(selected.name);
    if (def) {
      jobFor(def).parent = selected;
      continue;
    }
    const child = findChildStream(selected.name)!;
    jobFor(findStream(child.parent)!).children.push({ def: child, selected });
  }
  return [...jobs.values()];
}

/** The group's sync mode and the parent cursor it reads by (from the parent, or else from a child). */
function modeOf(job: Job): { syncMode: SelectedStream['syncMode']; cursor?: string } {
  if (job.parent) return { syncMode: job.parent.syncMode, cursor: job.parent.cursorField };
  const { def, selected } = job.children[0]!;
  return { syncMode: selected.syncMode, cursor: selected.cursorField === undefined ? undefined : childCursors(def)[selected.cursorField] };
}

export async function runSync({ config, streams, state, emitter, logger, progress }: SyncInput): Promise<number> {
  // Every state is read before the first request: a bad one is a config error, not a half-done sync.
  const window = new SyncWindow({ startedAt: Date.now(), settleMs: config.settleMs, endDate: config.endDate, zone: pacificZone, logger });
  const startWall = config.startDate === undefined ? undefined : pacificZone.utcToWall(config.startDate);
  const fresh = { from: startWall === undefined ? undefined : floorSecond(startWall), idsAtLast: [] };
  const jobs = groupJobs(streams);
  for (const job of jobs) {
    const { def } = job;
    const mode = modeOf(job);
    if (mode.syncMode === 'full_refresh') continue;
    const cursor = def.cursors![mode.cursor!]!;
    // Each selected stream of the group resumes from its own state; the group reads from the earliest.
    const names = [...(job.parent ? [def.name] : []), ...job.children.map((c) => c.def.name)];
    // A child names the parent's cursor its own way (order_items: orderModifyDate for orders' modifyDate).
    const plainKeys = new Map(job.children.map(({ def: child }) => [child.name, childCursorFor(child, cursor.field)]));
    const plans = names.map((name) => {
      const resume = resumePoint(state.get(name), name, cursor.field, pacificZone, startWall, plainKeys.get(name));
      if (resume.note) logger.warn(resume.note);
      return resume.plan;
    });
    const resume = mergePlans(plans);
    if (plans.some((p) => JSON.stringify(p) !== JSON.stringify(resume))) {
      logger.info(`${names.join(' and ')}: the states differ; reading from the earliest, so the streams further ahead re-read some records`);
    }
    const lookbackDays = def.lookbackConfigKey ? config[def.lookbackConfigKey] : 0;
    job.plan = { cursor, resume, window, pageSize: config.pageSize, zone: pacificZone, lookbackDays, maxSlices: config.maxParallelSlices, fresh, checkpoints: true };
  }

  const controller = new AbortController();
  // Every queued request of every stream listens for cancellation: many listeners here are expected, not a leak.
  setMaxListeners(0, controller.signal);
  const cancel = (signal: string) => () => {
    logger.warn(`received ${signal}: stopping; each stream's last checkpoint has been emitted`);
    controller.abort(new TransientError(`sync cancelled by ${signal}; the next sync resumes from the last checkpoint`));
  };
  const onTerm = cancel('SIGTERM');
  const onInt = cancel('SIGINT');
  process.once('SIGTERM', onTerm);
  process.once('SIGINT', onInt);
  emitter.onClose(() => controller.abort(new TransientError('stdout was closed')));

  const inFlight = new Map<string, number>();
  const contexts = new Map<string, StreamContext>();
  const client = createShipStationClient({
    baseUrl: config.baseUrl,
    apiKey: config.apiKey,
    apiSecret: config.apiSecret,
    partnerKey: config.partnerKey,
    maxResponseBytes: config.maxResponseBytes,
    requestsPerMinute: config.requestsPerMinute,
    maxConcurrent: config.maxConcurrency,
    requestTimeoutMs: config.requestTimeoutMs,
    maxRetryTimeMs: config.maxRetryMs,
    bodiesInMemory: BODIES_IN_MEMORY,
    logger,
    signal: controller.signal,
    onRateLimitWait: ({ untilEpochMs }) => {
      for (const name of inFlight.keys()) void contexts.get(name)?.setStatus('RUNNING', untilEpochMs);
    },
  });
  // The first response that arrives fixes the window's end from the server's clock.
  const api: ApiClient = {
    getJson: async (path, query) => {
      const response = await client.getJson(path, query);
      window.observe(response.serverTime, Date.now());
      return response;
    },
  };
  const pacer = new Pacer(() => client.capacity());
  const groups = new Map<Job, ReadGroup>();
  const contextFor = (name: string, prepare: RecordConverter) => {
    const ctx = new StreamContext(name, api, emitter, logger, prepare, controller.signal, inFlight, pacer);
    contexts.set(name, ctx);
    return ctx;
  };
  for (const job of jobs) {
    const { def } = job;
    const parent = job.parent ? contextFor(def.name, createRecordPreparer(def.name, logger, config.validateRecords)) : undefined;
    const children = job.children.map(({ def: child }) => ({
      def: child,
      // Child rows are cut from parent records already converted to UTC.
      ctx: contextFor(child.name, createRecordPreparer(child.name, logger, config.validateRecords, { alreadyConverted: true })),
    }));
    groups.set(job, new ReadGroup(parent, children, createValueConverter(def.name, logger)));
  }
  const reporter =
    progress &&
    startProgress([...contexts.values()], { ...progress, pageSize: config.pageSize, budget: () => client.capacity(), parentOf: (name) => findChildStream(name)?.parent });

  const reported = new Set<string>();
  const runJob = async (job: Job): Promise<boolean> => {
    const { def } = job;
    const group = groups.get(job)!;
    const members = group.contexts;
    for (const ctx of members) await ctx.setStatus('STARTED');
    try {
      if (job.plan) await readIncremental(def, group, job.plan, pacer);
      else await readFullRefresh(def, group, { pageSize: config.pageSize, maxSlices: config.maxParallelSlices, zone: pacificZone }, pacer);
      for (const ctx of members) {
        logger.info(`${ctx.name}: ${ctx.emitted} records in ${ctx.requests} requests${ctx.name === def.name ? '' : ` (read from ${def.name})`}`);
        await ctx.setStatus('COMPLETE');
      }
      return true;
    } catch (err) {
      const cause = controller.signal.aborted ? controller.signal.reason : err;
      const error = asConnectorError(cause);
      // The same credential problem hits every stream: say it once.
      const shared = error instanceof ConfigError || controller.signal.aborted;
      for (const ctx of members) {
        const key = shared ? error.message : `${ctx.name}:${error.message}`;
        if (!reported.has(key) && !emitter.isClosed) {
          reported.add(key);
          await emitter.emit(errorTrace(error, shared ? undefined : ctx.name));
        }
        await ctx.setStatus('INCOMPLETE');
      }
      return false;
    }
  };

  try {
    const results = await Promise.all(jobs.map(runJob));
    return results.every(Boolean) ? 0 : 1;
  } finally {
    reporter?.stop();
    process.off('SIGTERM', onTerm);
    process.off('SIGINT', onInt);
    await client.close();
  }
}
