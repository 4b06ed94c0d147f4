// The transactional writer: stream tables in a DuckDB file, their staging, and the state they are at.
// Records are staged (temporary tables, never durable); at a STATE the staged rows of that stream up to it are
// merged into its table and the state is written, in one transaction. So the database always holds exactly the
// records its stored states cover (plus, after a clean end, the rows after the last state): a crash anywhere
// loses nothing the next run will not read again, and the merge by primary key makes re-reads harmless.
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { StreamPlan } from './catalog.js';
import { DestinationError, loadDuckDB, type DuckDBModule } from './duckdb.js';
import { Stage } from './stage.js';
import {
  CATALOG_TABLE,
  STATE_TABLE,
  addColumn,
  changeColumnType,
  createStage,
  createTable,
  literal,
  mergeStaged,
  replaceWithStaged,
  stageName,
  tableColumns,
  typeFromCatalog,
} from './sql.js';

/** Commit at a STATE once this long has passed since the last commit (fewer, larger transactions). */
const COMMIT_INTERVAL_MS = 1000;
/** Rows held in memory while a commit runs before the loader waits for it (memory stays flat). */
const MAX_HELD_ROWS = 32_768;

interface StreamSlot {
  plan: StreamPlan;
  stage: Stage;
  /** Rows up to sequence number `upTo` are to be merged at the next commit, with the STATE that covers them if any. */
  pending?: { state?: Record<string, unknown>; upTo: number };
  /** Sequence numbers of the stream's last record and of the last one merged. */
  lastSeq: number;
  mergedUpTo: number;
  /** Overwrite streams: the stream completed (its table is replaced at the next commit), and was replaced. */
  complete: boolean;
  replaced: boolean;
}

export interface StreamReport {
  rows: number;
  misfits: Map<string, number>;
  undeclared: Map<string, number>;
}

export class DuckDBWriter {
  private readonly slots = new Map<string, StreamSlot>();
  private seq = 0;
  private lastCommit = Date.now();
  private committing: Promise<void> | undefined;
  private closed = false;

  private constructor(
    private readonly duckdb: DuckDBModule,
    private readonly instance: DuckDBInstance,
    private readonly db: DuckDBConnection,
  ) {}

  static async open(path: string): Promise<DuckDBWriter> {
    const duckdb = await loadDuckDB();
    let instance: DuckDBInstance;
    try {
      instance = await duckdb.DuckDBInstance.create(path);
    } catch (err) {
      throw new DestinationError(`cannot open the DuckDB file ${path}: ${(err as Error).message}`);
    }
    const db = await instance.connect();
    await db.run("SET TimeZone = 'UTC'");
    // Staging and merges spill to disk past this (the default, 80% of RAM, lets one load take gigabytes), and
    // memory freed by a merge goes back to the system instead of staying cached.
    await db.run("SET memory_limit = '512MB'");
    await db.run("SET allocator_flush_threshold = '16MB'");
    await db.run(`CREATE TABLE IF NOT EXISTS ${STATE_TABLE} (stream VARCHAR NOT NULL, state JSON NOT NULL, updated_at TIMESTAMPTZ NOT NULL)`);
    await db.run(`CREATE TABLE IF NOT EXISTS ${CATALOG_TABLE} (configured_catalog JSON NOT NULL, updated_at TIMESTAMPTZ NOT NULL)`);
    return new DuckDBWriter(duckdb, instance, db);
  }

  /** The stored per-stream states (the `state` objects of the STATE messages), for the next read. */
  async states(streams?: readonly string[]): Promise<Array<Record<string, unknown>>> {
    const rows = (await this.db.runAndReadAll(`SELECT stream, CAST(state AS VARCHAR) FROM ${STATE_TABLE} ORDER BY stream`)).getRows();
    return rows.filter(([stream]) => !streams || streams.includes(String(stream))).map(([, state]) => JSON.parse(String(state)) as Record<string, unknown>);
  }

  /** The configured catalog of the last load that was given one. */
  async storedCatalog(): Promise<unknown> {
    const rows = (await this.db.runAndReadAll(`SELECT CAST(configured_catalog AS VARCHAR) FROM ${CATALOG_TABLE}`)).getRows();
    return rows.length ? JSON.parse(String(rows[0]![0])) : undefined;
  }

  /** Creates or widens the stream tables (schema changes add columns) and their staging; records the catalog. */
  async prepare(plans: StreamPlan[], catalog?: unknown): Promise<void> {
    await this.transaction(async () => {
      for (const plan of plans) await this.prepareTable(plan);
      if (catalog !== undefined) {
        await this.db.run(`DELETE FROM ${CATALOG_TABLE}`);
        await this.db.run(`INSERT INTO ${CATALOG_TABLE} VALUES (${literal(JSON.stringify(catalog))}, now())`);
      }
    });
    for (const plan of plans) {
      await this.db.run(createStage(plan));
      const slot: StreamSlot = { plan, stage: new Stage(this.duckdb, plan.columns), complete: false, replaced: false, lastSeq: 0, mergedUpTo: 0 };
      slot.stage.attach(await this.appender(plan));
      this.slots.set(plan.name, slot);
    }
  }

