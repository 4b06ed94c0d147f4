// shipstation-sql on a file shipstation-sync wrote from the simulator: a plain table on stdout, the README's
// time-zone example agreeing with the shop's calendar, the file opened read-only, and each failure one sentence.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { ROOT, tempDir, writeFiles } from '../helpers/cli.js';
import { expectedTruth, simulator, type Simulator } from '../helpers/sim.js';
import { SYNC } from './helpers.js';

const SQL = join(ROOT, 'dist', 'shipstation-sql.js');
// A machine zone far from both UTC and the shop's: the output must not depend on it.
const env = { ...process.env, NODE_OPTIONS: '', SHIPSTATION_PROGRESS: 'off', TZ: 'Asia/Tokyo' };
const sql = (...args: string[]) => spawnSync(process.execPath, [SQL, ...args], { encoding: 'utf8', env });

let sim: Simulator;
let database = '';

beforeAll(async () => {
  sim = await simulator({ seed: 26, counts: { orders: 400, shipments: 50 } });
  database = join(tempDir(), 'shop.duckdb');
  const config = writeFiles({ 'config.json': sim.config })['config.json']!;
  // Spawned, not spawnSync: the in-process simulator must keep answering while the sync runs.
  const child = spawn(
    process.execPath,
    [SYNC, '--config', config, '--duckdb', database, '--streams', 'orders,stores'],
    {
      env,
      stdio: 'ignore',
    },
  );
  const [code] = await once(child, 'close');
  expect(code).toBe(0);
}, 120_000);
afterAll(() => sim.close());

describe('shipstation-sql FILE "SELECT …"', () => {
  test('prints a table: header, rule, rows (numbers right-aligned, NULL spelled out), a row count', () => {
    const r = sql(database, "SELECT count(*) AS orders, NULL::VARCHAR AS nothing, 'x' AS label FROM orders");
    expect([r.status, r.stderr]).toEqual([0, '']);
    const n = String(expectedTruth(sim, 'orders').size);
    expect(r.stdout).toBe(
      ['orders | nothing | label', '-------+---------+------', `${n.padStart(6)} | NULL    | x`, '(1 row)', ''].join(
        '\n',
      ),
    );
  });

  test("the README's time-zone example: months in the shop's zone differ from UTC's for the orders near midnight", () => {
    const r = sql(
      database,
      "SELECT count(*) FILTER (strftime(orderDate, '%Y-%m') <> strftime(orderDate AT TIME ZONE 'America/Los_Angeles', '%Y-%m')) AS moved FROM orders",
    );
    expect(r.status).toBe(0);
    const month = (date: Date, timeZone: string) =>
      new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit' }).format(date);
    const moved = [...expectedTruth(sim, 'orders').values()].filter((o) => {
      const d = new Date(o.orderDate as string);
      return month(d, 'UTC') !== month(d, 'America/Los_Angeles');
    }).length;
    expect(moved).toBeGreaterThan(0);
    expect(r.stdout.split('\n')[2]!.trim()).toBe(String(moved));
  });

  test('date-times print in UTC whatever the machine zone', () => {
    const r = sql(database, 'SELECT orderDate FROM orders ORDER BY orderId LIMIT 1');
    expect(r.stdout.split('\n')[2]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)?\+00$/);
  });

  test('opens the file read-only: a write is refused in one sentence, exit 1', () => {
    const r = sql(database, 'DELETE FROM orders');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^shipstation-sql: .*read-only.*\n$/i);
    expect(sql(database, 'SELECT count(*) FROM orders').stdout).toContain(` ${expectedTruth(sim, 'orders').size}\n`);
  });

  test('a file a sync holds (the write lock) is one sentence naming the process, exit 1', async () => {
    // A writer as shipstation-sync is one: it holds the lock until it ends.
    const writer = spawn(
      process.execPath,
      [
        '-e',
        `const { DuckDBInstance } = require('@duckdb/node-api');
         DuckDBInstance.create(${JSON.stringify(database)}).then(() => { console.log('open'); setTimeout(() => {}, 60000); });`,
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      await once(writer.stdout!, 'data');
      const r = sql(database, 'SELECT 1');
      expect([r.status, r.stdout]).toEqual([1, '']);
      expect(r.stderr).toMatch(/^shipstation-sql: .*shop\.duckdb is in use by another process \(.*PID \d+\).*\n$/);
    } finally {
      writer.kill('SIGKILL');
      await once(writer, 'close');
    }
  });

  test('a SQL error and a missing file are one sentence on stderr, exit 1; a missing query is a usage error', () => {
    const bad = sql(database, 'SELECT * FROM invoices');
    expect([bad.status, bad.stdout, bad.stderr.split('\n').length]).toEqual([1, '', 2]);
    expect(bad.stderr).toMatch(/^shipstation-sql: Catalog Error: Table with name invoices does not exist/);
    const missing = sql(join(tempDir(), 'none.duckdb'), 'SELECT 1');
    expect([missing.status, missing.stderr]).toEqual([
      1,
      expect.stringMatching(/^shipstation-sql: no such file .*none\.duckdb: run shipstation-sync --duckdb .* first\n$/),
    ]);
    expect(sql(database).status).toBe(2);
  });
});
