// One stream's records on their way in: each is checked against the stream's columns and written to the
// stream's segments as `{"s":<line number>,"m":<the message line as received>}`. Nothing is re-serialised and no
// value crosses into DuckDB one at a time: DuckDB's JSON reader parses and types the lines in bulk. A record with
// values that do not fit their column exactly, or fields the schema does not declare, is rebuilt from the line's
// own text: the fields that fit as they were, the others whole into `"x"` (the extras, as text), and values
// DuckDB would read through a double (decimals, long numbers in JSON) into `"t"`, as text. A record that cannot be stored as received (a flaw the
// reader found, or a primary key that does not fit) goes whole to a third file, for the rejected table.
// For a deduplicated stream, each record's key and cursor also go to a small second file, so that choosing the
// rows to merge does not parse the records twice.
import { AS_TEXT, type Column, type ColumnType, DIRECT, fitting } from './columns.js';
import { type Member, NULL } from './jsonText.js';
import type { StreamPlan } from './loadPlan.js';
import { type Batch, type SegmentFiles, Segments } from './segments.js';
import type { RecordLine, StreamReport } from './writer.js';

/** What one commit takes: the record files, for a deduplicated stream the matching key files, the rejects. */
export interface StagedBatch {
  records: Batch;
  keys?: Batch;
  rejected: Batch;
}

/** How many rejected records a report names one by one. */
const NAMED_REJECTS = 5;

const bump = (counts: Map<string, number>, key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);

/** What the stage knows of a field name: its column type (none: undeclared) and whether it is in the key. */
interface FieldFacts {
  type: ColumnType | undefined;
  key: boolean;
}

export class Stage {
  private readonly types: Map<string, ColumnType>;
  /** FieldFacts by the scanner's key id: one array read per field instead of map lookups. */
  private readonly facts: FieldFacts[] = [];
  private readonly records: Segments;
  private readonly keys: Segments | undefined;
  private readonly rejects: Segments;
  /** The fields of a deduplicated stream's key file: its primary key and cursor. */
  private readonly keyFields: readonly string[];
  /** Streams whose rows are merged by primary key: a record without a usable key would be merged with others. */
  private readonly primaryKey: readonly string[];
  /** What this run staged (writer.ts's StreamReport). */
  readonly counts: StreamReport = {
    rows: 0,
    misfits: new Map(),
    undeclared: new Map(),
    rejected: 0,
    firstRejected: [],
  };

  constructor(dir: string, plan: StreamPlan, keyFields: readonly string[] | undefined, files?: SegmentFiles) {
    this.types = new Map(plan.columns.map((c: Column) => [c.name, c.type]));
    this.records = new Segments(dir, plan.name, files);
    this.keys = keyFields ? new Segments(dir, `${plan.name}.keys`, files) : undefined;
    this.rejects = new Segments(dir, `${plan.name}.rejected`, files);
    this.keyFields = keyFields ?? [];
    this.primaryKey = plan.mode === 'append' ? [] : plan.primaryKey;
  }

  add(record: RecordLine): void {
    this.counts.rows++;
    if (record.flaw !== undefined) {
      this.reject(record, record.flaw);
      return;
    }
    const { raw, fields } = record;
    // The common case: every field has a column and fits it as written, and the key is all there.
    let plain = true;
    let keys = 0;
    for (const f of fields) {
      const { type, key } = this.factsOf(f);
      if (type === undefined || fitting(type, f, raw) !== DIRECT) {
        plain = false;
        break;
      }
      if (key && f.kind !== NULL) keys++;
    }
    if (plain && keys === this.primaryKey.length) {
      this.keys?.append(this.keyLine(record, fields), undefined, '\n');
      this.records.append(`{"s":${record.line},"m":`, raw, '}\n');
      return;
    }
    this.rebuild(record);
  }

  private factsOf(f: Member): FieldFacts {
    const known = f.id >= 0 ? this.facts[f.id] : undefined;
    if (known) return known;
    const facts = { type: this.types.get(f.key), key: this.primaryKey.includes(f.key) };
    if (f.id >= 0) this.facts[f.id] = facts;
    return facts;
  }

