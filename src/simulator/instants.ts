// Where in time generated records fall: creation instants spread over the dataset's range (ascending, like
// auto-increment rows, with some bulk-import ties), realistic modify delays, and instants pinned next to every DST
// transition so even small datasets carry the repeated fall-back hour and the edges of the spring-forward gap.
import { dstWindow, sqlDatetimeMs, wallTicksFromUtc } from './pacificTime.js';
import type { Rng } from './random.js';

/** The dataset's time span as UTC instants, end exclusive. */
export interface UtcRange {
  readonly startUtc: number;
  readonly endUtc: number;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/**
 * Instants pinned next to every DST transition inside the range, so even small datasets carry the hard cases:
 * two values in each fall-back hour from the PDT pass and two from the PST pass (one pair with the very same
 * wall time, 01:12:34.567), and two on each side of each spring-forward gap.
 */
export function dstPins(range: UtcRange): number[] {
  const pins: number[] = [];
  const firstYear = new Date(range.startUtc).getUTCFullYear();
  const lastYear = new Date(range.endUtc).getUTCFullYear();
  for (let year = firstYear; year <= lastYear; year++) {
    const { startUtc: spring, endUtc: fall } = dstWindow(year);
    pins.push(
      spring - 40 * MINUTE_MS + 123, // 01:20:00.123 PST
      spring - 1_497, //                 01:59:58.503 PST
      spring + 250, //                   03:00:00.250 PDT
      spring + 20 * MINUTE_MS + 7_777, // 03:20:07.777 PDT
      fall - HOUR_MS + 12 * MINUTE_MS + 34_567, // 01:12:34.567 PDT
      fall - HOUR_MS + 47 * MINUTE_MS + 3_003, //  01:47:03.003 PDT
      fall + 12 * MINUTE_MS + 34_567, //           01:12:34.567 PST
      fall + 29 * MINUTE_MS + 59_997, //           01:29:59.997 PST
    );
  }
  return pins.filter((t) => t >= range.startUtc && t < range.endUtc).sort((a, b) => a - b);
}

/**
 * `count` creation instants spread evenly over the range with jitter, ascending (rows are numbered in creation
 * order, like auto-increment ids). A few consecutive rows share an instant (bulk imports) and, when there are
 * enough rows, the DST pins are merged in.
 */
export function chronologicalInstants(
  count: number,
  range: UtcRange,
  pins: readonly number[],
  rng: Rng,
  tieShare: number,
): Float64Array {
  const usedPins = pins.slice(0, Math.floor(count / 4));
  const regular = count - usedPins.length;
  const slot = (range.endUtc - range.startUtc) / Math.max(1, regular);
  const out = new Float64Array(count);
  let previous = range.startUtc;
  for (let k = 0; k < regular; k++) {
    const t =
      k > 0 && rng.chance(tieShare) ? previous : sqlDatetimeMs(Math.floor(range.startUtc + (k + rng.next()) * slot));
    out[k] = previous = Math.min(t, range.endUtc - 10);
  }
  out.set(usedPins, regular);
  return out.sort();
}

/** Index of the last instant <= t in an ascending array, or -1. */
export function lastAtOrBefore(instants: Float64Array, t: number): number {
  let lo = 0;
  let hi = instants.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((instants[mid] as number) <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** The instant `utc + lagMs`, rounded like SQL datetime and kept before the range end. */
export function utcAfter(utcMs: number, lagMs: number, range: UtcRange): number {
  return sqlDatetimeMs(Math.min(utcMs + lagMs, range.endUtc - 10));
}

/** Wall ticks of `utc + lagMs`, rounded like SQL datetime and kept before the range end. */
export function wallAfter(utcMs: number, lagMs: number, range: UtcRange): number {
  return wallTicksFromUtc(utcAfter(utcMs, lagMs, range));
}

/**
 * A realistic "modified after creation" delay: often none, often seconds, sometimes days or weeks; scaled down
 * when it would pass the range end, so late records do not pile up on one clamped value.
 */
export function modifyLagMs(rng: Rng, createUtc: number, range: UtcRange): number {
  const u = rng.next();
  const lag =
    u < 0.25
      ? 0
      : u < 0.5
        ? rng.int(100, 10_000)
        : u < 0.8
          ? rng.int(60_000, 2 * 86_400_000)
          : rng.int(2 * 86_400_000, 60 * 86_400_000);
  const room = range.endUtc - 10 - createUtc;
  return lag <= room ? lag : Math.floor(Math.max(0, room) * rng.next());
}
