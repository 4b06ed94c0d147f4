// Incremental sync under change, three ways: pages fetched at once (the default), strictly in order
// (max_parallel_slices 1), and against a server reading its date filters exclusively on whole seconds. Each way,
// orders modified while a sync runs and a bulk edit of 1,200 orders at one second are all read, this sync or the
// next; and the same for API v2's shipments (the same orders seen through v2, dialectHarness.ts). Shipments (v2:
// labels) voided long after they were created, before, during and between syncs, reach the destination by the
// void pass, with a sync killed and resumed, voids sharing one second and short pages. A file of its own so jest
// runs it beside incremental.test.ts. Last, products and customers read newest first, under change.
import { afterEach, describe, expect, test } from '@jest/globals';
import { killAfterStates, runCli, type CliResult } from '../helpers/cli.js';
import { DAY_MS, dayBehind } from '../helpers/fakeClock.js';
import { expectEveryRecord, lastStates, readArgs, recordsOf } from '../helpers/sim.js';
import { HARNESSES, type AnySimulator, type DialectHarness } from '../helpers/dialectHarness.js';
import { moreSeeds } from '../helpers/changeScenario.js';
import { configuredCatalog, expectedTruth, simulator, statusesOf } from '../helpers/sim.js';
import { tally } from '../faults/matrix.js';
import type { PagingOptions, SimulatorOptions } from '../../src/simulator/index.js';

let sim: AnySimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

/** Every record of the truth arrived, in its current version (the latest emission per key wins). */
function expectComplete(h: DialectHarness, s: AnySimulator, emitted: Array<Record<string, unknown>>): void {
  const stream = h.orders;
  expectEveryRecord(stream, h.truth(s, stream), new Map(emitted.map((r) => [h.keyOf(r, stream), r])));
}

/** Completeness under change, read the default way (pages fetched at once), strictly in order, and against a
 * server that reads the date filters exclusively on whole seconds. */
const VARIANTS = [
  { name: 'pages fetched at once', config: {}, sim: {}, bulkSlack: 3, seeds: [21, ...moreSeeds(22, 23)] },
  {
    name: 'strictly in order (max_parallel_slices 1)',
    config: { max_parallel_slices: 1 },
    sim: {},
    bulkSlack: 3,
    seeds: [22],
  },
  {
    name: 'exclusive whole-second date filters',
    config: {},
    sim: { filterBounds: 'exclusiveSeconds' as const },
    bulkSlack: 5,
    seeds: [23],
  },
];

/** v2 in npm test: pages fetched at once, one seed; FAULT_MATRIX=full adds the other ways and seeds. */
const V2_VARIANTS = (process.env.FAULT_MATRIX === 'full' ? VARIANTS : VARIANTS.slice(0, 1)).map((v) => ({
  ...v,
  seeds: [...v.seeds, ...moreSeeds(24)],
}));

describe.each(VARIANTS)('incremental sync under change: $name', (variant) => underChange(HARNESSES.v1, variant));
// The void pass reads by its own date filter: npm test runs it with pages fetched at once, under each filter reading.
const VOID_VARIANTS =
  process.env.FAULT_MATRIX === 'full' ? VARIANTS : VARIANTS.filter((v) => !('max_parallel_slices' in v.config));
describe.each(VOID_VARIANTS)('voids of old shipments: $name', (variant) => voidsOfOld(HARNESSES.v1, variant));
describe.each(V2_VARIANTS)('API v2 labels, voids of old labels: $name', (variant) => voidsOfOld(HARNESSES.v2, variant));
describe.each(V2_VARIANTS)('API v2 shipments, incremental sync under change: $name', (variant) =>
  underChange(HARNESSES.v2, variant),
);

