// Keyset paging over one cursor range, as pure functions: which request comes next, and where a page leaves
// us. The server orders rows by cursor value (wall ms); its filters have one-second resolution and nobody has
// settled whether they are inclusive, exclusive or truncate to whole seconds. So every query reaches one
// second past each edge of the range it must cover (EDGE_MS): under any of those readings the target seconds
// are inside the answer, and rows from the extra seconds are dropped as already read or as beyond the range.
//
// A position says what is done: every second before `from`, and inside later seconds every value below
// `lastValue` plus the ids emitted at exactly `lastValue`. Normal mode asks for page 1 from there: page 1 is a
// prefix of the sorted rows, so every row below its last value is on it, whatever changed before it was
// answered. Nothing here trusts the server's clock, its totals or the order of equal values; what a page proves
// is said where it is used:
// - a full page never ends a range (one more request confirms the end, so a wrong total cannot end it early);
// - when a full page brings no progress (more rows in one second than a page holds: a bulk edit), the second is
//   read as a group, by page numbers over [second − 1 s, second + 1 s], until the distinct ids of the second
//   seen while the query's total held equal the rows the total leaves for that second (pages can repeat or skip
//   rows when equal values come back in another order, or rows move between two requests);
// - after a group, the next query starts inside that second again (the overlap) and skips the pages holding
//   it; a skipped-to page counts only when its first row lies in a done second (everything before it then
//   sorts no later, so is done), else the reader steps back.
import { TransientError } from '../../errors.js';
import type { PageRequest, PageRow, RecordId } from './page.js';
import { nextChainLink } from './pageChain.js';
import {
  checkCountable,
  checkCursorProgress,
  checkPageBound,
  checkPageMoved,
  checkShortRounds,
  describeSecond,
  endsRows,
  groupCountFault,
  pageFingerprint,
  plausibleTotal,
} from './serverChecks.js';
import { floorSecond } from '../../time/wallClock.js';

/** How far each query reaches past the seconds it must cover. */
export const EDGE_MS = 1000;

export interface GroupProgress {
  /** The second being read by page numbers (wall ms). */
  second: number;
  nextPage: number;
  /** The group query's total at the previous page; undefined before the first page of a pass. */
  total?: number;
  /** Rows of earlier and later seconds on each page of this pass (index page − 1; only equal values swap places). */
  before: number[];
  after: number[];
  /** Ids of the group's second seen since the count last started again, and how many when this pass began. */
  seen: RecordId[];
  seenAtPass?: number;
  /**
   * After a pass that served fewer rows than its total and found nothing new: the page number, at size 1, of the
   * row after the last it served, asked next (there: the pass was cut; not there: the total is wrong), and the
   * rows the total leaves for the second.
   */
  probe?: { page: number; reported: number };
  /** Rows of the group's second on each page of this pass, and the distinct ids among them. */
  inSecond: number[];
  passSeen: RecordId[];
  /** Rows left the query since then (the total dropped): `seen` may hold ids no longer in the second. */
  shrank: boolean;
  /** Highest value emitted in the group and the ids at it, for the position after the group. */
  maxValue?: number;
  idsAtMax: RecordId[];
  /** Counts started again because rows joined, and passes read again because rows of the second were missed. */
  restarts: number;
  passes: number;
  /** Requests made for this group and pages stepped back, bounded (a server ignoring `page` would loop forever). */
  requests: number;
  steppedBack: number;
  /** The largest total seen, which sets that bound. */
  maxTotal?: number;
  /** The previous page's ids (pageFingerprint): the next page holding the very same means `page` is ignored. */
  head?: string;
}

/**
 * A page at the head of the next query that starts among done rows (of seconds up to `through`): page `page`
 * of `size` rows, so that it can start just before the done rows end.
 */
export interface Skip {
  page: number;
  size: number;
  through: number;
  /** The previous skipped page's ids (pageFingerprint). */
  head?: string;
}

export interface KeysetPosition {
  /** First second (wall ms) not known to be done; undefined = from the beginning. */
  from?: number;
  /** Last emitted cursor value (wall ms) and the ids emitted at exactly that value. */
  lastValue?: number;
  idsAtLast: RecordId[];
  group?: GroupProgress;
  skip?: Skip;
  /** After a short page of rows already read whose total promised more (not stored: a resumed sync asks again). */
  short?: ShortPages;
}

