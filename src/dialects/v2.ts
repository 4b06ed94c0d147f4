// ShipStation API v2 as a dialect: its streams (schemas in schemas/v2/), UTC as the clock it sorts and filters by,
// ISO 8601 dates, and its list vocabulary (`page`, `page_size`, `sort_by`, `sort_dir`, snake_case date filters).
// Chosen from the config by dialects/index.ts.
import { StreamSet } from '../streams/streamSet.js';
import { V2_CHILD_STREAMS, V2_STREAMS } from '../streams/v2Definitions.js';
import { formatIsoEndFilter, formatIsoFilter, isoToUtc, parseIsoUtc } from '../time/isoUtc.js';
import { utcZone } from '../time/utcZone.js';
import type { DateRange, Dialect, ListRequest } from './dialect.js';

export const v2: Dialect = {
  name: 'v2',
  streams: new StreamSet(V2_STREAMS, V2_CHILD_STREAMS, 'v2'),
  zone: utcZone,
  dates: {
    parse: parseIsoUtc,
    formatFilter: formatIsoFilter,
    // v2 writes instants: when the response was written changes nothing.
    toUtc: (value) => isoToUtc(value),
  },
  listQuery({ params, ranges = [], sort, page, pageSize }: ListRequest) {
    // v2 sorts descending unless told: every sorted read says asc, and nothing the engine plans reads backwards.
    if (sort?.dir === 'DESC') throw new Error(`v2 streams are read in ascending ${sort.by} order only`);
    return {
      ...params,
      ...Object.fromEntries(ranges.flatMap(filterParams)),
      ...(sort ? { sort_by: sort.by, sort_dir: 'asc' } : {}),
      page,
      page_size: pageSize,
    };
  },
  checkPath: '/v2/warehouses',
};

/**
 * A range's parameters: the start at its second (on or after), the end at the last tick of its second (on or
 * before), so a range of whole seconds takes every stamp inside them, fractions included.
 */
function filterParams({ startParam, endParam, from, to }: DateRange): [string, string][] {
  return [
    ...(from !== undefined ? ([[startParam, formatIsoFilter(from)]] as [string, string][]) : []),
    ...(to !== undefined ? ([[endParam, formatIsoEndFilter(to)]] as [string, string][]) : []),
  ];
}
