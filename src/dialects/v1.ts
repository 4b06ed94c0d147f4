// ShipStation's v1 API as a dialect: its fourteen streams, the Pacific wall clock it sorts, filters and writes
// dates in, and its list vocabulary (`page`, `pageSize`, `sortBy`, `sortDir`). Key and secret travel as HTTP
// Basic (shipstation/credentials.ts); `X-Rate-Limit-*` headers pace it (budget/).
import { CHILD_STREAMS, STREAMS } from '../streams/definitions.js';
import { QUIRKS } from '../streams/quirks.js';
import { StreamSet } from '../streams/streamSet.js';
import { formatPacificFilter, pacificToUtc, parsePacificWallClock } from '../time/pacific.js';
import { pacificZone } from '../time/pacificZone.js';
import type { DateRange, Dialect, ListRequest } from './dialect.js';

export const v1: Dialect = {
  name: 'v1',
  streams: new StreamSet(STREAMS, CHILD_STREAMS, '', QUIRKS),
  zone: pacificZone,
  dates: {
    parse: (value) => (typeof value === 'string' ? parsePacificWallClock(value) : null),
    formatFilter: formatPacificFilter,
    toUtc: pacificToUtc,
  },
  listQuery({ params, ranges = [], sort, page, pageSize }: ListRequest) {
    return {
      ...params,
      ...Object.fromEntries(ranges.flatMap(filterParams)),
      ...(sort ? { sortBy: sort.by, sortDir: sort.dir } : {}),
      page,
      pageSize,
    };
  },
  checkPath: '/warehouses',
};

/** A date range's parameters in v1's form, `YYYY-MM-DD HH:mm:ss` Pacific. */
function filterParams({ startParam, endParam, from, to }: DateRange): [string, string][] {
  return [
    ...(from !== undefined ? ([[startParam, formatPacificFilter(from)]] as [string, string][]) : []),
    ...(to !== undefined ? ([[endParam, formatPacificFilter(to)]] as [string, string][]) : []),
  ];
}
