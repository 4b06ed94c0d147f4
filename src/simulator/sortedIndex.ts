import type { Table } from './table.js';

// Rows of a table sorted by (column value, row). Rows are in id order, so ties are broken by id ascending,
// like `ORDER BY value, id`. Updates merge the changed rows back in O(n) instead of re-sorting.

export class SortedIndex<C extends string> {
  rows: Int32Array;

  constructor(
    private readonly table: Table<C>,
    readonly column: C | 'id',
  ) {
    this.rows = this.sortRows(Int32Array.from({ length: table.size }, (_, i) => i));
  }

  key(): Float64Array {
    return this.table.col(this.column);
  }

  /** Re-positions changed rows and inserts new ones (rows appended to the table since the last update). */
  update(changedRows: Iterable<number>): void {
    const changed = new Uint8Array(this.table.size);
    const moved: number[] = [];
    for (const row of changedRows) {
      if (!changed[row]) moved.push(row);
      changed[row] = 1;
    }
    for (let row = this.rows.length; row < this.table.size; row++) {
      if (!changed[row]) moved.push(row);
      changed[row] = 1;
    }
    const incoming = this.sortRows(Int32Array.from(moved));
    const key = this.key();
    const merged = new Int32Array(this.table.size);
    let out = 0;
    let j = 0;
    for (let i = 0; i < this.rows.length; i++) {
      const row = this.rows[i] as number;
      if (changed[row]) continue;
      while (j < incoming.length && before(key, incoming[j] as number, row)) merged[out++] = incoming[j++] as number;
      merged[out++] = row;
    }
    while (j < incoming.length) merged[out++] = incoming[j++] as number;
    this.rows = merged;
  }

  private sortRows(rows: Int32Array): Int32Array {
    const key = this.key();
    for (let i = 1; i < rows.length; i++) {
      if (before(key, rows[i] as number, rows[i - 1] as number)) return rows.sort((a, b) => (key[a] as number) - (key[b] as number) || a - b);
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
export function searchKey(rows: Int32Array, key: Float64Array, from: number, to: number, value: number, strict: boolean): number {
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
