// Turns a list endpoint's query string into a query, page and page size the way ASP.NET Web API (which serves
// ShipStation v1) binds it: names case-insensitive, empty values absent, a bad value a 400 in its ModelState shape.
// Also where `filterBounds` decides how a date filter's start and end bound a value.
import type { FilterBounds } from './options.js';
import { parseDateFilter } from './dateFilter.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './paging.js';
import type { MatchFilter, RangeFilter, StreamQuery } from './query.js';
import type { StreamParams } from './streams/pagedStream.js';

/** A 400 in the shape ASP.NET Web API (which serves ShipStation v1) uses for model-binding errors. */
export class BadRequestError extends Error {
  constructor(
    readonly param: string,
    readonly value: string,
  ) {
    super(`The value '${value}' is not valid for ${param}.`);
  }

  body(): { Message: string; ModelState: Record<string, string[]> } {
    return { Message: 'The request is invalid.', ModelState: { [this.param]: [this.message] } };
  }
}

/** Query parameters, with names matched case-insensitively (as ASP.NET binds them); empty values count as absent. */
export class QueryReader {
  private readonly values = new Map<string, { name: string; value: string }>();

  constructor(search: URLSearchParams) {
    for (const [name, value] of search) {
      const key = name.toLowerCase();
      if (value !== '' && !this.values.has(key)) this.values.set(key, { name, value });
    }
  }

  raw(name: string): string | undefined {
    return this.values.get(name.toLowerCase())?.value;
  }

  positiveInt(name: string): number | undefined {
    const value = this.raw(name);
    if (value === undefined) return undefined;
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < 1 || !Number.isSafeInteger(n)) throw new BadRequestError(name, value);
    return n;
  }

  boolean(name: string): boolean | undefined {
    const value = this.raw(name);
    if (value === undefined) return undefined;
    const lower = value.toLowerCase();
    if (lower !== 'true' && lower !== 'false') throw new BadRequestError(name, value);
    return lower === 'true';
  }

  date(name: string): number | undefined {
    const value = this.raw(name);
    if (value === undefined) return undefined;
    const ticks = parseDateFilter(value);
    if (ticks === null) throw new BadRequestError(name, value);
    return ticks;
  }

  /** One of `choices` (case-insensitive), returned in its documented spelling. */
  choice<T extends string>(name: string, choices: readonly T[]): T | undefined {
    const value = this.raw(name);
    if (value === undefined) return undefined;
    const found = choices.find((choice) => choice.toLowerCase() === value.toLowerCase());
    if (found === undefined) throw new BadRequestError(name, value);
    return found;
  }
}

export interface ListRequest<C extends string> {
  readonly query: StreamQuery<C>;
  readonly page: number;
  readonly pageSize: number;
  readonly includeShipmentItems: boolean;
}

/** Validates and translates a list endpoint's query string. Throws BadRequestError. */
/** Wall ticks of one second and of the smallest step (the .NET tick). */
const SECOND_TICKS = 10_000_000;
const TICK = 1;

/** The inclusive [lo, hi] (wall ticks) a filter pair selects under a reading of its bounds. */
export function boundedRange(
  lo: number | undefined,
  hi: number | undefined,
  bounds: FilterBounds,
): { lo: number; hi: number } {
  const exclusive = bounds === 'exclusive' || bounds === 'exclusiveSeconds';
  const seconds = bounds === 'inclusiveSeconds' || bounds === 'exclusiveSeconds';
  let from = lo ?? -Infinity;
  let to = hi ?? Infinity;
  if (seconds) {
    // Whole seconds: v's second after lo's (exclusive) or at it; v's second before hi's, or at it (its whole second).
    if (exclusive) from += SECOND_TICKS;
    to = exclusive ? to - TICK : to + SECOND_TICKS - TICK;
  } else if (exclusive) {
    from += TICK;
    to -= TICK;
  }
  return { lo: from, hi: to };
}

export function parseListRequest<C extends string>(
  params: StreamParams<C>,
  reader: QueryReader,
  bounds: FilterBounds = 'inclusive',
  maxPageSize = MAX_PAGE_SIZE,
): ListRequest<C> {
  const page = reader.positiveInt('page') ?? 1;
  // A page size above the server's maximum is served as the maximum (offsets included), as the real API does.
  const pageSize = Math.min(maxPageSize, reader.positiveInt('pageSize') ?? DEFAULT_PAGE_SIZE);
  const sortName = reader.choice('sortBy', Object.keys(params.sortBy));
  const desc = reader.choice('sortDir', ['ASC', 'DESC'] as const) === 'DESC';

  const ranges: RangeFilter<C>[] = [];
  for (const { startParam, endParam, column } of params.dateRanges) {
    const lo = reader.date(startParam);
    const hi = reader.date(endParam);
    if (lo !== undefined || hi !== undefined) ranges.push({ column, ...boundedRange(lo, hi, bounds) });
  }

  const matches: MatchFilter<C>[] = [];
  if (params.orderIdColumn) {
    const orderId = reader.positiveInt('orderId');
    if (orderId !== undefined) matches.push({ column: params.orderIdColumn, value: orderId });
  }
  if (params.activeColumn && reader.boolean('showInactive') !== true)
    matches.push({ column: params.activeColumn, value: 1 });
  const includeShipmentItems = params.includeShipmentItems === true && reader.boolean('includeShipmentItems') === true;

  const sort = sortName === undefined ? params.defaultSort : (params.sortBy[sortName] as C | 'id');
  return { query: { sort, desc, ranges, matches }, page, pageSize, includeShipmentItems };
}
