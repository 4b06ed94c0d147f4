// A large incremental window read as several slices at once. One keyset reader is sequential (each request
// starts where the previous page ended), so on its own it cannot keep the rate budget busy while 500-record
// pages take seconds to arrive. Slices are contiguous time ranges, each read by its own keyset reader; the
// last one is open-ended (it always runs to the current sync's window end), and an idle reader takes the upper
// half of the largest remaining range. Pure functions: the engine owns the I/O.
import type { KeysetPosition } from './keyset.js';
import { floorSecond } from './wallClock.js';

export interface Slice {
  /** Inclusive upper bound (wall ms, whole second); undefined = the sync's window end. */
  to?: number;
  pos: KeysetPosition;
}

/** Below this many seconds a range is not worth splitting: one reader finishes it in a request or two. */
export const MIN_SPLIT_SECONDS = 60;

/**
 * Splits [from, windowEnd] into `parts` contiguous slices of equal time. Boundaries are whole seconds and each
 * slice's inclusive end is the next one's start: a row exactly on a boundary is read twice, never missed.
 */
export function splitWindow(pos: KeysetPosition, windowEnd: number, parts: number): Slice[] {
  const from = pos.from;
  if (from === undefined || parts < 2 || pos.group || windowEnd - from < parts * MIN_SPLIT_SECONDS * 1000) return [{ pos }];
  const step = floorSecond((windowEnd - from) / parts);
  const slices: Slice[] = [];
  for (let i = 0; i < parts; i++) {
    const start = from + i * step;
    slices.push({
      to: i === parts - 1 ? undefined : start + step,
      pos: i === 0 ? pos : { from: start, idsAtLast: [] },
    });
  }
  return slices;
}

/**
 * Takes the upper half of the largest unfinished range for an idle reader, shrinking the slice it came from.
 * The donor's reader notices its new end on its next request; rows it already read past that end are read
 * again by the new slice (duplicates, never gaps). Returns undefined when nothing is worth splitting.
 */
export function stealHalf(slices: Slice[], active: ReadonlySet<Slice>, windowEnd: number): Slice | undefined {
  let best: Slice | undefined;
  let bestSpan = MIN_SPLIT_SECONDS * 2000;
  for (const slice of active) {
    if (slice.pos.group || slice.pos.from === undefined) continue;
    const span = (slice.to ?? windowEnd) - slice.pos.from;
    if (span >= bestSpan) {
      best = slice;
      bestSpan = span;
    }
  }
  if (!best) return undefined;
  const mid = floorSecond(best.pos.from! + bestSpan / 2);
  const stolen: Slice = { to: best.to, pos: { from: mid, idsAtLast: [] } };
  best.to = mid;
  slices.splice(slices.indexOf(best) + 1, 0, stolen);
  return stolen;
}

export function sliceEnd(slice: Slice, windowEnd: number): number {
  return Math.min(slice.to ?? windowEnd, windowEnd);
}
