// The DuckDB Writer (writer.ts): stream tables in a DuckDB file, and the state they are at. Records wait in
// segment files (stage.ts); at a STATE the stream's records up to it are read by DuckDB and merged into its table,
// and the state is written, in one transaction. So the database always holds exactly the records its stored
// states cover (plus, after a clean end, the rows after the last state): a crash anywhere loses nothing the next
// run will not read again, and the merge by primary key makes re-reads harmless.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { Column } from './columns.js';
import { loadDuckDB } from './duckdb.js';
import { DestinationError } from './errors.js';
import { duckdbFailure } from './failures.js';
import type { StreamPlan } from './loadPlan.js';
import { lowerBackgroundPriority } from './priority.js';
import { conversion, conversionRefused } from './schemaChange.js';
import type { SegmentFiles } from './segments.js';
import {
  CATALOG_TABLE,
  CREATE_REJECTED,
  STATE_TABLE,
  addColumn,
  createTable,
  insertRejected,
  keyFields,
  literal,
  mergeSegments,
  quote,
  replaceWithSegments,
  tableColumns,
  typeFromCatalog,
} from './sql.js';
import { Stage, type StagedBatch } from './stage.js';
import { moveExtrasIntoColumn } from './extrasMove.js';
import { makeTempDir } from './tempFiles.js';
import type { RecordLine, StreamReport, Writer } from './writer.js';

export interface WriterOptions {
  /** How segment files are written (a stand-in that fails like a full disk, in tests). */
  files?: SegmentFiles;
}

/** Commit at a STATE once this long has passed since the last commit (fewer, larger transactions). */
const COMMIT_INTERVAL_MS = 1000;
/** Bytes of records waiting on disk while a commit runs before the loader waits for it. */
const MAX_WAITING_BYTES = 256 * 1024 * 1024;
/** The database's name inside the session (the file is attached to an in-memory instance; see `open`). */
const DATABASE = 'destination';
/**
 * Rows per row group of the file (DuckDB's default is 122,880). Rows committed a batch at a time go into the last,
 * partial row group, which every checkpoint compresses again whole: smaller groups bound that work, and the memory
 * it takes, for wide records.
 */
const ROW_GROUP_SIZE = 16_384;
/**
 * DuckDB's own memory (past it, it spills to disk). One thread: the loader commits one batch at a time, and a
 * second thread costs more in coordination than it gains on a machine that also runs the connector.
 */
const MEMORY_MB = 128;
const SETTINGS = { threads: '1', memory_limit: `${MEMORY_MB}MB`, preserve_insertion_order: 'false' };
/**
 * DuckDB's JSON reader holds about three copies of its longest line: a batch with long lines (up to the loader's
 * line limit) gets room for four for the time of its commit, so a long record is never refused for memory.
 */
const memoryFor = (longest: number) => Math.max(MEMORY_MB, Math.ceil((4 * longest) / (1 << 20)) + 64);

interface StreamSlot {
  plan: StreamPlan;
  stage: Stage;
  /** The last STATE received (its text), not yet committed; the closed segments hold every record before it. */
  state?: string;
  /** Overwrite streams: the stream completed (its table is replaced at the next commit), and was replaced. */
  complete: boolean;
  replaced: boolean;
}

