// `npm run catalog`: the configured catalog a user builds from discover, taken by read as it is.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, ofType, runCli, tempDir, writeFiles } from '../helpers/cli.js';
import { simulator, statusesOf, type Simulator } from '../helpers/sim.js';

const TOOL = join(ROOT, 'dist', 'shipstation-catalog.js');
const tool = (args: string[]) =>
  spawnSync(process.execPath, [TOOL, ...args], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });

let sim: Simulator;
let config: string;
beforeAll(async () => {
  sim = await simulator({
    seed: 81,
    counts: { orders: 300, shipments: 100, fulfillments: 20, customers: 30, products: 20 },
  });
  config = writeFiles({ 'config.json': sim.config })['config.json']!;
});
afterAll(() => sim.close());

describe('npm run catalog', () => {
  test('every stream with its schema, incremental where supported; read takes it as it is and completes every stream', async () => {
    const catalog = JSON.parse(execFileSync(process.execPath, [TOOL, '--config', config], { encoding: 'utf8' })) as {
      streams: {
        stream: { name: string; json_schema: { properties?: object } };
        sync_mode: string;
        destination_sync_mode: string;
        cursor_field?: string[];
      }[];
    };
    expect(catalog.streams).toHaveLength(14);
    for (const s of catalog.streams)
      expect(Object.keys(s.stream.json_schema.properties ?? {}).length).toBeGreaterThan(1);
    const orders = catalog.streams.find((s) => s.stream.name === 'orders')!;
    expect(orders).toMatchObject({
      sync_mode: 'incremental',
      destination_sync_mode: 'append_dedup',
      cursor_field: ['modifyDate'],
    });
    expect(catalog.streams.find((s) => s.stream.name === 'stores')).toMatchObject({
      sync_mode: 'full_refresh',
      destination_sync_mode: 'overwrite',
    });
    const file = writeFiles({ 'catalog.json': catalog })['catalog.json']!;
    const r = await runCli(['read', '--config', config, '--catalog', file]);
    expect(r.code).toBe(0);
    for (const s of catalog.streams)
      expect([s.stream.name, statusesOf(r.messages, s.stream.name).at(-1)]).toEqual([s.stream.name, 'COMPLETE']);
    expect(ofType(r.messages, 'RECORD').length).toBeGreaterThan(0);
  }, 60_000);

  test('--streams picks streams, --out writes the file instead of stdout', () => {
    const out = join(tempDir(), 'configured_catalog.json');
    const r = tool(['--config', config, '--streams', 'orders,order_items', '--out', out]);
    expect([r.status, r.stdout, r.stderr]).toEqual([0, '', '']);
    const catalog = JSON.parse(readFileSync(out, 'utf8')) as { streams: { stream: { name: string } }[] };
    expect(catalog.streams.map((s) => s.stream.name)).toEqual(['orders', 'order_items']);
  });

  test('an unknown stream or a bad config is a one-line error and exit 1; no --config is a usage error', () => {
    const unknown = tool(['--config', config, '--streams', 'orders,invoices']);
    expect([unknown.status, unknown.stdout]).toEqual([1, '']);
    expect(unknown.stderr).toMatch(/^error: --streams: unknown stream 'invoices' \(this connector offers orders, /);
    const bad = tool(['--config', writeFiles({ 'c.json': { api_secret: 's' } })['c.json']!]);
    expect([bad.status, bad.stderr]).toEqual([
      1,
      'error: config has no api_key: copy your ShipStation API key from Settings > Account > API Settings (v1: with its api_secret; API v2: the key alone)\n',
    ]);
    const usage = tool([]);
    expect(usage.status).toBe(2);
    expect(usage.stderr).toMatch(/--config FILE is required/);
  });
});