/**
 * A short page that brought nothing new while its total promised more is the end of the rows (the total
 * promises rows the server does not serve) or a page cut short to rows already read (the rows after the cut
 * are on no page of that answer). The one row after the page tells: `probe` is its page number at page size 1,
 * asked next; `rounds` counts such pages in a row.
 */
export interface ShortPages {
  probe?: number;
  rounds: number;
}

export interface PageOutcome {
  /** Indexes of the rows to emit, in order. */
  emit: number[];
  next: KeysetPosition;
  done: boolean;
}

/** A group about to read `second` from its own page 1. */
export function newGroup(second: number): GroupProgress {
  return {
    second,
    nextPage: 1,
    before: [],
    after: [],
    inSecond: [],
    passSeen: [],
    seen: [],
    shrank: false,
    idsAtMax: [],
    restarts: 0,
    passes: 0,
    requests: 0,
    steppedBack: 0,
  };
}

/** A group whose rows keep changing under us is a live bulk edit; give up (transiently) rather than loop. */
export const MAX_GROUP_RESTARTS = 5;
/** Passes over an unchanged group whose equal values come back in another order on every read. */
export const MAX_GROUP_PASSES = 12;

/**
 * The next request for a reader covering seconds up to `targetEnd` (inclusive, wall ms of a whole second;
 * Infinity = no end), or null when there is nothing left to read.
 */
export function planRequest(pos: KeysetPosition, targetEnd: number): PageRequest | null {
  if (pos.group) {
    const g = pos.group.second;
    const query = { from: g - EDGE_MS, to: Math.min(g, targetEnd) + EDGE_MS };
    const probe = pos.group.probe;
    return probe ? { ...query, page: probe.page, size: 1 } : { ...query, page: pos.group.nextPage };
  }
  if (pos.from !== undefined && pos.from > targetEnd) return null;
  if (pos.short?.probe !== undefined)
    return {
      from: pos.from === undefined ? undefined : pos.from - EDGE_MS,
      to: targetEnd + EDGE_MS,
      page: pos.short.probe,
      size: 1,
    };
  const skip = pos.skip ? { page: pos.skip.page, size: pos.skip.size } : { page: 1 };
  return { from: pos.from === undefined ? undefined : pos.from - EDGE_MS, to: targetEnd + EDGE_MS, ...skip };
}

/**
 * Requests a group may take: every page once per pass and a probe after it, the pages stepped back, plus a
 * little slack. A pass ends on a short page: after its full pages, one more (empty when the total is a multiple
 * of the size).
 */
export function maxGroupRequests(maxTotal: number, pageSize: number, passes: number, steppedBack = 0): number {
  return (passes + 2) * (Math.ceil(maxTotal / pageSize) + 2) + steppedBack + 3;
}

interface PageView {
  rows: readonly PageRow[];
  total?: number;
  /** More rows follow this page (see endsRows). */
  more: boolean;
  page: number;
  /** Rows the request asked for. */
  pageSize: number;
  targetEnd: number;
}

const secondOf = (row: PageRow) => (row.value === null ? null : floorSecond(row.value));

function alreadyRead(pos: KeysetPosition, row: PageRow): boolean {
  if (row.value === null) return false;
  if (pos.from !== undefined && floorSecond(row.value) < pos.from) return true;
  if (pos.lastValue === undefined) return false;
  return row.value < pos.lastValue || (row.value === pos.lastValue && pos.idsAtLast.includes(row.id));
}

/** Rows of a page to emit from a position (indexes), and whether rows past `targetEnd` came back. */
export function rowsToEmit(
  pos: KeysetPosition,
  rows: readonly PageRow[],
  targetEnd: number,
): { emit: number[]; beyond: boolean } {
  const emit: number[] = [];
  let beyond = false;
  rows.forEach((row, i) => {
    if (row.value !== null && floorSecond(row.value) > targetEnd) beyond = true;
    else if (!alreadyRead(pos, row)) emit.push(i);
  });
  return { emit, beyond };
}

/**
 * Where a page leaves the reader. `rows` are in server order (checked ascending before this is called);
 * rows past `targetEnd` belong to a later range or a later sync and end this one.
 */
