// `npm run demo [-- --api v2]`: the whole connector against the built-in simulator, as an orchestrator would run
// it. spec, check, discover; a first sync of every stream into demo-output/shipstation.duckdb; some orders changed
// in the simulator; a second, incremental sync from the state stored in the database; a few questions answered
// in SQL; and every table checked against the simulator's ground truth. The same for either API: `--api v2`
// speaks ShipStation's API v2 and reads its streams.
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { DuckDBConnection } from '@duckdb/node-api';
import { silentLogger } from '../protocol/logger.js';
import { startSimulator, type ApiVersion, type Simulator } from '../simulator/index.js';
import type { Dialect } from '../dialects/dialect.js';
import { v1 } from '../dialects/v1.js';
import { v2 } from '../dialects/v2.js';
import { createValueConverter } from '../engine/read/records.js';
import { loadStreamSchema } from '../streams/schemas.js';
import type { AirbyteMessage } from '../generated/protocol.js';
import { columnsOf } from '../destination/columns.js';
import { loadDuckDB } from '../destination/duckdb.js';
import { readBack } from '../destination/readBack.js';
import { summaryLines } from '../destination/report.js';
import type { LoadSummary } from '../destination/loader.js';
import { sync } from '../destination/syncRun.js';
import { budgetMinimumMs, oneAtATimeMs, SHIPSTATION, type Pace } from '../budget/pace.js';

/** The demo's time runs this many times faster than ShipStation's. */
const DEMO_SPEEDUP = 30;

/** ShipStation's API v2: 200 requests a minute; its pages are assumed to answer as v1's do. */
const SHIPSTATION_V2: Pace = { ...SHIPSTATION, limit: 200 };

/** A pace 30 times faster: the window and the page answers shrink, the requests per window stay. */
const faster = (pace: Pace): Pace => ({
  limit: pace.limit,
  windowMs: pace.windowMs / DEMO_SPEEDUP,
  latency: {
    baseMs: pace.latency.baseMs / DEMO_SPEEDUP,
    perRecordMs: pace.latency.perRecordMs / DEMO_SPEEDUP,
  },
});

/** What the demo shows of each API: its dialect, pace, the stream whose changes it counts, and its questions. */
interface Profile {
  dialect: Dialect;
  real: Pace;
  /** The incremental stream that holds the orders the demo changes (v1 orders, v2 shipments). */
  orders: string;
  questions: Array<[string, string]>;
}

// Run as dist/demo.js: the connector's bundle is its neighbour, the package root one level up.
const ENTRY = fileURLToPath(new URL('./shipstation-source.js', import.meta.url));
const DEFAULT_OUTPUT = fileURLToPath(new URL('../demo-output', import.meta.url));

const say = (text = '') => process.stdout.write(`${text}\n`);

export async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { output: { type: 'string' }, seed: { type: 'string' }, api: { type: 'string' } },
  });
  const api = values.api ?? 'v1';
  if (api !== 'v1' && api !== 'v2') {
    process.stderr.write(`demo: --api must be v1 or v2 (got ${api})\n`);
    return 2;
  }
  const profile = PROFILES[api];
  const demoPace = faster(profile.real);
  const out = values.output ?? DEFAULT_OUTPUT;
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });

  // ShipStation's shape, 30 times faster (8 requests per 2 s window, pages answering in a thirtieth of the
  // time), so the pacing is visible without minute-long waits and the speed can be projected back.
  const sim = await startSimulator({
    api: api as ApiVersion,
    seed: Number(values.seed ?? 2024),
    counts: {
      orders: 4000,
      shipments: 2500,
      fulfillments: 400,
      products: 300,
      customers: 900,
      stores: 5,
      warehouses: 3,
    },
    rateLimit: { limit: demoPace.limit, windowMs: demoPace.windowMs },
    latency: demoPace.latency,
  });
  try {
    return await demo(sim as Simulator, out, profile, demoPace);
  } finally {
    await sim.close();
  }
}

