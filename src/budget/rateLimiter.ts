// One limiter per API key, shared by every stream of a sync. Bottleneck queues the jobs (FIFO) and caps how
// many are in flight; the header-driven RateWindow decides when the next one may start. A job that finds the
// budget spent sleeps until the window's announced end, or until a response frees budget, whichever is first.
import { createHash } from 'node:crypto';
import Bottleneck from 'bottleneck';
import { RateWindow, type RateHeaders, type SendTicket, type WaitReason } from './rateWindow.js';
import type { Capacity } from './capacity.js';
import { abortable } from '../abortable.js';

export interface RateLimitWaitInfo {
  untilEpochMs: number;
  waitMs: number;
  reason: WaitReason;
}

export interface RateLimiterOptions {
  /** Budget per minute assumed until ShipStation's headers say otherwise. */
  requestsPerMinute?: number;
  maxConcurrent?: number;
  clock?: () => number;
  /** Source of the 0–250 ms jitter added after a 429, so clients sharing a key do not retry in step. */
  random?: () => number;
  safetyMarginMs?: number;
}

export interface RateLimiterStats {
  requestsSent: number;
  rateLimited: number;
  /** Wall-clock time during which at least one job waited for budget. */
  waitedMs: number;
  maxInFlight: number;
}

/** Handed to a job once it may send; the job reports what the server said about the budget. */
export interface Permit {
  readonly sentAt: number;
  /** Response headers arrived (any status but 429). */
  observed(headers: RateHeaders, receivedAt: number): void;
  /** The server answered 429. */
  rejected(headers: RateHeaders, receivedAt: number, retryAfterSeconds?: number): void;
}

export interface ScheduleOptions {
  signal?: AbortSignal;
  /** Called whenever this job starts waiting for budget, with the expected end of the wait. */
  onWait?: (info: RateLimitWaitInfo) => void;
}

export const DEFAULT_MAX_CONCURRENT = 4;
const MAX_429_JITTER_MS = 250;

interface Sleeper {
  wake(): void;
  fail(err: unknown): void;
}

export class RateLimiter {
  readonly window: RateWindow;
  private readonly bottleneck: Bottleneck;
  private readonly clock: () => number;
  private readonly random: () => number;
  private readonly sleepers = new Set<Sleeper>();
  private waitingSince: number | undefined;
  private inFlight = 0;
  private queued = 0;
  private latencyMs: number | undefined;
  private readonly maxConcurrent: number;
  private stopped = false;
  private readonly counters: RateLimiterStats = { requestsSent: 0, rateLimited: 0, waitedMs: 0, maxInFlight: 0 };

  constructor(options: RateLimiterOptions = {}) {
    this.clock = options.clock ?? Date.now;
    this.random = options.random ?? Math.random;
    this.window = new RateWindow({ startLimit: options.requestsPerMinute, safetyMarginMs: options.safetyMarginMs });
    this.maxConcurrent = options.maxConcurrent ?? DEFAULT_MAX_CONCURRENT;
    this.bottleneck = new Bottleneck({ maxConcurrent: this.maxConcurrent });
  }

  capacity(): Capacity {
    const now = this.clock();
    return {
      now,
      limit: this.window.limit,
      windowMs: this.window.windowMs,
      available: this.window.available(now),
      windowEndsAt: this.window.windowEnd?.hi,
      inFlight: this.inFlight,
      queued: this.queued,
      maxConcurrent: this.maxConcurrent,
      latencyMs: this.latencyMs,
    };
  }

  schedule<T>(fn: (permit: Permit) => Promise<T>, options: ScheduleOptions = {}): Promise<T> {
    if (this.stopped) return Promise.reject(new Error('rate limiter stopped'));
    this.queued++;
    let counted = true;
    const sent = (): void => {
      if (counted) this.queued--;
      counted = false;
    };
    const job = this.bottleneck.schedule(() => this.run(fn, options, sent));
    const settled = job.finally(sent);
    return options.signal ? abortable(settled, options.signal) : settled;
  }

  stats(): RateLimiterStats {
    const waiting = this.waitingSince === undefined ? 0 : this.clock() - this.waitingSince;
    return { ...this.counters, waitedMs: this.counters.waitedMs + waiting };
  }