export class DuckDBWriter implements Writer {
  private readonly slots = new Map<string, StreamSlot>();
  private lastCommit = Date.now();
  private committing: Promise<void> | undefined;
  private closed = false;

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly db: DuckDBConnection,
    /** The database file, for sentences. */
    private readonly path: string,
    /** The segment files' folder, removed at close. */
    private readonly dir: string,
    private readonly files: SegmentFiles | undefined,
  ) {}

  static async open(path: string, options: WriterOptions = {}): Promise<DuckDBWriter> {
    const duckdb = await loadDuckDB();
    const dir = makeTempDir('load');
    let instance: DuckDBInstance | undefined;
    let db: DuckDBConnection | undefined;
    try {
      instance = await duckdb.DuckDBInstance.create(':memory:', { ...SETTINGS, temp_directory: join(dir, 'spill') });
      db = await instance.connect();
      try {
        // Attached rather than opened, for the row group size (an ATTACH option).
        await db.run(`ATTACH ${literal(path)} AS ${DATABASE} (ROW_GROUP_SIZE ${ROW_GROUP_SIZE})`);
      } catch (err) {
        const sentence = duckdbFailure(err, path);
        throw sentence instanceof DestinationError
          ? sentence
          : new DestinationError(`cannot open the DuckDB file ${path}: ${(err as Error).message.split('\n')[0]}`);
      }
      await db.run(`USE ${DATABASE}`);
      await db.run("SET TimeZone = 'UTC'");
      await db.run(
        `CREATE TABLE IF NOT EXISTS ${STATE_TABLE} (stream VARCHAR NOT NULL, state JSON NOT NULL, updated_at TIMESTAMPTZ NOT NULL)`,
      );
      await db.run(
        `CREATE TABLE IF NOT EXISTS ${CATALOG_TABLE} (configured_catalog JSON NOT NULL, updated_at TIMESTAMPTZ NOT NULL)`,
      );
      await db.run(CREATE_REJECTED);
    } catch (err) {
      db?.closeSync();
      instance?.closeSync();
      rmSync(dir, { recursive: true, force: true });
      throw duckdbFailure(err, path);
    }
    lowerBackgroundPriority();
    return new DuckDBWriter(instance, db, path, dir, options.files);
  }

  /** The stored per-stream states (the `state` objects of the STATE messages, as received), for the next read. */
  async states(streams?: readonly string[]): Promise<string[]> {
    const rows = (
      await this.db.runAndReadAll(`SELECT stream, CAST(state AS VARCHAR) FROM ${STATE_TABLE} ORDER BY stream`)
    ).getRows();
    return rows.filter(([stream]) => !streams || streams.includes(String(stream))).map(([, state]) => String(state));
  }

  /** The configured catalog of the last load that was given one. */
  async storedCatalog(): Promise<unknown> {
    const rows = (
      await this.db.runAndReadAll(`SELECT CAST(configured_catalog AS VARCHAR) FROM ${CATALOG_TABLE}`)
    ).getRows();
    return rows.length ? JSON.parse(String(rows[0]![0])) : undefined;
  }

  /** Creates or widens the stream tables (schema changes add columns); records the catalog. */
  async prepare(plans: StreamPlan[], catalog?: unknown): Promise<void> {
    await this.transaction(async () => {
      for (const plan of plans) await this.prepareTable(plan);
      if (catalog !== undefined) {
        await this.db.run(`DELETE FROM ${CATALOG_TABLE}`);
        await this.db.run(`INSERT INTO ${CATALOG_TABLE} VALUES (${literal(JSON.stringify(catalog))}, now())`);
      }
    });
    for (const plan of plans) {
      const stage = new Stage(this.dir, plan, plan.mode === 'dedup' ? keyFields(plan) : undefined, this.files);
      this.slots.set(plan.name, { plan, stage, complete: false, replaced: false });
    }
  }

  private async prepareTable(plan: StreamPlan): Promise<void> {
    await this.db.run(createTable(plan));
    // An overwrite stream's table is rebuilt with the current columns when the stream completes.
    if (plan.mode === 'overwrite') return;
    const existing = new Map(
      (
        await this.db.runAndReadAll(
          `SELECT column_name, data_type FROM duckdb_columns() WHERE database_name = '${DATABASE}' AND schema_name = 'main' AND table_name = ${literal(plan.name)}`,
        )
      )
        .getRows()
        .map(([name, type]) => [String(name).toLowerCase(), String(type)]),
    );
    for (const column of tableColumns(plan)) {
      const current = existing.get(column.name.toLowerCase());
      if (current === undefined) {
        await this.db.run(addColumn(plan.name, column));
        // Rows loaded before the schema declared the field hold it in their extras: it moves into the column.
        await moveExtrasIntoColumn(this.db, plan.name, column, this.dir);
      } else if (typeFromCatalog(current) !== column.type) {
        await this.changeType(plan.name, column, current);
      }
    }
  }

  /** A column whose type the schema changed: converted only when no stored value would change. */
  private async changeType(table: string, column: Column, current: string): Promise<void> {
    const c = quote(column.name);
    const alter = (using: string) =>
      this.db.run(`ALTER TABLE ${quote(table)} ALTER COLUMN ${c} SET DATA TYPE ${column.type} USING ${using}`);
    const count = async (where: string) =>
      Number((await this.db.runAndReadAll(`SELECT count(*) FROM ${quote(table)} WHERE ${where}`)).getRows()[0]![0]);
    const values = await count(`${c} IS NOT NULL`);
    if (values === 0) return void (await alter(`CAST(${c} AS ${column.type})`));
    const from = typeFromCatalog(current);
    const how = from === undefined ? undefined : conversion(from, column.type, c);
    const changed = how ? await count(`${c} IS NOT NULL AND (${how.changes})`) : values;
    if (how && changed === 0) return void (await alter(how.using));
    const example = (
      await this.db.runAndReadAll(
        `SELECT CAST(${c} AS VARCHAR) FROM ${quote(table)} WHERE ${c} IS NOT NULL${how ? ` AND (${how.changes})` : ''} LIMIT 1`,
      )
    ).getRows()[0]![0];
    throw conversionRefused(table, column.name, current, column.type, changed, String(example));
  }

  has(stream: string): boolean {
    return this.slots.has(stream);
  }

  record(stream: string, record: RecordLine): void {
    this.slot(stream).stage.add(record);
  }

  /**
   * A STATE covers the stream's records before it: they close a segment. Commits run in the background (DuckDB
   * works on its own threads while the loader reads on) and at most one at a time: this one starts when none is
   * running and a second has passed since the last.
   */
  async state(stream: string, _state: Record<string, unknown>, text: string): Promise<void> {
    const slot = this.slot(stream);
    slot.stage.cut();
    slot.state = text;
    if (!this.committing && Date.now() - this.lastCommit >= COMMIT_INTERVAL_MS) await this.commit();
  }

  /** The stream completed: an overwrite stream's table is replaced with the next commit, which starts now. */
  async complete(stream: string): Promise<void> {
    const slot = this.slot(stream);
    if (slot.plan.mode !== 'overwrite') return;
    slot.stage.cut();
    slot.complete = true;
    await this.commit();
  }

  /**
   * The input ended cleanly: the rows of append and dedup streams after their last state are merged too (they
   * are whole records; re-reading them next time is harmless). Returns once everything is committed, with the
   * overwrite streams that never completed: their tables are left as they were.
   */
  async finish(): Promise<string[]> {
    for (const slot of this.slots.values()) if (slot.plan.mode !== 'overwrite') slot.stage.cut();
    await this.commit();
    await this.settled();
    return [...this.slots.values()].filter((s) => s.plan.mode === 'overwrite' && !s.complete).map((s) => s.plan.name);
  }

  /** Commits what the states received so far cover, and nothing after them (the input failed after them). */
  async commitStates(): Promise<void> {
    await this.commit();
    await this.settled();
  }

  report(): Map<string, StreamReport> {
    return new Map([...this.slots].map(([name, { stage }]) => [name, stage.counts]));
  }

  /** Backpressure: waits for the running commit when too many records wait for it on disk. */
  async drain(): Promise<void> {
    if (!this.committing) return;
    let waiting = 0;
    for (const slot of this.slots.values()) waiting += slot.stage.waiting;
    if (waiting >= MAX_WAITING_BYTES) await this.settled();
  }

  /** Waits for the running commit; rethrows its failure. */
  private async settled(): Promise<void> {
    await this.committing;
  }

  /**
   * Starts one transaction with everything pending: the closed segments of append and dedup streams with their
   * states and rejected records, and the replacement of completed overwrite streams. Records that arrive
   * meanwhile go to new segments.
   */
  private async commit(): Promise<void> {
    await this.settled();
    const work: Array<{ plan: StreamPlan; batch: StagedBatch; state?: string; stage: Stage }> = [];
    for (const slot of this.slots.values()) {
      if (slot.plan.mode === 'overwrite') {
        if (!slot.complete || slot.replaced) continue;
        slot.replaced = true;
      }
      const batch = slot.stage.take();
      const empty = batch.records.files.length === 0 && batch.rejected.files.length === 0;
      if (slot.plan.mode !== 'overwrite' && empty && slot.state === undefined) continue;
      work.push({ plan: slot.plan, batch, state: slot.state, stage: slot.stage });
      slot.state = undefined;
    }
    if (work.length === 0) return;
    const longest = Math.max(
      ...work.map(({ batch }) => Math.max(batch.records.longest, batch.keys?.longest ?? 0, batch.rejected.longest)),
    );
    const memory = memoryFor(longest);
    const running = this.withMemory(memory, () =>
      this.transaction(async () => {
        for (const { plan, batch, state } of work) {
          const statements =
            plan.mode === 'overwrite'
              ? replaceWithSegments(plan, batch.records)
              : batch.records.files.length
                ? mergeSegments(plan, batch.records, batch.keys ?? { files: [], longest: 0 })
                : [];
          if (batch.rejected.files.length) statements.push(insertRejected(plan.name, batch.rejected));
          for (const sql of statements) await this.db.run(sql);
          if (state) await this.saveState(plan.name, state);
        }
      }),
    )
      .then(() => {
        for (const { stage, batch } of work) stage.release(batch);
      })
      .finally(() => {
        this.committing = undefined;
        this.lastCommit = Date.now();
      });
    // Its failure surfaces at the next settled(); until then it must not count as unhandled.
    running.catch(() => undefined);
    this.committing = running;
  }

  /** Runs `body` with DuckDB's memory limit raised to `mb` (when that is more than usual), then lowers it again. */
  private async withMemory(mb: number, body: () => Promise<void>): Promise<void> {
    if (mb <= MEMORY_MB) return body();
    await this.db.run(`SET memory_limit = '${mb}MB'`);
    try {
      await body();
    } finally {
      await this.db.run(`SET memory_limit = '${MEMORY_MB}MB'`);
    }
  }

  /** The state's text as the source wrote it (a cast to JSON keeps the text): the next read gets it unchanged. */
  private async saveState(stream: string, text: string): Promise<void> {
    await this.db.run(`DELETE FROM ${STATE_TABLE} WHERE stream = ${literal(stream)}`);
    await this.db.run(`INSERT INTO ${STATE_TABLE} VALUES (${literal(stream)}, ${literal(text)}, now())`);
  }

  /** One transaction: all of it or nothing; a failure the environment caused (disk, lock) becomes a sentence. */
  private async transaction(body: () => Promise<void>): Promise<void> {
    try {
      await this.db.run('BEGIN TRANSACTION');
      try {
        await body();
      } catch (err) {
        await this.db.run('ROLLBACK').catch(() => undefined);
        throw err;
      }
      await this.db.run('COMMIT');
    } catch (err) {
      throw duckdbFailure(err, this.path);
    }
  }

  private slot(stream: string): StreamSlot {
    const slot = this.slots.get(stream);
    if (!slot) throw new DestinationError(`stream '${stream}' is not in the configured catalog`);
    return slot;
  }

  /** Closes the file once any running commit ended; records not committed are dropped (their states too). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.committing?.catch(() => undefined);
    for (const slot of this.slots.values()) slot.stage.close();
    rmSync(this.dir, { recursive: true, force: true });
    try {
      this.db.closeSync();
      this.instance.closeSync();
    } catch {
      // A checkpoint at close failed (a full disk): every commit is in the .wal file, read at the next open.
    }
  }

  /** For callers that query the loaded file (the demo, tests). */
  get connection(): DuckDBConnection {
    return this.db;
  }
}
