// API v2 end to end: the real CLI against the simulator's v2 mode over HTTP, compared with its ground truth.
// Every stream read equals the truth and validates against its schema; shipments changed during a sync that is
// killed and resumed lose nothing; a sync with nothing new costs one request per incremental stream; 429s are
// waited out; the key never appears in any output (runCli's secret guard); wrong keys get one sentence.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { killAfterStates, registerSecret, runCli, traceErrors, type Message } from '../helpers/cli.js';
import { invalidMessages } from '../helpers/protocol.js';
import { dayBehind } from '../helpers/fakeClock.js';
import { configArgs, expectEveryRecord, lastStates, readArgs, recordsOf, statesOf } from '../helpers/sim.js';
import type { Simulator } from '../../src/simulator/index.js';
import { startSimulator } from '../helpers/nativeSimulator.js';
import { createSchemaAjv, loadStreamSchema, type JsonSchema } from '../../src/streams/schemas.js';
import { v2Harness } from '../helpers/dialectHarness.js';
import { v2 } from '../../src/dialects/v2.js';

type V2Sim = Simulator<'v2'>;

const KEY = 'simV2k8Qm3Tz7Wc1Lp5Xr9Hd2Jn6Bf4Y';
const NO_ACCESS_KEY = 'simV2noAccess4Kq8Zr2Mt6Wy1Pb5Hx9';
registerSecret(KEY, NO_ACCESS_KEY, 'TEST_wrongV2key0123456789abcdefXYZ');

const API_STREAMS = v2.streams.streams.map((s) => s.name);
const INCREMENTAL = v2.streams.streams.filter((s) => s.cursors).map((s) => s.name);

function v2Simulator(options: Parameters<typeof startSimulator>[0] = {}): Promise<V2Sim> {
  return startSimulator({
    api: 'v2',
    seed: 23,
    rateLimit: { limit: 100_000, windowMs: 1000 },
    v2DateSuffix: 'mixed',
    counts: { orders: 600, shipments: 400, fulfillments: 120, products: 230 },
    ...options,
  }) as Promise<V2Sim>;
}

/** Every stream as discover offers it: incremental on its default cursor where it has one. */
function fullCatalog(names: readonly string[] = v2.streams.names()) {
  return v2Harness.catalog(
    names.map((name) => {
      const parent = v2.streams.find(name) ?? v2.streams.parentOf(v2.streams.findChild(name)!);
      return { name, mode: parent.cursors ? ('incremental' as const) : ('full_refresh' as const) };
    }),
  );
}

const keyOf = (name: string, record: Record<string, unknown>) => v2Harness.keyOf(record, name);
const truthOf = (sim: V2Sim, name: string) => v2Harness.truth(sim, name);
/** The shipment items the final shipments imply: each item, the carried shipment fields and its position. */
const itemsTruth = (sim: V2Sim) => v2Harness.truth(sim, 'shipment_items');

/** The latest emission per key over the runs given. */
function latest(name: string, ...runs: Message[][]): Map<unknown, unknown> {
  return new Map(runs.flatMap((m) => recordsOf(m, name)).map((r) => [keyOf(name, r), r]));
}

/** `got` holds exactly the records of `want`, each as it is there. */
function expectSame(got: Map<unknown, unknown>, want: Map<unknown, unknown>, name: string): void {
  const extra = [...got.keys()].filter((k) => !want.has(k));
  expect({ name, extra: extra.slice(0, 5) }).toEqual({ name, extra: [] });
  expectEveryRecord(name, want, got);
}