export function applyPage(
  pos: KeysetPosition,
  request: PageRequest,
  rows: readonly PageRow[],
  total: number | undefined,
  pageSize: number,
  targetEnd: number,
): PageOutcome {
  const size = request.size ?? pageSize;
  const trusted = plausibleTotal(total, request.page, rows.length, size);
  const view: PageView = {
    rows,
    total: trusted,
    more: !endsRows(rows.length, trusted, request.page, size),
    page: request.page,
    pageSize: size,
    targetEnd,
  };
  if (pos.group?.probe) return applyGroupProbe(pos, pos.group, pos.group.probe, rows);
  if (pos.group) return applyGroupPage(pos, pos.group, view);
  if (pos.short?.probe !== undefined) return applyProbe(pos, pos.short, rows, targetEnd);
  if (pos.skip) {
    const verdict = checkSkip(pos.skip, view, pageSize);
    if (verdict !== pos.skip) {
      // Rows not read yet may lie before this page: read nothing from it, step back.
      const rest = { from: pos.from, lastValue: pos.lastValue, idsAtLast: pos.idsAtLast };
      return { emit: [], next: verdict ? { ...rest, skip: verdict } : rest, done: false };
    }
  }
  return applyKeysetPage(pos, view, pageSize);
}

/**
 * The answer to a probe, the one row after a short page of rows already read. None, or one past the range: the
 * query holds nothing after what that page showed, so the range ends (its total promised rows the server does
 * not serve). One inside the range: the page was cut short while rows follow; page 1 is asked again, a new
 * answer, up to MAX_SHORT_ROUNDS times. The probe's row proves nothing about the rows before it: none is emitted.
 */
function applyProbe(pos: KeysetPosition, short: ShortPages, rows: readonly PageRow[], targetEnd: number): PageOutcome {
  const rest = { from: pos.from, lastValue: pos.lastValue, idsAtLast: pos.idsAtLast };
  const row = rows[0];
  if (row === undefined || (row.value !== null && floorSecond(row.value) > targetEnd))
    return { emit: [], next: rest, done: true };
  checkShortRounds(short.rounds);
  return { emit: [], next: { ...rest, short: { rounds: short.rounds } }, done: false };
}

/**
 * The skip itself when its page starts inside the done seconds (everything before that row sorts no later, so
 * is done), else one starting earlier (undefined: page 1).
 */
function checkSkip(skip: Skip, { rows, more, total }: PageView, pageSize: number): Skip | undefined {
  const head = rows[0];
  if (head !== undefined) {
    if (more) checkPageMoved(rows, skip.head);
    const second = secondOf(head);
    if (second !== null && second <= skip.through) return skip;
  }
  // Fewer done rows lead the query than the skip expected (an exclusive filter, rows left, a stale stored
  // skip): halve the start, and past the end of the rows go straight to the last page the total allows.
  let start = Math.floor(((skip.page - 1) * skip.size) / 2);
  if (head === undefined && total !== undefined) start = Math.min(start, Math.max(0, total - 1));
  const page = Math.floor(start / pageSize) + 1;
  return page > 1 ? { page, size: pageSize, through: skip.through } : undefined;
}

/**
 * A skip over the first `doneRows` rows of a query: a page starting at the last of them, reaching furthest. After
 * a skipped page (`after`: its ids and first row), never one starting where that one did: cut short, it would
 * answer the same ids again, which proves nothing about `page`.
 */
function skipPast(
  doneRows: number,
  pageSize: number,
  through: number,
  after?: { head: string; start: number },
): Skip | undefined {
  if (doneRows < pageSize) return undefined;
  const link = nextChainLink(doneRows, pageSize, 1, after?.start);
  return link && { page: link.page, size: link.size, through, ...(after ? { head: after.head } : {}) };
}

