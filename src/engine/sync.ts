// read: one Sync for the configured streams. Every stream reads concurrently through one client (one
// rate limiter for the key); a failing stream ends INCOMPLETE without hiding the others' records.
import type { Config } from '../config.js';
import { ConfigError, TransientError, asConnectorError } from '../errors.js';
import type { Emitter } from '../protocol/emitter.js';
import type { Logger } from '../protocol/logger.js';
import { createShipStationClient } from '../shipstation/client.js';
import { findStream } from '../streams/definitions.js';
import type { SelectedStream, StreamDefinition } from '../streams/types.js';

import { errorTrace } from '../protocol/failure.js';
import { readFullRefresh } from './fullRefresh.js';
import { readIncremental, type IncrementalPlan } from './incremental.js';
import { createRecordPreparer } from './records.js';
import { StreamContext } from './streamContext.js';
import { resumePoint } from './streamState.js';
import { pacificZone } from './pacificZone.js';
import { floorSecond } from './wallClock.js';
import { startProgress } from './progress.js';
import type { Writable } from 'node:stream';

export interface SyncInput {
  config: Config;
  streams: SelectedStream[];
  state: Map<string, unknown>;
  emitter: Emitter;
  logger: Logger;
  /** Where people watch progress (stderr); undefined = no progress output. */
  progress?: { out: Writable & { isTTY?: boolean }; intervalSeconds: number };
}

interface Job {
  def: StreamDefinition;
  selected: SelectedStream;
  plan?: IncrementalPlan;
}

export async function runSync({ config, streams, state, emitter, logger, progress }: SyncInput): Promise<number> {
  // Every state is read before the first request: a bad one is a config error, not a half-done sync.
  const now = Date.now();
  const windowEnd = floorSecond(pacificZone.utcToWall(Math.min(now, config.endDate ?? now)));
  const startWall = config.startDate === undefined ? undefined : pacificZone.utcToWall(config.startDate);
  const jobs: Job[] = streams.map((selected) => {
    const def = findStream(selected.name)!;
    if (selected.syncMode === 'full_refresh') return { def, selected };
    const cursor = def.cursors![selected.cursorField!]!;
    const resume = resumePoint(state.get(def.name), def.name, cursor.field, pacificZone, startWall);
    if (resume.note) logger.warn(resume.note);
    const lookbackDays = def.lookbackConfigKey ? config[def.lookbackConfigKey] : 0;
    return { def, selected, plan: { cursor, start: resume.position, windowEnd, pageSize: config.pageSize, zone: pacificZone, lookbackDays } };
  });

  const controller = new AbortController();
  const cancel = (signal: string) => () => {
    logger.warn(`received ${signal}: stopping; each stream's last checkpoint has been emitted`);
    controller.abort(new TransientError(`sync cancelled by ${signal}; the next sync resumes from the last checkpoint`));
  };
  const onTerm = cancel('SIGTERM');
  const onInt = cancel('SIGINT');
  process.once('SIGTERM', onTerm);
  process.once('SIGINT', onInt);
  emitter.onClose(() => controller.abort(new TransientError('stdout was closed')));

  const inFlight = new Set<string>();
  const contexts = new Map<string, StreamContext>();
  const client = createShipStationClient({
    baseUrl: config.baseUrl,
    apiKey: config.apiKey,
    apiSecret: config.apiSecret,
    requestsPerMinute: config.requestsPerMinute,
    maxConcurrent: config.maxConcurrency,
    requestTimeoutMs: config.requestTimeoutMs,
    maxRetryTimeMs: config.maxRetryMs,
    logger,
    signal: controller.signal,
    onRateLimitWait: ({ untilEpochMs }) => {
      for (const name of inFlight) void contexts.get(name)?.setStatus('RUNNING', untilEpochMs);
    },
  });
  for (const { def } of jobs) {
    const prepare = createRecordPreparer(def.name, logger, config.validateRecords);
    contexts.set(def.name, new StreamContext(def.name, client, emitter, logger, prepare, controller.signal, inFlight));
  }
  const reporter = progress && startProgress([...contexts.values()], progress);

  const reported = new Set<string>();
  const runJob = async (job: Job): Promise<boolean> => {
    const { def } = job;
    const ctx = contexts.get(def.name)!;
    await ctx.setStatus('STARTED');
    try {
      if (job.plan) await readIncremental(def, ctx, job.plan);
      else await readFullRefresh(def, ctx, config.pageSize);
      logger.info(`${def.name}: ${ctx.emitted} records in ${ctx.requests} requests`);
      await ctx.setStatus('COMPLETE');
      return true;
    } catch (err) {
      const cause = controller.signal.aborted ? controller.signal.reason : err;
      const error = asConnectorError(cause);
      // The same credential problem hits every stream: say it once.
      const shared = error instanceof ConfigError || controller.signal.aborted;
      const key = shared ? error.message : `${def.name}:${error.message}`;
      if (!reported.has(key) && !emitter.isClosed) {
        reported.add(key);
        await emitter.emit(errorTrace(error, shared ? undefined : def.name));
      }
      await ctx.setStatus('INCOMPLETE');
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