function underChange(h: DialectHarness, variant: (typeof VARIANTS)[number]): void {
  const name = h.orders;
  const cursor = h.dialect.streams.find(name)!.defaultCursor!;
  const incremental = h.catalog([{ name, mode: 'incremental' }]);
  test(`${name} modified while the sync runs: this sync plus the next one hold every final version`, async () => {
    for (const seed of variant.seeds) {
      const s = await h.simulator({ seed, counts: { orders: 1500, shipments: 10, fulfillments: 10 }, ...variant.sim });
      try {
        for (const atRequest of [2, 4, 6, 9, 12]) s.schedule({ atRequest }, { op: 'modifyOrders', count: 7 + seed });
        s.schedule({ atRequest: 8 }, { op: 'createOrders', count: 5 });
        const first = await runCli(readArgs(s, incremental, { config: { page_size: 100, ...variant.config } }));
        expect(first.code).toBe(0);
        await new Promise((resolve) => setTimeout(resolve, 1100));
        const second = await runCli(
          readArgs(s, incremental, {
            config: { page_size: 100, ...variant.config },
            state: lastStates(first.messages),
          }),
        );
        expect(second.code).toBe(0);
        expectComplete(h, s, [...recordsOf(first.messages, name), ...recordsOf(second.messages, name)]);
      } finally {
        await s.close();
      }
    }
  });

  test(`a bulk edit giving 1,200 ${name} one ${cursor} is read whole, without looping`, async () => {
    sim = await h.simulator({ seed: 15, counts: { orders: 2000, shipments: 10, fulfillments: 10 }, ...variant.sim });
    const first = await runCli(readArgs(sim, incremental, { config: variant.config }));
    const bulk = sim.mutate.bulkEditOrders({ count: 1200 });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    sim.resetStats();
    const second = await runCli(
      readArgs(sim, incremental, { config: variant.config, state: lastStates(first.messages) }),
    );
    expect(second.code).toBe(0);
    const ids = new Set(recordsOf(second.messages, name).map((o) => h.keyOf(o, name)));
    for (const id of h.changedIds(bulk)) expect(ids.has(id)).toBe(true);
    // Whole seconds read exclusively cost the group's skip a step back or two.
    expect(sim.stats().byPath[h.path(name)]).toBeLessThanOrEqual(Math.ceil(1200 / 500) + variant.bulkSlack);
    expectComplete(h, sim, [...recordsOf(first.messages, name), ...recordsOf(second.messages, name)]);
  });
}

/**
 * Products and customers read newest first (src/engine/plan/newestFirst.ts) while they change: a first sync reads
 * them whole; between it and the second, batches of 30 records each share one modifyDate second (equal seconds
 * across page edges of 100); during the second, records are modified (they jump to the top), removed (the rest
 * shift up), created; a third sync follows. Over the three, every record of the truth arrives in its final
 * version, and the second reads a few pages, not the whole streams. Ways: plain; killed (SIGKILL) after its first
 * STATE and resumed; stamps jittered back (out of commit order, within the settle margin); pages cut short with
 * ties in a new order on every answer.
 */
const NEWEST_FIRST_WAYS: { name: string; kill?: boolean; sim?: Partial<SimulatorOptions>; paging?: PagingOptions }[] = [
  { name: 'plain' },
  { name: 'killed after its first STATE and resumed', kill: true },
  { name: 'stamps up to 20 s out of commit order', sim: { stampJitterMs: 20_000 } },
  { name: 'pages cut short, ties in a new order on every answer', paging: { shortPageRate: 0.2, unstableTies: true } },
];

describe.each(NEWEST_FIRST_WAYS)('products and customers, newest first, under change: $name', (way) => {
  const streams = ['products', 'customers'] as const;
  const catalog = configuredCatalog(streams.map((name) => ({ name, mode: 'incremental' as const })));
  test('three syncs hold every final version; the second reads a few pages', async () => {
    const clock = dayBehind();
    const s = await simulator({ seed: 61, counts: { products: 800, customers: 1500 }, clock: clock.now, ...way.sim });
    try {
      // The simulator's clock stands a day behind this machine's, by which a full pass would be due after 24 h.
      const config = { page_size: 100, full_pass_hours: 72 };
      const a = await runCli(readArgs(s, catalog, { config }));
      expect(a.code).toBe(0);
      clock.advance(120_000);
      for (let k = 0; k < 6; k++) {
        s.mutate.modifyCustomers({ count: 30 });
        s.mutate.modifyProducts({ count: 30 });
        clock.advance(1000);
      }
      clock.advance(120_000);
      if (way.paging) s.setPaging(way.paging);
      clock.tick(300, () => s.stats().requests);
      const base = s.stats().requests;
      for (let k = 2; k <= 14; k++) {
        const at = { atRequest: base + k };
        s.schedule(at, { op: k % 2 ? 'modifyCustomers' : 'modifyProducts', count: 3 });
        if (k % 3 === 0) s.schedule(at, { op: k % 2 ? 'deleteCustomers' : 'deleteProducts', count: 2 });
        if (k % 4 === 0) s.schedule(at, { op: 'createCustomers', count: 2 });
      }
      s.resetStats();
      let b = await runCli(readArgs(s, catalog, { config, state: lastStates(a.messages) }), {
        ...(way.kill ? { onStdout: killAfterStates(1) } : {}),
      });
      if (way.kill) {
        expect(b.signal).toBe('SIGKILL');
        const resumed = await runCli(
          readArgs(s, catalog, { config, state: lastStates([...a.messages, ...b.messages]) }),
        );
        b = { ...resumed, messages: [...b.messages, ...resumed.messages] };
      }
      expect(b.code).toBe(0);
      // 180 changed records a stream at 100 a page, and the changes landing meanwhile: a few pages, not 8 or 15.
      expect(s.stats().byPath['/customers']).toBeLessThanOrEqual(way.kill ? 14 : 8);
      expect(s.stats().byPath['/products']).toBeLessThanOrEqual(way.kill ? 14 : 8);
      clock.advance(120_000);
      const c = await runCli(readArgs(s, catalog, { config, state: lastStates([...a.messages, ...b.messages]) }));
      expect(c.code).toBe(0);
      for (const name of streams) {
        expect(statusesOf(c.messages, name).at(-1)).toBe('COMPLETE');
        const emitted = [a, b, c].flatMap((run) => recordsOf(run.messages, name));
        const { missing, stale } = tally(name, expectedTruth(s, name), emitted);
        expect({ name, missing, stale }).toEqual({ name, missing: [], stale: [] });
      }
    } finally {
      await s.close();
    }
  }, 120_000);
});