  /** Rejects waiting and queued jobs; jobs already sending finish on their own. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    const err = new Error('rate limiter stopped');
    for (const s of [...this.sleepers]) s.fail(err);
    await this.bottleneck.stop({ dropWaitingJobs: true });
  }

  private async run<T>(fn: (permit: Permit) => Promise<T>, options: ScheduleOptions, onSent: () => void): Promise<T> {
    const { ticket, sentAt } = await this.acquire(options);
    onSent();
    this.counters.requestsSent++;
    this.inFlight++;
    this.counters.maxInFlight = Math.max(this.counters.maxInFlight, this.inFlight);
    let reported = false;
    const permit: Permit = {
      sentAt,
      observed: (headers, receivedAt) => {
        if (reported) return;
        reported = true;
        this.measure(receivedAt - sentAt);
        this.window.onResponse(ticket, { ...headers, sentAt, receivedAt });
        this.wakeAll();
      },
      rejected: (headers, receivedAt, retryAfterSeconds) => {
        if (reported) return;
        reported = true;
        this.counters.rateLimited++;
        const jitterMs = Math.floor(this.random() * MAX_429_JITTER_MS);
        this.window.on429(ticket, { ...headers, sentAt, receivedAt }, { retryAfterSeconds, jitterMs });
        this.wakeAll();
      },
    };
    try {
      return await fn(permit);
    } finally {
      this.inFlight--;
      if (!reported) {
        this.window.onLost(ticket, this.clock());
        this.wakeAll();
      }
    }
  }

  /** Exponentially smoothed response time: recent pages matter most, one slow page does not swing it. */
  private measure(ms: number): void {
    this.latencyMs = this.latencyMs === undefined ? ms : this.latencyMs * 0.8 + ms * 0.2;
  }

  /** Waits until the window allows a send and records it in the same tick, so no other job can race for it. */
  private async acquire({ signal, onWait }: ScheduleOptions): Promise<{ ticket: SendTicket; sentAt: number }> {
    for (;;) {
      signal?.throwIfAborted();
      if (this.stopped) throw new Error('rate limiter stopped');
      const now = this.clock();
      if (this.window.canSend(now)) return { ticket: this.window.onSend(now), sentAt: now };
      const until = this.window.nextOpportunity(now);
      if (Number.isFinite(until))
        onWait?.({ untilEpochMs: until, waitMs: until - now, reason: this.window.waitReason(now) });
      await this.sleep(until, signal);
    }
  }

  /** Sleeps until `until` (epoch ms) or until a response may have freed budget. */
  private sleep(until: number, signal: AbortSignal | undefined): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const done = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.sleepers.delete(sleeper);
        if (this.sleepers.size === 0 && this.waitingSince !== undefined) {
          this.counters.waitedMs += this.clock() - this.waitingSince;
          this.waitingSince = undefined;
        }
      };
      const sleeper: Sleeper = {
        wake: () => {
          done();
          resolve();
        },
        fail: (err) => {
          done();
          reject(err);
        },
      };
      const onAbort = (): void => sleeper.fail(signal?.reason);
      const timer = Number.isFinite(until) ? setTimeout(sleeper.wake, Math.max(0, until - this.clock())) : undefined;
      this.waitingSince ??= this.clock();
      this.sleepers.add(sleeper);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  private wakeAll(): void {
    for (const s of [...this.sleepers]) s.wake();
  }
}

export interface RateLimiterLease {
  readonly limiter: RateLimiter;
  /** Stops the limiter when the last holder releases it. */
  release(): Promise<void>;
}

/** Limiters shared per (server, API key): the budget belongs to the key, not to a stream or a client. */
export class RateLimiterRegistry {
  private readonly entries = new Map<string, { limiter: RateLimiter; holders: number }>();

  acquire(origin: string, apiKey: string, options: RateLimiterOptions = {}): RateLimiterLease {
    // Hash the key so the raw credential is not kept as a map key.
    const id = createHash('sha256').update(`${origin}\n${apiKey}`).digest('hex');
    let entry = this.entries.get(id);
    if (!entry) {
      entry = { limiter: new RateLimiter(options), holders: 0 };
      this.entries.set(id, entry);
    }
    entry.holders++;
    const held = entry;
    let released = false;
    return {
      limiter: held.limiter,
      release: async () => {
        if (released) return;
        released = true;
        held.holders--;
        if (held.holders > 0) return;
        this.entries.delete(id);
        await held.limiter.stop();
      },
    };
  }
}

/** The process-wide registry: every client for the same key and server shares one limiter. */
export const sharedRateLimiters = new RateLimiterRegistry();
