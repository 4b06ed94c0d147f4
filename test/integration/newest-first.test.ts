// Products and customers incremental on modifyDate, read newest first (src/engine/plan/newestFirst.ts), through
// the built CLI against the simulator: a first sync reads every record, a sync with nothing changed costs one
// request a stream, changes between syncs are read and nothing else is, a full pass comes when it is due, and a
// server that ignores the sort gets a full read with one WARN. Every sync is compared with the simulator's truth.
import { afterEach, describe, expect, test } from '@jest/globals';
import { ofType, runCli, type Message } from '../helpers/cli.js';
import { dayBehind } from '../helpers/fakeClock.js';
import {
  configuredCatalog,
  expectComplete,
  lastStates,
  readArgs,
  recordsOf,
  simulator,
  statesOf,
  type Simulator,
} from '../helpers/sim.js';

const STREAMS = ['products', 'customers'] as const;
const CATALOG = configuredCatalog(STREAMS.map((name) => ({ name, mode: 'incremental' as const })));
const PATHS = { products: '/products', customers: '/customers' };

let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

const warnings = (messages: Message[]) =>
  ofType(messages, 'LOG')
    .map((m) => m.log as { level: string; message: string })
    .filter((l) => l.level === 'WARN')
    .map((l) => l.message);

async function sync(s: Simulator, state?: unknown, config: Record<string, unknown> = {}) {
  s.resetStats();
  const run = await runCli(readArgs(s, CATALOG, { config: { page_size: 100, ...config }, state }));
  expect(run.code).toBe(0);
  return { run, requests: (name: keyof typeof PATHS) => s.stats().byPath[PATHS[name]] ?? 0 };
}

