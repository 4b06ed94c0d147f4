// Reads a v2 list request's query string: page (1-based), page_size (the endpoint's default and maximum; a larger
// one is a 400, the maxPageSize lie then cuts what is served), sort_by, sort_dir (default desc), the ISO 8601 date
// filters (bounds read by `filterBounds`, inclusive by default as the docs' "on or after/on or before") and the id
// filters. Parameter names match case-insensitively; empty values count as absent; unknown ones are ignored.
import type { FilterBounds } from '../options.js';
import type { MatchFilter, RangeFilter, StreamQuery } from '../query.js';
import { QueryReader, boundedRange } from '../queryParams.js';
import { parseUtcFilter } from '../utcTime.js';
import type { V2ListParams } from './endpoint.js';
import { invalidField } from './errors.js';

export interface V2ListRequest {
  readonly query: StreamQuery<string>;
  readonly page: number;
  /** The page size asked for (or the default): what the links repeat. */
  readonly askedPageSize: number;
  /** The page size served: the one asked for, cut to the server's maxPageSize. */
  readonly pageSize: number;
}

function positiveInt(reader: QueryReader, name: string): number | undefined {
  const value = reader.raw(name);
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || !Number.isSafeInteger(n)) throw invalidField(name, value, 'an integer ≥ 1');
  return n;
}

function utcFilter(reader: QueryReader, name: string): number | undefined {
  const value = reader.raw(name);
  if (value === undefined) return undefined;
  const ticks = parseUtcFilter(value);
  if (ticks === null) throw invalidField(name, value, 'an ISO 8601 date-time such as 2024-01-31T23:59:59Z');
  return ticks;
}

/** Validates and translates a v2 list query. Throws V2Error (400). */
export function parseV2List(
  params: V2ListParams,
  search: URLSearchParams,
  bounds: FilterBounds,
  maxPageSize: number,
): V2ListRequest {
  const reader = new QueryReader(search);
  const page = positiveInt(reader, 'page') ?? 1;
  const asked =
    positiveInt(reader, 'page_size') ??
    (params.pageSizeAlias === undefined ? undefined : positiveInt(reader, params.pageSizeAlias)) ??
    params.pageSize.default;
  if (asked > params.pageSize.max)
    throw invalidField('page_size', String(asked), `at most ${params.pageSize.max} on this endpoint`);

  let sort = params.defaultSort;
  const sortNames = Object.keys(params.sortBy);
  const sortBy = reader.raw('sort_by');
  if (sortNames.length > 0 && sortBy !== undefined) {
    const column = params.sortBy[sortBy.toLowerCase()];
    if (column === undefined) throw invalidField('sort_by', sortBy, `one of ${sortNames.join(', ')}`);
    sort = column;
  }
  let desc = params.fixedDesc;
  const sortDir = reader.raw('sort_dir');
  if (params.sortDir) {
    const dir = (sortDir ?? 'desc').toLowerCase();
    if (dir !== 'asc' && dir !== 'desc') throw invalidField('sort_dir', sortDir ?? '', 'asc or desc');
    desc = dir === 'desc';
  }

  const ranges: RangeFilter<string>[] = [];
  for (const { start, end, column } of params.dateRanges) {
    const lo = utcFilter(reader, start);
    const hi = utcFilter(reader, end);
    if (lo !== undefined || hi !== undefined) ranges.push({ column, ...boundedRange(lo, hi, bounds) });
  }
  const matches: MatchFilter<string>[] = [];
  for (const match of params.matches) {
    const value = reader.raw(match.param);
    if (value === undefined) continue;
    const parsed = match.parse(value);
    if (parsed === null) throw invalidField(match.param, value, 'a valid value');
    matches.push({ column: match.column, value: parsed });
  }
  return { query: { sort, desc, ranges, matches }, page, askedPageSize: asked, pageSize: Math.min(asked, maxPageSize) };
}
