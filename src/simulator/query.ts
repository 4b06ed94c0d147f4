// The query engine behind every paged endpoint: a filter on the sort column is two binary searches in its sorted
// index; other filters scan that range once, and the result is cached per table version so paging through it is cheap.
import { searchKey, type SortedIndex } from './sortedIndex.js';
import type { Table } from './table.js';

/** Inclusive range on a column; NaN (null) never matches. */
export interface RangeFilter<C extends string> {
  readonly column: C | 'id';
  readonly lo: number;
  readonly hi: number;
}

export interface MatchFilter<C extends string> {
  readonly column: C | 'id';
  readonly value: number;
}

export interface StreamQuery<C extends string> {
  readonly sort: C | 'id';
  readonly desc: boolean;
  readonly ranges: readonly RangeFilter<C>[];
  readonly matches: readonly MatchFilter<C>[];
}

/** The matching rows, ascending by (sort key, row), as positions [from, to) of `rows`. */
export interface ResultView {
  readonly rows: Int32Array;
  readonly from: number;
  readonly to: number;
  readonly key: Float64Array;
}

const CACHE_ENTRIES = 8;

/**
 * Answers a query from the sorted index of the sort column: a range on that column is two binary searches;
 * any other filter needs one scan of the range, whose result is cached so paging through it stays cheap.
 */
export class QueryEngine<C extends string> {
  private readonly cache = new Map<string, { version: number; rows: Int32Array }>();

  constructor(
    private readonly table: Table<C>,
    private readonly indexes: ReadonlyMap<C | 'id', SortedIndex<C>>,
  ) {}

  run(query: StreamQuery<C>): ResultView {
    const index = this.indexes.get(query.sort);
    if (!index) throw new Error(`no index on ${query.sort}`);
    const key = index.key();
    const rows = index.rows;
    let from = 0;
    let to = rows.length;
    const residual: RangeFilter<C>[] = [];
    for (const range of query.ranges) {
      if (range.column !== query.sort) {
        residual.push(range);
        continue;
      }
      from = searchKey(rows, key, from, to, range.lo, false);
      to = Math.max(from, searchKey(rows, key, from, to, range.hi, true));
    }
    if (residual.length === 0 && query.matches.length === 0) return { rows, from, to, key };

    const cacheKey = JSON.stringify(query);
    const cached = this.cache.get(cacheKey);
    if (cached && cached.version === this.table.version) {
      this.cache.delete(cacheKey);
      this.cache.set(cacheKey, cached);
      return { rows: cached.rows, from: 0, to: cached.rows.length, key };
    }
    const filtered = this.scan(rows, from, to, residual, query.matches);
    this.cache.set(cacheKey, { version: this.table.version, rows: filtered });
    if (this.cache.size > CACHE_ENTRIES) this.cache.delete(this.cache.keys().next().value as string);
    return { rows: filtered, from: 0, to: filtered.length, key };
  }

  private scan(
    rows: Int32Array,
    from: number,
    to: number,
    ranges: readonly RangeFilter<C>[],
    matches: readonly MatchFilter<C>[],
  ): Int32Array {
    const rangeCols = ranges.map((r) => this.table.col(r.column));
    const matchCols = matches.map((m) => this.table.col(m.column));
    const out = new Int32Array(to - from);
    let count = 0;
    outer: for (let i = from; i < to; i++) {
      const row = rows[i] as number;
      for (let f = 0; f < ranges.length; f++) {
        const v = (rangeCols[f] as Float64Array)[row] as number;
        const range = ranges[f] as RangeFilter<C>;
        if (!(v >= range.lo && v <= range.hi)) continue outer;
      }
      for (let f = 0; f < matches.length; f++) {
        if ((matchCols[f] as Float64Array)[row] !== (matches[f] as MatchFilter<C>).value) continue outer;
      }
      out[count++] = row;
    }
    return out.slice(0, count);
  }
}
