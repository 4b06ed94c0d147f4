// Full refresh while records are deleted and created between page answers (issue #20 item 4), the default way
// (pages fetched at once) and strictly in order (max_parallel_slices 1). Orders are read through the keyset
// reader on createDate, customers as an overlapping chain of pages; a deletion moves every later record one
// place earlier, so a reader that trusts page numbers or totals skips one. Whatever is deleted or created
// meanwhile, every record that existed throughout must come out, once if nothing changed: a full refresh feeds
// an overwrite table, which keeps duplicates.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { MutationSpec } from '../../src/simulator/index.js';
import { runCli } from '../helpers/cli.js';
import { duplicatesOf, expectHolds, mutatedIds } from '../helpers/outcome.js';
import { configuredCatalog, readArgs, recordsOf, simulator, statusesOf, type Simulator } from '../helpers/sim.js';

const FULL = process.env.FAULT_MATRIX === 'full';

const MODES = [
  { name: 'pages fetched at once', config: {} },
  { name: 'strictly in order (max_parallel_slices 1)', config: { max_parallel_slices: 1 } },
];

/** When, in API requests from the start of the read, each change lands (both streams share the count). */
const AT = [2, 4, 7, 10, 13, 17];

const deletions = (i: number): MutationSpec[] => [
  { op: 'deleteOrders', count: 3 + i },
  { op: 'deleteCustomers', count: 2 + i },
];
const creations = (i: number): MutationSpec[] => [
  { op: 'createOrders', count: 4 + i },
  { op: 'createCustomers', count: 3 + i },
];

const CHANGES: { name: string; at: (i: number) => MutationSpec[] }[] = [
  { name: 'deletions', at: deletions },
  { name: 'creations', at: creations },
  // As many created as deleted at the same moment: every total stays what it was.
  {
    name: 'deletions balanced by creations',
    at: (i) => [
      { op: 'deleteOrders', count: 3 + i },
      { op: 'createOrders', count: 3 + i },
      { op: 'deleteCustomers', count: 2 + i },
      { op: 'createCustomers', count: 2 + i },
    ],
  },
];

const CATALOG = configuredCatalog([{ name: 'orders' }, { name: 'customers' }]);

describe.each(MODES)('full refresh under deletions and creations: $name', (mode) => {
  test.concurrent.each(CHANGES)(
    '$name between page answers: every record that existed throughout comes out, exit 0',
    async (change) => {
      for (const seed of FULL ? [61, 62, 63, 64] : [61]) {
        const sim = await simulator({ seed, counts: { orders: 500, customers: 500, shipments: 10, fulfillments: 10 } });
        try {
          let scheduled = 0;
          AT.forEach((atRequest, i) => {
            for (const spec of change.at(i)) {
              sim.schedule({ atRequest }, spec);
              scheduled++;
            }
          });
          const r = await runCli(readArgs(sim, CATALOG, { config: { page_size: 50, ...mode.config } }));
          expect({ seed, code: r.code }).toEqual({ seed, code: 0 });
          // Every change landed while the read was under way, not after it.
          expect(sim.mutationLog()).toHaveLength(scheduled);
          expect(sim.stats().requests).toBeGreaterThan(AT.at(-1)!);
          const changed = {
            orders: mutatedIds(sim, ['deleteOrders', 'createOrders']),
            customers: mutatedIds(sim, ['deleteCustomers', 'createCustomers']),
          };
          for (const stream of ['orders', 'customers'] as const) {
            expect(statusesOf(r.messages, stream).at(-1)).toBe('COMPLETE');
            expectHolds(sim, recordsOf(r.messages, stream), stream, changed[stream]);
          }
        } finally {
          await sim.close();
        }
      }
    },
  );
});

describe('full refresh with nothing changing: no record twice', () => {
  const STREAMS = ['orders', 'shipments', 'fulfillments', 'products', 'customers'];
  let sim: Simulator;
  beforeAll(async () => {
    sim = await simulator({
      seed: 65,
      counts: { orders: 600, shipments: 300, fulfillments: 120, products: 120, customers: 300 },
    });
  });
  afterAll(() => sim.close());

  test.concurrent.each(MODES.flatMap((mode) => [50, 500].map((pageSize) => ({ ...mode, pageSize }))))(
    '$name, page_size $pageSize',
    async ({ config, pageSize }) => {
      const r = await runCli(
        readArgs(sim, configuredCatalog(STREAMS.map((name) => ({ name }))), {
          config: { page_size: pageSize, ...config },
        }),
      );
      expect(r.code).toBe(0);
      for (const stream of STREAMS) {
        const records = recordsOf(r.messages, stream);
        expect({ stream, duplicates: duplicatesOf(records, stream) }).toEqual({ stream, duplicates: 0 });
        expectHolds(sim, records, stream);
      }
    },
  );
});
