// Slices of one incremental stream's window, as pure functions. A slice is a cursor range read by the keyset
// planner (keyset.ts). Once a slice's page 1 tells the query's total, its other pages are fetched by page
// number, several at once: a fan. Every page of a fan is a contiguous run of the rows the server held when it
// answered, and in a window frozen in the past rows can only leave (a modification moves them to the
// present), never join. So a fanned page is a finished cursor range whatever happened around it, and two
// neighbouring pages are contiguous when both report the same total (no row left between their answers).
// Where that cannot be vouched for, the stretch between them is a gap, read by keyset like any slice.
//
// The checkpoint covers exactly what was emitted: every slice's keyset position, each fan broken into its
// gaps and the rest after its last page, the top slice (reaching the window's end) as the frontier a later
// sync continues from, the others as ranges still to finish. Once no range below the frontier is left, the
// checkpoint collapses back to the one position of sequential reading.
import { type KeysetPosition, type PageRequest, type RecordId } from './keyset.js';
import { floorSecond } from './wallClock.js';

/** What a fanned page tells about the rows it covered. */
export interface FanPage {
  /** The total the page reported (undefined when implausible: never vouches for contiguity). */
  total?: number;
  /** The row set ended on this page (short page, or rows past the slice's end came back). */
  end: boolean;
  /** First and last cursor values of its rows within the slice, and the ids at the last. */
  first?: number;
  last?: number;
  idsAtLast: RecordId[];
}

export interface Fan {
  /** The query of the slice's page 1, repeated by every fanned page with its own number. */
  request: { from?: number; to: number };
  /** Pages the query held by page 1's total. */
  pageCount: number;
  /** Next page number to hand out. */
  next: number;
  /** Pages answered, page 1 included. */
  pages: Map<number, FanPage>;
  /** Pages handed out and not answered yet. */
  pending: Set<number>;
  /** The keyset position after page 1. */
  start: KeysetPosition;
}

export interface Slice {
  /** Last second (wall ms) this slice covers; the next slice, or the next sync, starts after it. */
  targetEnd: number;
  pos: KeysetPosition;
  fan?: Fan;
  done: boolean;
}

/** A range still to read: a keyset position and the last second it covers. */
export interface Range {
  pos: KeysetPosition;
  targetEnd: number;
}

/** What a sync resumes: the frontier (continues to the new window's end) and unfinished ranges below it. */
export interface ResumePlan {
  frontier: KeysetPosition;
  pending: Range[];
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

  /** Estimated requests left: a fan's pages not handed out, at least one per slice otherwise. */
  pagesLeft(): number {
    return this.open.reduce((n, s) => n + (s.fan ? Math.max(0, s.fan.pageCount - s.fan.next + 1) + s.fan.pending.size + 1 : 1), 0);
  }

  finish(slice: Slice): void {
    slice.done = true;
    if (slice === this.top) return;
    this.slices.splice(this.slices.indexOf(slice), 1);
    const last = slice.pos.lastValue;
    if (last !== undefined && (this.bestFinished?.lastValue === undefined || last > this.bestFinished.lastValue)) this.bestFinished = slice.pos;
  }

  /**
   * The next piece of work for a reader: a page of a fan, else a slice nobody is reading by keyset (added to
   * `reading`, which the caller clears when done with it).
   */
  claim(reading: Set<Slice>): { slice: Slice; fanPage?: number } | undefined {
    for (const slice of this.open) {
      const fanPage = slice.fan ? this.claimFanPage(slice) : undefined;
      if (fanPage !== undefined) return { slice, fanPage };
    }
    const free = this.open.find((s) => !s.fan && !reading.has(s));
    if (free) reading.add(free);
    return free && { slice: free };
  }

  /** Starts fanning a slice after its page 1 (read at `request`) reported `total` rows for the query. */
  startFan(slice: Slice, request: PageRequest, page1: FanPage, pageCount: number): void {
    slice.fan = { request: { from: request.from, to: request.to }, pageCount, next: 2, pages: new Map([[1, page1]]), pending: new Set(), start: slice.pos };
  }

