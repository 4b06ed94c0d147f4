// `npm run demo`: the whole connector against the built-in simulator, as an orchestrator would run it.
// spec, check, discover, a first read of every stream into demo-output/, some orders changed in the
// simulator, a second incremental read from the first one's state, and a check against the ground truth.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { silentLogger } from '../protocol/logger.js';
import { startSimulator, type Simulator, type StreamName } from '../simulator/index.js';
import { createValueConverter } from '../engine/records.js';
import { STREAMS } from '../streams/definitions.js';
import type { AirbyteMessage } from '../generated/protocol.js';
import { LocalDestination, type DestinationSummary } from './destination.js';

const ENTRY = fileURLToPath(new URL('../index.js', import.meta.url));
const DEFAULT_OUTPUT = fileURLToPath(new URL('../../demo-output', import.meta.url));

const say = (text = '') => process.stdout.write(`${text}\n`);

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { output: { type: 'string' }, seed: { type: 'string' } } });
  const out = values.output ?? DEFAULT_OUTPUT;
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });

  // ShipStation allows 40 requests a minute; the demo account allows 8 every 2 s so the pacing is visible
  // without a minute-long wait.
  const sim = await startSimulator({
    seed: Number(values.seed ?? 2024),
    counts: { orders: 4000, shipments: 2500, fulfillments: 400, products: 300, customers: 900, stores: 5, warehouses: 3 },
    rateLimit: { limit: 8, windowMs: 2000 },
  });
  try {
    return await demo(sim, out);
  } finally {
    await sim.close();
  }
}

async function demo(sim: Simulator, out: string): Promise<number> {
  const configPath = join(out, 'config.json');
  const catalogPath = join(out, 'catalog.json');
  writeFileSync(configPath, JSON.stringify(sim.config, null, 2));
  say(`ShipStation simulator on ${sim.baseUrl} (8 requests per 2 s window, a scaled-down 40/min)`);
  say(`Output: ${out}\n`);

  say('1. spec');
  const spec = await connector(['spec']);
  const properties = (spec.messages[0]?.spec?.connectionSpecification as { properties?: object } | undefined)?.properties ?? {};
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
  for (const s of streams) say(`   ${s.name.padEnd(width)} ${s.supported_sync_modes.join(', ')}${s.default_cursor_field ? ` (cursor ${s.default_cursor_field.join('.')})` : ''}`);
  writeFileSync(
    catalogPath,
    JSON.stringify({
      streams: streams.map((stream) => {
        const incremental = stream.supported_sync_modes.includes('incremental');
        return { stream, sync_mode: incremental ? 'incremental' : 'full_refresh', destination_sync_mode: incremental ? 'append_dedup' : 'overwrite', ...(incremental ? { cursor_field: stream.default_cursor_field } : {}) };
      }),
    }),
  );
  say();

  const destination = new LocalDestination(out);
  say('4. first read: every stream, the incremental ones from the beginning');
  const first = await read(destination, configPath, catalogPath, out);
  printSummary(first);

  const modified = sim.mutate.modifyOrders({ count: 25 }).ids;
  const created = sim.mutate.createOrders({ count: 10 }).ids;
  const shipments = sim.mutate.createShipments({ count: 5 }).ids;
  say(`5. meanwhile in ShipStation: ${modified.length} orders modified, ${created.length} orders created, ${shipments.length} shipments created\n`);
  // Changes made in the same second a sync starts belong to the next one: let the clock move on.
  await new Promise((resolve) => setTimeout(resolve, 1100));

  say('6. second read: incremental from the first read\'s state (full-refresh streams are read again whole)');
  const second = await read(destination, configPath, catalogPath, out);
  printSummary(second);

  return verify(sim, out, { orders: new Set([...modified, ...created]), shipments: new Set(shipments) }, second);
}

interface Run {
  code: number | null;
  /** The connector's own output: protocol messages, validated by its tests. */
  messages: AirbyteMessage[];
}

/** Runs a command that answers with a few messages (spec, check, discover). */
function connector(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [ENTRY, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, messages: stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as AirbyteMessage) }));
  });
}

/** A read piped into the destination; the connector's progress view goes straight to this terminal. */
async function read(destination: LocalDestination, config: string, catalog: string, out: string): Promise<DestinationSummary & { code: number | null }> {
  const statePath = join(out, 'state.json');
  const state = destination.state();
  const args = ['read', '--config', config, '--catalog', catalog, ...(state.length ? ['--state', statePath] : [])];
  const child = spawn(process.execPath, [ENTRY, ...args], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, SHIPSTATION_PROGRESS_INTERVAL: '5' } });
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  const summary = await destination.consume(child.stdout);
  return { ...summary, code: await exited };
}

function printSummary(run: DestinationSummary & { code: number | null }): void {
  const counts = STREAMS.map((s) => `${s.name} ${run.records[s.name] ?? 0}`).join(', ');
  say(`   exit ${run.code}; records: ${counts}; ${run.states} checkpoints${run.errors.length ? `; errors: ${run.errors.join(' | ')}` : ''}\n`);
}

/** Deduplicates the output on primary keys and compares it with the simulator's ground truth. */
function verify(sim: Simulator, out: string, changed: Record<string, Set<number>>, second: DestinationSummary & { code: number | null }): number {
  say('7. check against the simulator\'s ground truth');
  const rows: string[][] = [['stream', 'in output', 'ground truth', 'match']];
  let ok = second.code === 0;
  for (const def of STREAMS) {
    const key = def.primaryKey[0]!;
    const latest = new Map<unknown, string>();
    const lines = readFileSync(join(out, `${def.name}.jsonl`), 'utf8').split('\n').filter(Boolean);
    for (const line of lines) latest.set((JSON.parse(line) as Record<string, unknown>)[key], line);
    const convert = createValueConverter(def.name, silentLogger);
    let same = true;
    let truthCount = 0;
    for (const record of sim.truth(def.name as StreamName)) {
      truthCount++;
      const expected = structuredClone(record) as unknown as Record<string, unknown>;
      convert(expected);
      const got = latest.get(expected[key]);
      if (!got || !sameJson(JSON.parse(got), expected)) same = false;
    }
    same &&= latest.size === truthCount;
    ok &&= same;
    rows.push([def.name, String(latest.size), String(truthCount), same ? 'yes' : 'NO']);
  }
  const width = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  for (const r of rows) say(`   ${r.map((cell, c) => cell.padEnd(width[c]!)).join('  ')}`);
  const secondIds = new Set(readFileSync(join(out, 'orders.jsonl'), 'utf8').split('\n').filter(Boolean).slice(-(second.records.orders ?? 0)).map((l) => (JSON.parse(l) as { orderId: number }).orderId));
  const onlyChanges = secondIds.size === changed.orders!.size && [...changed.orders!].every((id) => secondIds.has(id));
  ok &&= onlyChanges;
  say(`   second read returned ${second.records.orders ?? 0} orders: ${onlyChanges ? 'exactly the 35 changed ones' : 'NOT just the changed ones'}`);
  say();
  say(ok ? 'Demo complete: the output matches the simulator\'s ground truth.' : 'Demo FAILED: the output does not match the ground truth.');
  return ok ? 0 : 1;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]));
  return value;
}

process.exitCode = await main();