describe('API v2: check and discover', () => {
  let sim: V2Sim;
  beforeAll(async () => {
    sim = await v2Simulator();
  });
  afterAll(() => sim.close());

  test('check succeeds with the v2 key alone (api_version chosen from it)', async () => {
    const { api_version: _chosen, ...keyAlone } = sim.config;
    const r = await runCli(configArgs('check', keyAlone));
    expect(r.messages.map((m) => m.connectionStatus)).toEqual([{ status: 'SUCCEEDED' }]);
    expect(r.stderr).toBe('');
    expect(sim.stats().byPath['/v2/warehouses']).toBe(1);
  });

  test.each([
    [
      'a wrong key',
      { api_key: 'TEST_wrongV2key0123456789abcdefXYZ' },
      /^ShipStation authentication failed \(HTTP 401\): the API v2 key was not accepted; copy it again from /,
    ],
    [
      'a v1-shaped key',
      { api_key: '0123456789abcdef0123456789abcdef', api_version: 'v2' },
      /the key has the shape of a v1 API key, which API v2 does not accept; create an API v2 key under /,
    ],
    [
      'an account without API access',
      { api_key: NO_ACCESS_KEY },
      /^ShipStation denied access \(HTTP 403\): the API v2 key was recognised/,
    ],
  ])('check with %s fails with one sentence saying what to do', async (_name, over, pattern) => {
    const r = await runCli(configArgs('check', { ...sim.config, ...over }));
    expect(r.code).toBe(0);
    const status = r.messages[0]!.connectionStatus as { status: string; message: string };
    expect(status.status).toBe('FAILED');
    expect(status.message).toMatch(pattern);
  });

  test("discover offers v2's streams by v2's names, each with its v2 schema", async () => {
    const r = await runCli(configArgs('discover', { ...sim.config }));
    const streams = (
      r.messages[0]!.catalog as {
        streams: { name: string; json_schema: JsonSchema; default_cursor_field?: string[] }[];
      }
    ).streams;
    expect(streams.map((s) => s.name)).toEqual(v2.streams.names());
    expect(streams.find((s) => s.name === 'shipments')!.default_cursor_field).toEqual(['modified_at']);
    for (const s of streams) expect(s.json_schema).toEqual(loadStreamSchema(s.name, 'v2'));
  });
});

describe('API v2: a full read, then a sync with nothing new', () => {
  let sim: V2Sim;
  let first: Message[];
  let second: { messages: Message[]; requests: Record<string, number> };
  beforeAll(async () => {
    sim = await v2Simulator();
    const r = await runCli(readArgs(sim, fullCatalog()));
    expect([r.code, r.stderr.includes('COMPLETE')]).toEqual([0, true]);
    first = r.messages;
    sim.resetStats();
    const again = await runCli(readArgs(sim, fullCatalog(), { state: lastStates(first) }));
    expect(again.code).toBe(0);
    second = { messages: again.messages, requests: sim.stats().byPath };
  });
  afterAll(() => sim.close());

  test('every message validates against the protocol and no stream failed', () => {
    expect(invalidMessages(first)).toEqual([]);
    expect(traceErrors(first)).toEqual([]);
  });

  test.each(API_STREAMS)('%s equals the ground truth, date-times in UTC with Z', (name) => {
    expectSame(latest(name, first), truthOf(sim, name), name);
  });

  test('shipment_items are cut from the shipments: every item, keyed by shipment and position', () => {
    expectSame(latest('shipment_items', first), itemsTruth(sim), 'shipment_items');
  });

  test.each(v2.streams.names())('%s: every record validates strictly against its schema', async (name) => {
    const validate = (await createSchemaAjv()).compile(loadStreamSchema(name, 'v2'));
    const records = recordsOf(first, name);
    expect(records.length).toBeGreaterThan(0);
    for (const record of records) {
      if (!validate(record)) throw new Error(`${name}: ${JSON.stringify(validate.errors)}`);
    }
  });

  test('states are marked as v2 states, and the sync after costs one request per incremental stream, plus the void pass', () => {
    for (const name of INCREMENTAL) {
      expect(statesOf(first, name).at(-1)!.stream.stream_state).toMatchObject({ api_version: 'v2' });
      // Labels list every voided label once more (label_status=voided): one page of 500 holds this account's.
      expect([name, second.requests[v2.streams.find(name)!.path]]).toEqual([name, name === 'labels' ? 2 : 1]);
      expect(recordsOf(second.messages, name)).toEqual([]);
    }
  });
});

describe('API v2: shipments changed during a sync killed with -9, then resumed', () => {
  let sim: V2Sim;
  let runs: Message[][];
  beforeAll(async () => {
    // The simulator's clock moves a second per request, so changes are stamped through the syncs' windows.
    const clock = dayBehind();
    sim = await v2Simulator({
      clock: clock.now,
      counts: { orders: 400, shipments: 20, fulfillments: 10, products: 10 },
    });
    clock.tick(1000, () => sim.stats().requests);
    const changes = [];
    for (let k = 2; k <= 30; k++) {
      changes.push(sim.schedule({ atRequest: k }, { op: k % 5 === 0 ? 'createOrders' : 'modifyOrders', count: 2 }));
    }
    const catalog = fullCatalog(['shipments', 'shipment_items']);
    const config = { page_size: 25, max_parallel_slices: 1 };
    const killed = await runCli(readArgs(sim, catalog, { config }), { onStdout: killAfterStates(4) });
    expect(killed.signal).toBe('SIGKILL');
    const resumed = await runCli(readArgs(sim, catalog, { config, state: lastStates(killed.messages) }));
    expect(resumed.code).toBe(0);
    // Changes stop; the next sync, past the settle margin, reads what changed after the resumed sync's window.
    for (const change of changes) change.cancel();
    clock.advance(120_000);
    const next = await runCli(
      readArgs(sim, catalog, { config, state: lastStates([...killed.messages, ...resumed.messages]) }),
    );
    expect(next.code).toBe(0);
    runs = [killed.messages, resumed.messages, next.messages];
  });
  afterAll(() => sim.close());

  test('the changes happened during the syncs', () => {
    expect(sim.mutationLog().length).toBeGreaterThan(10);
    expect(sim.mutationLog().some((m) => m.op === 'createOrders')).toBe(true);
  });

  test('nothing is lost: the latest emission of every shipment and item is the final truth', () => {
    expectSame(latest('shipments', ...runs), truthOf(sim, 'shipments'), 'shipments');
    expectSame(latest('shipment_items', ...runs), itemsTruth(sim), 'shipment_items');
  });
});

