// What a page must satisfy before any state may move past it. The engine's guarantees rest on the server
// filtering, sorting and counting as asked; a proxy, a mock or a changed API may not. A violation ends the
// stream at its last checkpoint with a message naming the server's fault (never a silent skip).
import { SystemError } from '../errors.js';
import type { ApiRecord } from './envelope.js';
import type { PageRequest, PageRow, RecordId } from './keyset.js';
import { floorSecond, formatWallFilter, parseWallMs } from './wallClock.js';

/** The server broke an invariant paging relies on. */
export class ServerFault extends SystemError {
  constructor(detail: string) {
    super(`ShipStation's response cannot be paged safely: ${detail}. The stream stopped at its last checkpoint`);
  }
}

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
