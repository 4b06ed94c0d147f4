// The demo's speed narration: what a sync's requests cost at ShipStation's real pace. The demo's simulator runs
// ShipStation's shape 30 times faster (2 s windows for 60 s ones, pages answering in a thirtieth of the time), so
// its requests and records are projected back to real time with the same formulas the benchmarks use.
import type { LatencyModel } from '../simulator/index.js';

export interface Pace {
  /** Requests allowed per window. */
  limit: number;
  windowMs: number;
  /** Time a page takes to answer: a fixed part plus a part per record. */
  latency: LatencyModel;
}

/** ShipStation: 40 requests a minute; a 500-order page answers in about 2.5 s. */
export const SHIPSTATION: Pace = { limit: 40, windowMs: 60_000, latency: { baseMs: 600, perRecordMs: 3.75 } };

/** The demo's time runs this many times faster than ShipStation's. */
export const DEMO_SPEEDUP = 30;

/** The demo's simulator: 8 requests per 2 s window, pages answering 30 times faster than ShipStation's. */
export const DEMO: Pace = {
  limit: 8,
  windowMs: SHIPSTATION.windowMs / DEMO_SPEEDUP,
  latency: { baseMs: SHIPSTATION.latency.baseMs / DEMO_SPEEDUP, perRecordMs: SHIPSTATION.latency.perRecordMs / DEMO_SPEEDUP },
};

const FULL_PAGE = 500;

/**
 * The least time `requests` can take under a pace: every window but the last spent waiting for the budget, plus one
 * full page's round trip at the end (the bench's "budget minimum").
 */
export function budgetMinimumMs(requests: number, pace: Pace): number {
  if (requests <= 0) return 0;
  return (Math.ceil(requests / pace.limit) - 1) * pace.windowMs + pace.latency.baseMs + pace.latency.perRecordMs * FULL_PAGE;
}

/** The time the same requests take read one after another, each waiting for its answer (the peers' way). */
export function oneAtATimeMs(requests: number, records: number, pace: Pace): number {
  const answering = requests * pace.latency.baseMs + records * pace.latency.perRecordMs;
  // The budget still applies: never less than its minimum.
  return Math.max(answering, budgetMinimumMs(requests, pace));
}

/** "2.5 s", "1 min 8 s", "2 h 5 min". */
export function duration(ms: number): string {
  const s = Math.round(ms / 100) / 10;
  if (s < 60) return `${s} s`;
  const total = Math.round(s);
  if (total < 3600) return `${Math.floor(total / 60)} min${total % 60 ? ` ${total % 60} s` : ''}`;
  const minutes = Math.round(total / 60);
  return `${Math.floor(minutes / 60)} h${minutes % 60 ? ` ${minutes % 60} min` : ''}`;
}