/** `pace`: the simulator's (the profile's real pace, DEMO_SPEEDUP times faster). */
async function demo(sim: Simulator, out: string, profile: Profile, pace: Pace): Promise<number> {
  const configPath = join(out, 'config.json');
  const database = join(out, 'shipstation.duckdb');
  writeFileSync(configPath, JSON.stringify(sim.config, null, 2));
  say(
    `ShipStation simulator on ${sim.baseUrl}: ShipStation's pace ${DEMO_SPEEDUP} times faster (${pace.limit} requests per ${pace.windowMs / 1000} s window, a 500-order page in ${duration(budgetMinimumMs(1, pace))})`,
  );
  say(`Output: ${database}\n`);

  say('1. spec');
  const spec = await connector(['spec']);
  const properties =
    (spec.messages[0]?.spec?.connectionSpecification as { properties?: object } | undefined)?.properties ?? {};
  say(`   ${Object.keys(properties).length} config fields\n`);

  say('2. check');
  const check = await connector(['check', '--config', configPath]);
  const status = check.messages.find((m) => m.type === 'CONNECTION_STATUS')?.connectionStatus;
  say(`   ${status?.status ?? 'no answer'}${status?.message ? `: ${status.message}` : ''}\n`);
  if (status?.status !== 'SUCCEEDED') return 1;

  say('3. discover');
  const discover = await connector(['discover', '--config', configPath]);
  const streams = discover.messages[0]?.catalog?.streams ?? [];
  const width = Math.max(...streams.map((s) => s.name.length));
  for (const s of streams)
    say(
      `   ${s.name.padEnd(width)} ${s.supported_sync_modes.join(', ')}${s.default_cursor_field ? ` (cursor ${s.default_cursor_field.join('.')})` : ''}`,
    );
  say();

  say(`4. first sync into DuckDB: npm run sync -- --config ${configPath} --duckdb ${database}`);
  const requestsBefore = sim.stats().requests;
  const started = performance.now();
  const first = await runSync(configPath, database);
  if (first.code !== 0) return 1;
  narrateSpeed(sim.stats().requests - requestsBefore, performance.now() - started, first, profile, pace);
  say();

  const modified = sim.mutate.modifyOrders({ count: 25 }).ids;
  const created = sim.mutate.createOrders({ count: 10 }).ids;
  const shipments = sim.mutate.createShipments({ count: 5 }).ids;
  say(
    profile.dialect.name === 'v1'
      ? `5. meanwhile in ShipStation: ${modified.length} orders modified, ${created.length} orders created, ${shipments.length} shipments created\n`
      : `5. meanwhile in ShipStation: ${modified.length} shipments modified, ${created.length} shipments created, ${shipments.length} labels bought\n`,
  );
  // Changes made in the same second a sync starts belong to the next one: let the clock move on.
  await new Promise((resolve) => setTimeout(resolve, 1100));

  say('6. second sync: incremental from the state stored in the database (full-refresh streams are read again whole)');
  const second = await runSync(configPath, database);
  say();

  const { DuckDBInstance } = await loadDuckDB();
  const instance = await DuckDBInstance.create(database);
  const db = await instance.connect();
  try {
    await db.run("SET TimeZone = 'UTC'");
    await answers(db, profile.questions);
    return await verify(sim, db, second, modified.length + created.length, profile);
  } finally {
    db.closeSync();
    instance.closeSync();
  }
}

interface Run {
  code: number | null;
  messages: AirbyteMessage[];
}

/** Runs a command that answers with a few messages (spec, check, discover). */
function connector(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [ENTRY, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({
        code,
        messages: stdout
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as AirbyteMessage),
      }),
    );
  });
}

/** What the demo needs of a sync: the connector's exit code and the load's summary. */
interface SyncResult {
  code: number;
  summary: LoadSummary;
}

