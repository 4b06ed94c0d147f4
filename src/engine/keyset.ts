// Keyset paging over one cursor range, as pure functions: which request comes next, and where a page leaves
// us. The server orders rows by cursor value (wall ms); its filters have one-second resolution and nobody has
// settled whether they are inclusive, exclusive or truncate to whole seconds. So every query reaches one
// second past each edge of the range it must cover (EDGE_MS): under any of those readings the target seconds
// are inside the answer, and rows from the extra seconds are dropped as already read or as beyond the range.
//
// A position says what is done: every second before `from`, and inside later seconds every value below
// `lastValue` plus the ids emitted at exactly `lastValue`. Normal mode asks for page 1 from there. When a full
// page brings no progress (a bulk edit: more rows in one second than a page holds), the second is read as a
// group: page numbers over [second − 1 s, second + 1 s]. Rows can only leave a past second (a modification moves
// them to the present), which shifts later rows up by as many places: the total is compared on every page and
// the reader steps back over the pages a shift could have moved rows onto.
//
// After a group the next query starts inside that large second again (the overlap), so it skips the pages the
// group read. The page skipped to must start inside the done seconds (every row before it then sorts no later,
// so is done), else the reader steps back; pages after it are read while the total does not drop.
import { TransientError } from '../errors.js';
import { ServerFault } from './pageChecks.js';
import { floorSecond } from './wallClock.js';

export type RecordId = number | string;

/** How far each query reaches past the seconds it must cover. */
export const EDGE_MS = 1000;

export interface GroupProgress {
  /** The second being read by page numbers (wall ms). */
  second: number;
  nextPage: number;
  /** The total at the previous page of the group's query; undefined before its first. */
  total?: number;
  /** Highest value read in the group so far and the ids at it, for the position after the group. */
  maxValue?: number;
  idsAtMax: RecordId[];
  restarts: number;
  /** Requests made for this group, bounded by its total (a server ignoring `page` would loop forever). */
  requests: number;
  /** The largest total seen, which sets that bound. */
  maxTotal?: number;
  /** Rows of earlier seconds at the head of the group's answer, to size the skip after it. */
  before?: number;
  /** Pages stepped back so far (each a re-read the request bound allows for). */
  steppedBack?: number;
  /** Id of the first row of the previous page: the next page starting with it means `page` is ignored. */
  head?: RecordId;
}

/** Pages at the head of the next query that hold only done rows (of seconds up to `through`). */
export interface Skip {
  page: number;
  through: number;
  /** The query's total at the previous skipped page; undefined until the skipped-to page has proved the skip. */
  total?: number;
  /** Id of the first row of the previous skipped page. */
  head?: RecordId;
}

export interface KeysetPosition {
  /** First second (wall ms) not known to be done; undefined = from the beginning. */
  from?: number;
  /** Last emitted cursor value (wall ms) and the ids emitted at exactly that value. */
  lastValue?: number;
  idsAtLast: RecordId[];
  group?: GroupProgress;
  skip?: Skip;
}

export interface PageRequest {
  /** Lower bound sent to the server (wall ms, whole second). */
  from?: number;
  /** Upper bound sent to the server (wall ms, whole second). */
  to: number;
  page: number;
}

export interface PageRow {
  value: number | null;
  id: RecordId;
}

export interface PageOutcome {
  /** Indexes of the rows to emit, in order. */
  emit: number[];
  next: KeysetPosition;
  done: boolean;
}

/** A group that keeps changing under us is a live bulk edit; give up (transiently) rather than loop. */
export const MAX_GROUP_RESTARTS = 5;

/**
 * The next request for a reader covering seconds up to `targetEnd` (inclusive, wall ms of a whole second), or
 * null when there is nothing left to read.
 */
export function planRequest(pos: KeysetPosition, targetEnd: number): PageRequest | null {
  if (pos.group) {
    const g = pos.group.second;
    return { from: g - EDGE_MS, to: Math.min(g, targetEnd) + EDGE_MS, page: pos.group.nextPage };
  }
  if (pos.from !== undefined && pos.from > targetEnd) return null;
  return { from: pos.from === undefined ? undefined : pos.from - EDGE_MS, to: targetEnd + EDGE_MS, page: pos.skip?.page ?? 1 };
}

/**
 * A total the page itself does not contradict, else undefined: an integer counting at least the rows up to
 * the end of this page, or, for an empty page, no more than the pages before it held.
 */
