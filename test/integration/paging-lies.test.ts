// Pages and totals that lie (issue #21 items 2, 3, 6) and equal cursor values that come back in a new order on
// every request (issue #20 item 5), through the real CLI, the default way (pages fetched at once) and strictly
// in order (max_parallel_slices 1). Under each lie a stream either ends COMPLETE holding every record of the
// truth, or INCOMPLETE with an error that says what ShipStation did; never COMPLETE with a record missing. A
// follow-up sync from the last state then recovers everything.
import { afterAll, describe, expect, test } from '@jest/globals';
import type { PagingOptions } from '../../src/simulator/index.js';
import { runCli, type Message } from '../helpers/cli.js';
import { outcomeOf, staleOf, type Outcome } from '../helpers/outcome.js';
import {
  configuredCatalog,
  expectComplete,
  lastStates,
  readArgs,
  recordsOf,
  simulator,
  type Simulator,
} from '../helpers/sim.js';

const FULL = process.env.FAULT_MATRIX === 'full';

const MODES = [
  { mode: 'pages fetched at once', config: {} },
  { mode: 'in order', config: { max_parallel_slices: 1 } },
];

/** Until the next whole second has begun: a sync's window ends before the second its first response is in. */
const nextSecond = () => new Promise((resolve) => setTimeout(resolve, 1020 - (Date.now() % 1000)));

const seeds = (first: number) => (FULL ? [first, first + 1, first + 2] : [first]);

interface Lie {
  name: string;
  paging: PagingOptions;
  /** What an error ending a stream INCOMPLETE under this lie must speak of: what the server did. */
  says: RegExp;
  pageSize: number;
  orders: number;
  customers: number;
  /** Also read strictly in order by npm test (FAULT_MATRIX=full reads every lie both ways): the lies that change
   * which rows a page holds. */
  inOrder?: boolean;
}

const LIES: Lie[] = [
  {
    name: 'maxPageSize 50 with page_size 100',
    paging: { maxPageSize: 50 },
    says: /served|fewer|page size/i,
    pageSize: 100,
    orders: 400,
    customers: 400,
  },
  {
    name: 'short pages (shortPageRate 0.2)',
    paging: { shortPageRate: 0.2 },
    says: /short|served|fewer/i,
    pageSize: 50,
    orders: 400,
    customers: 400,
    inOrder: true,
  },
  {
    name: 'totalCap 1000 with 3,000 orders',
    paging: { totalCap: 1000 },
    says: /total/i,
    pageSize: 100,
    orders: 3000,
    customers: 1200,
    inOrder: true,
  },
  { name: 'totalOffset +1', paging: { totalOffset: 1 }, says: /total/i, pageSize: 50, orders: 400, customers: 400 },
  { name: 'totalOffset -1', paging: { totalOffset: -1 }, says: /total/i, pageSize: 50, orders: 400, customers: 400 },
  { name: 'totalDrift 1', paging: { totalDrift: 1 }, says: /total/i, pageSize: 50, orders: 400, customers: 400 },
  // Under FAULT_MATRIX=full: most pages cut short, where a stream may stop (saying so) but never lose a record.
  ...(FULL
    ? [
        {
          name: 'short pages (shortPageRate 0.6)',
          paging: { shortPageRate: 0.6 },
          says: /short/i,
          pageSize: 50,
          orders: 400,
          customers: 400,
        },
      ]
    : []),
];

/** What each stream did under each lie and mode: printed at the end under FAULT_MATRIX=full, or when one stopped. */
const seen: string[] = [];
afterAll(() => {
  if (FULL || seen.some((line) => !line.endsWith(': COMPLETE')))
    process.stderr.write(`paging lies, outcome per stream:\n${seen.sort().join('\n')}\n`);
});

/**
 * The promise: COMPLETE with nothing missing, or INCOMPLETE with an error naming ShipStation's fault in words
 * that say what it did (`says`), and that does not blame more records in one cursor second than a page holds (no
 * such second exists in these data).
 */
function expectPromise(label: string, outcome: Outcome, says: RegExp): void {
  seen.push(`${label}: ${outcome.status}${outcome.status === 'COMPLETE' ? '' : ` (${outcome.errors.join(' / ')})`}`);
  if (outcome.status === 'COMPLETE') {
    expect({ label, missing: outcome.missing.slice(0, 10), count: outcome.missing.length }).toEqual({
      label,
      missing: [],
      count: 0,
    });
    return;
  }
  expect({ label, status: outcome.status }).toEqual({ label, status: 'INCOMPLETE' });
  const said = outcome.errors.join(' ');
  expect({ label, said }).toEqual({ label, said: expect.stringMatching(/ShipStation/) });
  expect({ label, said }).toEqual({ label, said: expect.stringMatching(says) });
  expect({ label, said }).toEqual({ label, said: expect.not.stringMatching(/more records share/) });
}

const liesFor = (mode: string) => (FULL || mode === MODES[0]!.mode ? LIES : LIES.filter((l) => l.inOrder));

