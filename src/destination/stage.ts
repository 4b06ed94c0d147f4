// One stream's staging: each record is split into its typed columns (values that do not fit, and fields the
// schema does not know, into the extras) and appended, 2,048 rows at a time, to the stream's temporary
// staging table through DuckDB's appender. A column-wise data chunk costs one native call per string, where
// the row-wise appender costs one per value.
import type { DuckDBAppender, DuckDBDataChunk, DuckDBType, DuckDBValue } from '@duckdb/node-api';
import { MISFIT, convert, type Column } from './columns.js';
import type { DuckDBModule } from './duckdb.js';

const CHUNK_ROWS = 2048;

export interface StageCounts {
  /** Records staged in this run. */
  rows: number;
  /** Per field: values kept in the extras because they did not fit their column. */
  misfits: Map<string, number>;
  /** Per field: values of fields the schema does not declare, kept in the extras. */
  undeclared: Map<string, number>;
}

export class Stage {
  private readonly known: Map<string, number>;
  private readonly types: DuckDBType[];
  private columns: DuckDBValue[][];
  private pending = 0;
  /** Chunks made while a commit runs (the stage has no appender then: it may not touch the connection). */
  private held: DuckDBDataChunk[] = [];
  private appender: DuckDBAppender | undefined;
  readonly counts: StageCounts = { rows: 0, misfits: new Map(), undeclared: new Map() };

  constructor(
    private readonly duckdb: DuckDBModule,
    private readonly schemaColumns: readonly Column[],
  ) {
    this.known = new Map(schemaColumns.map((c, i) => [c.name, i]));
    const { BIGINT, BOOLEAN, DATE, DOUBLE, TIMESTAMPTZ, VARCHAR } = duckdb;
    const typeOf = { BIGINT, BOOLEAN, DATE, DOUBLE, TIMESTAMPTZ, VARCHAR, JSON: VARCHAR } as const;
    // Staging layout: _seq, the schema's columns, _airbyte_extracted_at, _airbyte_extras.
    this.types = [BIGINT, ...schemaColumns.map((c) => typeOf[c.type]), TIMESTAMPTZ, VARCHAR];
    this.columns = this.types.map(() => []);
  }

  add(seq: number, data: Record<string, unknown>, emittedAtMs: number): void {
    const { duckdb, columns, schemaColumns } = this;
    const row = this.pending;
    let extras: Record<string, unknown> | undefined;
    columns[0]![row] = BigInt(seq);
    for (let i = 0; i < schemaColumns.length; i++) {
      const column = schemaColumns[i]!;
      const value = data[column.name];
      const converted = convert(column.type, value);
      if (converted === MISFIT) {
        (extras ??= {})[column.name] = value;
        this.counts.misfits.set(column.name, (this.counts.misfits.get(column.name) ?? 0) + 1);
        columns[i + 1]![row] = null;
      } else if (column.type === 'TIMESTAMPTZ' && converted !== null) {
        columns[i + 1]![row] = new duckdb.DuckDBTimestampTZValue(converted as bigint);
      } else if (column.type === 'DATE' && converted !== null) {
        columns[i + 1]![row] = new duckdb.DuckDBDateValue(converted as number);
      } else {
        columns[i + 1]![row] = converted;
      }
    }
    for (const key in data) {
      if (this.known.has(key)) continue;
      (extras ??= {})[key] = data[key];
      this.counts.undeclared.set(key, (this.counts.undeclared.get(key) ?? 0) + 1);
    }
    const n = schemaColumns.length;
    columns[n + 1]![row] = new duckdb.DuckDBTimestampTZValue(BigInt(Math.trunc(emittedAtMs)) * 1000n);
    columns[n + 2]![row] = extras === undefined ? null : JSON.stringify(extras);
    this.counts.rows++;
    if (++this.pending === CHUNK_ROWS) this.flushChunk();
  }

  /** Rows waiting in held chunks. */
  get heldRows(): number {
    return this.held.length * CHUNK_ROWS;
  }

  /** Appends to the staging table through `appender` from now on, starting with the chunks held meanwhile. */
  attach(appender: DuckDBAppender): void {
    this.appender = appender;
    for (const chunk of this.held) appender.appendDataChunk(chunk);
    this.held = [];
  }

  /** Everything added so far goes into the staging table, whose appender is then closed until `attach`. */
  detach(): void {
    if (this.pending > 0) this.flushChunk();
    this.appender?.closeSync();
    this.appender = undefined;
  }

  private flushChunk(): void {
    const chunk = this.duckdb.DuckDBDataChunk.create(this.types, this.pending);
    for (let c = 0; c < this.columns.length; c++) {
      const values = this.columns[c]!;
      values.length = this.pending;
      chunk.setColumnValues(c, values);
    }
    if (this.appender) this.appender.appendDataChunk(chunk);
    else this.held.push(chunk);
    this.columns = this.types.map(() => []);
    this.pending = 0;
  }
}