/** A sync; the connector's progress view goes straight to this terminal (stderr). */
async function runSync(config: string, database: string): Promise<SyncResult> {
  const { connector, summary } = await sync({
    config,
    duckdb: database,
    say: (line) => say(`   ${line}`),
    env: { ...process.env, SHIPSTATION_PROGRESS_INTERVAL: '5' },
  });
  if (!connector || !summary) throw new Error('the sync stopped before the connector ran');
  for (const line of summaryLines(summary, 'shipstation.duckdb')) say(`   ${line}`);
  const code = connector.signal ? 1 : (connector.code ?? 1);
  say(`   connector exit code ${connector.signal ?? code}`);
  return { code, summary };
}

/** This sync's pace here, and what the same requests cost against ShipStation itself. */
function narrateSpeed(requests: number, elapsedMs: number, result: SyncResult, profile: Profile, pace: Pace): void {
  const { real } = profile;
  // Child streams come from their parents' pages: only the records of requested streams cost answer time.
  const records = profile.dialect.streams.streams.reduce(
    (sum, def) => sum + (result.summary.streams.get(def.name)?.rows ?? 0),
    0,
  );
  say(
    `   speed: ${requests} requests in ${duration(elapsedMs)}, start-up and loading included; the budget allows no less than ${duration(budgetMinimumMs(requests, pace))} here`,
  );
  say(
    `   against ShipStation (${real.limit} requests a minute, a 500-order page in ${duration(budgetMinimumMs(1, real))}): about ${duration(budgetMinimumMs(requests, real))} with pages fetched at once,`,
  );
  say(
    `   ${duration(oneAtATimeMs(requests, records, real))} read one page at a time; for a 100,000-order backfill (200 pages): ${duration(budgetMinimumMs(200, real))} against ${duration(oneAtATimeMs(200, 100_000, real))}`,
  );
}

const V1_QUESTIONS: Array<[string, string]> = [
  [
    // Months as the shop sees them: stored UTC, an evening order on a month's last day is in the next UTC month.
    "Orders by status, the 6 latest months (the shop's time, Pacific)",
    `PIVOT (SELECT strftime(orderDate AT TIME ZONE 'America/Los_Angeles', '%Y-%m') AS month, orderStatus FROM orders) ON orderStatus USING count(*) ORDER BY month DESC LIMIT 6`,
  ],
  [
    'Top 5 SKUs by units sold',
    `SELECT sku, any_value(name) AS name, sum(quantity) AS units, round(sum(quantity * unitPrice), 2) AS revenue
     FROM order_items WHERE adjustment IS NOT TRUE GROUP BY sku ORDER BY units DESC LIMIT 5`,
  ],
  [
    'Labels and postage by carrier',
    `SELECT carrierCode AS carrier, count(*) AS labels, count(*) FILTER (voided) AS voided, round(sum(shipmentCost) FILTER (NOT voided), 2) AS postage
     FROM shipments GROUP BY carrierCode ORDER BY labels DESC`,
  ],
];

const V2_QUESTIONS: Array<[string, string]> = [
  [
    "Shipments by status, the 6 latest months (the shop's time, Pacific)",
    `PIVOT (SELECT strftime(created_at AT TIME ZONE 'America/Los_Angeles', '%Y-%m') AS month, shipment_status FROM shipments) ON shipment_status USING count(*) ORDER BY month DESC LIMIT 6`,
  ],
  [
    'Top 5 SKUs by units',
    `SELECT sku, any_value(name) AS name, sum(quantity) AS units FROM shipment_items GROUP BY sku ORDER BY units DESC LIMIT 5`,
  ],
  [
    'Labels by carrier',
    `SELECT carrier_code AS carrier, count(*) AS labels, count(*) FILTER (voided) AS voided
     FROM labels GROUP BY carrier_code ORDER BY labels DESC`,
  ],
];

const PROFILES: Record<'v1' | 'v2', Profile> = {
  v1: { dialect: v1, real: SHIPSTATION, orders: 'orders', questions: V1_QUESTIONS },
  v2: { dialect: v2, real: SHIPSTATION_V2, orders: 'shipments', questions: V2_QUESTIONS },
};

