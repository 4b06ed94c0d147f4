// shipstation-sync against the simulator, as a person runs it: every stream typed and deduplicated, equal to
// the ground truth after changes, and after the sync was killed (SIGKILL, connector included) at random points.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { columnsOf } from '../../src/destination/columns.js';
import { readBack } from '../../src/destination/readBack.js';
import { buildCatalog } from '../../src/streams/catalog.js';
import { tempDir, writeFiles } from '../helpers/cli.js';
import {
  ALL_STREAMS,
  CHILD_STREAM_NAMES,
  expectedChildTruth,
  expectedTruth,
  keyOf,
  simulator,
  type Simulator,
} from '../helpers/sim.js';
import { SYNC } from './helpers.js';
import { v1 } from '../../src/dialects/v1.js';
import { startSimulator } from '../helpers/nativeSimulator.js';
import { expectEqual } from '../helpers/sameValue.js';

const CATALOG = buildCatalog(v1.streams).streams;

interface SyncRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

/** The sync in its own process group, so a kill takes the connector down with it (as a crash of the machine would). */
function runSync(
  config: object,
  database: string,
  opts: { killAfterMs?: number; args?: string[] } = {},
): Promise<SyncRun> {
  const configPath = writeFiles({ 'config.json': config })['config.json']!;
  const child = spawn(process.execPath, [SYNC, '--config', configPath, '--duckdb', database, ...(opts.args ?? [])], {
    env: { ...process.env, NODE_OPTIONS: '', SHIPSTATION_PROGRESS: 'off' },
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const timer =
    opts.killAfterMs === undefined
      ? undefined
      : setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), opts.killAfterMs);
  return once(child, 'close').then(([code, signal]) => {
    clearTimeout(timer);
    return { code: code as number | null, signal: signal as NodeJS.Signals | null, stderr };
  });
}

async function withDb<T>(
  database: string,
  fn: (db: Awaited<ReturnType<DuckDBInstance['connect']>>) => Promise<T>,
): Promise<T> {
  const instance = await DuckDBInstance.create(database, { access_mode: 'READ_ONLY' });
  const db = await instance.connect();
  try {
    return await fn(db);
  } finally {
    db.closeSync();
    instance.closeSync();
  }
}

/** The loader's warnings and errors (the connector's own LOG lines, `source WARN: …`, are its business). */
const complaints = (stderr: string) =>
  stderr.split('\n').filter((l) => /^WARN |^shipstation-sync|^source error/.test(l));

const present = (r: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(r).filter(([, v]) => v !== null && v !== undefined));

/** Every table equal to the ground truth, record by record; no primary key twice. Returns the differences. */
async function differences(sim: Simulator, database: string): Promise<string[]> {
  return withDb(database, async (db) => {
    const problems: string[] = [];
    for (const name of [...ALL_STREAMS, ...CHILD_STREAM_NAMES]) {
      const stream = CATALOG.find((s) => s.name === name)!;
      const rows = await readBack(db, name, columnsOf(stream.json_schema));
      const loaded = new Map(rows.map((r) => [keyOf(r, name), r]));
      if (loaded.size !== rows.length) problems.push(`${name}: ${rows.length - loaded.size} duplicate primary keys`);
      const truth = CHILD_STREAM_NAMES.includes(name) ? expectedChildTruth(sim, name) : expectedTruth(sim, name);
      if (loaded.size !== truth.size) problems.push(`${name}: ${loaded.size} rows, ground truth ${truth.size}`);
      let different = 0;
      for (const [key, expected] of truth) {
        const got = loaded.get(key);
        if (!got) different++;
        else expectEqual(present(got), present(expected));
      }
      if (different) problems.push(`${name}: ${different} records of the ground truth missing`);
    }
    return problems;
  });
}

describe('shipstation-sync into DuckDB', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await simulator({
      seed: 16,
      counts: { orders: 600, shipments: 300, fulfillments: 60, products: 40, customers: 80 },
    });
  });
  afterAll(() => sim.close());

  test('every stream loads typed, with no misfit and no duplicate key, equal to the ground truth; a second sync after changes too', async () => {
    const database = join(tempDir(), 'shop.duckdb');
    const first = await runSync(sim.config, database);
    expect(complaints(first.stderr)).toEqual([]);
    expect(first.code).toBe(0);
    expect(await differences(sim, database)).toEqual([]);
    const types = await withDb(database, async (db) =>
      (
        await db.runAndReadAll(
          "SELECT table_name || '.' || column_name, data_type FROM duckdb_columns() WHERE column_name IN ('modifyDate', 'shipDate', 'orderId', 'items', 'orderTotal', 'gift', 'orderStatus') AND table_name = 'orders'",
        )
      ).getRows(),
    );
    expect(Object.fromEntries(types)).toEqual({
      'orders.modifyDate': 'TIMESTAMP WITH TIME ZONE',
      'orders.shipDate': 'DATE',
      'orders.orderId': 'BIGINT',
      'orders.items': 'JSON',
      'orders.orderTotal': 'DECIMAL(18,4)',
      'orders.gift': 'BOOLEAN',
      'orders.orderStatus': 'VARCHAR',
    });

    sim.mutate.modifyOrders({ count: 30 });
    sim.mutate.createOrders({ count: 12 });
    sim.mutate.createShipments({ count: 6 });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const second = await runSync(sim.config, database);
    expect(second.code).toBe(0);
    expect(second.stderr).toMatch(/loaded into .*orders 42,/);
    expect(await differences(sim, database)).toEqual([]);
  }, 120_000);

  test('killed at random points (SIGKILL of the sync and its connector), then run again: the tables equal the ground truth', async () => {
    const database = join(tempDir(), 'shop.duckdb');
    // Small pages at a tight limit: a sync takes a few seconds and commits many times, so kills land mid-stream.
    const limited = await simulator({
      seed: 17,
      counts: { orders: 1200, shipments: 700, fulfillments: 120, products: 80, customers: 150 },
      rateLimit: { limit: 12, windowMs: 500 },
    });
    try {
      await killedAndResumed(limited, database);
    } finally {
      await limited.close();
    }
  }, 180_000);
});