function applyKeysetPage(pos: KeysetPosition, view: PageView, readerPageSize: number): PageOutcome {
  const { rows, more, page, targetEnd, pageSize } = view;
  const { emit, beyond } = rowsToEmit(pos, rows, targetEnd);
  let lastValue = pos.lastValue;
  let idsAtLast = pos.idsAtLast;
  for (const i of emit) {
    const { value, id } = rows[i]!;
    if (value === null) continue;
    if (lastValue === undefined || value > lastValue) {
      lastValue = value;
      idsAtLast = [id];
    } else if (value === lastValue && !idsAtLast.includes(id)) {
      idsAtLast = [...idsAtLast, id];
    }
  }
  const from = lastValue === undefined ? pos.from : Math.max(pos.from ?? -Infinity, floorSecond(lastValue));
  const next: KeysetPosition = { from, lastValue, idsAtLast };
  if (beyond || !more) return { emit, next, done: true };
  if (from !== pos.from) return { emit, next, done: false };
  // A short page whose total promises more: read on by keyset until a page brings nothing new; then the row
  // after it tells whether the range ends (applyProbe). Only full pages can be stuck in one second.
  if (rows.length < pageSize && !pos.skip) {
    if (emit.length > 0) return { emit, next, done: false };
    return {
      emit,
      next: { ...next, short: { probe: rows.length + 1, rounds: (pos.short?.rounds ?? 0) + 1 } },
      done: false,
    };
  }
  checkCursorProgress(from);
  if (pos.skip && emit.length === 0) {
    // Still inside the done rows the skip passes over: a page starting at this one's last row.
    const start = (page - 1) * pageSize;
    const skip = skipPast(start + rows.length, readerPageSize, pos.skip.through, {
      head: pageFingerprint(rows),
      start,
    });
    if (skip) return { emit, next: { ...next, skip }, done: false };
  }
  // The same query again would answer the same page: read the stuck second as a group, from its own page 1
  // (this page cannot stand in for it: the group's count needs its query's total on every page).
  const group = newGroup(from);
  return { emit, next: { ...next, group }, done: false };
}

