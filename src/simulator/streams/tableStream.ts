// What every paged stream (orders, shipments, fulfillments, products, customers) keeps the same way: its column
// table, one sorted index on id and on each column its endpoint sorts by, the query engine over them, and the
// bookkeeping that keeps indexes and cached query results right as rows are appended, changed or deleted mid-run.
// Each stream generates its own rows, declares its own query parameters and renders its own records.
import { QueryEngine } from '../query.js';
import type { ApiRecord } from '../records.js';
import { SortedIndex, deleteRows } from '../sortedIndex.js';
import { Table } from '../table.js';
import type { GenContext, PagedStream, PagedStreamName, RenderOptions, StreamParams } from './pagedStream.js';

/**
 * A paged stream backed by a column table. The subclass constructor appends the generated rows, then calls
 * `buildIndexes()`; its mutations write the table and then call `appended()`, `changed()` or `removeRows()`.
 */
export abstract class TableStream<C extends string> implements PagedStream<C> {
  abstract readonly name: PagedStreamName;
  abstract readonly params: StreamParams<C>;
  readonly table: Table<C>;
  /** Reads the indexes at query time, so it can be made before `buildIndexes()` fills them. */
  readonly engine: QueryEngine<C>;
  private readonly indexes = new Map<C | 'id', SortedIndex<C>>();

  protected constructor(
    protected readonly ctx: GenContext,
    columns: readonly C[],
    count: number,
  ) {
    this.table = new Table<C>(columns, count);
    this.engine = new QueryEngine(this.table, this.indexes);
  }

  /** Records the stream holds now (deleted ones excluded). */
  get count(): number {
    return this.table.liveCount;
  }

  /** The i-th live record's row, in id order (the id index holds exactly the live rows). */
  liveRowAt(i: number): number {
    return (this.indexes.get('id') as SortedIndex<C>).rows[i] as number;
  }

  abstract render(row: number, options: RenderOptions): ApiRecord;

  /** Adds a sorted index on a column the v1 endpoint does not sort by (v2's UTC columns), kept up to date from now on. */
  addIndex(column: C): void {
    if (!this.indexes.has(column)) this.indexes.set(column, new SortedIndex<C>(this.table, column));
  }

  /**
   * Sorts the rows appended so far on id and on every column the endpoint's sortBy values and default sort
   * name, so each sort it accepts has its index. The constructor calls it once its rows are generated.
   */
  protected buildIndexes(): void {
    const columns = new Set<C | 'id'>(['id', ...Object.values(this.params.sortBy), this.params.defaultSort]);
    for (const column of columns) this.indexes.set(column, new SortedIndex<C>(this.table, column));
  }

  /** After rows were appended: cached query results go stale and every index takes the new rows in. */
  protected appended(): void {
    this.table.version++;
    for (const index of this.indexes.values()) index.update([]);
  }

  /** After the rows' values in `columns` changed: cached query results go stale and the indexes on those columns re-sort the rows. */
  protected changed(rows: readonly number[], columns: readonly C[]): void {
    this.table.version++;
    for (const column of columns) this.indexes.get(column)?.update(rows);
  }

  /** Deletes rows: flagged in the table and dropped from every index, so they vanish from every query and total. */
  protected removeRows(rows: readonly number[]): void {
    deleteRows(this.table, this.indexes.values(), rows);
  }
}