async function killedAndResumed(sim: Simulator, database: string): Promise<void> {
  const config = { ...sim.config, page_size: 40 };
  let seed = 1616;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const kills: number[] = [];
  let killed = 0;
  for (let i = 0; i < 4; i++) {
    const after = 400 + Math.floor(random() * 2500);
    kills.push(after);
    const run = await runSync(config, database, { killAfterMs: after });
    if (run.signal === 'SIGKILL') killed++;
    else expect(run.code).toBe(0);
    if (i === 1) sim.mutate.modifyOrders({ count: 20 });
  }
  await new Promise((resolve) => setTimeout(resolve, 1100));
  const last = await runSync(config, database);
  expect({ kills, code: last.code, stderr: complaints(last.stderr) }).toEqual({ kills, code: 0, stderr: [] });
  expect(killed).toBeGreaterThanOrEqual(2);
  expect(await differences(sim, database)).toEqual([]);
}

describe('a DuckDB file written from one API, synced with a key of the other', () => {
  test('stops on a config error naming the stream, says to fix it rather than run again, and changes no table', async () => {
    const database = join(tempDir(), 'shop.duckdb');
    const v2sim = await startSimulator({ api: 'v2', seed: 5, counts: { orders: 60, shipments: 30 } });
    try {
      const first = await runSync({ ...v2sim.config }, database);
      expect(first.code).toBe(0);
    } finally {
      await v2sim.close();
    }
    const v1sim = await simulator({ seed: 5, counts: { orders: 60, shipments: 30 } });
    try {
      // Products (incremental in v1 now) would first meet v2's price objects in their table, a schema sentence of
      // its own: the streams here are the ones whose states tell the API.
      const run = await runSync(v1sim.config, database, { args: ['--streams', 'shipments,fulfillments'] });
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(
        /state for stream '(shipments|fulfillments)' was written for ShipStation's API v2, but the config is for its v1 API/,
      );
      expect(run.stderr).toMatch(/^every table was left as it was$|: no records; 0 states$/m);
      expect(run.stderr).toMatch(/^the connector stopped on a config error \(above\): fix it, then run again$/m);
      expect(run.stderr).not.toMatch(/run again to resume|^WARN /m);
    } finally {
      await v1sim.close();
    }
  }, 60_000);
});

describe('shipstation-sync: records deleted in ShipStation leave products and customers at a full pass', () => {
  test('a deleted customer and product stay while no full pass is due, and are gone after one', async () => {
    const sim = await simulator({
      seed: 17,
      counts: { orders: 50, shipments: 20, fulfillments: 5, products: 60, customers: 120 },
    });
    try {
      const database = join(tempDir(), 'shop.duckdb');
      const keys = (table: string, key: string) =>
        withDb(database, async (db) =>
          (await db.runAndReadAll(`SELECT ${key} FROM ${table}`)).getRows().map(([id]) => Number(id)),
        );
      const args = ['--streams', 'products,customers'];
      expect((await runSync(sim.config, database, { args })).code).toBe(0);
      const goneCustomers = sim.mutate.deleteCustomers({ count: 2 }).ids;
      const goneProducts = sim.mutate.deleteProducts({ count: 1 }).ids;
      const changed = sim.mutate.modifyCustomers({ count: 3 }).ids;
      // Not due (every 24 h by default): the changes arrive, the deleted rows stay.
      const notDue = await runSync(sim.config, database, { args });
      expect(notDue.code).toBe(0);
      expect(notDue.stderr).not.toMatch(/full pass is due/);
      expect(await keys('customers', 'customerId')).toEqual(expect.arrayContaining([...goneCustomers, ...changed]));
      expect(await keys('products', 'productId')).toEqual(expect.arrayContaining(goneProducts));
      // Due (full_pass_hours 0): both tables are replaced by the complete pass.
      const due = await runSync({ ...sim.config, full_pass_hours: 0 }, database, { args });
      expect(due.code).toBe(0);
      expect(due.stderr).toMatch(/customers: a full pass is due/);
      const customers = await keys('customers', 'customerId');
      const products = await keys('products', 'productId');
      for (const id of goneCustomers) expect(customers).not.toContain(id);
      for (const id of goneProducts) expect(products).not.toContain(id);
      expect(new Set(customers)).toEqual(new Set(expectedTruth(sim, 'customers').keys()));
      expect(new Set(products)).toEqual(new Set(expectedTruth(sim, 'products').keys()));
    } finally {
      await sim.close();
    }
  }, 120_000);
});
