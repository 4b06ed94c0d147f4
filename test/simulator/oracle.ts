// An independent model of the documented filter and sort semantics, computed from the ground truth with plain
// string comparisons: naive Pacific strings in one normalised shape sort chronologically as text.

type Row = Record<string, unknown>;

/** `2024-01-02`, `2024-01-02 03:04:05`, `2024-01-02T03:04:05.12` → `2024-01-02T03:04:05.1200000`. */
export function normalizeWall(value: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}:\d{2})(?:\.(\d{1,7}))?)?$/.exec(value);
  if (!match) throw new Error(`not a wall datetime: ${value}`);
  return `${match[1]}T${match[2] ?? '00:00:00'}.${(match[3] ?? '').padEnd(7, '0')}`;
}

/** A filter bound as the server reads it: one-second resolution, so any fraction is dropped. */
export function normalizeBound(value: string): string {
  return normalizeWall(value.replace(/\.\d+$/, ''));
}

export interface OracleQuery {
  readonly ranges?: readonly { field: string; lo?: string; hi?: string }[];
  readonly where?: (row: Row) => boolean;
  /** null sorts by id. */
  readonly sortField: string | null;
  readonly sortKey?: (row: Row) => string;
  readonly desc?: boolean;
  readonly idField: string;
}

export function oracle<R extends Row>(rows: readonly R[], query: OracleQuery): R[] {
  const filtered = rows.filter((row) => {
    for (const range of query.ranges ?? []) {
      const raw = row[range.field];
      if (typeof raw !== 'string') return false;
      const value = normalizeWall(raw);
      if (range.lo !== undefined && value < normalizeBound(range.lo)) return false;
      if (range.hi !== undefined && value > normalizeBound(range.hi)) return false;
    }
    return query.where ? query.where(row) : true;
  });
  const id = (row: Row): number => row[query.idField] as number;
  const key =
    query.sortKey ?? ((row: Row) => (query.sortField === null ? '' : normalizeWall(row[query.sortField] as string)));
  const sign = query.desc ? -1 : 1;
  return filtered.sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    if (ka !== kb) return (ka < kb ? -1 : 1) * sign;
    return query.sortField === null ? (id(a) - id(b)) * sign : id(a) - id(b);
  });
}
