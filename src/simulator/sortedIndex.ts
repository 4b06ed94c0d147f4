// Rows of a table sorted by (column value, row). Rows are in id order, so ties are broken by id ascending,
// like `ORDER BY value, id`. Updates merge the changed rows back in O(n) instead of re-sorting; deleted rows
// are removed, so every query, total and page sees only live rows without a per-request scan.
import type { Table } from './table.js';

export class SortedIndex<C extends string> {
  rows: Int32Array;
  /** Table rows this index has taken in: rows appended later are inserted by the next update(). */
  private covered: number;

  constructor(
    private readonly table: Table<C>,
    readonly column: C | 'id',
  ) {
    const live = new Int32Array(table.liveCount);
    let out = 0;
    for (let row = 0; row < table.size; row++) if (!table.isDeleted(row)) live[out++] = row;
    this.rows = this.sortRows(live);
    this.covered = table.size;
  }

  key(): Float64Array {
    return this.table.col(this.column);
  }

  /** Re-positions changed rows and inserts new ones (rows appended to the table since the last update). */
  update(changedRows: Iterable<number>): void {
    const changed = new Uint8Array(this.table.size);
    const moved: number[] = [];
    const take = (row: number): void => {
      if (changed[row]) return;
      changed[row] = 1;
      // A deleted row never comes back, even when a caller lists it as changed.
      if (!this.table.isDeleted(row)) moved.push(row);
    };
    for (const row of changedRows) take(row);
    for (let row = this.covered; row < this.table.size; row++) take(row);
    this.covered = this.table.size;
    const incoming = this.sortRows(Int32Array.from(moved));
    const key = this.key();
    const merged = new Int32Array(this.rows.length + incoming.length);
    let out = 0;
    let j = 0;
    for (let i = 0; i < this.rows.length; i++) {
      const row = this.rows[i] as number;
      if (changed[row]) continue;
      while (j < incoming.length && before(key, incoming[j] as number, row)) merged[out++] = incoming[j++] as number;
      merged[out++] = row;
    }
    while (j < incoming.length) merged[out++] = incoming[j++] as number;
    this.rows = out === merged.length ? merged : merged.slice(0, out);
  }

  /** Drops rows (deleted records) from the index in one O(n) pass. */
  remove(rows: Iterable<number>): void {
    const gone = new Uint8Array(this.table.size);
    let count = 0;
    for (const row of rows) {
      if (row >= 0 && row < gone.length && !gone[row]) {
        gone[row] = 1;
        count++;
      }
    }
    if (count === 0) return;
    const kept = new Int32Array(this.rows.length);
    let out = 0;
    for (let i = 0; i < this.rows.length; i++) {
      const row = this.rows[i] as number;
      if (!gone[row]) kept[out++] = row;
    }
    this.rows = out === kept.length ? kept : kept.slice(0, out);
  }

  private sortRows(rows: Int32Array): Int32Array {
    const key = this.key();
    for (let i = 1; i < rows.length; i++) {
      if (before(key, rows[i] as number, rows[i - 1] as number))
        return rows.sort((a, b) => (key[a] as number) - (key[b] as number) || a - b);
    }
    return rows;
  }
}

function before(key: Float64Array, a: number, b: number): boolean {
  const ka = key[a] as number;
  const kb = key[b] as number;
  return ka < kb || (ka === kb && a < b);
}

/** First position in rows[from, to) whose key is >= value (>  value when `strict`). */
export function searchKey(
  rows: Int32Array,
  key: Float64Array,
  from: number,
  to: number,
  value: number,
  strict: boolean,
): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const k = key[rows[mid] as number] as number;
    if (k < value || (strict && k === value)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Deletes rows of a stream: flags them in the table and removes them from every sorted index. Returns the
 * rows that were live.
 */
export function deleteRows<C extends string>(
  table: Table<C>,
  indexes: Iterable<SortedIndex<C>>,
  rows: Iterable<number>,
): number[] {
  const deleted = table.markDeleted(rows);
  if (deleted.length > 0) for (const index of indexes) index.remove(deleted);
  return deleted;
}
