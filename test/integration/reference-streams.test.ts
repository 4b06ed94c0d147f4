// The reference streams (carriers, marketplaces, users, webhooks, tags) end to end: one request each, records
// equal to the simulator's ground truth, offered by discover as full refresh only.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { ofType, runCli, traceErrors, type CliResult } from '../helpers/cli.js';
import { invalidMessages } from '../helpers/protocol.js';
import { createSchemaAjv, loadStreamSchema } from '../../src/streams/schemas.js';
import {
  byId,
  configArgs,
  configuredCatalog,
  expectedTruth,
  readArgs,
  recordsOf,
  simulator,
  statusesOf,
  type Simulator,
} from '../helpers/sim.js';

const schemaAjv = await createSchemaAjv();

const REFERENCE = [
  ['carriers', '/carriers', 'code'],
  ['marketplaces', '/stores/marketplaces', 'marketplaceId'],
  ['users', '/users', 'userId'],
  ['webhooks', '/webhooks', 'WebHookID'],
  ['tags', '/accounts/listtags', 'tagId'],
] as const;
const NAMES = REFERENCE.map(([name]) => name);

let sim: Simulator;
let run: CliResult;
let stats: ReturnType<Simulator['stats']>;

beforeAll(async () => {
  sim = await simulator({
    seed: 51,
    counts: { orders: 40, shipments: 20, fulfillments: 5, stores: 4, users: 6, webhooks: 8 },
  });
  run = await runCli(readArgs(sim, configuredCatalog(NAMES.map((name) => ({ name })))));
  stats = sim.stats();
});
afterAll(() => sim.close());

describe('reference streams', () => {
  test('exit 0, valid protocol messages, no error', () => {
    expect(run.code).toBe(0);
    expect(invalidMessages(run.messages)).toEqual([]);
    expect(traceErrors(run.messages)).toEqual([]);
  });

  test('exactly one request per stream, users with showInactive=true, nothing else', () => {
    expect(stats.byPath).toEqual(Object.fromEntries(REFERENCE.map(([, path]) => [path, 1])));
    const users = stats.timeline.find((t) => t.path === '/users')!;
    expect(new URLSearchParams(users.query).get('showInactive')).toBe('true');
    const webhooks = stats.timeline.find((t) => t.path === '/webhooks')!;
    expect(webhooks.query).toBe('');
  });

  test.each(REFERENCE)('%s: records equal the ground truth', (stream, _path, key) => {
    const got = recordsOf(run.messages, stream);
    const want = expectedTruth(sim, stream);
    expect(want.size).toBeGreaterThan(0);
    expect(got).toHaveLength(want.size);
    expect(byId(got, stream)).toEqual(want);
    for (const record of got) expect(record[key]).not.toBeNull();
  });

  test.each(NAMES)('%s: records validate against the schema; STARTED, RUNNING, COMPLETE; one STATE', (stream) => {
    const validate = schemaAjv.compile(loadStreamSchema(stream));
    for (const record of recordsOf(run.messages, stream)) {
      if (!validate(record)) throw new Error(`${stream} record does not validate: ${JSON.stringify(validate.errors)}`);
    }
    expect(statusesOf(run.messages, stream)).toEqual(['STARTED', 'RUNNING', 'COMPLETE']);
    const states = ofType(run.messages, 'STATE')
      .map((m) => m.state as { stream: { stream_descriptor: { name: string } }; sourceStats: { recordCount: number } })
      .filter((s) => s.stream.stream_descriptor.name === stream);
    expect(states.map((s) => s.sourceStats.recordCount)).toEqual([recordsOf(run.messages, stream).length]);
  });

  test('inactive users are included; the others reference what the account uses', () => {
    expect(recordsOf(run.messages, 'users')).toHaveLength(6);
    const carriers = new Set(recordsOf(run.messages, 'carriers').map((c) => c.code));
    for (const shipment of sim.truth('shipments'))
      expect(carriers.has((shipment as { carrierCode: string }).carrierCode)).toBe(true);
    const marketplaces = new Set(recordsOf(run.messages, 'marketplaces').map((m) => m.marketplaceId));
    for (const store of sim.truth('stores'))
      expect(marketplaces.has((store as { marketplaceId: number }).marketplaceId)).toBe(true);
    const tags = new Set(recordsOf(run.messages, 'tags').map((t) => t.tagId));
    for (const order of sim.truth('orders'))
      for (const id of (order as { tagIds: number[] | null }).tagIds ?? []) expect(tags.has(id)).toBe(true);
    const stores = new Set([...sim.truth('stores')].map((s) => (s as { storeId: number }).storeId));
    for (const hook of recordsOf(run.messages, 'webhooks'))
      if (hook.StoreID !== null) expect(stores.has(hook.StoreID as number)).toBe(true);
  });

  test('discover: full refresh only, with their keys', async () => {
    const r = await runCli(configArgs('discover', { ...sim.config }));
    const streams = (r.messages[0]!.catalog as { streams: Array<Record<string, unknown>> }).streams;
    for (const [name, , key] of REFERENCE) {
      const stream = streams.find((s) => s.name === name);
      expect(stream).toMatchObject({ supported_sync_modes: ['full_refresh'], source_defined_primary_key: [[key]] });
      expect(stream).not.toHaveProperty('default_cursor_field');
    }
  });

  test('incremental is refused as a config_error before any request', async () => {
    sim.resetStats();
    const r = await runCli(
      readArgs(sim, configuredCatalog([{ name: 'users', mode: 'incremental', cursor: 'userId' }])),
    );
    expect(r.code).toBe(1);
    expect(traceErrors(r.messages)[0]).toMatchObject({
      failure_type: 'config_error',
      message: expect.stringMatching(/'users' does not support incremental/),
    });
    expect(sim.stats().requests).toBe(0);
  });
});
