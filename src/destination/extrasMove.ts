// When a stream's schema gains a field, rows loaded before hold its values in their extras (undeclared then).
// Each value that fits the new column exactly moves into it and leaves the extras; one that does not stays
// where it is. Values move as text, never through a parsed number, in the transaction that adds the column.
import type { DuckDBConnection } from '@duckdb/node-api';
import { AS_TEXT, type Column, EXTRAS, MISFIT, fitting, scaleOf } from './columns.js';
import { scanJson } from './jsonText.js';
import { type SegmentFiles, Segments, nodeFiles } from './segments.js';
import { literal, objectBytes, quote } from './sql.js';

/** A top-level key as a JSON pointer (`/name`, with `~` and `/` escaped). */
const pointer = (name: string) => `/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`;

/** Moves `column`'s values out of the extras of `table`'s rows into the column; returns how many moved. */
export async function moveExtrasIntoColumn(
  db: DuckDBConnection,
  table: string,
  column: Column,
  dir: string,
  files: SegmentFiles = nodeFiles,
): Promise<number> {
  const extras = quote(EXTRAS);
  const result = await db.stream(
    `SELECT rowid, CAST(${extras} AS VARCHAR) FROM ${quote(table)} WHERE json_exists(${extras}, ${literal(pointer(column.name))})`,
  );
  const segments = new Segments(dir, `${table}.moved`, files);
  let moved = 0;
  for await (const rows of result.yieldRows()) {
    for (const [rowid, text] of rows) {
      const raw = Buffer.from(String(text));
      const members = scanJson(raw).members ?? [];
      const value = [...members].reverse().find((m) => m.key === column.name);
      const how = value ? fitting(column.type, value, raw) : MISFIT;
      if (!value || how === MISFIT) continue;
      const rest = members.filter((m) => m.key !== column.name).map((m) => raw.toString('utf8', m.keyAt, m.end));
      const v = raw.toString('utf8', value.start, value.end);
      const line = `{"r":${String(rowid)},"v":${how === AS_TEXT ? 'null' : v},"t":${how === AS_TEXT ? JSON.stringify(v) : 'null'},"x":${rest.length ? JSON.stringify(`{${rest.join(',')}}`) : 'null'}}`;
      segments.append(line, undefined, '\n');
      moved++;
    }
  }
  segments.cut();
  const batch = segments.take();
  if (moved > 0) {
    const dated = column.type === 'TIMESTAMPTZ' || column.type === 'DATE';
    const typed = dated
      ? `CAST(s.v AS ${column.type})`
      : scaleOf(column.type) >= 0 || column.type === 'JSON'
        ? `COALESCE(CAST(s.t AS ${column.type}), s.v)`
        : 's.v';
    await db.run(
      `UPDATE ${quote(table)} SET ${quote(column.name)} = ${typed}, ${extras} = CAST(s.x AS JSON) FROM read_json([${batch.files.map(literal).join(', ')}], format = 'newline_delimited', maximum_object_size = ${objectBytes(batch.longest)}, columns = {r: 'BIGINT', v: ${literal(dated ? 'VARCHAR' : column.type)}, t: 'VARCHAR', x: 'VARCHAR'}) AS s WHERE ${quote(table)}.rowid = s.r`,
    );
  }
  segments.release(batch);
  return moved;
}
