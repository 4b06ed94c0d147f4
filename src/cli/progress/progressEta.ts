// How long each stream has left, from what is known rather than from the pace so far: the requests each stream
// still needs (its estimate, what it has emitted, the page size) against the key's rate budget as the limiter
// knows it (requests per window, window length, what is left of the current window, measured latency). A pace
// measured early lies: the first window's burst runs at network speed, the next ones wait for the window.
import type { Capacity } from '../../budget/capacity.js';

/**
 * Milliseconds until `n` more requests have been sent and answered: first what the current window has left,
 * then one window after another, each carrying `limit` requests or as many as `maxConcurrent` connections get
 * through at the measured latency, whichever is fewer.
 */
export function timeForRequests(n: number, b: Capacity): number {
  if (n <= 0) return b.inFlight > 0 ? (b.latencyMs ?? 0) : 0;
  const latency = b.latencyMs ?? 0;
  const slots = Math.max(1, b.maxConcurrent);
  const sendTime = (count: number) => Math.ceil(count / slots) * latency;
  const available = Math.max(0, b.available);
  if (n <= available) return sendTime(n);
  const untilWindowEnd = Math.max(
    sendTime(available),
    b.windowEndsAt === undefined ? b.windowMs : b.windowEndsAt - b.now,
  );
  const perWindow = Math.max(1, latency > 0 ? Math.min(b.limit, Math.floor(b.windowMs / latency) * slots) : b.limit);
  const left = n - available;
  const windowsAfter = Math.ceil(left / perWindow);
  const lastBatch = left - (windowsAfter - 1) * perWindow;
  return untilWindowEnd + (windowsAfter - 1) * b.windowMs + sendTime(lastBatch);
}

/**
 * Each stream's time left when the streams share the budget fairly (requests are served in turn): a stream
 * needing r requests is done once every stream has had min(r, its own need) served. Undefined for a stream
 * whose need is unknown; the unknown ones are left out of the others' shares.
 */
export function etaByStream(
  needs: ReadonlyMap<string, number | undefined>,
  b: Capacity,
): Map<string, number | undefined> {
  const known = [...needs.values()].filter((r): r is number => r !== undefined);
  const etas = new Map<string, number | undefined>();
  for (const [name, need] of needs) {
    if (need === undefined) {
      etas.set(name, undefined);
      continue;
    }
    const served = known.reduce((sum, other) => sum + Math.min(other, need), 0);
    etas.set(name, timeForRequests(Math.max(0, served - b.inFlight), b));
  }
  return etas;
}

/** Requests a stream still needs for `left` records at `pageSize` a page (a started stream needs at least one more). */
export function requestsFor(left: number, pageSize: number): number {
  return Math.max(0, Math.ceil(left / Math.max(1, pageSize)));
}
