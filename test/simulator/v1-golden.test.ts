// Guards v1 against the v2 mode: every v1 answer (list pages, whole lists, errors, 429 headers, the truth and
// mutation results) for fixed seeds and a fixed clock is hashed and compared with the hash recorded before the v2
// mode existed, so any byte that changes in v1 turns this red.
import { describe, expect, test } from '@jest/globals';
import { createHash } from 'node:crypto';
import { STREAM_NAMES, type Simulator } from '../../src/simulator/index.js';
import { FakeClock, apiGet, start } from './helpers.js';

type Query = Record<string, string | number | boolean>;

const URLS: [string, Query][] = [
  ['/orders', { pageSize: 500, page: 2 }],
  ['/orders', { sortBy: 'ModifyDate', sortDir: 'DESC', modifyDateStart: '2024-01-01 00:00:00' }],
  ['/orders', { sortBy: 'CreateDate', createDateStart: '2024-11-03', createDateEnd: '2024-11-04' }],
  ['/shipments', { includeShipmentItems: true, pageSize: 200 }],
  ['/shipments', { sortBy: 'ShipDate', sortDir: 'DESC', voidDateStart: '2023-01-01' }],
  ['/fulfillments', {}],
  ['/products', { showInactive: true, sortBy: 'SKU' }],
  ['/customers', { sortBy: 'Name' }],
  ['/stores', { showInactive: true }],
  ['/warehouses', {}],
  ['/carriers', {}],
  ['/stores/marketplaces', {}],
  ['/users', { showInactive: true }],
  ['/webhooks', {}],
  ['/accounts/listtags', {}],
  ['/orders', { page: 0 }],
  ['/nowhere', {}],
];

const T0 = Date.UTC(2025, 7, 1, 19, 30);
/** The accounts the hashes were recorded with (the defaults became 32-hex in #26, as real v1 credentials are). */
const RECORDED_ACCOUNTS = {
  credentials: { apiKey: 'sim-api-key', apiSecret: 'sim-api-secret' },
  noAccessCredentials: { apiKey: 'sim-no-access-key', apiSecret: 'sim-no-access-secret' },
};

function digest(parts: readonly string[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(`${part}\u0000`);
  return hash.digest('hex');
}

async function answers(sim: Simulator): Promise<string[]> {
  const out: string[] = [];
  for (const [path, query] of URLS) {
    const response = await apiGet(sim, path, query);
    out.push(`${response.status} ${response.headers.get('content-type')} ${response.text}`);
  }
  return out;
}

function truth(sim: Simulator): string[] {
  return STREAM_NAMES.map((stream) => [...sim.truth(stream)].map((record) => JSON.stringify(record)).join('\n'));
}

describe('v1 is unchanged by the v2 mode', () => {
  test('responses, truth and mutations for fixed seeds hash as recorded', async () => {
    const clock = new FakeClock(T0);
    const sim = await start({
      ...RECORDED_ACCOUNTS,
      seed: 5,
      clock: clock.read,
      counts: { orders: 900, shipments: 400, fulfillments: 80, products: 60, customers: 90 },
      stampJitterMs: 5_000,
    });
    try {
      const parts = [...(await answers(sim)), ...truth(sim)];
      const mutations = [
        sim.mutate.modifyOrders({ count: 7 }),
        sim.mutate.bulkEditOrders({ count: 50 }),
        sim.mutate.createOrders({ count: 4 }),
        sim.mutate.voidShipments({ count: 3 }),
        sim.mutate.createShipments({ count: 2 }),
        sim.mutate.deleteOrders({ count: 2 }),
        sim.mutate.deleteCustomers({ count: 2 }),
        sim.mutate.createCustomers({ count: 3 }),
      ];
      parts.push(JSON.stringify(mutations), ...(await answers(sim)), ...truth(sim));
      expect(digest(parts)).toBe('4b87b7dc0e70ec0a31a0d78efcac8572425173199f19429ca7a6308ec174e5f1');
    } finally {
      await sim.close();
    }
  });

  test('auth failures, the no-access account and 429s answer as recorded, headers included', async () => {
    const clock = new FakeClock(T0);
    const sim = await start({
      ...RECORDED_ACCOUNTS,
      seed: 9,
      clock: clock.read,
      rateLimit: { limit: 3, windowMs: 10_000 },
    });
    try {
      const parts: string[] = [];
      const record = (response: Awaited<ReturnType<typeof apiGet>>): void => {
        const headers = ['content-type', 'date', 'x-rate-limit-limit', 'x-rate-limit-remaining', 'x-rate-limit-reset'];
        parts.push(`${response.status} ${headers.map((h) => response.headers.get(h)).join('|')} ${response.text}`);
      };
      record(await apiGet(sim, '/stores', {}, null));
      record(await apiGet(sim, '/stores', {}, { ...sim.config, api_secret: 'nope' }));
      record(await apiGet(sim, '/stores', {}, sim.noAccessConfig));
      clock.advance(1_500);
      record(await apiGet(sim, '/stores'));
      record(await apiGet(sim, '/stores'));
      sim.failNext({ kind: 'rateLimit', count: 1 });
      record(await apiGet(sim, '/warehouses'));
      sim.failNext({ kind: 'error500', count: 1 });
      sim.failNext({ kind: 'error503', count: 1, html: false });
      clock.advance(9_000);
      record(await apiGet(sim, '/stores'));
      record(await apiGet(sim, '/stores'));
      // The port is a free one, so base_url differs from run to run.
      parts.push(
        JSON.stringify(sim.config).replace(sim.baseUrl, ''),
        JSON.stringify(sim.noAccessConfig).replace(sim.baseUrl, ''),
      );
      expect(digest(parts)).toBe('25ba1738d1ecaa2a3c049d835534aa80000a515526395105945950b80619dc1a');
    } finally {
      await sim.close();
    }
  });
});
