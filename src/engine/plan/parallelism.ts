// How many requests a sync should have in flight, from what the rate limiter knows and how much work is left.
// Pure: numbers in, a number out.
//
// Reading costs nothing extra however wide it goes: a fan hands out whole pages, so every request brings a
// page of records. Requests beyond the budget wait in the limiter's queue and go out the moment the window
// resets, all together. So the only limits are the work left, max_concurrency, and this process: when the
// network answers faster than a page can be parsed and written, more requests in flight only hold more
// pages in memory — except for the last window's requests, queued for its opening all together.
import type { Capacity } from '../../budget/capacity.js';

/** Enough to keep the server and this process busy at once even when pages come back at once. */
export const MIN_IN_FLIGHT = 4;

/** What deciding on readers needs of the budget. */
export type ReaderCapacity = Pick<
  Capacity,
  'inFlight' | 'queued' | 'maxConcurrent' | 'latencyMs' | 'available' | 'limit'
>;

/**
 * How many more readers would pay off now. `pagesLeft`: estimated requests still needed by every stream
 * (pages in flight included); `processMs`: typical time this process spends on one page (parse, convert,
 * write).
 */
export function spareReaders(c: ReaderCapacity, pagesLeft: number, processMs?: number): number {
  const busy = c.inFlight + c.queued;
  let want = Math.min(pagesLeft, c.maxConcurrent);
  // Until a response tells the latency, one request at a time; then as many as keep this process busy.
  if (c.latencyMs === undefined) want = Math.min(want, 1);
  else if (processMs !== undefined && processMs > 0 && !lastWindow(c, pagesLeft))
    want = Math.min(want, Math.max(MIN_IN_FLIGHT, Math.ceil(c.latencyMs / processMs) + 1));
  return Math.max(0, want - busy);
}

/**
 * Whether the window is spent (or a 429 holds the key) and every request still to be sent fits in the next one.
 * Those requests wait for its opening whatever the pace, holding no page while they wait; queued now, they all go
 * out when it opens, and the server's last answer comes one page's time later instead of after this process has
 * worked through the pages before it. While a window still has budget the pace holds: with a budget that never
 * binds (a high API tier), that pace is what bounds the pages held in memory.
 */
function lastWindow(c: ReaderCapacity, pagesLeft: number): boolean {
  return c.available === 0 && pagesLeft - c.inFlight <= c.limit;
}
