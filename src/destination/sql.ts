// The SQL the writer runs, built from a stream's plan. Pure strings: no I/O here.
// No PRIMARY KEY constraints: DuckDB's ART indexes slow bulk loads and refuse some delete-then-insert
// sequences of one key inside a transaction (DuckDB docs, Indexes: limitations); the merge below keeps keys
// unique by construction and the tests check it.
import { type Column, type ColumnType, EXTRACTED_AT, EXTRAS, scaleOf } from './columns.js';
import type { StreamPlan } from './loadPlan.js';

export const STATE_TABLE = '_shipstation_state';
export const CATALOG_TABLE = '_shipstation_catalog';
export const REJECTED_TABLE = '_shipstation_rejected';
/** The staged line's number, carried through a merge; `_airbyte_` names are never a property's column. */
export const SEQ = '_airbyte_seq';

export const quote = (identifier: string): string => `"${identifier.replace(/"/g, '""')}"`;
export const literal = (text: string): string => `'${text.replace(/'/g, "''")}'`;

/** The stream table's columns: the schema's, then the two `_airbyte_` ones. */
export function tableColumns(plan: StreamPlan): Column[] {
  return [...plan.columns, { name: EXTRACTED_AT, type: 'TIMESTAMPTZ' }, { name: EXTRAS, type: 'JSON' }];
}

const columnList = (columns: Column[]) => columns.map((c) => `${quote(c.name)} ${c.type}`).join(', ');

export function createTable(plan: StreamPlan, orReplace = false): string {
  return `CREATE ${orReplace ? 'OR REPLACE TABLE' : 'TABLE IF NOT EXISTS'} ${quote(plan.name)} (${columnList(tableColumns(plan))})`;
}

export const CREATE_REJECTED = `CREATE TABLE IF NOT EXISTS ${REJECTED_TABLE} (stream VARCHAR NOT NULL, reason VARCHAR NOT NULL, "key" VARCHAR, record VARCHAR, record_bytes BLOB, input_line BIGINT NOT NULL, loaded_at TIMESTAMPTZ NOT NULL)`;

/** Dates and date-times are read as text and cast in SQL, with the session's UTC zone for a missing offset. */
const castLater = (c: Column) => c.type === 'TIMESTAMPTZ' || c.type === 'DATE';
/** Columns whose values may come as text (`t`): decimals and JSON (see columns.ts, AS_TEXT). */
const asText = (c: Column) => scaleOf(c.type) >= 0 || c.type === 'JSON';

/** The longest line DuckDB's JSON reader takes by default; a batch holding longer lines raises it for itself. */
export const MIN_OBJECT_BYTES = 16 * 1024 * 1024;

/**
 * The rows of segment files (see stage.ts): `_airbyte_seq`, then the stream table's columns (or only `only` of
 * them). The reader types every value as its column declares; the stage let through only values of that JSON type
 * that the type holds exactly, so nothing is coerced, and a cast that still fails stops the load (it is never
 * turned into NULL). Values staged as text (`t`: decimals, JSON with long numbers) win over the same field read
 * as JSON; they and the extras (text too) are cast, which keeps JSON text as it is.
 */
export function readSegments(
  plan: StreamPlan,
  files: readonly string[],
  longest: number,
  only?: readonly string[],
): string {
  const columns = only ? plan.columns.filter((c) => only.includes(c.name)) : plan.columns;
  const fields = columns.map((c) => `${quote(c.name)} ${castLater(c) ? 'VARCHAR' : c.type}`).join(', ');
  const record = `STRUCT(${[only ? '' : 'emitted_at DOUBLE', fields ? `data STRUCT(${fields})` : ''].filter(Boolean).join(', ')})`;
  const texts = only ? [] : columns.filter(asText);
  const value = (c: Column) => {
    const v = `m.record.data.${quote(c.name)}`;
    const typed = castLater(c)
      ? `CAST(${v} AS ${c.type})`
      : asText(c) && !only
        ? `COALESCE(CAST(t.${quote(c.name)} AS ${c.type}), ${v})`
        : v;
    return `${typed} AS ${quote(c.name)}`;
  };
  const select = [`s AS ${quote(SEQ)}`, ...columns.map(value)];
  if (!only)
    select.push(
      `CAST(epoch_ms(CAST(trunc(m.record.emitted_at) AS BIGINT)) AS TIMESTAMPTZ) AS ${quote(EXTRACTED_AT)}`,
      `CAST(x AS JSON) AS ${quote(EXTRAS)}`,
    );
  const textStruct = texts.length
    ? `t: ${literal(`STRUCT(${texts.map((c) => `${quote(c.name)} VARCHAR`).join(', ')})`)}, `
    : '';
  const types = `{s: 'BIGINT', ${only ? '' : "x: 'VARCHAR', "}${textStruct}m: ${literal(`STRUCT(record ${record})`)}}`;
  return `SELECT ${select.join(', ')} FROM read_json([${files.map(literal).join(', ')}], format = 'newline_delimited', maximum_object_size = ${objectBytes(longest)}, columns = ${types})`;
}

