import { describe, expect, test } from '@jest/globals';
import type { Simulator, SimulatorOptions } from '../../src/simulator/index.js';
import { apiGet, listPage, start } from './helpers.js';

const URLS: [string, Record<string, string | number | boolean>][] = [
  ['/orders', { pageSize: 500, page: 2 }],
  ['/orders', { sortBy: 'ModifyDate', sortDir: 'DESC', modifyDateStart: '2024-01-01 00:00:00' }],
  ['/shipments', { includeShipmentItems: true, pageSize: 200 }],
  ['/fulfillments', {}],
  ['/products', { showInactive: true, sortBy: 'SKU' }],
  ['/customers', { sortBy: 'Name' }],
  ['/stores', { showInactive: true }],
  ['/warehouses', {}],
];

async function bodies(options: SimulatorOptions): Promise<string[]> {
  const sim = await start(options);
  try {
    return await Promise.all(URLS.map(([path, query]) => apiGet(sim, path, query).then((r) => r.text)));
  } finally {
    await sim.close();
  }
}

describe('determinism and scale', () => {
  test('same seed and options → byte-identical responses; another seed → different data', async () => {
    const options = { seed: 99, counts: { orders: 1200, shipments: 700 } };
    const [a, b, c] = await Promise.all([bodies(options), bodies(options), bodies({ ...options, seed: 100 })]);
    expect(b).toEqual(a);
    a.forEach((body, i) => expect(c[i]).not.toBe(body));
  });

  // How fast (build time, page latency at 1,000,000 orders) is measured by `npm run bench:simulator`, not here.
  test('50,000 orders build and a deep, filtered 500-order page is served', async () => {
    const sim: Simulator = await start({ counts: { orders: 50_000, shipments: 10_000 } });
    try {
      const page = await listPage(sim, 'orders', {
        pageSize: 500,
        page: 80,
        sortBy: 'ModifyDate',
        modifyDateStart: '2023-06-01 00:00:00',
      });
      expect(page.records).toHaveLength(500);
      expect(page.total).toBeGreaterThan(39_000);
    } finally {
      await sim.close();
    }
  });
});
