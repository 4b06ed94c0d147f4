// A model of ShipStation's list endpoint for the pure paging tests: rows sorted by (value, id), page numbers,
// and each reading of the date filters nobody has verified on the real API.
import type { PageRequest } from '../../src/engine/plan/page.js';

export interface Row {
  id: number;
  /** Cursor value, wall ms (fractions of a second allowed). */
  value: number;
}

/**
 * inclusive: from ≤ v ≤ to (the simulator's reading); exclusive: from < v < to; inclusiveSeconds /
 * exclusiveSeconds: the same on values truncated to whole seconds.
 */
export const BOUNDS = ['inclusive', 'exclusive', 'inclusiveSeconds', 'exclusiveSeconds'] as const;
export type Bounds = (typeof BOUNDS)[number];

export function inRange(value: number, req: PageRequest, bounds: Bounds): boolean {
  const v = bounds.endsWith('Seconds') ? Math.floor(value / 1000) * 1000 : value;
  const exclusive = bounds.startsWith('exclusive');
  const aboveStart = req.from === undefined || (exclusive ? v > req.from : v >= req.from);
  const belowEnd = exclusive ? v < req.to : v <= req.to;
  return aboveStart && belowEnd;
}

/**
 * One answer: the page's slice of the matching rows sorted by value, ties by id, or (with `shuffleTies`) ties in
 * an order drawn afresh for this request, as a server without a unique tiebreaker may give them.
 */
export function serve(
  rows: readonly Row[],
  req: PageRequest,
  pageSize: number,
  bounds: Bounds = 'inclusive',
  shuffleTies?: () => number,
) {
  const matching = rows.filter((r) => inRange(r.value, req, bounds));
  const tiebreak = shuffleTies ? new Map(matching.map((r) => [r.id, shuffleTies()])) : undefined;
  matching.sort((a, b) => a.value - b.value || (tiebreak ? tiebreak.get(a.id)! - tiebreak.get(b.id)! : a.id - b.id));
  const size = req.size ?? pageSize;
  return { page: matching.slice((req.page - 1) * size, req.page * size), total: matching.length };
}

export function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