describe.each(MODES)('pages and totals that lie, $mode', ({ mode, config }) => {
  test.concurrent.each(liesFor(mode))(
    '$name: COMPLETE with every record or INCOMPLETE saying why; the next sync recovers',
    async (lie) => {
      for (const seed of seeds(81)) {
        const sim = await simulator({
          seed,
          counts: { orders: lie.orders, customers: lie.customers, shipments: 10, fulfillments: 10 },
          ...lie.paging,
        });
        try {
          const args = (catalog: unknown, state?: unknown[]) =>
            readArgs(sim, catalog, { config: { page_size: lie.pageSize, ...config }, ...(state ? { state } : {}) });
          const label = (stream: string) => `${lie.name}, ${mode}, seed ${seed}: ${stream}`;
          const incremental = configuredCatalog([{ name: 'orders', mode: 'incremental' }, { name: 'customers' }]);
          const fullRefresh = configuredCatalog([{ name: 'orders' }]);
          const [first, full] = await Promise.all([runCli(args(incremental)), runCli(args(fullRefresh))]);
          const outcomes = {
            'orders (incremental)': outcomeOf(sim, first.messages, 'orders'),
            'customers (full refresh)': outcomeOf(sim, first.messages, 'customers'),
            'orders (full refresh)': outcomeOf(sim, full.messages, 'orders'),
          };
          for (const [stream, outcome] of Object.entries(outcomes)) expectPromise(label(stream), outcome, lie.says);
          expect(first.code).toBe(
            outcomes['orders (incremental)'].status === 'COMPLETE' &&
              outcomes['customers (full refresh)'].status === 'COMPLETE'
              ? 0
              : 1,
          );

          // The follow-up: orders changed meanwhile, read from the last state while the server still lies; if the
          // first sync stopped on the lie, without it.
          sim.mutate.modifyOrders({ count: 15 });
          sim.mutate.createOrders({ count: 5 });
          await nextSecond();
          if (outcomes['orders (incremental)'].status !== 'COMPLETE')
            sim.setPaging({ maxPageSize: 500, shortPageRate: 0, totalCap: null, totalOffset: 0, totalDrift: 0 });
          const next = await runCli(
            args(configuredCatalog([{ name: 'orders', mode: 'incremental' }]), lastStates(first.messages)),
          );
          const union = [...recordsOf(first.messages, 'orders'), ...recordsOf(next.messages, 'orders')];
          expectPromise(
            label('orders (incremental follow-up)'),
            outcomeOf(sim, next.messages, 'orders', union),
            lie.says,
          );
          expect(staleOf(sim, union, 'orders', 'modifyDate')).toEqual([]);
          // A full refresh that stopped on the lie reads everything once the server stops lying.
          for (const [stream, catalog] of [
            ['customers (full refresh)', configuredCatalog([{ name: 'customers' }])],
            ['orders (full refresh)', fullRefresh],
          ] as const) {
            if (outcomes[stream].status === 'COMPLETE') continue;
            sim.setPaging({ maxPageSize: 500, shortPageRate: 0, totalCap: null, totalOffset: 0, totalDrift: 0 });
            const again = await runCli(args(catalog));
            const name = stream.split(' ')[0]!;
            expect(again.code).toBe(0);
            expectComplete(sim, recordsOf(again.messages, name), name);
          }
        } finally {
          await sim.close();
        }
      }
    },
  );
});

/** Requests of one stream in a read. */
const requestsOf = (sim: Simulator, path: string) => sim.stats().byPath[path] ?? 0;

const BULK = FULL
  ? [
      { n: 310, pageSize: 100, seed: 91 },
      { n: 1200, pageSize: 500, seed: 92 },
      { n: 700, pageSize: 250, seed: 93 },
    ]
  : [{ n: 310, pageSize: 100, seed: 91 }];

describe.each(MODES)(
  'equal cursor values in a new order on every request (unstableTies), $mode',
  ({ mode, config }) => {
    test.concurrent.each(BULK)(
      'a bulk edit of $n orders at one modifyDate, page_size $pageSize: every one in its new version, bounded requests',
      async ({ n, pageSize, seed }) => {
        const sim = await simulator({
          seed,
          counts: { orders: Math.max(1500, n + 500), shipments: 10, fulfillments: 10 },
          unstableTies: true,
        });
        try {
          const catalog = configuredCatalog([{ name: 'orders', mode: 'incremental' }]);
          const args = (state?: unknown[]) =>
            readArgs(sim, catalog, { config: { page_size: pageSize, ...config }, ...(state ? { state } : {}) });
          const first = await runCli(args());
          expect(first.code).toBe(0);
          const bulk = sim.mutate.bulkEditOrders({ count: n });
          await nextSecond();
          sim.resetStats();
          const second = await runCli(args(lastStates(first.messages)));
          expect({ mode, code: second.code }).toEqual({ mode, code: 0 });
          const emitted: Message[] = second.messages;
          const records = recordsOf(emitted, 'orders');
          // Every bulk-edited order arrives, and in its new version (checked whole against the truth below).
          const got = new Set(records.map((o) => o.orderId));
          expect(bulk.ids.filter((id) => !got.has(id))).toEqual([]);
          expectComplete(sim, [...recordsOf(first.messages, 'orders'), ...records], 'orders');
          // Reading the second as a group costs passes over its pages while the order keeps changing, never a loop.
          const pages = Math.ceil(n / pageSize);
          expect({
            requests: requestsOf(sim, '/orders'),
            withinBound: requestsOf(sim, '/orders') <= 12 * pages,
          }).toEqual({ requests: requestsOf(sim, '/orders'), withinBound: true });
        } finally {
          await sim.close();
        }
      },
    );
  },
);
