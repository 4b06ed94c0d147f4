// What a stream reader needs from the sync around it: the API, record preparation, and one way out for
// everything it emits (records, checkpoints, status, estimate). Readers never touch stdout themselves.
import type { Emitter } from '../../protocol/emitter.js';
import {
  estimateTraceMessage,
  streamStateMessage,
  streamStatusMessage,
  type StreamStatus,
} from '../../protocol/messages.js';
import type { Logger } from '../../protocol/logger.js';
import type { ApiRecord } from '../plan/envelope.js';
import type { Query } from '../../shipstation/client.js';

export interface ApiClient {
  /** `onSent`: once the request leaves the queue (progress counts requests made, not queued). */
  getJson(
    path: string,
    query?: Query,
    onSent?: () => void,
  ): Promise<{ body: unknown; release: () => void; serverTime?: number }>;
}

/** What a response says besides its body. */
export interface ResponseFacts {
  /** When the server wrote it (its Date header, UTC ms), if it said. */
  serverTime?: number;
}

/** What people watching a sync see of a stream (the progress view reads it). */
export interface StreamProgress {
  readonly name: string;
  readonly emitted: number;
  readonly pages: number;
  readonly requests: number;
  readonly estimate?: number;
  readonly status: string;
  /** Epoch ms until which the stream waits on the rate limit, if it does. */
  readonly rateLimitedUntil?: number;
  readonly startedAt: number;
  readonly finishedAt?: number;
}

/** Who hears how long pages take to process (the sync's pacer). */
export interface PageTimer {
  processed(ms: number): void;
}

/**
 * What the readers (full refresh, incremental) drive: requests, each page's rows, checkpoints. A StreamContext
 * is one; a ReadGroup (a parent with its child streams) is another.
 */
export interface ReadTarget {
  readonly logger: Logger;
  /** One request; `use` gets the parsed body, whose memory is held for it until it returns. */
  read<T>(path: string, query: Query, use: (body: unknown, response: ResponseFacts) => Promise<T>): Promise<T>;
  /** The stream's total row count when the API reports one (first page only). */
  estimateRows(total: number | undefined): Promise<void>;
  /** One page's rows, in API form: prepared (dates to UTC, as of `asOfUtc`: when the server wrote them) and emitted. */
  records(rows: ApiRecord[], asOfUtc?: number): Promise<void>;
  checkpoint(streamState: Record<string, unknown>): Promise<void>;
}

export interface StreamContextOptions {
  name: string;
  api: ApiClient;
  emitter: Emitter;
  logger: Logger;
  /** Converts a record for output in place (date-times to UTC as of `asOfUtc`, drift checks). */
  prepare: (record: ApiRecord, asOfUtc?: number) => void;
  signal: AbortSignal;
  /** Hears how long each page took to process. */
  timer?: PageTimer;
}

export class StreamContext implements StreamProgress, ReadTarget {
  private pendingCount = 0;
  /** Records and checkpoints of this stream leave in call order, so each STATE counts exactly the records before it. */
  private lane: Promise<void> = Promise.resolve();
  emitted = 0;
  requests = 0;
  pages = 0;
  estimate?: number;
  status: StreamStatus | 'PENDING' = 'PENDING';
  rateLimitedUntil?: number;
  startedAt = Date.now();
  finishedAt?: number;

  readonly name: string;
  readonly logger: Logger;
  readonly signal: AbortSignal;
  /** Requests of this stream sent and not answered yet (the rate-limit status goes to streams waiting). */
  inFlight = 0;

  constructor(private readonly opts: StreamContextOptions) {
    this.name = opts.name;
    this.logger = opts.logger;
    this.signal = opts.signal;
  }

  async read<T>(path: string, query: Query, use: (body: unknown, response: ResponseFacts) => Promise<T>): Promise<T> {
    this.signal.throwIfAborted();
    this.inFlight++;
    let response: { body: unknown; release: () => void; serverTime?: number };
    try {
      response = await this.opts.api.getJson(path, query, () => this.requests++);
      this.pages++;
      this.rateLimitedUntil = undefined;
    } finally {
      this.inFlight--;
    }
    const started = performance.now();
    try {
      return await use(response.body, { serverTime: response.serverTime });
    } finally {
      response.release();
      this.opts.timer?.processed(performance.now() - started);
    }
  }

  async setStatus(status: StreamStatus, rateLimitedUntil?: number): Promise<void> {
    if (status === 'STARTED') this.startedAt = Date.now();
    if (status === 'COMPLETE' || status === 'INCOMPLETE') this.finishedAt = Date.now();
    this.status = status;
    this.rateLimitedUntil = rateLimitedUntil;
    await this.opts.emitter.emit(streamStatusMessage(this.name, status, rateLimitedUntil));
  }

  /** ESTIMATE from the first page's total: no extra request. */
  async estimateRows(total: number | undefined): Promise<void> {
    if (this.estimate !== undefined || total === undefined) return;
    this.estimate = total;
    await this.opts.emitter.emit(estimateTraceMessage(this.name, total));
  }

  async records(rows: ApiRecord[], asOfUtc?: number): Promise<void> {
    if (rows.length === 0) return;
    for (const row of rows) this.opts.prepare(row, asOfUtc);
    await this.inLane(async () => {
      if (this.status !== 'RUNNING') await this.setStatus('RUNNING');
      await this.opts.emitter.emitRecords(this.name, rows, Date.now());
      this.pendingCount += rows.length;
      this.emitted += rows.length;
    });
  }

  /** A checkpoint covering exactly the records emitted before it; recordCount = records since the last one. */
  async checkpoint(streamState: Record<string, unknown>): Promise<void> {
    await this.inLane(async () => {
      await this.opts.emitter.emit(streamStateMessage(this.name, streamState, this.pendingCount));
      this.pendingCount = 0;
    });
  }

  private inLane(step: () => Promise<void>): Promise<void> {
    const run = this.lane.then(step);
    this.lane = run.catch(() => undefined);
    return run;
  }
}