async function answers(db: DuckDBConnection, questions: Array<[string, string]>): Promise<void> {
  say(
    '7. questions a shop owner asks, answered in SQL (ask your own: npm run sql -- demo-output/shipstation.duckdb "SELECT …")',
  );
  for (const [question, sql] of questions) {
    const reader = await db.runAndReadAll(sql);
    say(`   ${question}:`);
    table([reader.columnNames(), ...reader.getRowsJson().map((r) => r.map((v) => (v === null ? '' : String(v))))]);
    say();
  }
}

function table(rows: string[][]): void {
  const width = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  for (const r of rows) say(`     ${r.map((cell, c) => cell.padEnd(width[c]!)).join('  ')}`.trimEnd());
}

/** Every parent table equal to the ground truth (record by record), child tables with the truth's row counts. */
async function verify(
  sim: Simulator,
  db: DuckDBConnection,
  second: SyncResult,
  changedOrders: number,
  { dialect, orders }: Profile,
): Promise<number> {
  say("8. check against the simulator's ground truth");
  const rows: string[][] = [['table', 'rows', 'ground truth', 'match']];
  let ok = second.code === 0;
  const folder = dialect.streams.schemaFolder;
  // The simulator speaks the demo's API: its truth takes that API's stream names.
  const truth = (name: string) => sim.truth(name as Parameters<Simulator['truth']>[0]);
  for (const def of dialect.streams.streams) {
    const key = def.primaryKey[0]!;
    const loaded = new Map(
      (await readBack(db, def.name, columnsOf(loadStreamSchema(def.name, folder)))).map((r) => [r[key], r]),
    );
    const convert = createValueConverter(def.name, silentLogger, dialect.dates, dialect.streams);
    let same = true;
    let truthCount = 0;
    for (const record of truth(def.name)) {
      truthCount++;
      const expected = structuredClone(record) as unknown as Record<string, unknown>;
      convert(expected);
      const got = loaded.get(expected[key]);
      if (!got || !sameJson(got, expected)) same = false;
    }
    same &&= loaded.size === truthCount;
    ok &&= same;
    rows.push([def.name, String(loaded.size), String(truthCount), same ? 'yes' : 'NO']);
  }
  for (const child of dialect.streams.children) {
    let truthCount = 0;
    for (const parent of truth(child.parent)) {
      const list = (parent as unknown as Record<string, unknown>)[child.parentField];
      if (Array.isArray(list)) truthCount += list.length;
    }
    const count = Number((await db.runAndReadAll(`SELECT count(*) FROM ${child.name}`)).getRows()[0]![0]);
    const same = count === truthCount;
    ok &&= same;
    rows.push([child.name, String(count), String(truthCount), same ? 'yes' : 'NO']);
  }
  table(rows);
  const secondOrders = second.summary.streams.get(orders)?.rows ?? 0;
  const onlyChanges = secondOrders === changedOrders;
  ok &&= onlyChanges;
  say(
    `   second sync read ${secondOrders} ${orders}: ${onlyChanges ? `exactly the ${changedOrders} changed ones` : 'NOT just the changed ones'}`,
  );
  say();
  say(
    ok
      ? "Demo complete: every table matches the simulator's ground truth."
      : 'Demo FAILED: the database does not match the ground truth.',
  );
  return ok ? 0 : 1;
}

/** Equal as JSON, top-level fields that are null or absent counting as the same (a SQL NULL is both). */
function sameJson(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const present = (r: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(r).filter(([, v]) => v !== null && v !== undefined));
  return JSON.stringify(sortKeys(present(a))) === JSON.stringify(sortKeys(present(b)));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  return value;
}

/** "2.5 s", "1 min 8 s", "2 h 5 min". */
function duration(ms: number): string {
  const s = Math.round(ms / 100) / 10;
  if (s < 60) return `${s} s`;
  const total = Math.round(s);
  if (total < 3600) return `${Math.floor(total / 60)} min${total % 60 ? ` ${total % 60} s` : ''}`;
  const minutes = Math.round(total / 60);
  return `${Math.floor(minutes / 60)} h${minutes % 60 ? ` ${minutes % 60} min` : ''}`;
}
