// Column store for one stream: every per-record value the server must filter or sort on lives in a growable
// Float64Array (NaN = null). Rows are numbered in id order, so row order is id order. A deleted row keeps its
// number (so ids and derived data of other rows never shift) and is only flagged.

export class Table<C extends string> {
  private columns: Record<C | 'id', Float64Array>;
  private capacity: number;
  private deleted: Uint8Array;
  private deletedCount = 0;
  /** Rows ever appended, deleted ones included. */
  size = 0;
  /** Bumped on every change; cached query results are keyed on it. */
  version = 0;

  constructor(columnNames: readonly C[], initialCapacity: number) {
    this.capacity = Math.max(16, initialCapacity);
    const columns = {} as Record<C | 'id', Float64Array>;
    for (const name of [...columnNames, 'id' as const]) columns[name] = new Float64Array(this.capacity);
    this.columns = columns;
    this.deleted = new Uint8Array(this.capacity);
  }

  /** Rows not deleted. */
  get liveCount(): number {
    return this.size - this.deletedCount;
  }

  isDeleted(row: number): boolean {
    return this.deleted[row] === 1;
  }

  /** Flags rows as deleted; returns those that were live. Callers also drop them from their sorted indexes. */
  markDeleted(rows: Iterable<number>): number[] {
    const newly: number[] = [];
    for (const row of rows) {
      if (row < 0 || row >= this.size || this.deleted[row] === 1) continue;
      this.deleted[row] = 1;
      newly.push(row);
    }
    this.deletedCount += newly.length;
    if (newly.length > 0) this.version++;
    return newly;
  }

  /** The live array of a column; re-read after any append because growth reallocates it. */
  col(name: C | 'id'): Float64Array {
    return this.columns[name];
  }

  append(values: Record<C | 'id', number>): number {
    if (this.size === this.capacity) this.grow();
    const row = this.size++;
    for (const name of Object.keys(this.columns) as (C | 'id')[]) this.columns[name][row] = values[name];
    return row;
  }

  /** Row holding the given id (rows are sorted by id), or -1. */
  rowOfId(id: number): number {
    const ids = this.columns.id;
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((ids[mid] as number) < id) lo = mid + 1;
      else hi = mid;
    }
    return lo < this.size && ids[lo] === id ? lo : -1;
  }

  private grow(): void {
    this.capacity = Math.ceil(this.capacity * 1.5);
    for (const name of Object.keys(this.columns) as (C | 'id')[]) {
      const next = new Float64Array(this.capacity);
      next.set(this.columns[name]);
      this.columns[name] = next;
    }
    const deleted = new Uint8Array(this.capacity);
    deleted.set(this.deleted);
    this.deleted = deleted;
  }
}