describe('API v2: 429s from other apps on the key', () => {
  let sim: V2Sim;
  let result: Awaited<ReturnType<typeof runCli>>;
  beforeAll(async () => {
    sim = await v2Simulator({
      rateLimit: { limit: 12, windowMs: 4000 },
      counts: { orders: 300, shipments: 150, fulfillments: 20, products: 30 },
    });
    // Another app spends the key's budget now and then, and a storm of 429s starts the sync: the connector meets
    // 429s it did not cause.
    const otherApp = setInterval(() => sim.consumeBudget(KEY, 8), 1500);
    sim.failNext({ kind: 'rateLimit', count: 4 });
    result = await runCli(
      readArgs(sim, fullCatalog(['shipments', 'labels', 'products']), {
        config: { page_size: 25, max_concurrency: 1 },
      }),
      { timeoutMs: 120_000 },
    );
    clearInterval(otherApp);
  }, 150_000);
  afterAll(() => sim.close());

  test('the sync completes with every record', () => {
    expect(result.code).toBe(0);
    expect(traceErrors(result.messages)).toEqual([]);
    expect(sim.stats().rateLimited).toBeGreaterThanOrEqual(4);
    for (const name of ['shipments', 'labels', 'products'])
      expectSame(latest(name, result.messages), truthOf(sim, name), name);
  });

  test('no request follows a 429 before its Retry-After has passed', () => {
    // One request at a time (max_concurrency 1): the request after a 429 is sent once its answer arrived.
    const timeline = sim.stats().timeline;
    const waits = timeline.flatMap((entry, i) => {
      const next = timeline[i + 1];
      return entry.status === 429 && next ? [{ announced: entry.retryAfterS! * 1000, waited: next.t - entry.t }] : [];
    });
    expect(waits.length).toBeGreaterThanOrEqual(4);
    expect(waits.some((w) => w.announced >= 2000)).toBe(true);
    expect(waits.filter((w) => w.waited < w.announced)).toEqual([]);
  });
});

describe('API v2: a server that echoes the key', () => {
  test('the key is masked in every form in what check and read print, and the server sentence is kept', async () => {
    const key = 'TEST_echoedV2Key/abc+def0123456789';
    registerSecret(key);
    const { createServer } = await import('node:http');
    const server = createServer((req, res) => {
      const body = JSON.stringify({
        request_id: 'r-1',
        errors: [
          {
            error_source: 'shipstation',
            error_type: 'validation',
            error_code: 'invalid_field_value',
            message: `bad request; you sent API-Key ${String(req.headers['api-key'])} (${encodeURIComponent(key)})`,
          },
        ],
      });
      res.writeHead(400, { 'content-type': 'application/json' }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      const config = { api_key: key, base_url: `http://127.0.0.1:${port}` };
      const check = await runCli(configArgs('check', config));
      const status = check.messages[0]!.connectionStatus as { status: string; message: string };
      expect(status.status).toBe('FAILED');
      expect(status.message).toMatch(/HTTP 400\): bad request; you sent API-Key \*+ \(\*+\)$/);
      const r = await runCli(readArgs({ config }, fullCatalog(['shipments'])));
      expect(r.code).toBe(1);
      expect(JSON.stringify(traceErrors(r.messages))).toMatch(/you sent API-Key \*+/);
      // runCli itself fails a run whose output holds a registered secret; the encoded form is checked here.
      expect(r.stdout + r.stderr + check.stdout + check.stderr).not.toContain(encodeURIComponent(key));
    } finally {
      server.close();
    }
  });
});