export function plausibleTotal(total: number | undefined, page: number, rows: number, pageSize: number): number | undefined {
  if (total === undefined || !Number.isInteger(total) || total < 0) return undefined;
  const before = (page - 1) * pageSize;
  return (rows > 0 ? total >= before + rows : total <= before) ? total : undefined;
}

/**
 * The rows end on this page: none came back, or a short one whose total does not promise more (a server
 * serving fewer rows a page than asked is read on), or the total is reached.
 */
export function endsRows(rows: number, total: number | undefined, page: number, pageSize: number): boolean {
  const seen = (page - 1) * pageSize + rows;
  if (rows === 0) return true;
  if (total !== undefined) return seen >= total;
  return rows < pageSize;
}

/** Requests a group may take: every page once per restart, step-backs included, plus a little slack. */
export function maxGroupRequests(maxTotal: number, pageSize: number, restarts: number, steppedBack = 0): number {
  return (restarts + 2) * Math.max(1, Math.ceil(maxTotal / pageSize)) + steppedBack + 3;
}

const IGNORED_PAGE = 'two pages in a row start with the same record although no record left: the server appears to ignore the page parameter';

interface PageView {
  rows: readonly PageRow[];
  emit: number[];
  /** A row past the target range came back: everything before it has been seen. */
  beyond: boolean;
  total?: number;
  /** More rows follow this page (see endsRows). */
  more: boolean;
  page: number;
}

const secondOf = (row: PageRow) => (row.value === null ? null : floorSecond(row.value));

function alreadyRead(pos: KeysetPosition, row: PageRow): boolean {
  if (row.value === null) return false;
  if (pos.from !== undefined && floorSecond(row.value) < pos.from) return true;
  if (pos.lastValue === undefined) return false;
  return row.value < pos.lastValue || (row.value === pos.lastValue && pos.idsAtLast.includes(row.id));
}

/** Rows of a page to emit from a position (indexes), and whether rows past `targetEnd` came back. */
export function rowsToEmit(pos: KeysetPosition, rows: readonly PageRow[], targetEnd: number): { emit: number[]; beyond: boolean } {
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
  const { emit, beyond } = rowsToEmit(pos, rows, targetEnd);
  const trusted = plausibleTotal(total, request.page, rows.length, pageSize);
  const view: PageView = { rows, emit, beyond, total: trusted, more: !endsRows(rows.length, trusted, request.page, pageSize), page: request.page };
  if (pos.group) return applyGroupPage(pos, pos.group, view, pageSize);
  if (pos.skip) {
    const back = skipStepBack(pos.skip, view, pageSize);
    if (back > 0) {
      // Rows not read yet may lie on the skipped pages: read nothing from this page, step back.
      const page = pos.skip.page - back;
      const rest = { from: pos.from, lastValue: pos.lastValue, idsAtLast: pos.idsAtLast };
      return { emit: [], next: page > 1 ? { ...rest, skip: { page, through: pos.skip.through } } : rest, done: false };
    }
  }
  return applyKeysetPage(pos, view, pageSize);
}

/** Pages to step back before a skipped page can be trusted (0 = trusted). */
function skipStepBack(skip: Skip, { rows, total, more }: PageView, pageSize: number): number {
  if (skip.total === undefined) {
    // The page skipped to must start inside the done seconds.
    const head = rows[0];
    const second = head === undefined ? null : secondOf(head);
    return second !== null && second <= skip.through ? 0 : 1;
  }
  // A later skipped page: fine unless rows left, which moves unread rows up onto pages already passed.
  if (total === undefined) return skip.page - 1;
  if (total < skip.total) return Math.ceil((skip.total - total) / pageSize);
  if (more && skip.head !== undefined && rows[0]?.id === skip.head) throw new ServerFault(IGNORED_PAGE);
  return 0;
}

