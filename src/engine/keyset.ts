// Keyset paging over a frozen window, as pure functions: which request comes next, and where a page
// leaves us. Rows are ordered by the server on (cursor wall value, id); filters have one-second resolution.
//
// Normal mode asks for page 1 from the second of the last emitted value and drops rows already emitted
// (value below the last one, or equal to it with an id already emitted). When a full page lies inside that
// one second (a bulk edit), asking again would return the same page forever, so the second is read as a
// group: page numbers inside [second, second + 1 s]. Rows can only leave a past second (a modification
// moves them to the present), which shifts later rows up by as many places: the group's total is compared
// on every page and the reader steps back over the pages a shift could have moved rows onto.
import { SystemError, TransientError } from '../errors.js';
import { floorSecond } from './wallClock.js';

export type RecordId = number | string;

export interface GroupProgress {
  /** The second being read by page numbers (wall ms). */
  second: number;
  nextPage: number;
  /** The group's total at the previous group page; undefined before its first. */
  total?: number;
  /** Highest value read in the group so far and the ids at it, for the position after the group. */
  maxValue?: number;
  idsAtMax: RecordId[];
  restarts: number;
}

export interface KeysetPosition {
  /** Lower bound for the server filter (a whole second, wall ms); undefined = from the beginning. */
  from?: number;
  /** Last emitted cursor value (wall ms) and the ids emitted at exactly that value. */
  lastValue?: number;
  idsAtLast: RecordId[];
  group?: GroupProgress;
}

export interface PageRequest {
  from?: number;
  /** Inclusive upper bound (wall ms, whole second). */
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

export function planRequest(pos: KeysetPosition, windowEnd: number): PageRequest | null {
  if (pos.group) {
    return { from: pos.group.second, to: Math.min(pos.group.second + 1000, windowEnd), page: pos.group.nextPage };
  }
  if (pos.from !== undefined && pos.from > windowEnd) return null;
  return { from: pos.from, to: windowEnd, page: 1 };
}

function alreadyEmitted(pos: KeysetPosition, row: PageRow): boolean {
  if (row.value === null || pos.lastValue === undefined) return false;
  return row.value < pos.lastValue || (row.value === pos.lastValue && pos.idsAtLast.includes(row.id));
}

export function applyPage(
  pos: KeysetPosition,
  request: PageRequest,
  rows: readonly PageRow[],
  total: number | undefined,
  pageSize: number,
): PageOutcome {
  const emit: number[] = [];
  rows.forEach((row, i) => {
    if (!alreadyEmitted(pos, row)) emit.push(i);
  });
  const full = rows.length >= pageSize;
  return pos.group ? applyGroupPage(pos, pos.group, rows, emit, total, full, pageSize) : applyKeysetPage(pos, request, rows, emit, full, total);
}

function applyKeysetPage(
  pos: KeysetPosition,
  request: PageRequest,
  rows: readonly PageRow[],
  emit: number[],
  full: boolean,
  total: number | undefined,
): PageOutcome {
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
  const next: KeysetPosition = { from: lastValue === undefined ? pos.from : floorSecond(lastValue), lastValue, idsAtLast };
  // A page holding the window's whole remaining total is the last, full or not: no empty page to confirm it.
  // (Were the total ever wrong, the next sync still starts from this position: nothing is skipped.)
  if (!full || (total !== undefined && rows.length >= total)) return { emit, next, done: true };
  if (next.from === request.from && next.from !== undefined) {
    // A full page inside one second: switch to reading that second as a group, from its page 1.
    return { emit, next: { ...next, group: { second: next.from, nextPage: 1, idsAtMax: [], restarts: 0 } }, done: false };
  }
  if (next.from === pos.from && next.lastValue === pos.lastValue && next.idsAtLast.length === pos.idsAtLast.length) {
    throw new SystemError('paging made no progress: the records of a full page carry no usable cursor value');
  }
  return { emit, next, done: false };
}

function applyGroupPage(
  pos: KeysetPosition,
  group: GroupProgress,
  rows: readonly PageRow[],
  emit: number[],
  total: number | undefined,
  full: boolean,
  pageSize: number,
): PageOutcome {
  let { maxValue, idsAtMax } = group;
  for (const i of emit) {
    const { value, id } = rows[i]!;
    if (value === null) continue;
    if (maxValue === undefined || value > maxValue) {
      maxValue = value;
      idsAtMax = [id];
    } else if (value === maxValue && value >= group.second + 1000 && !idsAtMax.includes(id)) {
      idsAtMax = [...idsAtMax, id];
    }
  }
  const seen = { maxValue, idsAtMax, total };
  const previous = group.total;
  if (previous !== undefined && total !== undefined && total < previous) {
    // Rows left the group since the previous page: as many rows may have moved up onto pages already read.
    const back = Math.ceil((previous - total) / pageSize);
    return { emit, next: { ...pos, group: { ...group, ...seen, nextPage: Math.max(1, group.nextPage - back) } }, done: false };
  }
  if (previous !== undefined && total !== undefined && total > previous) {
    // Rows joined a past second (not expected): any page may have shifted, so read the group again.
    if (group.restarts + 1 > MAX_GROUP_RESTARTS) {
      throw new TransientError(
        `records sharing one cursor second kept changing while being read (${MAX_GROUP_RESTARTS} re-reads); the next sync resumes here`,
      );
    }
    return { emit, next: { ...pos, group: { ...group, ...seen, total: undefined, nextPage: 1, restarts: group.restarts + 1 } }, done: false };
  }
  if (full) return { emit, next: { ...pos, group: { ...group, ...seen, nextPage: group.nextPage + 1 } }, done: false };
  // Group finished: everything in [second, second + 1 s] has been read.
  const after = group.second + 1000;
  const lastValue = maxValue ?? pos.lastValue;
  const idsAtLast = lastValue !== undefined && lastValue >= after ? (maxValue === lastValue ? idsAtMax : pos.idsAtLast) : [];
  return { emit, next: { from: after, lastValue, idsAtLast }, done: false };
}