  private appender(plan: StreamPlan) {
    return this.db.createAppender(stageName(plan.name), 'main', 'temp');
  }

  private async prepareTable(plan: StreamPlan): Promise<void> {
    await this.db.run(createTable(plan));
    // An overwrite stream's table is rebuilt with the current columns when the stream completes.
    if (plan.mode === 'overwrite') return;
    const existing = new Map(
      (await this.db.runAndReadAll(`SELECT column_name, data_type FROM duckdb_columns() WHERE schema_name = 'main' AND table_name = ${literal(plan.name)}`))
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

  record(stream: string, data: Record<string, unknown>, emittedAtMs: number): void {
    const slot = this.slot(stream);
    slot.lastSeq = ++this.seq;
    slot.stage.add(slot.lastSeq, data, emittedAtMs);
  }

  /**
   * A STATE covers the stream's records before it. Commits run in the background (DuckDB works on its own
   * threads while the loader parses on) and at most one at a time: this one starts when none is running and a
   * second has passed since the last.
   */
  async state(stream: string, state: Record<string, unknown>): Promise<void> {
    this.slot(stream).pending = { state, upTo: this.seq };
    if (!this.committing && Date.now() - this.lastCommit >= COMMIT_INTERVAL_MS) await this.commit();
  }

  /** The stream completed: an overwrite stream's table is replaced with the next commit, which starts now. */
  async complete(stream: string): Promise<void> {
    const slot = this.slot(stream);
    if (slot.plan.mode !== 'overwrite') return;
    slot.complete = true;
    slot.pending ??= { upTo: slot.lastSeq };
    await this.commit();
  }

  /**
   * The input ended cleanly: the rows of append and dedup streams after their last state are merged too (they
   * are whole records; re-reading them next time is harmless). Returns once everything is committed, with the
   * overwrite streams that never completed: their tables are left as they were.
   */
  async finish(): Promise<string[]> {
    await this.settled();
    for (const slot of this.slots.values()) {
      if (slot.plan.mode !== 'overwrite' && slot.lastSeq > slot.mergedUpTo) slot.pending = { ...slot.pending, upTo: slot.lastSeq };
    }
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
    return new Map([...this.slots].map(([name, s]) => [name, { rows: s.stage.counts.rows, misfits: s.stage.counts.misfits, undeclared: s.stage.counts.undeclared }]));
  }

  /** Backpressure: waits for the running commit when too many rows wait for it in memory. */
  async drain(): Promise<void> {
    if (!this.committing) return;
    let held = 0;
    for (const slot of this.slots.values()) held += slot.stage.heldRows;
    if (held >= MAX_HELD_ROWS) await this.settled();
  }

  /** Waits for the running commit; rethrows its failure. */
  private async settled(): Promise<void> {
    await this.committing;
  }

  /**
   * Starts one transaction with everything pending: merges and states, and the replacement of completed
   * overwrite streams. Records added meanwhile wait in their stages (in memory) until it ends.
   */
  private async commit(): Promise<void> {
    await this.settled();
    const replacing = (s: StreamSlot) => s.plan.mode === 'overwrite' && s.complete && !s.replaced;
    const work = [...this.slots.values()]
      .filter((s) => (s.plan.mode === 'overwrite' ? replacing(s) : s.pending !== undefined))
      .map((slot) => ({ plan: slot.plan, upTo: slot.pending!.upTo, state: slot.pending!.state }));
    if (work.length === 0) return;
    const slots = [...this.slots.values()];
    for (const slot of slots) slot.stage.detach();
    for (const { plan, upTo } of work) {
      const slot = this.slots.get(plan.name)!;
      if (plan.mode === 'overwrite') slot.replaced = true;
      slot.mergedUpTo = upTo;
      slot.pending = undefined;
    }
    const running = this.transaction(async () => {
      for (const { plan, upTo, state } of work) {
        for (const sql of plan.mode === 'overwrite' ? replaceWithStaged(plan) : mergeStaged(plan, upTo)) await this.db.run(sql);
        if (state) await this.saveState(plan.name, state);
      }
    }).then(async () => {
      for (const slot of slots) slot.stage.attach(await this.appender(slot.plan));
    }).finally(() => {
      this.committing = undefined;
      this.lastCommit = Date.now();
    });
    // Its failure surfaces at the next settled(); until then it must not count as unhandled.
    running.catch(() => undefined);
    this.committing = running;
  }

  private async saveState(stream: string, state: Record<string, unknown>): Promise<void> {
    await this.db.run(`DELETE FROM ${STATE_TABLE} WHERE stream = ${literal(stream)}`);
    await this.db.run(`INSERT INTO ${STATE_TABLE} VALUES (${literal(stream)}, ${literal(JSON.stringify(state))}, now())`);
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

  /** Closes the file once any running commit ended; staged rows not committed are dropped (their states too). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.committing?.catch(() => undefined);
    for (const slot of this.slots.values()) slot.stage.detach();
    this.db.closeSync();
    this.instance.closeSync();
  }

  /** For callers that query the loaded file (the demo, tests). */
  get connection(): DuckDBConnection {
    return this.db;
  }
}