  /** The record without what does not fit: the fields that do as written, the others as text beside them. */
  private rebuild(record: RecordLine): void {
    const { raw, fields } = record;
    const kept: Member[] = [];
    const extras: Member[] = [];
    const texts: Member[] = [];
    for (const f of fields) {
      const type = this.types.get(f.key);
      const how = type === undefined ? undefined : fitting(type, f, raw);
      if (how === DIRECT) kept.push(f);
      else if (how === AS_TEXT) texts.push(f);
      else extras.push(f);
    }
    for (const k of this.primaryKey) {
      const f = kept.find((m) => m.key === k);
      if (f && f.kind !== NULL) continue;
      const given = fields.find((m) => m.key === k);
      const problem = !given
        ? 'is missing'
        : given.kind === NULL
          ? 'is null'
          : `(${raw.toString('utf8', given.start, given.end)}) does not fit its column (${this.types.get(k)})`;
      this.reject(record, `its primary key field '${k}' ${problem}`);
      return;
    }
    for (const f of extras) bump(this.types.has(f.key) ? this.counts.misfits : this.counts.undeclared, f.key);
    const text = (f: Member) => raw.toString('utf8', f.keyAt, f.end);
    let line = `{"s":${record.line}`;
    if (extras.length) line += `,"x":${JSON.stringify(`{${extras.map(text).join(',')}}`)}`;
    if (texts.length)
      line += `,"t":{${texts.map((f) => `${JSON.stringify(f.key)}:${JSON.stringify(raw.toString('utf8', f.start, f.end))}`).join(',')}}`;
    line += `,"m":{"record":{"emitted_at":${record.emittedAt},"data":{${kept.map(text).join(',')}}}}}\n`;
    this.keys?.append(this.keyLine(record, kept), undefined, '\n');
    this.records.append(line, undefined, '');
  }

  /** The key fields of a record in the records' layout, as written; a field that did not fit is absent. */
  private keyLine(record: RecordLine, fields: readonly Member[]): string {
    let data = '';
    for (const f of fields) {
      if (!this.keyFields.includes(f.key)) continue;
      data += `${data ? ',' : ''}${record.raw.toString('utf8', f.keyAt, f.end)}`;
    }
    return `{"s":${record.line},"m":{"record":{"data":{${data}}}}}`;
  }

  /** Sets a record aside whole: its text as received (its bytes, when they are not UTF-8) and why. */
  private reject(record: RecordLine, reason: string): void {
    this.counts.rejected++;
    const key = this.keyText(record);
    if (this.counts.firstRejected.length < NAMED_REJECTS)
      this.counts.firstRejected.push({ line: record.line, key, reason });
    const utf8 = record.dataEnd > 0;
    const data = utf8 ? JSON.stringify(record.raw.toString('utf8', record.dataStart, record.dataEnd)) : 'null';
    const bytes = utf8 ? 'null' : `"${record.raw.toString('base64')}"`;
    this.rejects.append(
      `{"s":${record.line},"r":${JSON.stringify(reason)},"k":${key === undefined ? 'null' : JSON.stringify(key)},"d":${data},"b":${bytes}}`,
      undefined,
      '\n',
    );
  }

  /** The record's primary key fields as JSON text (as written, every occurrence), for people to find it by. */
  private keyText(record: RecordLine): string | undefined {
    if (this.primaryKey.length === 0) return undefined;
    if (record.dataEnd === 0) {
      const data = record.data();
      return JSON.stringify(Object.fromEntries(this.primaryKey.map((k) => [k, data[k]])));
    }
    const parts = record.fields
      .filter((f) => this.primaryKey.includes(f.key))
      .map((f) => record.raw.toString('utf8', f.keyAt, f.end));
    return `{${parts.join(',')}}`;
  }

  /** Closes the open segment: the records so far are covered by a state just received (or are the last ones). */
  cut(): void {
    this.records.cut();
    this.keys?.cut();
    this.rejects.cut();
  }

  /** Hands the closed segments over to a commit. */
  take(): StagedBatch {
    return {
      records: this.records.take(),
      ...(this.keys ? { keys: this.keys.take() } : {}),
      rejected: this.rejects.take(),
    };
  }

  /** Deletes a committed batch's files. */
  release(batch: StagedBatch): void {
    this.records.release(batch.records);
    if (batch.keys) this.keys?.release(batch.keys);
    this.rejects.release(batch.rejected);
  }

  /** Bytes waiting on disk for a commit. */
  get waiting(): number {
    return this.records.waiting + (this.keys?.waiting ?? 0) + this.rejects.waiting;
  }

  close(): void {
    this.records.close();
    this.keys?.close();
    this.rejects.close();
  }
}
