// What a page must satisfy before any state may move past it, every check in one place. The engine's guarantees
// rest on the server filtering, sorting, paging and counting as asked; a proxy, a mock or a changed API may not.
// A violation ends the stream at its last checkpoint with a message naming the server's fault (never a silent
// skip). The planners and readers ask these predicates; none of them words a fault of the server itself.
import { ServerFault, TransientError } from '../../errors.js';
import type { ApiRecord } from './envelope.js';
import type { PageRequest, PageRow, RecordId } from './page.js';
import type { ServerDates } from '../../dialects/dialect.js';
import { floorSecond } from '../../time/wallClock.js';

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
  /** How the server writes its date-times (the dialect's). */
  dates: Pick<ServerDates, 'parse' | 'formatFilter'>;
}

/**
 * The cursor value and id of each row, after checking: every id usable, cursor values ascending (ties in any
 * order), none far below the requested start. Rows after the requested end are the reader's to drop.
 */
export function keysetRows(
  rows: readonly ApiRecord[],
  { cursorField, idField, request, dates }: KeysetPageFacts,
): PageRow[] {
  let previous: number | undefined;
  return rows.map((row, i) => {
    const id = row[idField];
    if (!usableId(id))
      throw new ServerFault(`record ${i + 1} of the page has no usable primary key '${idField}' (${describe(id)})`);
    const value = dates.parse(row[cursorField]);
    if (value !== null) {
      if (previous !== undefined && value < previous) {
        throw new ServerFault(
          `records are not sorted by ${cursorField} ascending as requested (record ${i + 1} goes back in time)`,
        );
      }
      if (request.from !== undefined && floorSecond(value) < request.from - START_TOLERANCE_MS) {
        throw new ServerFault(
          `a record's ${cursorField} (${String(row[cursorField])}) lies before the requested start ${dates.formatFilter(request.from)}: the date filter was ignored`,
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
    if (!usableId(id))
      throw new ServerFault(`record ${i + 1} of the page has no usable primary key '${idField}' (${describe(id)})`);
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
export function plausibleTotal(
  total: number | undefined,
  page: number,
  rows: number,
  pageSize: number,
): number | undefined {
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

/** Pages in a row cut short to rows already read, rows following them, before the server is blamed. */
export const MAX_SHORT_ROUNDS = 8;

/**
 * `page` was ignored: the next page holds the very same ids as the one before (`previous`, a fingerprint) while
 * more rows were promised. Only meaningful where no row can have left between the two (same query, same total).
 */
export function checkPageMoved(rows: readonly PageRow[], previous: string | undefined): void {
  if (previous !== undefined && pageFingerprint(rows) === previous) {
    throw new ServerFault(
      'two pages in a row hold the very same records although no record left: the server appears to ignore the page parameter',
    );
  }
}

/** `rounds` short pages in a row of rows already read, while the row after them exists: pages are cut short. */
export function checkShortRounds(rounds: number): void {
  if (rounds >= MAX_SHORT_ROUNDS) {
    throw new ServerFault(
      `${rounds} times in a row ShipStation served a short page of records already read while the record after them was there: it cuts its pages short`,
    );
  }
}

/**
 * Page 1 of a full refresh in the server's order came back short of its total `rounds` times in a row, never twice
 * at a count a chain of pages can be planned at: the server serves pages too small to chain (`served` rows every
 * time: `always`) or cuts its pages short; either way the rows after them cannot be proven read.
 */
export function checkShortFirstPages(rounds: number, served: number, always: boolean, overlap: number): void {
  if (rounds < MAX_SHORT_ROUNDS) return;
  throw new ServerFault(
    always
      ? `the server serves pages of ${served} rows, too few to repeat ${overlap} rows of the page before and bring new ones, so the rows after place ${served} cannot be proven read`
      : `${rounds} times in a row ShipStation served page 1 with fewer records than its total (${served} the last time): it cuts its pages short, so the rows after them cannot be proven read`,
  );
}

/** Page numbers over one query past every bound a total allows, and still no short page: `page` is ignored. */
export function checkPageBound(requests: number, bound: number, maxTotal: number): void {
  if (requests > bound)
    throw new ServerFault(
      `${requests} pages for ${maxTotal} records and still no short page: the server appears to ignore the page parameter`,
    );
}

/** A page with rows must order them: at least one must carry a usable value of the field it is sorted by. */
export function checkSortValues(rows: readonly PageRow[], field: string): void {
  if (rows.length > 0 && rows.every((row) => row.value === null)) {
    throw new ServerFault(
      `no record of the page carries a usable ${field}, which orders the pages: they cannot be proven to meet`,
    );
  }
}

/** A full page that brought no progress must at least carry a cursor value to read its second by. */
export function checkCursorProgress(from: number | undefined): asserts from is number {
  if (from === undefined)
    throw new ServerFault('paging made no progress: the records of a full page carry no usable cursor value');
}

/** Rows sharing one second are counted against their query's total: without a total they cannot be. */
export function checkCountable(total: number | undefined, second: number): asserts total is number {
  if (total === undefined) {
    throw new ServerFault(
      `more records share the cursor second ${describeSecond(second)} than a page holds, and the total is missing or smaller than what came back; they cannot be counted, so they cannot be read safely by page numbers`,
    );
  }
}

/**
 * A second's rows read `passes` times never reached the count its total gives. `stuck`: the last pass found no
 * id the others had not, so the total is wrong; else equal values may come back in another order each read.
 * Transient: the next sync resumes at the checkpoint before the second.
 */
export function groupCountFault(
  second: number,
  reported: number,
  served: number,
  passes: number,
  stuck: boolean,
): TransientError {
  const why = stuck
    ? 'the last read found none the others had not: its total is wrong'
    : 'its total is wrong, or records sharing one value come back in a different order on every read';
  return new TransientError(
    `ShipStation reported ${reported} records for the cursor second ${describeSecond(second)} but served ${served} distinct ones over ${passes} reads of them ` +
      `(${why}); the stream stopped at its last checkpoint and the next sync resumes there`,
  );
}

/** A wall-clock second as a person reads it in ShipStation (v1: Pacific wall time; API v2: UTC). */
export function describeSecond(wallMs: number): string {
  return `${new Date(wallMs).toISOString().slice(0, 19).replace('T', ' ')} on ShipStation's clock`;
}
