// Slices of one incremental stream's window, as pure functions. A slice is a cursor range read by the keyset
// planner (keyset.ts). Once a slice's page 1 tells its query's total, the rest of the slice is fetched at
// once as a fan of links (fanPlan.ts), each overlapping the one before.
//
// What a fanned page proves comes from its own rows, never from the server's clock or totals: a page is a run
// of consecutive rows of its query's sorted answer, so every row whose value lies strictly between the page's
// first and last values was on it when it was answered, whatever happened before or after. Page 1 of a slice
// is a prefix: every row below its last value. The fan's coverage is the union of those intervals (a sweep);
// where two answers do not overlap in value, the stretch between them is a gap, read by keyset like any slice.
// Rows can be modified, deleted, created, stamped late or reordered between two answers: a row that changes
// is read at its new place by this sync or the next (the window ends before its new stamp, or a later
// sync's window holds it), and no row that stays put can be missed.
//
// The checkpoint covers exactly what was proven: every slice's keyset position, each fan broken into its gaps
// and the rest after its highest proven row, the top slice (reaching the window's end) as the frontier a later
// sync continues from, the others as ranges still to finish. Once no range below the frontier is left, the
// checkpoint collapses back to the one position of sequential reading.
import { planFanLinks, type FanLink } from './fanPlan.js';
import { applyPage, planRequest, rowsToEmit, type KeysetPosition } from './keyset.js';
import { endsRows, plausibleTotal } from './serverChecks.js';
import type { PageRequest, PageRow, RecordId } from './page.js';
import { floorSecond } from '../../time/wallClock.js';

/** What a fanned page tells about the rows it covered. */
export interface FanPage {
  /** No row after this page belongs to the slice: a short page whose total promises no more, or rows past its end. */
  end: boolean;
  /** First and last cursor values of its rows within the slice, and the ids at the last. */
  first?: number;
  last?: number;
  idsAtLast: RecordId[];
  /** `id|value` of its last few rows: what the next link repeats (the overlap) is not emitted twice. */
  tail?: string[];
  /** Its head waits for the link before it: until then the page proves nothing. */
  held?: boolean;
}

/** What a link's page gives the reader to do. */
export interface LinkOutcome {
  /** Rows of this page to emit now (indexes). */
  emit: number[];
  /** Rows held back until the link before it answers (indexes): the reader keeps them. */
  hold: number[];
  /** Later links whose held rows go out now, in this order, but for those the link before each repeats. */
  release: { link: number; repeated: (row: PageRow) => boolean }[];
}

export interface Fan {
  /** The query of the slice's page 1; links keep its end and sort, with their own start and page. */
  request: { from?: number; to: number };
  links: FanLink[];
  /** Index into `links` of the next link to hand out. */
  next: number;
  /** Links answered, by index (-1 is page 1). */
  pages: Map<number, FanPage>;
  /** Links handed out and not answered yet. */
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

/** Index of page 1 among a fan's answered pages. */
export const PAGE_ONE = -1;

export class SliceSet {
  /** Ranges still open below the frontier, lowest first, then the top slice last. */
  readonly slices: Slice[];
  readonly top: Slice;

  /**
   * Every pending range is read whole, to its own end, whatever this window's end: it lies below a frontier
   * already stored, so nothing after this sync would read it.
   */
  constructor(
    plan: ResumePlan,
    windowTargetEnd: number,
    /** What proves two answers met (a seam for tests' mutants; `overlaps` in every real use). */
    private readonly meets: (covered: number | undefined, page: FanPage) => boolean = overlaps,
  ) {
    const below = plan.pending.map((p) => ({ targetEnd: p.targetEnd, pos: p.pos, done: false }));
    below.sort((a, b) => a.targetEnd - b.targetEnd);
    this.top = { targetEnd: windowTargetEnd, pos: plan.frontier, done: false };
    this.slices = [...below, this.top];
  }

  /** Slices still to read, lowest first. */
  get open(): Slice[] {
    return this.slices.filter((s) => !s.done);
  }

  /** Estimated requests left: a fan's links not handed out, at least one per slice otherwise. */
  pagesLeft(): number {
    return this.open.reduce((n, s) => n + (s.fan ? s.fan.links.length - s.fan.next + s.fan.pending.size + 1 : 1), 0);
  }

  /** The window's end once the server has told it: never later than where the top slice was headed. */
  settleWindowEnd(targetEnd: number): void {
    if (targetEnd < this.top.targetEnd) this.top.targetEnd = targetEnd;
  }

  finish(slice: Slice): void {
    slice.done = true;
    if (slice !== this.top) this.slices.splice(this.slices.indexOf(slice), 1);
  }

