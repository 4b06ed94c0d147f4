// What a number of requests costs under a rate budget and a page latency: the benchmarks' "budget minimum" and the
// demo's projection of its sync to ShipStation's real pace use these same formulas.

/** Time a page takes to answer: a fixed part plus a part per record. */
export interface LatencyModel {
  baseMs: number;
  perRecordMs: number;
}

export interface Pace {
  /** Requests allowed per window. */
  limit: number;
  windowMs: number;
  /** Time a page takes to answer: a fixed part plus a part per record. */
  latency: LatencyModel;
}

/** ShipStation: 40 requests a minute; a 500-order page answers in about 2.5 s. */
export const SHIPSTATION: Pace = { limit: 40, windowMs: 60_000, latency: { baseMs: 600, perRecordMs: 3.75 } };

const FULL_PAGE = 500;

/** A full page's answer time. */
export const fullPageMs = (latency: LatencyModel): number => latency.baseMs + latency.perRecordMs * FULL_PAGE;

/**
 * The least time `requests` can take under a pace: every window but the last spent waiting for the budget, plus one
 * full page's round trip at the end (the bench's "budget minimum").
 */
export function budgetMinimumMs(requests: number, pace: Pace): number {
  if (requests <= 0) return 0;
  return (Math.ceil(requests / pace.limit) - 1) * pace.windowMs + fullPageMs(pace.latency);
}

/** The time the same requests take read one after another, each waiting for its answer (the peers' way). */
export function oneAtATimeMs(requests: number, records: number, pace: Pace): number {
  const answering = requests * pace.latency.baseMs + records * pace.latency.perRecordMs;
  // The budget still applies: never less than its minimum.
  return Math.max(answering, budgetMinimumMs(requests, pace));
}
