// The DuckDB Writer (writer.ts): stream tables in a DuckDB file, and the state they are at. Records wait in
// segment files (stage.ts); at a STATE the stream's records up to it are read by DuckDB and merged into its table,
// and the state is written, in one transaction. So the database always holds exactly the records its stored
// states cover (plus, after a clean end, the rows after the last state): a crash anywhere loses nothing the next
// run will not read again, and the merge by primary key makes re-reads harmless.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { StreamPlan } from './loadPlan.js';
import { loadDuckDB } from './duckdb.js';
import { DestinationError } from './errors.js';
import { lowerBackgroundPriority } from './priority.js';
import { Stage, type StagedBatch } from './stage.js';
import type { StreamReport, Writer } from './writer.js';
import {
  CATALOG_TABLE,
  STATE_TABLE,
  addColumn,
  changeColumnType,
  createTable,
  keyFields,
  literal,
  mergeSegments,
  replaceWithSegments,
  tableColumns,
  typeFromCatalog,
} from './sql.js';

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
const SETTINGS = { threads: '1', memory_limit: '128MB', preserve_insertion_order: 'false' };

interface StreamSlot {
  plan: StreamPlan;
  stage: Stage;
  /** The last STATE received, not yet committed; the closed segments hold every record before it. */
  state?: Record<string, unknown>;
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
    /** The segment files' folder, removed at close. */
    private readonly dir: string,
  ) {}

  static async open(path: string): Promise<DuckDBWriter> {
    const duckdb = await loadDuckDB();
    const dir = mkdtempSync(join(tmpdir(), 'shipstation-load-'));
    const instance = await duckdb.DuckDBInstance.create(':memory:', {
      ...SETTINGS,
      temp_directory: join(dir, 'spill'),
    });
    const db = await instance.connect();
    try {
      // Attached rather than opened, for the row group size (an ATTACH option).
      await db.run(`ATTACH ${literal(path)} AS ${DATABASE} (ROW_GROUP_SIZE ${ROW_GROUP_SIZE})`);
    } catch (err) {
      db.closeSync();
      instance.closeSync();
      rmSync(dir, { recursive: true, force: true });
      throw new DestinationError(`cannot open the DuckDB file ${path}: ${(err as Error).message}`);
    }
    await db.run(`USE ${DATABASE}`);
    await db.run("SET TimeZone = 'UTC'");
    await db.run(
      `CREATE TABLE IF NOT EXISTS ${STATE_TABLE} (stream VARCHAR NOT NULL, state JSON NOT NULL, updated_at TIMESTAMPTZ NOT NULL)`,
    );
    await db.run(
      `CREATE TABLE IF NOT EXISTS ${CATALOG_TABLE} (configured_catalog JSON NOT NULL, updated_at TIMESTAMPTZ NOT NULL)`,
    );
    lowerBackgroundPriority();
    return new DuckDBWriter(instance, db, dir);
  }

  /** The stored per-stream states (the `state` objects of the STATE messages), for the next read. */
  async states(streams?: readonly string[]): Promise<Array<Record<string, unknown>>> {
    const rows = (
      await this.db.runAndReadAll(`SELECT stream, CAST(state AS VARCHAR) FROM ${STATE_TABLE} ORDER BY stream`)
    ).getRows();
    return rows
      .filter(([stream]) => !streams || streams.includes(String(stream)))
      .map(([, state]) => JSON.parse(String(state)) as Record<string, unknown>);
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
      const stage = new Stage(this.dir, plan.name, plan.columns, plan.mode === 'dedup' ? keyFields(plan) : undefined);
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
      } else if (typeFromCatalog(current) !== column.type) {
        try {
          await this.db.run(changeColumnType(plan.name, column));
        } catch (err) {
          throw new DestinationError(
            `${plan.name}.${column.name} is now ${column.type} in the stream's schema but holds ${current} values that do not convert (${(err as Error).message.split('\n')[0]}); rebuild the table with a full refresh (shipstation-sync --full-refresh)`,
          );
        }
      }
    }
  }

  has(stream: string): boolean {
    return this.slots.has(stream);
  }

  /** A record: its line number, the line's bytes, and the fields parsed from it. */
  record(stream: string, line: number, raw: Buffer, data: Record<string, unknown>, emittedAtMs: number): void {
    this.slot(stream).stage.add(line, raw, data, emittedAtMs);
  }

  /**
   * A STATE covers the stream's records before it: they close a segment. Commits run in the background (DuckDB
   * works on its own threads while the loader reads on) and at most one at a time: this one starts when none is
   * running and a second has passed since the last.
   */
  async state(stream: string, state: Record<string, unknown>): Promise<void> {
    const slot = this.slot(stream);
    slot.stage.cut();
    slot.state = state;
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
    return new Map(
      [...this.slots].map(([name, s]) => [
        name,
        { rows: s.stage.counts.rows, misfits: s.stage.counts.misfits, undeclared: s.stage.counts.undeclared },
      ]),
    );
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
   * states, and the replacement of completed overwrite streams. Records that arrive meanwhile go to new segments.
   */
  private async commit(): Promise<void> {
    await this.settled();
    const work: Array<{ plan: StreamPlan; batch: StagedBatch; state?: Record<string, unknown>; stage: Stage }> = [];
    for (const slot of this.slots.values()) {
      if (slot.plan.mode === 'overwrite') {
        if (!slot.complete || slot.replaced) continue;
        slot.replaced = true;
      }
      const batch = slot.stage.take();
      if (slot.plan.mode !== 'overwrite' && batch.records.files.length === 0 && slot.state === undefined) continue;
      work.push({ plan: slot.plan, batch, state: slot.state, stage: slot.stage });
      slot.state = undefined;
    }
    if (work.length === 0) return;
    const running = this.transaction(async () => {
      for (const { plan, batch, state } of work) {
        const files = batch.records.files;
        const statements =
          plan.mode === 'overwrite'
            ? replaceWithSegments(plan, files)
            : files.length
              ? mergeSegments(plan, files, batch.keys?.files ?? [])
              : [];
        for (const sql of statements) await this.db.run(sql);
        if (state) await this.saveState(plan.name, state);
      }
    })
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

  private async saveState(stream: string, state: Record<string, unknown>): Promise<void> {
    await this.db.run(`DELETE FROM ${STATE_TABLE} WHERE stream = ${literal(stream)}`);
    await this.db.run(
      `INSERT INTO ${STATE_TABLE} VALUES (${literal(stream)}, ${literal(JSON.stringify(state))}, now())`,
    );
  }

  private async transaction(body: () => Promise<void>): Promise<void> {
    await this.db.run('BEGIN TRANSACTION');
    try {
      await body();
    } catch (err) {
      await this.db.run('ROLLBACK');
      throw err;
    }
    await this.db.run('COMMIT');
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
    this.db.closeSync();
    this.instance.closeSync();
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** For callers that query the loaded file (the demo, tests). */
  get connection(): DuckDBConnection {
    return this.db;
  }
}
