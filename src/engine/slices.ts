// Slices of one incremental stream's window, as pure functions: a window is read as contiguous cursor ranges
// (slices), each by the keyset planner unchanged, several at a time. A range whose total turns out large is
// split when the rate budget has room for more requests in flight; a split costs at most one request (the new
// slice's last, partial page), never a request spent only on counting.
//
// The checkpoint covers exactly what was emitted: every slice's keyset position, the top slice (the one reaching
// the window's end) as the frontier a later sync continues from, the others as ranges still to finish. Once no
// range below the frontier is left, the checkpoint collapses back to the one position of sequential reading.
import { type KeysetPosition } from './keyset.js';

export interface Slice {
  /** Last second (wall ms) this slice covers; the next slice, or the next sync, starts after it. */
  targetEnd: number;
  pos: KeysetPosition;
  /** Rows still to read, from the slice's last page total (an estimate after a split); undefined before its first page. */
  remaining?: number;
  /** Time the slice's last full page spanned (ms): rows packed into a second or two say nothing about time further on. */
  lastSpanMs?: number;
  done: boolean;
}

/**
 * New slices start at least this far past a slice's current second: each query reaches one second back, and
 * that second may be the large one the slice is in.
 */
const SPLIT_CLEARANCE_MS = 2000;

/** What a sync resumes: the frontier (continues to the new window's end) and unfinished ranges below it. */
export interface ResumePlan {
  frontier: KeysetPosition;
  pending: { pos: KeysetPosition; targetEnd: number }[];
}

export class SliceSet {
  /** Ordered by targetEnd; the last is the top slice. */
  readonly slices: Slice[];
  /** The final position of the highest finished slice below the top that emitted anything. */
  private bestFinished?: KeysetPosition;

  constructor(plan: ResumePlan, windowTargetEnd: number) {
    const below = plan.pending.filter((p) => p.targetEnd < windowTargetEnd).map((p) => ({ targetEnd: p.targetEnd, pos: p.pos, done: false }));
    below.sort((a, b) => a.targetEnd - b.targetEnd);
    this.slices = [...below, { targetEnd: windowTargetEnd, pos: plan.frontier, done: false }];
  }

  get top(): Slice {
    return this.slices[this.slices.length - 1]!;
  }

  /** Slices still to read, lowest first. */
  get open(): Slice[] {
    return this.slices.filter((s) => !s.done);
  }

  /** Estimated requests left: at least one per open slice. */
  pagesLeft(pageSize: number): number {
    return this.open.reduce((n, s) => n + pagesLeftIn(s, pageSize), 0);
  }

  finish(slice: Slice): void {
    slice.done = true;
    if (slice === this.top) return;
    const index = this.slices.indexOf(slice);
    this.slices.splice(index, 1);
    const last = slice.pos.lastValue;
    if (last !== undefined && (this.bestFinished?.lastValue === undefined || last > this.bestFinished.lastValue)) this.bestFinished = slice.pos;
  }

  /**
   * Splits the slice's unread seconds into `parts` ranges of equal length (fewer when it has fewer seconds).
   * The slice keeps the first range; the new slices are returned. Safe while the slice's request is in flight:
   * rows of that page past its new end are dropped as beyond it and read by the new slice.
   */
  split(slice: Slice, parts: number): Slice[] {
    if (!splittable(slice)) return [];
    const from = slice.pos.from!;
    const seconds = (slice.targetEnd - from) / 1000 + 1;
    const n = Math.min(parts, Math.floor(seconds / (SPLIT_CLEARANCE_MS / 1000)));
    if (n < 2) return [];
    const step = Math.floor(seconds / n) * 1000;
    const share = slice.remaining === undefined ? undefined : Math.ceil(slice.remaining / n);
    const created: Slice[] = [];
    for (let i = 1; i < n; i++) {
      const start = from + i * step;
      const end = i === n - 1 ? slice.targetEnd : from + (i + 1) * step - 1000;
      created.push({ targetEnd: end, pos: { from: start, idsAtLast: [] }, remaining: share, done: false });
    }
    slice.targetEnd = from + step - 1000;
    if (share !== undefined) slice.remaining = share;
    this.slices.splice(this.slices.indexOf(slice) + 1, 0, ...created);
    return created;
  }

  /** The checkpoint: what a resumed sync needs, covering exactly the positions recorded so far. */
  checkpoint(): ResumePlan {
    const top = this.top;
    const frontier = top.done && top.pos.lastValue === undefined && this.bestFinished ? this.bestFinished : top.pos;
    const pending = this.slices.filter((s) => s !== top && !s.done).map((s) => ({ pos: s.pos, targetEnd: s.targetEnd }));
    return { frontier, pending };
  }
}

/** Only a slice reading by key (no group, no skip) with a few seconds left and rows not packed tight splits well. */
function splittable(s: Slice): boolean {
  if (s.done || s.pos.group || s.pos.skip || s.pos.from === undefined) return false;
  if (s.lastSpanMs !== undefined && s.lastSpanMs < SPLIT_CLEARANCE_MS) return false;
  return s.targetEnd - s.pos.from >= 2 * SPLIT_CLEARANCE_MS;
}

export function pagesLeftIn(slice: Slice, pageSize: number): number {
  return slice.remaining === undefined ? 1 : Math.max(1, Math.ceil(slice.remaining / pageSize));
}

/** The slice to split next: the open one with the most pages left, if it has at least two. */
export function largestSplittable(slices: readonly Slice[], pageSize: number): Slice | undefined {
  let best: Slice | undefined;
  for (const s of slices) {
    if (!splittable(s) || pagesLeftIn(s, pageSize) < 2) continue;
    if (!best || pagesLeftIn(s, pageSize) > pagesLeftIn(best, pageSize)) best = s;
  }
  return best;
}

/**
 * Several read groups resume from one plan (a parent and its children, each with its own state): the same plan
 * when they all agree, else the whole range from the lowest unfinished second of any of them (at least once:
 * the streams further ahead re-read a stretch they already have).
 */
export function mergePlans(plans: readonly ResumePlan[]): ResumePlan {
  const first = plans[0]!;
  if (plans.every((p) => JSON.stringify(p) === JSON.stringify(first))) return first;
  let lowest: number | undefined = Infinity;
  for (const plan of plans) {
    for (const pos of [plan.frontier, ...plan.pending.map((p) => p.pos)]) {
      if (pos.from === undefined) lowest = undefined;
      else if (lowest !== undefined) lowest = Math.min(lowest, pos.group ? pos.group.second : pos.from);
    }
  }
  return { frontier: { from: lowest, idsAtLast: [] }, pending: [] };
}
