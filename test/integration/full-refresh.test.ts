// The seven streams end to end: the real CLI against the simulator over HTTP, compared with ground truth.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { ofType, registerSecret, runCli, traceErrors, type CliResult } from '../helpers/cli.js';
import { invalidMessages } from '../helpers/protocol.js';
import { createSchemaAjv, loadStreamSchema } from '../../src/streams/schemas.js';
import {
  ALL_STREAMS,
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
import { expectEqual } from '../helpers/sameValue.js';

const schemaAjv = await createSchemaAjv();

registerSecret('not-the-secret', 'wrong-secret-value');
let sim: Simulator;
let first: CliResult;

beforeAll(async () => {
  sim = await simulator({
    seed: 7,
    counts: {
      orders: 1100,
      shipments: 600,
      fulfillments: 240,
      products: 260,
      customers: 520,
      stores: 6,
      warehouses: 3,
    },
  });
  first = await runCli(readArgs(sim, configuredCatalog(ALL_STREAMS.map((name) => ({ name })))));
});
afterAll(() => sim.close());

describe('full refresh of every stream', () => {
  test('exits 0 and every message validates against the protocol', () => {
    expect(first.stderr).not.toMatch(/Error|at .*:\d+:\d+/);
    expect(first.code).toBe(0);
    expect(invalidMessages(first.messages)).toEqual([]);
    expect(traceErrors(first.messages)).toEqual([]);
  });

  test.each(ALL_STREAMS)('%s: records equal the ground truth, date-times in UTC', (stream) => {
    const got = byId(recordsOf(first.messages, stream), stream);
    const want = expectedTruth(sim, stream);
    expect(want.size).toBeGreaterThan(0);
    expect(recordsOf(first.messages, stream)).toHaveLength(want.size);
    expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
    for (const [id, record] of want) expectEqual([id, got.get(id)], [id, record]);
  });

  test.each(ALL_STREAMS)('%s: every record validates against its schema', (stream) => {
    const validate = schemaAjv.compile(loadStreamSchema(stream));
    for (const record of recordsOf(first.messages, stream)) {
      if (!validate(record)) throw new Error(`${stream} record does not validate: ${JSON.stringify(validate.errors)}`);
    }
  });

  test.each(ALL_STREAMS)('%s: STARTED, RUNNING, COMPLETE and an estimate from the first page', (stream) => {
    expect(statusesOf(first.messages, stream)).toEqual(['STARTED', 'RUNNING', 'COMPLETE']);
    const estimates = ofType(first.messages, 'TRACE')
      .map((m) => m.trace as { type: string; estimate?: { name: string; row_estimate: number } })
      .filter((t) => t.type === 'ESTIMATE' && t.estimate!.name === stream);
    expect(estimates).toHaveLength(1);
    expect(estimates[0]!.estimate!.row_estimate).toBe(expectedTruth(sim, stream).size);
  });

  test('pages at 500, one request for bare arrays, no request beyond the last page', () => {
    const byPath = sim.stats().byPath;
    expect(byPath['/stores']).toBe(1);
    expect(byPath['/warehouses']).toBe(1);
    expect(byPath['/orders']).toBe(Math.ceil(1100 / 500));
  });

  // Pages of one stream are read in parallel and emitted as they arrive, so the order of records depends on the
  // network and the scheduler: the same records, each exactly once, is what idempotence means here.
  test('a second read gives identical records (full refresh is idempotent)', async () => {
    const again = await runCli(readArgs(sim, configuredCatalog(ALL_STREAMS.map((name) => ({ name })))));
    expect(again.code).toBe(0);
    for (const stream of ALL_STREAMS) {
      const records = recordsOf(again.messages, stream);
      expect(records).toHaveLength(recordsOf(first.messages, stream).length);
      expect(byId(records, stream)).toEqual(byId(recordsOf(first.messages, stream), stream));
    }
  });

  test('only the streams in the catalog are read', async () => {
    sim.resetStats();
    const r = await runCli(readArgs(sim, configuredCatalog([{ name: 'warehouses' }])));
    expect(r.code).toBe(0);
    expect(new Set(ofType(r.messages, 'RECORD').map((m) => (m.record as { stream: string }).stream))).toEqual(
      new Set(['warehouses']),
    );
    expect(sim.stats().requests).toBe(1);
  });
});

describe('check and discover', () => {
  test('check succeeds with valid credentials, in one request', async () => {
    sim.resetStats();
    const r = await runCli(configArgs('check', { ...sim.config }));
    expect(r.code).toBe(0);
    expect(r.messages).toEqual([{ type: 'CONNECTION_STATUS', connectionStatus: { status: 'SUCCEEDED' } }]);
    expect(sim.stats().requests).toBe(1);
  });

  test.each([
    [
      'a wrong secret',
      () => ({ ...sim.config, api_secret: 'f'.repeat(32) }),
      /authentication failed.*Settings > Account > API Settings/,
    ],
    ['an account without API access', () => ({ ...sim.noAccessConfig }), /denied access.*plan/],
    ['an unreachable host', () => ({ ...sim.config, base_url: 'http://127.0.0.1:9' }), /127\.0\.0\.1:9|127\.0\.0\.1/],
  ])('check with %s fails with a sentence saying what to fix (exit 0)', async (_name, config, pattern) => {
    const r = await runCli(configArgs('check', config()));
    expect(r.code).toBe(0);
    const statuses = ofType(r.messages, 'CONNECTION_STATUS');
    expect(statuses).toHaveLength(1);
    const status = statuses[0]!.connectionStatus as { status: string; message: string };
    expect(status.status).toBe('FAILED');
    expect(status.message).toMatch(pattern);
    expect(r.stdout + r.stderr).not.toContain('not-the-secret');
  });

  test('discover lists every stream with keys, modes and cursors', async () => {
    const r = await runCli(configArgs('discover', { ...sim.config }));
    expect(r.code).toBe(0);
    expect(invalidMessages(r.messages)).toEqual([]);
    const streams = (r.messages[0]!.catalog as { streams: Array<Record<string, unknown>> }).streams;
    const orders = streams.find((s) => s.name === 'orders')!;
    expect(orders).toMatchObject({
      supported_sync_modes: ['full_refresh', 'incremental'],
      source_defined_primary_key: [['orderId']],
      default_cursor_field: ['modifyDate'],
      source_defined_cursor: false,
      is_resumable: true,
    });
    expect(streams.find((s) => s.name === 'shipments')).toMatchObject({
      default_cursor_field: ['createDate'],
      source_defined_cursor: true,
    });
    // Products and customers: incremental on modifyDate, read newest first (no date filter to choose another).
    for (const name of ['products', 'customers'])
      expect(streams.find((s) => s.name === name)).toMatchObject({
        supported_sync_modes: ['full_refresh', 'incremental'],
        default_cursor_field: ['modifyDate'],
        source_defined_cursor: true,
        is_resumable: true,
      });
    expect(streams.find((s) => s.name === 'stores')).toMatchObject({ supported_sync_modes: ['full_refresh'] });
    for (const name of ALL_STREAMS) expect(streams.map((s) => s.name)).toContain(name);
  });
});

describe('credential failures during read', () => {
  test.each([
    ['401', () => ({ api_secret: 'e'.repeat(32) }), /authentication failed/],
    [
      '403',
      () => ({ api_key: sim.noAccessConfig.api_key, api_secret: sim.noAccessConfig.api_secret }),
      /denied access/,
    ],
  ])(
    '%s -> one config_error TRACE with the words check uses, every stream INCOMPLETE, exit 1',
    async (_code, override, pattern) => {
      const r = await runCli(
        readArgs(sim, configuredCatalog([{ name: 'orders' }, { name: 'stores' }]), { config: override() }),
      );
      expect(r.code).toBe(1);
      const errors = traceErrors(r.messages);
      expect(errors).toHaveLength(1);
      expect(errors[0]!.failure_type).toBe('config_error');
      expect(errors[0]!.message).toMatch(pattern);
      expect(statusesOf(r.messages, 'orders').at(-1)).toBe('INCOMPLETE');
      expect(statusesOf(r.messages, 'stores').at(-1)).toBe('INCOMPLETE');
      expect(r.stdout + r.stderr).not.toContain('wrong-secret-value');
    },
  );
});
