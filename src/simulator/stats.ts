// Counters of API traffic behind GET /__sim/stats: requests by path and status, 429s, injected faults, requests in
// flight (and the most at once) and a bounded timeline of requests, so tests can assert what a connector did and
// when. Control requests are never counted.
export interface TimelineEntry {
  /** Simulator clock (ms since the epoch) when the response was decided. */
  readonly t: number;
  readonly path: string;
  /** Raw query string without the leading '?'. */
  readonly query: string;
  /** null when the connection was reset without a response. */
  readonly status: number | null;
  /** API key presented, or null without (valid) Basic auth. */
  readonly key: string | null;
  /** Delay before the response was sent (latency model and latency faults), when there was one. */
  readonly delayMs?: number;
  /** The Retry-After a 429 announced, in seconds. */
  readonly retryAfterS?: number;
  /** When the rate window the limiter counted this request in opened (rate limit on, not an injected storm). */
  readonly rateWindow?: number;
}

export interface StatsSnapshot {
  readonly requests: number;
  readonly byPath: Record<string, number>;
  readonly byStatus: Record<string, number>;
  readonly byPathStatus: Record<string, Record<string, number>>;
  /** Every 429 sent, whether from the limiter or an injected storm. */
  readonly rateLimited: number;
  readonly faults: Record<string, number>;
  readonly inFlight: number;
  readonly maxInFlight: number;
  readonly timeline: TimelineEntry[];
  /** Older entries dropped to keep the timeline bounded. */
  readonly timelineDropped: number;
}

function bump(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}

/** Counters for API traffic (control endpoints are never counted). */
export class Stats {
  private requests = 0;
  private byPath: Record<string, number> = {};
  private byStatus: Record<string, number> = {};
  private byPathStatus: Record<string, Record<string, number>> = {};
  private rateLimited = 0;
  private faults: Record<string, number> = {};
  private timeline: TimelineEntry[] = [];
  private timelineStart = 0;
  private timelineDropped = 0;
  private inFlight = 0;
  private maxInFlight = 0;

  constructor(private readonly timelineLimit: number) {}

  started(): void {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
  }

  finished(): void {
    this.inFlight--;
  }

  fault(kind: string): void {
    bump(this.faults, kind);
  }

  record(entry: TimelineEntry): void {
    this.requests++;
    bump(this.byPath, entry.path);
    const status = entry.status === null ? 'reset' : String(entry.status);
    bump(this.byStatus, status);
    bump((this.byPathStatus[entry.path] ??= {}), status);
    if (entry.status === 429) this.rateLimited++;
    if (this.timelineLimit === 0) {
      this.timelineDropped++;
    } else if (this.timeline.length < this.timelineLimit) {
      this.timeline.push(entry);
    } else {
      // Ring buffer: overwrite the oldest entry.
      this.timeline[this.timelineStart] = entry;
      this.timelineStart = (this.timelineStart + 1) % this.timelineLimit;
      this.timelineDropped++;
    }
  }

  snapshot(): StatsSnapshot {
    return {
      requests: this.requests,
      byPath: { ...this.byPath },
      byStatus: { ...this.byStatus },
      byPathStatus: Object.fromEntries(
        Object.entries(this.byPathStatus).map(([path, counts]) => [path, { ...counts }]),
      ),
      rateLimited: this.rateLimited,
      faults: { ...this.faults },
      inFlight: this.inFlight,
      maxInFlight: this.maxInFlight,
      timeline: [...this.timeline.slice(this.timelineStart), ...this.timeline.slice(0, this.timelineStart)],
      timelineDropped: this.timelineDropped,
    };
  }

  /** Clears counters and the timeline; requests still in flight stay counted as in flight. */
  reset(): void {
    this.requests = 0;
    this.byPath = {};
    this.byStatus = {};
    this.byPathStatus = {};
    this.rateLimited = 0;
    this.faults = {};
    this.timeline = [];
    this.timelineStart = 0;
    this.timelineDropped = 0;
    this.maxInFlight = this.inFlight;
  }
}