  /**
   * The next piece of work for a reader: a link of a fan, else a slice nobody is reading by keyset (added to
   * `reading`, which the caller clears when done with it).
   */
  claim(reading: Set<Slice>): { slice: Slice; link?: number } | undefined {
    for (const slice of this.open) {
      const link = slice.fan ? this.claimLink(slice) : undefined;
      if (link !== undefined) return { slice, link };
    }
    const free = this.open.find((s) => !s.fan && !reading.has(s));
    if (free) reading.add(free);
    return free && { slice: free };
  }

  /** The next request of a slice read by keyset, or null when it has nothing left (then it is finished). */
  nextRequest(slice: Slice): PageRequest | null {
    const request = planRequest(slice.pos, slice.targetEnd);
    if (request === null) this.finish(slice);
    return request;
  }

  /**
   * A keyset page of `slice` answered for `request`: the rows to emit (indexes). The slice moves on, finishes,
   * or fans out when this was its page 1 with more pages to come (`fanOut`: readers may share it) and links can
   * be planned that overlap (fanPlan.ts); `fanned` says so.
   */
  applyKeysetPage(
    slice: Slice,
    request: PageRequest,
    rows: readonly PageRow[],
    total: number | undefined,
    pageSize: number,
    fanOut: boolean,
  ): { emit: number[]; fanned: boolean } {
    const atStart = request.page === 1 && !slice.pos.group && !slice.pos.skip;
    const outcome = applyPage(slice.pos, request, rows, total, pageSize, slice.targetEnd);
    slice.pos = outcome.next;
    if (outcome.done) {
      this.finish(slice);
      return { emit: outcome.emit, fanned: false };
    }
    const trusted = plausibleTotal(total, request.page, rows.length, pageSize);
    if (!fanOut || !atStart || outcome.next.group || trusted === undefined || rows.length < pageSize)
      return { emit: outcome.emit, fanned: false };
    const links = planFanLinks(
      rows.map((r) => r.value),
      request.from,
      pageSize,
      trusted,
    );
    if (links.length === 0) return { emit: outcome.emit, fanned: false };
    this.startFan(slice, request, fanPageOf(rows, slice.targetEnd, trusted, 1, pageSize, false), links);
    return { emit: outcome.emit, fanned: true };
  }

  /**
   * A link's page. Its head repeats the end of the link before it (the overlap): once that link's rows are all
   * out, the rows it holds are not emitted again; until then the head is held back (the reader keeps those
   * rows) and the page proves nothing. Links after it that were waiting on it are released in turn, in order.
   */
  applyLinkPage(
    slice: Slice,
    link: number,
    rows: readonly PageRow[],
    total: number | undefined,
    pageSize: number,
  ): LinkOutcome {
    const fan = slice.fan!;
    const request = this.linkRequest(slice, link);
    const { emit, beyond } = rowsToEmit(fan.start, rows, slice.targetEnd);
    const result = fanPageOf(
      rows,
      slice.targetEnd,
      plausibleTotal(total, request.page, rows.length, pageSize),
      request.page,
      pageSize,
      beyond,
    );
    const before = fan.pages.get(link === 0 ? PAGE_ONE : link - 1);
    const outcome: LinkOutcome = { emit, hold: [], release: [] };
    if (before && !before.held) outcome.emit = emit.filter((i) => !repeats(before, rows[i]!));
    else {
      outcome.hold = emit.filter((i) => i < EDGE_ROWS);
      outcome.emit = emit.filter((i) => i >= EDGE_ROWS);
      if (outcome.hold.length > 0) result.held = true;
    }
    fan.pages.set(link, result);
    for (let k = link, page = result; !page.held; ) {
      const next = fan.pages.get(++k);
      if (!next?.held) break;
      next.held = false;
      const out = page;
      outcome.release.push({ link: k, repeated: (row) => repeats(out, row) });
      page = next;
    }
    this.recordFanPage(slice, link, result);
    return outcome;
  }

  /** Starts fanning a slice after its page 1 (read at `request`), with the links planned from that page. */
  startFan(slice: Slice, request: PageRequest, page1: FanPage, links: FanLink[]): void {
    slice.fan = {
      request: { from: request.from, to: request.to },
      links,
      next: 0,
      pages: new Map([[PAGE_ONE, page1]]),
      pending: new Set(),
      start: slice.pos,
    };
  }

  /** The request of a fan's link. */
  linkRequest(slice: Slice, link: number): PageRequest {
    const fan = slice.fan!;
    const { from, page } = fan.links[link]!;
    return { from, to: fan.request.to, page };
  }

  /** The next link of a fan to fetch, or undefined when all are handed out (or an answered one ended the rows). */
  claimLink(slice: Slice): number | undefined {
    const fan = slice.fan;
    if (!fan || fan.next >= fan.links.length || endedBefore(fan, fan.next)) return undefined;
    const link = fan.next++;
    fan.pending.add(link);
    return link;
  }

