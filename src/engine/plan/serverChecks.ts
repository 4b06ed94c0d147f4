// What a page must satisfy before any state may move past it. The engine's guarantees rest on the server
// filtering, sorting and counting as asked; a proxy, a mock or a changed API may not. A violation ends the
// stream at its last checkpoint with a message naming the server's fault (never a silent skip).
import { ServerFault } from '../../errors.js';
import type { ApiRecord } from './envelope.js';
import type { PageRequest, PageRow, RecordId } from './page.js';
import { floorSecond, formatWallFilter, parseWallMs } from '../../time/wallClock.js';

/**
 * Rows a page may hold below the requested start, in seconds: a server comparing instants instead of wall
 * clock values could legitimately answer rows of the DST fall-back hour; anything further off means the
 * filter was ignored.
 */
const START_TOLERANCE_MS = 3_600_000;

/** A primary key value the state and the destination can hold: a finite number or a non-empty string. */
export function usableId(value: unknown): value is RecordId {
  return (typeof value === 'number' && Number.isFinite(value)) || (typeof value === 'string' && value !== '');
}

export interface KeysetPageFacts {
  cursorField: string;
  idField: string;
  request: PageRequest;
}

/**
 * The cursor value and id of each row, after checking: every id usable, cursor values ascending (ties in any
 * order), none far below the requested start. Rows after the requested end are the reader's to drop.
 */
export function keysetRows(rows: readonly ApiRecord[], { cursorField, idField, request }: KeysetPageFacts): PageRow[] {
  let previous: number | undefined;
  return rows.map((row, i) => {
    const id = row[idField];
    if (!usableId(id)) throw new ServerFault(`record ${i + 1} of the page has no usable primary key '${idField}' (${describe(id)})`);
    const value = parseWallMs(row[cursorField]);
    if (value !== null) {
      if (previous !== undefined && value < previous) {
        throw new ServerFault(`records are not sorted by ${cursorField} ascending as requested (record ${i + 1} goes back in time)`);
      }
      if (request.from !== undefined && floorSecond(value) < request.from - START_TOLERANCE_MS) {
        throw new ServerFault(
          `a record's ${cursorField} (${String(row[cursorField])}) lies before the requested start ${formatWallFilter(request.from)}: the date filter was ignored`,
        );
      }
      previous = value;
    }
    return { value, id };
  });
}

/** Checks a full-refresh page's ids; returns them for the repetition check. */
export function fullRefreshIds(rows: readonly ApiRecord[], idField: string): RecordId[] {
  return rows.map((row, i) => {
    const id = row[idField];
    if (!usableId(id)) throw new ServerFault(`record ${i + 1} of the page has no usable primary key '${idField}' (${describe(id)})`);
    return id;
  });
}

function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  const text = JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
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
 * The rows end on this page: none came back, or a short page whose total does not promise more (a server
 * serving fewer rows a page than asked is read on). A full page never ends them, whatever the total says.
 */
export function endsRows(rows: number, total: number | undefined, page: number, pageSize: number): boolean {
  if (rows === 0) return true;
  if (rows >= pageSize) return false;
  return total === undefined || (page - 1) * pageSize + rows >= total;
}

/**
 * The ids of a page, in order, as a short string. Two pages in a row that hold the very same ids mean the page
 * number was ignored; a first row alone proves nothing where equal values come back in another order each time.
 */
export function pageFingerprint(rows: readonly PageRow[]): string {
  let hash = 0x811c9dc5;
  for (const row of rows) {
    const text = `${String(row.id)},`;
    for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  }
  return `${rows.length}:${(hash >>> 0).toString(16)}`;
}