function applyGroupPage(pos: KeysetPosition, group: GroupProgress, view: PageView): PageOutcome {
  const { rows, total, more, page, pageSize } = view;
  const g = group.second;
  checkCountable(total, g);
  if (more && group.total === total) checkPageMoved(rows, group.head);
  const requests = group.requests + 1;
  const maxTotal = Math.max(group.maxTotal ?? 0, total);
  checkPageBound(
    requests,
    maxGroupRequests(maxTotal, pageSize, group.passes + group.restarts, group.steppedBack),
    maxTotal,
  );
  const known = new Set(group.seen);
  const seen = [...group.seen];
  const inPass = new Set(group.passSeen);
  const passSeen = [...group.passSeen];
  let { maxValue, idsAtMax } = group;
  let before = 0;
  let after = 0;
  let ofThisSecond = 0;
  const emit: number[] = [];
  rows.forEach((row, i) => {
    const second = secondOf(row);
    if (second === null || second < g) before++;
    else if (second > g) after++;
    else {
      ofThisSecond++;
      if (!inPass.has(row.id)) {
        inPass.add(row.id);
        passSeen.push(row.id);
      }
    }
    if (second === g && !known.has(row.id)) {
      known.add(row.id);
      seen.push(row.id);
      if (alreadyRead(pos, row)) return;
      emit.push(i);
      const value = row.value!;
      if (maxValue === undefined || value > maxValue) {
        maxValue = value;
        idsAtMax = [row.id];
      } else if (value === maxValue && !idsAtMax.includes(row.id)) {
        idsAtMax = [...idsAtMax, row.id];
      }
    }
  });
  const counts = { before: [...group.before], after: [...group.after], inSecond: [...group.inSecond] };
  counts.before[page - 1] = before;
  counts.after[page - 1] = after;
  counts.inSecond[page - 1] = ofThisSecond;
  const tracked = { maxValue, idsAtMax, requests, maxTotal, passSeen, ...counts };
  if (group.total !== undefined && total > group.total) {
    // Rows joined the query between two of its pages (not expected of a past second): count again from page 1.
    if (group.restarts + 1 > MAX_GROUP_RESTARTS) {
      throw new TransientError(
        `records sharing the cursor second ${describeSecond(g)} kept changing while being read (its query's total went from ${group.total} to ${total}, ${MAX_GROUP_RESTARTS} re-reads); the next sync resumes here`,
      );
    }
    const again = {
      nextPage: 1,
      before: [],
      after: [],
      inSecond: [],
      passSeen: [],
      seen: [],
      seenAtPass: undefined,
      shrank: false,
      total: undefined,
      head: undefined,
      restarts: group.restarts + 1,
    };
    return { emit, next: { ...pos, group: { ...group, ...tracked, ...again } }, done: false };
  }
  if (group.total !== undefined && total < group.total) {
    // Rows left since the previous page: as many rows may have moved up onto pages already read.
    const back = Math.ceil((group.total - total) / pageSize);
    const stepped = {
      nextPage: Math.max(1, page - back),
      steppedBack: group.steppedBack + back + 1,
      shrank: true,
      head: undefined,
    };
    return { emit, next: { ...pos, group: { ...group, ...tracked, seen, total, ...stepped } }, done: false };
  }
  if (more)
    return {
      emit,
      next: { ...pos, group: { ...group, ...tracked, total, seen, nextPage: page + 1, head: pageFingerprint(rows) } },
      done: false,
    };

  // The pass reached the end of the query. The second's rows are the total less the other seconds' rows on its
  // pages; every one has been read once as many distinct ids of it were seen (at least as many, when rows left:
  // `seen` then holds some that are gone).
  const sum = (list: number[]) => list.slice(0, page).reduce((n, k) => n + (k ?? 0), 0);
  const ofSecond = total - sum(counts.before) - sum(counts.after);
  const complete = group.shrank || total < (group.total ?? total) ? seen.length >= ofSecond : seen.length === ofSecond;
  if (!complete) {
    // A pass that served no row of the second twice and found no id the passes before had not: the answers
    // hold still and contradict the total, and reading again would only repeat them. Not when a page came back
    // short of its size with rows on a page after it: it was cut, and the rows after the cut were on no page.
    // Cut off the last page, the rows after the cut are missing from the counts (from `after`: the total then
    // leaves this second too many), and the pass looks stuck: when it served fewer rows than its total, the one
    // row after its last (a probe) tells a cut from a wrong total.
    const repeatedInPass = sum(counts.inSecond) > passSeen.length;
    const onPage = (k: number) => (counts.before[k] ?? 0) + (counts.after[k] ?? 0) + (counts.inSecond[k] ?? 0);
    const pages = Array.from({ length: page }, (_, k) => onPage(k));
    const cutInPass = pages.some((n, k) => n < pageSize && pages.slice(k + 1).some((later) => later > 0));
    const stuck = !repeatedInPass && !cutInPass && group.seenAtPass !== undefined && seen.length === group.seenAtPass;
    const served = pages.reduce((n, k) => n + k, 0);
    const ended = { ...group, ...tracked, seen, total };
    if (stuck && served < total)
      return {
        emit,
        next: { ...pos, group: { ...ended, probe: { page: served + 1, reported: ofSecond } } },
        done: false,
      };
    return { emit, next: nextPass(pos, ended, ofSecond, stuck), done: false };
  }
  const lastValue = maxValue ?? pos.lastValue;
  const next: KeysetPosition = {
    from: g + 1000,
    lastValue,
    idsAtLast: maxValue !== undefined ? idsAtMax : pos.idsAtLast,
  };
  // The next query starts at this second (the overlap): its rows come first, all done.
  const skip = skipPast(ofSecond, pageSize, g);
  if (skip) next.skip = skip;
  return { emit, next, done: false };
}

/**
 * The answer to a group's probe: a row after the last the pass served means the pass was cut, and the second is
 * read again; none means the answers hold still and contradict the total.
 */
function applyGroupProbe(
  pos: KeysetPosition,
  group: GroupProgress,
  probe: NonNullable<GroupProgress['probe']>,
  rows: readonly PageRow[],
): PageOutcome {
  const { probe: _, ...rest } = group;
  const ended = { ...rest, requests: group.requests + 1 };
  return { emit: [], next: nextPass(pos, ended, probe.reported, rows.length === 0), done: false };
}

/** The position after a pass that left the second's count short: another pass, or the fault. */
function nextPass(pos: KeysetPosition, group: GroupProgress, ofSecond: number, stuck: boolean): KeysetPosition {
  const { seen } = group;
  if (stuck || group.passes + 1 > MAX_GROUP_PASSES) {
    throw groupCountFault(group.second, ofSecond, seen.length, group.passes + 1, stuck);
  }
  // More ids than rows with no row gone: the second's rows changed unseen; count them afresh.
  const kept = seen.length > ofSecond ? [] : seen;
  const again = {
    nextPage: 1,
    before: [],
    after: [],
    inSecond: [],
    passSeen: [],
    seen: kept,
    seenAtPass: kept.length,
    head: undefined,
    passes: group.passes + 1,
  };
  return { ...pos, group: { ...group, ...again } };
}