describe('products and customers read newest first', () => {
  test('a first sync reads every record and stores its window end and full pass; a no-change sync costs one request each', async () => {
    sim = await simulator({ seed: 41, counts: { products: 450, customers: 900 } });
    const first = await sync(sim);
    for (const name of STREAMS) {
      expectComplete(sim, recordsOf(first.run.messages, name), name);
      const [state] = statesOf(first.run.messages, name).map((s) => s.stream.stream_state);
      expect(Object.keys(state!).sort()).toEqual(['cursor_field', 'full_pass_at', 'version', 'window_end']);
      expect(state!.full_pass_at).toBe(state!.window_end);
    }
    const second = await sync(sim, lastStates(first.run.messages));
    for (const name of STREAMS) {
      expect(second.requests(name)).toBe(1);
      expect(recordsOf(second.run.messages, name)).toEqual([]);
      // The full pass stays where it was; the window moves on.
      const before = statesOf(first.run.messages, name)[0]!.stream.stream_state;
      const after = statesOf(second.run.messages, name)[0]!.stream.stream_state;
      expect(after.full_pass_at).toBe(before.full_pass_at);
    }
  });

  test('records changed between syncs are read by the next one, in a few requests; created ones too', async () => {
    // Stamps spread over 5 s (and out of commit order): one second holds fewer rows than a page.
    sim = await simulator({ seed: 42, counts: { products: 600, customers: 1200 }, stampJitterMs: 5000 });
    const first = await sync(sim);
    sim.mutate.deleteCustomers({ count: 5 });
    sim.mutate.deleteProducts({ count: 5 });
    const changed = {
      products: sim.mutate.modifyProducts({ count: 150 }).ids,
      customers: [...sim.mutate.modifyCustomers({ count: 150 }).ids, ...sim.mutate.createCustomers({ count: 20 }).ids],
    };
    const second = await sync(sim, lastStates(first.run.messages));
    for (const name of STREAMS) {
      const read = recordsOf(second.run.messages, name);
      const ids = new Set(read.map((r) => r[name === 'products' ? 'productId' : 'customerId']));
      for (const id of changed[name]) expect([name, id, ids.has(id)]).toEqual([name, id, true]);
      // 150–170 changed at 100 a page: two or three pages, not the whole stream.
      expect(second.requests(name)).toBeLessThanOrEqual(3);
      expectComplete(sim, [...recordsOf(first.run.messages, name), ...read], name);
    }
  });

  test('changes stamped as far back as the settle margin below the last window end are all read, page after page', async () => {
    // Stamps behind the clock (replication lag) down to the floor, densely: the read must go on until a page
    // reaches below the floor itself, not stop where the next page looks likely to cross it. A mutant that stops
    // one page early (applyHeadPage's `lowest < walk.floor` made `lowest - (values[0] - lowest) < walk.floor`)
    // loses the oldest batches here.
    const clock = dayBehind();
    sim = await simulator({ seed: 46, counts: { products: 600, customers: 900 }, clock: clock.now });
    // The simulator's config carries no margin (its clock is exact unless a lie says otherwise): give it 60 s.
    const config = { page_size: 50, full_pass_hours: 72, settle_seconds: 60 };
    const first = await sync(sim, undefined, config);
    const end = clock.now(); // the first window ended 60 s before this; the next reads from 120 s before it
    const changed: Record<string, number[]> = { products: [], customers: [] };
    for (let k = 0; k < 10; k++) {
      clock.set(end - 119_000 + k * 12_000);
      changed.customers!.push(...sim.mutate.modifyCustomers({ count: 20 }).ids);
      changed.products!.push(...sim.mutate.modifyProducts({ count: 20 }).ids);
    }
    clock.set(end + 120_000);
    const second = await sync(sim, lastStates(first.run.messages), config);
    for (const name of STREAMS) {
      const ids = new Set(
        recordsOf(second.run.messages, name).map((r) => r[name === 'products' ? 'productId' : 'customerId']),
      );
      expect({ name, missed: changed[name]!.filter((id) => !ids.has(id)) }).toEqual({ name, missed: [] });
      expect(second.requests(name)).toBeLessThanOrEqual(6);
    }
  });

  test('full_pass_hours 0 reads every record every sync; a pass due moves full_pass_at', async () => {
    sim = await simulator({ seed: 43, counts: { products: 300, customers: 300 } });
    const first = await sync(sim);
    const second = await sync(sim, lastStates(first.run.messages), { full_pass_hours: 0 });
    for (const name of STREAMS) {
      expect(recordsOf(second.run.messages, name)).toHaveLength(sim.truthCount(name));
      expect(second.requests(name)).toBeGreaterThan(3);
      const before = statesOf(first.run.messages, name)[0]!.stream.stream_state;
      const after = statesOf(second.run.messages, name)[0]!.stream.stream_state;
      expect(after.full_pass_at).toBe(after.window_end);
      expect(Date.parse(after.full_pass_at as string)).toBeGreaterThanOrEqual(
        Date.parse(before.full_pass_at as string),
      );
    }
  });

  test('a server that ignores the sort: the pages show it, the sync reads every record with one WARN', async () => {
    sim = await simulator({ seed: 44, counts: { products: 350, customers: 350 } });
    const first = await sync(sim);
    sim.mutate.modifyProducts({ count: 3 });
    sim.setPaging({ ignoreSort: true });
    const second = await sync(sim, lastStates(first.run.messages));
    for (const name of STREAMS) {
      expect(warnings(second.run.messages).filter((w) => w.startsWith(`${name}:`))).toEqual([
        expect.stringMatching(/did not return the records sorted by ModifyDate newest first.*reading every record/),
      ]);
      expect(recordsOf(second.run.messages, name)).toHaveLength(sim.truthCount(name));
      expectComplete(sim, recordsOf(second.run.messages, name), name);
    }
  });

  test('a bulk edit: more records on one second than a page repeats is read whole for that sync, said without a WARN', async () => {
    sim = await simulator({ seed: 47, counts: { products: 300, customers: 600 } });
    const first = await sync(sim);
    const bulk = sim.mutate.modifyCustomers({ count: 250 }).ids; // one call: one stamp
    const second = await sync(sim, lastStates(first.run.messages));
    const read = recordsOf(second.run.messages, 'customers');
    const ids = new Set(read.map((r) => r.customerId));
    expect(bulk.filter((id) => !ids.has(id))).toEqual([]);
    expect(read).toHaveLength(sim.truthCount('customers'));
    expectComplete(sim, read, 'customers');
    expect(warnings(second.run.messages)).toEqual([]);
    const infos = ofType(second.run.messages, 'LOG').map((m) => (m.log as { message: string }).message);
    expect(infos).toContainEqual(
      expect.stringMatching(/^customers: .*share one modification second.*reading every record/),
    );
    expect(second.requests('products')).toBe(1);
  });

  test('full refresh stays available, read in creation order as before', async () => {
    sim = await simulator({ seed: 45, counts: { products: 250, customers: 250 } });
    const catalog = configuredCatalog(STREAMS.map((name) => ({ name })));
    const run = await runCli(readArgs(sim, catalog, { config: { page_size: 100 } }));
    expect(run.code).toBe(0);
    for (const name of STREAMS) {
      expectComplete(sim, recordsOf(run.messages, name), name);
      expect(statesOf(run.messages, name).map((s) => s.stream.stream_state)).toEqual([{}]);
    }
  });
});