  /**
   * Records a fanned page. Once none is pending and none is left to hand out, the fan settles: its gaps become
   * slices of their own (just before it) and the slice reads on by keyset after its highest proven row, or
   * finishes.
   */
  recordFanPage(slice: Slice, link: number, result: FanPage): void {
    const fan = slice.fan!;
    fan.pending.delete(link);
    fan.pages.set(link, result);
    if (fan.pending.size > 0 || (fan.next < fan.links.length && !endedBefore(fan, fan.next))) return;
    const { gaps, rest } = fanRanges(slice, this.meets);
    slice.fan = undefined;
    const index = this.slices.indexOf(slice);
    this.slices.splice(index, 0, ...gaps.map((g) => ({ targetEnd: g.targetEnd, pos: g.pos, done: false })));
    slice.pos = rest.pos;
    if (!rest.open) this.finish(slice);
  }

  /** The checkpoint: what a resumed sync needs, covering exactly what has been proven so far. */
  checkpoint(): ResumePlan {
    const pending: Range[] = [];
    let frontier = this.top.pos;
    for (const slice of this.slices) {
      if (slice.done && slice !== this.top) continue;
      if (!slice.fan) {
        if (slice !== this.top) pending.push({ pos: slice.pos, targetEnd: slice.targetEnd });
        continue;
      }
      const { gaps, rest } = fanRanges(slice, this.meets);
      pending.push(...gaps);
      if (slice === this.top) frontier = rest.pos;
      else if (rest.open) pending.push({ pos: rest.pos, targetEnd: slice.targetEnd });
    }
    return { frontier, pending };
  }
}

/** Rows of a fanned page remembered at each end, for not emitting a neighbour's repeated rows twice. */
const EDGE_ROWS = 16;

const rowKey = (row: PageRow) => `${row.id}|${row.value}`;

/** A row the link before already returned at its end: the overlap, emitted once. */
function repeats(before: FanPage, row: PageRow): boolean {
  return before.tail?.includes(rowKey(row)) ?? false;
}

/**
 * What a fanned page tells: its first and last cursor values within the slice, the ids at the last, whether
 * the rows end on it (a short page whose total promises no more, or rows past the slice), and its end rows.
 */
export function fanPageOf(
  rows: readonly PageRow[],
  targetEnd: number,
  total: number | undefined,
  page: number,
  pageSize: number,
  beyond: boolean,
): FanPage {
  const end = beyond || endsRows(rows.length, total, page, pageSize);
  const inside = rows.filter(
    (r): r is PageRow & { value: number } => r.value !== null && floorSecond(r.value) <= targetEnd,
  );
  const first = inside[0]?.value;
  const last = inside[inside.length - 1]?.value;
  const idsAtLast = inside.filter((r) => r.value === last).map((r) => r.id);
  return { end, first, last, idsAtLast, tail: inside.slice(-EDGE_ROWS).map(rowKey) };
}

/** True when an answered link before `link` ended the rows: nothing after it can hold any. */
function endedBefore(fan: Fan, link: number): boolean {
  for (const [k, p] of fan.pages) if (k < link && p.end) return true;
  return false;
}

/** Two overlapping intervals prove the rows between them read: the later must start strictly before the earlier ends. */
export function overlaps(coveredTo: number | undefined, page: FanPage): boolean {
  return coveredTo !== undefined && page.first !== undefined && page.first < coveredTo;
}

/**
 * A fan as ranges still to read: the answered pages swept in order of their first values, each extending what
 * is proven when it overlaps it, a gap before each that does not (read by keyset up to and including the
 * second of its first row), and the rest after the highest proven row (`open` unless a page that ended the
 * rows was reached).
 */
export function fanRanges(
  slice: Slice,
  meets = overlaps,
): { gaps: Range[]; rest: { pos: KeysetPosition; open: boolean } } {
  const fan = slice.fan!;
  const gaps: Range[] = [];
  let pos = fan.start;
  let covered = fan.start.lastValue;
  const answered = [...fan.pages.entries()]
    .filter(([k, p]) => k !== PAGE_ONE && p.first !== undefined && !p.held)
    .sort(([ka, a], [kb, b]) => a.first! - b.first! || ka - kb)
    .map(([, p]) => p);
  for (const p of answered) {
    if (!meets(covered, p)) gaps.push({ pos, targetEnd: floorSecond(p.first!) });
    const last = p.last!;
    if (covered === undefined || last > covered) {
      pos = { from: floorSecond(last), lastValue: last, idsAtLast: p.idsAtLast };
      covered = last;
    } else if (last === covered) {
      pos = { ...pos, idsAtLast: [...new Set([...pos.idsAtLast, ...p.idsAtLast])] };
    }
    if (p.end) return { gaps, rest: { pos, open: false } };
  }
  return { gaps, rest: { pos, open: true } };
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
