// How many requests a sync should have in flight, from what the rate limiter knows and how much work is left.
// Pure: numbers in, a number out.
//
// Reading costs nothing extra however wide it goes: a fan hands out whole pages, so every request brings a
// page of records. Requests beyond the budget wait in the limiter's queue and go out the moment the window
// resets, all together. So the only limits are the work left, max_concurrency, and this process: when the
// network answers faster than a page can be parsed and written, more requests in flight only hold more
// pages in memory.

/** Enough to keep the server and this process busy at once even when pages come back at once. */
export const MIN_IN_FLIGHT = 4;

export interface Capacity {
  /** Requests sent and not yet answered, and requests queued for budget or a connection. */
  inFlight: number;
  queued: number;
  /** Upper bound on requests in flight (max_concurrency). */
  maxConcurrent: number;
  /** Typical time from sending a request to its response headers (ms), once measured. */
  latencyMs?: number;
}

/**
 * How many more readers would pay off now. `pagesLeft`: estimated requests still needed by every stream
 * (pages in flight included); `processMs`: typical time this process spends on one page (parse, convert,
 * write).
 */
export function spareReaders(c: Capacity, pagesLeft: number, processMs?: number): number {
  const busy = c.inFlight + c.queued;
  let want = Math.min(pagesLeft, c.maxConcurrent);
  // Until a response tells the latency, one request at a time; then as many as keep this process busy.
  if (c.latencyMs === undefined) want = Math.min(want, 1);
  else if (processMs !== undefined && processMs > 0) want = Math.min(want, Math.max(MIN_IN_FLIGHT, Math.ceil(c.latencyMs / processMs) + 1));
  return Math.max(0, want - busy);
}