/** Room for the longest staged line, and never less than DuckDB's own default. */
export const objectBytes = (longest: number) => Math.max(MIN_OBJECT_BYTES, longest + 1024);

export function addColumn(table: string, column: Column): string {
  return `ALTER TABLE ${quote(table)} ADD COLUMN ${quote(column.name)} ${column.type}`;
}

/** DuckDB's spelling of our column types in duckdb_columns().data_type. */
export function typeFromCatalog(dataType: string): ColumnType | undefined {
  const t = dataType.toUpperCase();
  if (t === 'TIMESTAMP WITH TIME ZONE') return 'TIMESTAMPTZ';
  const decimal = /^DECIMAL\(18,(\d+)\)$/.exec(t);
  if (decimal) return `DECIMAL(18,${Number(decimal[1])})`;
  return (['TIMESTAMPTZ', 'DATE', 'BIGINT', 'DOUBLE', 'BOOLEAN', 'VARCHAR', 'JSON'] as const).find((c) => c === t);
}

/** Rows of `from` one per key: the newest cursor value wins (nulls oldest), then the latest arrival. */
function newestPerKey(plan: StreamPlan, columns: string, from: string): string {
  const rows = `SELECT ${columns} FROM ${from}`;
  if (plan.primaryKey.length === 0) return rows;
  const order = [...(plan.cursor ? [`${quote(plan.cursor)} DESC NULLS LAST`] : []), `${quote(SEQ)} DESC`].join(', ');
  return `${rows} QUALIFY row_number() OVER (PARTITION BY ${plan.primaryKey.map(quote).join(', ')} ORDER BY ${order}) = 1`;
}

/** Keys are never NULL in staged rows (the stage sets such records aside), so plain equality matches them. */
const sameKey = (plan: StreamPlan, a: string, b: string) =>
  plan.primaryKey.map((k) => `${a}.${quote(k)} = ${b}.${quote(k)}`).join(' AND ');

/** The fields a deduplicated stream's key files hold (stage.ts): its primary key and cursor. */
export const keyFields = (plan: StreamPlan): string[] => [
  ...plan.primaryKey,
  ...(plan.cursor && !plan.primaryKey.includes(plan.cursor) ? [plan.cursor] : []),
];

/** Closed segment files and their longest line. */
export interface StagedFiles {
  files: readonly string[];
  longest: number;
}

/**
 * Statements that move the segments' rows into the table: appended, or deduplicated with the winners chosen on
 * the key files (the newest cursor per key, unless the table holds a newer one) and only their rows read.
 */
export function mergeSegments(plan: StreamPlan, records: StagedFiles, keys: StagedFiles): string[] {
  const table = quote(plan.name);
  const rows = (where: string) =>
    `INSERT INTO ${table} BY NAME SELECT * EXCLUDE (${quote(SEQ)}) FROM (${readSegments(plan, records.files, records.longest)}) WHERE ${where}`;
  if (plan.mode === 'append') return [rows('true')];
  const statements = [
    `CREATE OR REPLACE TEMP TABLE _merge AS ${newestPerKey(plan, '*', `(${readSegments(plan, keys.files, keys.longest, keyFields(plan))})`)}`,
  ];
  if (plan.cursor) {
    // A row already loaded with a newer cursor value stays (records of one stream may arrive out of order).
    const c = quote(plan.cursor);
    statements.push(
      `DELETE FROM _merge USING ${table} WHERE ${sameKey(plan, '_merge', table)} AND ${table}.${c} IS NOT NULL AND (_merge.${c} IS NULL OR ${table}.${c} > _merge.${c})`,
    );
  }
  statements.push(
    `DELETE FROM ${table} USING _merge WHERE ${sameKey(plan, table, '_merge')}`,
    rows(`${quote(SEQ)} IN (SELECT ${quote(SEQ)} FROM _merge)`),
    'DROP TABLE _merge',
  );
  return statements;
}

/** Statements that replace the table with the segments' rows (the end of an overwrite stream). */
export function replaceWithSegments(plan: StreamPlan, records: StagedFiles): string[] {
  const statements = [createTable(plan, true)];
  if (records.files.length)
    statements.push(
      `INSERT INTO ${quote(plan.name)} BY NAME SELECT * EXCLUDE (${quote(SEQ)}) FROM (${newestPerKey(plan, '*', `(${readSegments(plan, records.files, records.longest)})`)})`,
    );
  return statements;
}

/** The statement that files a batch's rejected records (stage.ts) in the rejected table. */
export function insertRejected(stream: string, rejected: StagedFiles): string {
  return `INSERT INTO ${REJECTED_TABLE} SELECT ${literal(stream)}, r, k, d, from_base64(b), s, now() FROM read_json([${rejected.files.map(literal).join(', ')}], format = 'newline_delimited', maximum_object_size = ${objectBytes(rejected.longest)}, columns = {s: 'BIGINT', r: 'VARCHAR', k: 'VARCHAR', d: 'VARCHAR', b: 'VARCHAR'})`;
}