function applyKeysetPage(pos: KeysetPosition, view: PageView, pageSize: number): PageOutcome {
  const { rows, emit, beyond, total, more, page } = view;
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
  // A page holding the query's whole total is the last, full or not: no empty page to confirm it.
  if (beyond || !more) return { emit, next, done: true };
  if (from !== pos.from) return { emit, next, done: false };
  if (from === undefined) throw new ServerFault('paging made no progress: the records of a full page carry no usable cursor value');
  if (pos.skip && emit.length === 0) {
    // Still inside the done rows the skip passes over: the next page of the same query.
    return { emit, next: { ...next, skip: { page: page + 1, through: pos.skip.through, total, head: rows[0]?.id } }, done: false };
  }
  // The same query again would answer the same page: read the stuck second by page numbers, from this page
  // (the pages before it hold only done rows, and the group's query starts with the same rows).
  const before = (page - 1) * pageSize + rows.filter((row) => row.value !== null && floorSecond(row.value) < from).length;
  const group: GroupProgress = { second: from, nextPage: page, idsAtMax: [], restarts: 0, requests: 0, before };
  return { emit, next: { ...next, group }, done: false };
}

function applyGroupPage(pos: KeysetPosition, group: GroupProgress, view: PageView, pageSize: number): PageOutcome {
  const { rows, emit, beyond, total, more, page } = view;
  if (total === undefined) {
    throw new ServerFault(
      'more records share one cursor second than a page holds, and the total is missing or smaller than what came back; they cannot be read safely by page numbers',
    );
  }
  const previous = group.total;
  if (more && group.head !== undefined && rows[0]?.id === group.head && previous !== undefined && total >= previous) throw new ServerFault(IGNORED_PAGE);
  const requests = group.requests + 1;
  const maxTotal = Math.max(group.maxTotal ?? 0, total);
  if (requests > maxGroupRequests(maxTotal, pageSize, group.restarts, group.steppedBack)) {
    throw new ServerFault(`${requests} pages for ${maxTotal} records sharing one cursor second and still no short page: the server appears to ignore the page parameter`);
  }
  const g = group.second;
  let { maxValue, idsAtMax } = group;
  for (const i of emit) {
    const { value, id } = rows[i]!;
    if (value === null) continue;
    if (maxValue === undefined || value > maxValue) {
      maxValue = value;
      idsAtMax = [id];
    } else if (value === maxValue && !idsAtMax.includes(id)) {
      idsAtMax = [...idsAtMax, id];
    }
  }
  // Earlier seconds' rows fill the head of the answer: keep counting them while whole pages hold nothing else.
  let before = group.before ?? 0;
  if (before === (page - 1) * pageSize) before += rows.filter((row) => row.value !== null && floorSecond(row.value) < g).length;
  const seen = { maxValue, idsAtMax, total, requests, maxTotal, before, head: rows[0]?.id };
  if (previous !== undefined && total < previous) {
    // Rows left since the previous page: as many rows may have moved up onto pages already read.
    const back = Math.ceil((previous - total) / pageSize);
    const steppedBack = (group.steppedBack ?? 0) + back + 1;
    return { emit, next: { ...pos, group: { ...group, ...seen, steppedBack, head: undefined, nextPage: Math.max(1, page - back) } }, done: false };
  }
  if (previous !== undefined && total > previous) {
    // Rows joined a past second (not expected): any page may have shifted, so read the group again.
    if (group.restarts + 1 > MAX_GROUP_RESTARTS) {
      throw new TransientError(
        `records sharing one cursor second kept changing while being read (${MAX_GROUP_RESTARTS} re-reads); the next sync resumes here`,
      );
    }
    return { emit, next: { ...pos, group: { ...group, ...seen, total: undefined, head: undefined, nextPage: 1, before: 0, restarts: group.restarts + 1 } }, done: false };
  }
  if (more && !beyond) return { emit, next: { ...pos, group: { ...group, ...seen, nextPage: page + 1 } }, done: false };
  // Group finished: every row of its second has been read, and any of the next second that came back.
  const lastValue = maxValue ?? pos.lastValue;
  const from = Math.max(g + 1000, lastValue === undefined ? -Infinity : floorSecond(lastValue));
  const idsAtLast = maxValue !== undefined ? idsAtMax : pos.idsAtLast;
  const next: KeysetPosition = { from, lastValue, idsAtLast };
  if (from === g + 1000) {
    // The next query starts at this second (the overlap): its rows come first, all done.
    const rowsOfSecond = (page - 1) * pageSize + rows.filter((row) => row.value !== null && floorSecond(row.value) <= g).length - before;
    // The page holding the last of them: it proves the skip by starting inside the second.
    const skipPage = Math.floor(Math.max(0, rowsOfSecond - 1) / pageSize) + 1;
    if (skipPage > 1) next.skip = { page: skipPage, through: g };
  }
  return { emit, next, done: false };
}
