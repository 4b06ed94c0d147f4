// Incremental sync under change, three ways: pages fetched at once (the default), strictly in order
// (max_parallel_slices 1), and against a server reading its date filters exclusively on whole seconds. Each way,
// orders modified while a sync runs and a bulk edit of 1,200 orders at one second are all read, this sync or the
// next. A file of its own so jest runs it beside incremental.test.ts.
import { afterEach, describe, expect, test } from '@jest/globals';
import { runCli } from '../helpers/cli.js';
import {
  configuredCatalog,
  expectComplete,
  lastStates,
  readArgs,
  recordsOf,
  simulator,
  type Simulator,
} from '../helpers/sim.js';

let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

const incremental = (names: string[]) =>
  configuredCatalog(names.map((name) => ({ name, mode: 'incremental' as const })));

/** Completeness under change, read the default way (pages fetched at once), strictly in order, and against a
 * server that reads the date filters exclusively on whole seconds. */
const VARIANTS = [
  { name: 'pages fetched at once', config: {}, sim: {}, bulkSlack: 3, seeds: [21, 22, 23] },
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

describe.each(VARIANTS)('incremental sync under change: $name', (variant) => {
  test('orders modified while the sync runs: this sync plus the next one hold every final version', async () => {
    for (const seed of variant.seeds) {
      const s = await simulator({ seed, counts: { orders: 1500, shipments: 10, fulfillments: 10 }, ...variant.sim });
      try {
        for (const atRequest of [2, 4, 6, 9, 12]) s.schedule({ atRequest }, { op: 'modifyOrders', count: 7 + seed });
        s.schedule({ atRequest: 8 }, { op: 'createOrders', count: 5 });
        const first = await runCli(
          readArgs(s, incremental(['orders']), { config: { page_size: 100, ...variant.config } }),
        );
        expect(first.code).toBe(0);
        await new Promise((resolve) => setTimeout(resolve, 1100));
        const second = await runCli(
          readArgs(s, incremental(['orders']), {
            config: { page_size: 100, ...variant.config },
            state: lastStates(first.messages),
          }),
        );
        expect(second.code).toBe(0);
        expectComplete(s, [...recordsOf(first.messages, 'orders'), ...recordsOf(second.messages, 'orders')], 'orders');
      } finally {
        await s.close();
      }
    }
  });

  test('a bulk edit giving 1,200 orders one modifyDate is read whole, without looping', async () => {
    sim = await simulator({ seed: 15, counts: { orders: 2000, shipments: 10, fulfillments: 10 }, ...variant.sim });
    const first = await runCli(readArgs(sim, incremental(['orders']), { config: variant.config }));
    const bulk = sim.mutate.bulkEditOrders({ count: 1200 });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    sim.resetStats();
    const second = await runCli(
      readArgs(sim, incremental(['orders']), { config: variant.config, state: lastStates(first.messages) }),
    );
    expect(second.code).toBe(0);
    const ids = new Set(recordsOf(second.messages, 'orders').map((o) => o.orderId));
    for (const id of bulk.ids) expect(ids.has(id)).toBe(true);
    // Whole seconds read exclusively cost the group's skip a step back or two.
    expect(sim.stats().byPath['/orders']).toBeLessThanOrEqual(Math.ceil(1200 / 500) + variant.bulkSlack);
    expectComplete(sim, [...recordsOf(first.messages, 'orders'), ...recordsOf(second.messages, 'orders')], 'orders');
  });
});