/**
 * Shipments (v2 labels) created years before the syncs are voided before, during and between three syncs, the
 * second one killed (SIGKILL) during its void pass and resumed; no lookback is set, so only the void pass can see
 * them. A dozen voids share one second, pages hold 5 rows and a third of them come back short. The latest emission
 * of every label equals the truth, and a sync after no change costs 2 requests: the main read and the void pass (v2: one per 500 voided labels).
 */
function voidsOfOld(h: DialectHarness, variant: (typeof VARIANTS)[number]): void {
  const name = h.labels;
  const catalog = h.catalog([{ name, mode: 'incremental' }]);
  test(`${name} voided long after their creation reach the destination, under kill -9 and short pages`, async () => {
    for (const seed of variant.seeds) {
      const clock = dayBehind();
      const s = await h.simulator({
        seed,
        counts: { orders: 300, shipments: 150, fulfillments: 5 },
        clock: clock.now,
        shortPageRate: 0.3,
        ...variant.sim,
      });
      try {
        const config = { page_size: 5, ...variant.config };
        const run = (state: unknown, onStdout?: Parameters<typeof killAfterStates>[0]) =>
          runCli(readArgs(s, catalog, { config, ...(state ? { state } : {}) }), {
            ...(onStdout ? { onStdout: killAfterStates(onStdout) } : {}),
          });
        s.mutate.voidShipments({ count: 3 });
        s.schedule({ atRequest: 4 }, { op: 'voidShipments', count: 4 });
        const first = await run(undefined);
        expect(first.code).toBe(0);
        clock.advance(5000);
        // Equal seconds: the clock stands still, so these voids share one stamp.
        s.mutate.voidShipments({ count: 12 });
        clock.advance(5000);
        s.schedule({ atRequest: 3 }, { op: 'voidShipments', count: 2 });
        const killed = await run(lastStates(first.messages), 2);
        expect(killed.signal).toBe('SIGKILL');
        const resumed = await run(lastStates(killed.messages));
        expect(resumed.code).toBe(0);
        clock.advance(5000);
        s.mutate.voidShipments({ count: 5 });
        clock.advance(5000);
        const third = await run(lastStates(resumed.messages));
        expect(third.code).toBe(0);
        const syncs: CliResult[] = [first, killed, resumed, third];
        const emitted = syncs.flatMap((r) => recordsOf(r.messages, name));
        const truth = h.truth(s, name);
        expectEveryRecord(name, truth, new Map(emitted.map((r) => [h.keyOf(r, name), r])));
        // The voids are of old records: created over a week before the first sync, out of any lookback's reach.
        const created = h.api === 'v1' ? 'createDate' : 'created_at';
        const voided = s.mutationLog().flatMap((m) => h.changedIds(m));
        const old = voided.filter((id) => Date.parse(String(truth.get(id)![created])) < clock.now() - 7 * DAY_MS);
        expect(old.length).toBeGreaterThan(voided.length / 2);
        // A sync after no change, at full pages: one request for the main read, one for the void pass (v2 lists
        // every voided label there, all on one page here).
        clock.advance(5000);
        s.setPaging({ shortPageRate: 0 });
        s.resetStats();
        const quiet = await runCli(readArgs(s, catalog, { config: variant.config, state: lastStates(third.messages) }));
        expect(quiet.code).toBe(0);
        expect(recordsOf(quiet.messages, name)).toEqual([]);
        expect(s.stats().byPath[h.path(name)]).toBe(2);
      } finally {
        await s.close();
      }
    }
  });
}
