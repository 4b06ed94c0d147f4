// The v2 catalogue and the contract of a v2 list endpoint: its stream names and paths, the query parameters it
// understands (date filters, sort_by, sort_dir, id filters, page sizes), and the paged view that answers it from a
// sorted index, renders its records and lists its live rows for the ground truth.
import type { ResultView, StreamQuery } from '../query.js';
import { SortedIndex } from '../sortedIndex.js';
import { QueryEngine } from '../query.js';
import { Table } from '../table.js';
import type { V2Record } from './records.js';

/** Paged endpoints: `{<name>: [...], total, page, pages, links}`. */
export const V2_PAGED_STREAMS = [
  'shipments',
  'labels',
  'fulfillments',
  'products',
  'users',
  'batches',
  'manifests',
  'pickups',
  'inventory_warehouses',
  'inventory_locations',
] as const;
/** Endpoints answering with their whole list at once. */
export const V2_LIST_STREAMS = ['warehouses', 'carriers', 'packages', 'tags', 'webhooks'] as const;
export const V2_STREAM_NAMES = [...V2_PAGED_STREAMS, ...V2_LIST_STREAMS] as const;

export type V2PagedStreamName = (typeof V2_PAGED_STREAMS)[number];
export type V2ListStreamName = (typeof V2_LIST_STREAMS)[number];
export type V2StreamName = (typeof V2_STREAM_NAMES)[number];

export function isV2StreamName(value: string): value is V2StreamName {
  return (V2_STREAM_NAMES as readonly string[]).includes(value);
}

/** The API path of a v2 stream (webhooks live under /v2/environment). */
export function v2Path(stream: V2StreamName): string {
  return stream === 'webhooks' ? '/v2/environment/webhooks' : `/v2/${stream}`;
}

/** A pair of `…_start`/`…_end` parameters bounding one column (UTC ticks). */
export interface V2DateRange {
  readonly start: string;
  readonly end: string;
  readonly column: string;
}

/** A parameter matching a column exactly; `parse` gives the column value, or null for a value the API rejects. */
export interface V2Match {
  readonly param: string;
  readonly column: string;
  parse(value: string): number | null;
}

export interface V2ListParams {
  readonly dateRanges: readonly V2DateRange[];
  /** `sort_by` values → column; empty when the endpoint takes no sort_by. */
  readonly sortBy: Readonly<Record<string, string>>;
  readonly defaultSort: string;
  /** Whether `sort_dir` is taken (default desc); without it the order is `fixedDesc`. */
  readonly sortDir: boolean;
  readonly fixedDesc: boolean;
  readonly matches: readonly V2Match[];
  /** Page size when none is asked for, and the most a request may ask for. */
  readonly pageSize: { readonly default: number; readonly max: number };
  /** Another name page_size goes by on this endpoint (inventory lists document `limit`). */
  readonly pageSizeAlias?: string;
  /**
   * Order of the paging keys after the list: ShipStation's schemas put total first; the fulfillments docs show
   * page, pages, total.
   */
  readonly pagingOrder: 'total-first' | 'page-first';
  /** Extra keys after `links` (carriers and pickups also carry an error_response_body). */
  readonly errorsBeside: boolean;
}

export interface V2PagedView {
  readonly name: V2PagedStreamName;
  readonly params: V2ListParams;
  run(query: StreamQuery<string>): ResultView;
  render(row: number): V2Record;
  /** Live rows in id order (the ground truth's order). */
  liveRows(): Iterable<number>;
  readonly count: number;
}

/** Defaults most list endpoints share: created_at desc, pages of 25 up to 500 (the max is the simulator's choice). */
export const COMMON_PARAMS: V2ListParams = {
  dateRanges: [],
  sortBy: {},
  defaultSort: 'id',
  sortDir: true,
  fixedDesc: false,
  matches: [],
  pageSize: { default: 25, max: 500 },
  pagingOrder: 'total-first',
  errorsBeside: false,
};

/** Live rows of a table in id (row) order. */
export function* liveRowsOf(table: Table<string>): Generator<number, void, undefined> {
  for (let row = 0; row < table.size; row++) if (!table.isDeleted(row)) yield row;
}

/**
 * A small list fixed at start (users, batches, manifests, pickups, inventory) served through the same sorted
 * indexes and query engine as the big streams, so paging lies and tie shuffles apply to it too. Row k is record k.
 */
export class FixedListView<R extends V2Record, C extends string> implements V2PagedView {
  private readonly table: Table<C>;
  private readonly engine: QueryEngine<C>;

  constructor(
    readonly name: V2PagedStreamName,
    readonly params: V2ListParams,
    private readonly records: readonly R[],
    columns: readonly C[],
    values: (record: R, k: number) => Record<C | 'id', number>,
  ) {
    this.table = new Table<C>(columns, records.length);
    records.forEach((record, k) => {
      this.table.append(values(record, k));
    });
    const indexes = new Map<C | 'id', SortedIndex<C>>();
    const sorted = new Set<string>(['id', params.defaultSort, ...Object.values(params.sortBy)]);
    for (const column of sorted) indexes.set(column as C | 'id', new SortedIndex<C>(this.table, column as C | 'id'));
    this.engine = new QueryEngine(this.table, indexes);
  }

  get count(): number {
    return this.records.length;
  }

  run(query: StreamQuery<string>): ResultView {
    return this.engine.run(query as StreamQuery<C>);
  }

  render(row: number): R {
    return this.records[row] as R;
  }

  liveRows(): Iterable<number> {
    return this.records.keys();
  }
}
