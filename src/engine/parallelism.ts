// How many requests a sync should have in flight, from what the rate limiter knows (the budget left in the
// window, when it resets, measured latency) and how much work is left. Pure: numbers in, a number out.
//
// While the work left exceeds the budget, the budget binds: enough requests in flight to spend it well before
// the window resets is all that helps, and every extra slice costs a partial page. Once the work left fits
// in the budget at hand, finishing sooner is all that is left to win: as wide as the work allows, but never so
// wide that the partial pages of new slices would overflow the budget into another window.

export interface Capacity {
  now: number;
  /** Requests per window and its length. */
  limit: number;
  windowMs: number;
  /** Requests the window still allows right now (0 while it is spent or a 429 blocks). */
  available: number;
  /** Expected end of the current window (epoch ms), when known. */
  windowEndsAt?: number;
  /** Requests sent and not yet answered, and requests queued for budget or a connection. */
  inFlight: number;
  queued: number;
  /** Upper bound on requests in flight (max_concurrency). */
  maxConcurrent: number;
  /** Typical time from sending a request to its response headers (ms). */
  latencyMs?: number;
}

/**
 * How many more readers would pay off now. `pagesLeft`: estimated requests still needed by every stream;
 * `processMs`: typical time this process spends on one page (parse, convert, write), which caps useful
 * parallelism when the network is fast.
 */
export function spareReaders(c: Capacity, pagesLeft: number, processMs?: number): number {
  const busy = c.inFlight + c.queued;
  // While the window is spent, plan for the next one: slices split now wait in the queue for its opening.
  const spent = c.available <= 0;
  const budget = spent ? c.limit : c.available + c.inFlight;
  const timeLeft = spent || c.windowEndsAt === undefined ? c.windowMs : Math.max(1, c.windowEndsAt - c.now);
  const latency = c.latencyMs ?? 0;
  let want: number;
  if (pagesLeft <= budget) {
    // Each new slice may add one partial page: never more than the budget's slack.
    want = Math.min(pagesLeft, busy + Math.max(0, budget - pagesLeft));
  } else {
    want = Math.ceil((2 * (spent ? c.limit : c.available) * latency) / timeLeft) + 1;
  }
  if (processMs !== undefined && processMs > 0) want = Math.min(want, Math.ceil(latency / processMs) + 1);
  want = Math.min(want, c.maxConcurrent);
  return Math.max(0, want - busy);
}
