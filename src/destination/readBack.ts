// A stream table's rows as the records the source sent: typed columns back to JSON values (date-times as
// UTC ISO strings with milliseconds, dates as YYYY-MM-DD, decimals and integers as numbers), JSON columns parsed,
// extras merged in. For checking a load against the source's data (the demo, tests); SQL NULL and an absent field
// both read as absent.
import type { DuckDBConnection } from '@duckdb/node-api';
import { EXTRACTED_AT, EXTRAS, type Column } from './columns.js';
import { loadDuckDB } from './duckdb.js';
import { quote } from './sql.js';

export async function readBack(
  db: DuckDBConnection,
  table: string,
  columns: readonly Column[],
): Promise<Array<Record<string, unknown>>> {
  const { DuckDBTimestampTZValue, DuckDBDateValue, DuckDBDecimalValue } = await loadDuckDB();
  const types = new Map(columns.map((c) => [c.name, c.type]));
  const reader = await db.runAndReadAll(`SELECT * EXCLUDE (${quote(EXTRACTED_AT)}) FROM ${quote(table)}`);
  return reader.getRowObjects().map((row) => {
    const record: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(row)) {
      if (value === null) continue;
      if (name === EXTRAS) Object.assign(record, JSON.parse(String(value)) as object);
      else if (value instanceof DuckDBTimestampTZValue)
        record[name] = new Date(Number(value.micros / 1000n)).toISOString();
      else if (value instanceof DuckDBDateValue)
        record[name] = new Date(value.days * 86_400_000).toISOString().slice(0, 10);
      else if (typeof value === 'bigint') record[name] = Number(value);
      else if (value instanceof DuckDBDecimalValue) record[name] = Number(value.toString());
      else if (types.get(name) === 'JSON') record[name] = JSON.parse(String(value));
      else record[name] = value;
    }
    return record;
  });
}
