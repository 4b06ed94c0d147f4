// One stream's records on their way in: each is checked against the stream's columns and written to the
// stream's segments as `{"s":<line number>,"m":<the message line as received>}`. Nothing is re-serialised and no
// value crosses into DuckDB one at a time: DuckDB's JSON reader parses and types the lines in bulk. A record with
// values that do not fit their column, or fields the schema does not declare, is the exception: it is written
// without them, and they go whole into `"x"`, the extras.
// For a deduplicated stream, each record's key and cursor also go to a small second file, so that choosing the
// rows to merge does not parse the records twice.
import { fits, type Column, type ColumnType } from './columns.js';
import { Segments, type Batch } from './segments.js';

export interface StageCounts {
  /** Records staged in this run. */
  rows: number;
  /** Per field: values kept in the extras because they did not fit their column. */
  misfits: Map<string, number>;
  /** Per field: values of fields the schema does not declare, kept in the extras. */
  undeclared: Map<string, number>;
}

/** What one commit takes: the record files and, for a deduplicated stream, the matching key files. */
export interface StagedBatch {
  records: Batch;
  keys?: Batch;
}

const bump = (counts: Map<string, number>, key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);

export class Stage {
  private readonly types: Map<string, ColumnType>;
  private readonly records: Segments;
  private readonly keys: Segments | undefined;
  /** `"name":` of each key field, for the key file's lines. */
  private readonly keyHeads: Array<[string, string]>;
  readonly counts: StageCounts = { rows: 0, misfits: new Map(), undeclared: new Map() };

  /** `keyFields`: the primary key and cursor of a deduplicated stream. */
  constructor(dir: string, stream: string, columns: readonly Column[], keyFields?: readonly string[]) {
    this.types = new Map(columns.map((c) => [c.name, c.type]));
    this.records = new Segments(dir, stream);
    this.keys = keyFields ? new Segments(dir, `${stream}.keys`) : undefined;
    this.keyHeads = (keyFields ?? []).map((f) => [f, `${JSON.stringify(f)}:`]);
  }

  /** `raw`: the message line's bytes (valid UTF-8), `data` and `emittedAt` parsed from it; `seq`: its line number. */
  add(seq: number, raw: Buffer, data: Record<string, unknown>, emittedAt: number): void {
    this.counts.rows++;
    let extras: Record<string, unknown> | undefined;
    for (const key in data) {
      const type = this.types.get(key);
      if (type !== undefined && fits(type, data[key])) continue;
      // No prototype: a field named __proto__ is a field like any other.
      (extras ??= Object.create(null) as Record<string, unknown>)[key] = data[key];
      bump(type === undefined ? this.counts.undeclared : this.counts.misfits, key);
    }
    if (this.keys) this.keys.append(this.keyLine(seq, data, extras), undefined, '\n');
    if (extras === undefined) {
      this.records.append(`{"s":${seq},"m":`, raw, '}\n');
      return;
    }
    const kept = Object.create(null) as Record<string, unknown>;
    for (const key in data) if (!(key in extras)) kept[key] = data[key];
    this.records.append(
      JSON.stringify({ s: seq, x: extras, m: { record: { emitted_at: emittedAt, data: kept } } }),
      undefined,
      '\n',
    );
  }

  /** The key fields of a record in the records' layout; a value kept in the extras is absent here too. */
  private keyLine(seq: number, data: Record<string, unknown>, extras: Record<string, unknown> | undefined): string {
    let fields = '';
    for (const [field, head] of this.keyHeads) {
      const value = data[field];
      if (value === undefined || (extras !== undefined && field in extras)) continue;
      fields += `${fields ? ',' : ''}${head}${JSON.stringify(value)}`;
    }
    return `{"s":${seq},"m":{"record":{"data":{${fields}}}}}`;
  }

  /** Closes the open segment: the records so far are covered by a state just received (or are the last ones). */
  cut(): void {
    this.records.cut();
    this.keys?.cut();
  }

  /** Hands the closed segments over to a commit. */
  take(): StagedBatch {
    return { records: this.records.take(), ...(this.keys ? { keys: this.keys.take() } : {}) };
  }

  /** Deletes a committed batch's files. */
  release(batch: StagedBatch): void {
    this.records.release(batch.records);
    if (batch.keys) this.keys?.release(batch.keys);
  }

  /** Bytes waiting on disk for a commit. */
  get waiting(): number {
    return this.records.waiting + (this.keys?.waiting ?? 0);
  }

  close(): void {
    this.records.close();
    this.keys?.close();
  }
}
