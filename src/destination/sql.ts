// The SQL the writer runs, built from a stream's plan. Pure strings: no I/O here.
// No PRIMARY KEY constraints: DuckDB's ART indexes slow bulk loads and refuse some delete-then-insert
// sequences of one key inside a transaction (DuckDB docs, Indexes: limitations); the merge below keeps keys
// unique by construction and the tests check it.
import { EXTRACTED_AT, EXTRAS, type Column, type ColumnType } from './columns.js';
import type { StreamPlan } from './catalog.js';

export const STATE_TABLE = '_shipstation_state';
export const CATALOG_TABLE = '_shipstation_catalog';
export const SEQ = '_seq';

export const quote = (identifier: string): string => `"${identifier.replace(/"/g, '""')}"`;
export const literal = (text: string): string => `'${text.replace(/'/g, "''")}'`;

export const stageName = (stream: string): string => `_stage_${stream}`;

/** The stream table's columns: the schema's, then the two `_airbyte_` ones. */
export function tableColumns(plan: StreamPlan): Column[] {
  return [...plan.columns, { name: EXTRACTED_AT, type: 'TIMESTAMPTZ' }, { name: EXTRAS, type: 'JSON' }];
}

const columnList = (columns: Column[], typeOf: (c: Column) => string) => columns.map((c) => `${quote(c.name)} ${typeOf(c)}`).join(', ');

export function createTable(plan: StreamPlan, orReplace = false): string {
  return `CREATE ${orReplace ? 'OR REPLACE TABLE' : 'TABLE IF NOT EXISTS'} ${quote(plan.name)} (${columnList(tableColumns(plan), (c) => c.type)})`;
}

/**
 * The staging table: a sequence number (arrival order), then the stream table's columns, JSON ones as VARCHAR:
 * the insert into the stream table casts (and so validates) them on DuckDB's threads, not the loader's.
 */
export function createStage(plan: StreamPlan): string {
  return `CREATE OR REPLACE TEMP TABLE ${quote(stageName(plan.name))} (${quote(SEQ)} BIGINT, ${columnList(tableColumns(plan), (c) => (c.type === 'JSON' ? 'VARCHAR' : c.type))})`;
}

export function addColumn(table: string, column: Column): string {
  return `ALTER TABLE ${quote(table)} ADD COLUMN ${quote(column.name)} ${column.type}`;
}

export function changeColumnType(table: string, column: Column): string {
  return `ALTER TABLE ${quote(table)} ALTER COLUMN ${quote(column.name)} SET DATA TYPE ${column.type} USING CAST(${quote(column.name)} AS ${column.type})`;
}

/** DuckDB's spelling of our column types in duckdb_columns().data_type. */
export function typeFromCatalog(dataType: string): ColumnType | undefined {
  const t = dataType.toUpperCase();
  if (t === 'TIMESTAMP WITH TIME ZONE') return 'TIMESTAMPTZ';
  return (['TIMESTAMPTZ', 'DATE', 'BIGINT', 'DOUBLE', 'BOOLEAN', 'VARCHAR', 'JSON'] as const).find((c) => c === t);
}

const upToSeq = (upTo?: number) => (upTo === undefined ? 'true' : `${quote(SEQ)} <= ${upTo}`);

/** The staged rows up to `upTo`, one per key: the newest cursor value wins (nulls oldest), then the latest arrival. */
function newestPerKey(plan: StreamPlan, columns: string, upTo?: number): string {
  const from = `SELECT ${columns} FROM ${quote(stageName(plan.name))} WHERE ${upToSeq(upTo)}`;
  if (plan.primaryKey.length === 0) return from;
  const order = [...(plan.cursor ? [`${quote(plan.cursor)} DESC NULLS LAST`] : []), `${quote(SEQ)} DESC`].join(', ');
  return `${from} QUALIFY row_number() OVER (PARTITION BY ${plan.primaryKey.map(quote).join(', ')} ORDER BY ${order}) = 1`;
}

const sameKey = (plan: StreamPlan, a: string, b: string) => plan.primaryKey.map((k) => `${a}.${quote(k)} IS NOT DISTINCT FROM ${b}.${quote(k)}`).join(' AND ');

/** Statements that move the staged rows up to `upTo` into the table (dedup or append), then out of staging. */
export function mergeStaged(plan: StreamPlan, upTo: number): string[] {
  const table = quote(plan.name);
  const stage = quote(stageName(plan.name));
  // The rows after `upTo` move to a fresh staging table: a temporary table never gives back deleted rows' memory.
  const done = [
    `CREATE OR REPLACE TEMP TABLE _rest AS SELECT * FROM ${stage} WHERE ${quote(SEQ)} > ${upTo}`,
    `DROP TABLE ${stage}`,
    `ALTER TABLE _rest RENAME TO ${stage}`,
  ];
  const rows = (where: string) => `INSERT INTO ${table} BY NAME SELECT * EXCLUDE (${quote(SEQ)}) FROM ${stage} WHERE ${where}`;
  if (plan.mode === 'append') return [rows(upToSeq(upTo)), ...done];
  // The winners are chosen on the key, cursor and sequence columns only; then their whole rows are copied once.
  const narrow = [...plan.primaryKey, ...(plan.cursor ? [plan.cursor] : []), SEQ].map(quote).join(', ');
  const statements = [`CREATE OR REPLACE TEMP TABLE _merge AS ${newestPerKey(plan, narrow, upTo)}`];
  if (plan.cursor) {
    // A row already loaded with a newer cursor value stays (records of one stream may arrive out of order).
    const c = quote(plan.cursor);
    statements.push(`DELETE FROM _merge USING ${table} WHERE ${sameKey(plan, '_merge', table)} AND ${table}.${c} IS NOT NULL AND (_merge.${c} IS NULL OR ${table}.${c} > _merge.${c})`);
  }
  statements.push(
    `DELETE FROM ${table} USING _merge WHERE ${sameKey(plan, table, '_merge')}`,
    rows(`${quote(SEQ)} IN (SELECT ${quote(SEQ)} FROM _merge)`),
    'DROP TABLE _merge',
    ...done,
  );
  return statements;
}

/** Statements that replace the table with every staged row (the end of an overwrite stream), then empty the staging. */
export function replaceWithStaged(plan: StreamPlan): string[] {
  return [
    createTable(plan, true),
    `INSERT INTO ${quote(plan.name)} BY NAME SELECT * EXCLUDE (${quote(SEQ)}) FROM (${newestPerKey(plan, '*')})`,
    createStage(plan),
  ];
}