  /** The next page number of a fan to fetch, or undefined when all are handed out. */
  claimFanPage(slice: Slice): number | undefined {
    const fan = slice.fan;
    if (!fan || fan.next > fan.pageCount || endedBefore(fan, fan.next)) return undefined;
    const page = fan.next++;
    fan.pending.add(page);
    return page;
  }

  /**
   * Records a fanned page. Once none is pending and none is left to hand out, the fan settles: its gaps become
   * slices of their own (just before it) and the slice reads on by keyset from its last page, or finishes.
   */
  recordFanPage(slice: Slice, page: number, result: FanPage): void {
    const fan = slice.fan!;
    fan.pending.delete(page);
    fan.pages.set(page, result);
    if (fan.pending.size > 0 || (fan.next <= fan.pageCount && !endedBefore(fan, fan.next))) return;
    const { gaps, rest } = fanRanges(slice);
    slice.fan = undefined;
    const index = this.slices.indexOf(slice);
    this.slices.splice(index, 0, ...gaps.map((g) => ({ targetEnd: g.targetEnd, pos: g.pos, done: false })));
    slice.pos = rest.pos;
    if (!rest.open) this.finish(slice);
  }

  /** The checkpoint: what a resumed sync needs, covering exactly the positions recorded so far. */
  checkpoint(): ResumePlan {
    const top = this.top;
    const pending: Range[] = [];
    let frontier = top.pos;
    for (const slice of this.slices) {
      if (slice.done && slice !== top) continue;
      if (!slice.fan) {
        if (slice !== top) pending.push({ pos: slice.pos, targetEnd: slice.targetEnd });
        continue;
      }
      const { gaps, rest } = fanRanges(slice);
      pending.push(...gaps);
      if (slice === top) frontier = rest.pos;
      else if (rest.open) pending.push({ pos: rest.pos, targetEnd: slice.targetEnd });
    }
    if (top.done && !top.fan && top.pos.lastValue === undefined && this.bestFinished) frontier = this.bestFinished;
    return { frontier, pending };
  }
}

/** True when a page before `page` ended the row set: nothing after it can hold rows. */
function endedBefore(fan: Fan, page: number): boolean {
  for (const [k, p] of fan.pages) if (k < page && p.end) return true;
  return false;
}

/**
 * A fan as ranges still to read: the gaps between answered pages that cannot be vouched contiguous (a page not
 * answered yet, or neighbours whose totals differ), and the rest after the last answered page (`open` unless a
 * page ended the row set, or a later page will).
 */
export function fanRanges(slice: Slice): { gaps: Range[]; rest: { pos: KeysetPosition; open: boolean } } {
  const fan = slice.fan!;
  const gaps: Range[] = [];
  let pos = fan.start;
  let prevPage = 1;
  let prevTotal = fan.pages.get(1)?.total;
  let ended = fan.pages.get(1)?.end ?? false;
  const answered = [...fan.pages.keys()].filter((k) => k > 1).sort((a, b) => a - b);
  for (const k of answered) {
    if (ended) break;
    const p = fan.pages.get(k)!;
    // Same total: no row left between the two answers, so the pages are neighbours in one ordering (equal
    // values keep their order within one query, as group paging assumes too).
    const contiguous = k === prevPage + 1 && p.total !== undefined && p.total === prevTotal;
    if (!contiguous) {
      // Rows may lie between the previous answered page and this one: read that stretch by keyset.
      const end = p.first === undefined ? slice.targetEnd : floorSecond(p.first);
      gaps.push({ pos, targetEnd: end });
      if (p.first === undefined) {
        // An empty page: the gap already runs to the slice's end.
        return { gaps, rest: { pos, open: false } };
      }
    }
    if (p.last !== undefined) pos = { from: floorSecond(p.last), lastValue: p.last, idsAtLast: p.idsAtLast };
    prevPage = k;
    prevTotal = p.total;
    ended = p.end;
  }
  return { gaps, rest: { pos, open: !ended } };
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
