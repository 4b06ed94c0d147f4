// The simulator's "lies": options that break what a connector might assume about the server (stamps that follow
// our clock and commit order, a truthful Date header, stable ties, full pages, truthful totals). Each is off by
// default; these tests show each does what the README says, deterministically for a seed.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { ApiOrder, ApiShipment, Simulator } from '../../src/simulator/index.js';
import { FakeClock, apiGet, listAll, listPage, start } from './helpers.js';

// 2025-08-01 12:30:00 PDT
const T0 = Date.UTC(2025, 7, 1, 19, 30);

describe('stampLagMs: stamps behind the clock, changes visible at once', () => {
  const clock = new FakeClock(T0);
  let sim: Simulator;
  beforeAll(async () => {
    sim = await start({ seed: 3, clock: clock.read, counts: { orders: 400, shipments: 100, customers: 50 }, stampLagMs: 120_000 });
  });
  afterAll(() => sim.close());

  test('a modification gets a modifyDate 2 minutes behind the clock and is served at once, below a window starting at "now"', async () => {
    const result = sim.mutate.modifyOrders({ count: 3 });
    expect(result.at).toBe('2025-08-01T12:28:00.0000000');
    expect((await listPage(sim, 'orders', { modifyDateStart: '2025-08-01 12:30:00' })).total).toBe(0);
    const got = await listAll<ApiOrder>(sim, 'orders', { modifyDateStart: '2025-08-01 12:28:00' });
    expect(got.map((o) => o.orderId)).toEqual(result.ids);
    expect(got.every((o) => o.modifyDate === result.at && o.internalNotes === 'Edited by simulator (v1)')).toBe(true);
  });

  test('creations and voids are stamped the same way', async () => {
    clock.advance(3_600_000);
    const created = sim.mutate.createOrders({ count: 2 });
    const voided = sim.mutate.voidShipments({ count: 1 });
    const customers = sim.mutate.createCustomers({ count: 1 });
    expect([created.at, voided.at, customers.at]).toEqual(Array(3).fill('2025-08-01T13:28:00.0000000'));
    const orders = await listAll<ApiOrder>(sim, 'orders', { createDateStart: '2025-08-01 13:00:00' });
    expect(orders.map((o) => [o.orderId, o.createDate, o.modifyDate])).toEqual(created.ids.map((id) => [id, created.at, created.at]));
    const shipments = await listAll<ApiShipment>(sim, 'shipments', { voidDateStart: '2025-08-01 13:00:00' });
    expect(shipments.map((s) => [s.shipmentId, s.voidDate])).toEqual([[voided.ids[0], voided.at]]);
  });
});

describe('stampJitterMs: stamps out of commit order', () => {
  async function modifyOneByOne(seed: number, jitter: number): Promise<{ ids: number[][]; stamps: string[] }> {
    const clock = new FakeClock(T0);
    const sim = await start({ seed, clock: clock.read, counts: { orders: 300, shipments: 10 }, stampJitterMs: jitter });
    try {
      const ids: number[][] = [];
      const stamps: string[] = [];
      for (let k = 0; k < 20; k++) {
        clock.advance(1_000);
        const result = sim.mutate.modifyOrders({ count: 1 });
        ids.push(result.ids);
        const [order] = (await listPage<ApiOrder>(sim, 'orders', { modifyDateStart: '2025-08-01 12:00:00', sortBy: 'ModifyDate', pageSize: 500 })).records.filter((o) => o.orderId === result.ids[0]);
        expect(order?.modifyDate).toBe(result.stamps?.[0] ?? result.at);
        stamps.push(order!.modifyDate);
      }
      return { ids, stamps };
    } finally {
      await sim.close();
    }
  }

  test('a later modification can carry an earlier stamp; every stamp lies within [now − jitter, now]; same seed, same stamps', async () => {
    const [a, again, plain] = await Promise.all([modifyOneByOne(4, 30_000), modifyOneByOne(4, 30_000), modifyOneByOne(4, 0)]);
    expect(again).toEqual(a);
    // Jitter draws from its own PRNG: the records chosen are those chosen without it.
    expect(a.ids).toEqual(plain.ids);
    expect(a.stamps.some((stamp, k) => k > 0 && stamp < a.stamps[k - 1]!)).toBe(true);
    expect([...plain.stamps].sort()).toEqual(plain.stamps);
    a.stamps.forEach((stamp, k) => {
      const now = `2025-08-01T12:30:${String(k + 1).padStart(2, '0')}.0000000`;
      expect(stamp <= now && stamp >= `2025-08-01T12:29:${String(k + 31).padStart(2, '0')}`).toBe(true);
    });
  });

  test('a bulk edit keeps one shared stamp for all its rows', async () => {
    const sim = await start({ seed: 4, clock: () => T0, counts: { orders: 600, shipments: 10 }, stampJitterMs: 30_000 });
    try {
      const result = sim.mutate.bulkEditOrders({ count: 250 });
      expect(new Set(result.stamps)).toEqual(new Set([result.at]));
      expect(result.at < '2025-08-01T12:30:00.0000000' && result.at >= '2025-08-01T12:29:30').toBe(true);
      const got = await listAll<ApiOrder>(sim, 'orders', { modifyDateStart: '2025-08-01 12:29:00' });
      expect(got).toHaveLength(250);
      expect(new Set(got.map((o) => o.modifyDate))).toEqual(new Set([result.at]));
    } finally {
      await sim.close();
    }
  });
});

describe('dateOffsetMs: the HTTP Date header follows the simulator clock', () => {
  test('every API response, 429s and injected 5xx included, carries Date = clock + offset, on a fake clock', async () => {
    const at = Date.UTC(2026, 11, 3, 10, 21, 35, 900);
    const sim = await start({ clock: () => at, dateOffsetMs: -3_600_000, counts: { orders: 20 }, rateLimit: { limit: 100, windowMs: 1000 } });
    const plain = await start({ clock: () => at, counts: { orders: 20 } });
    try {
      expect((await apiGet(sim, '/orders')).headers.get('date')).toBe('Thu, 03 Dec 2026 09:21:35 GMT');
      sim.failNext({ kind: 'rateLimit' });
      sim.failNext({ kind: 'error503' });
      const responses = [await apiGet(sim, '/orders'), await apiGet(sim, '/orders'), await apiGet(sim, '/nowhere'), await apiGet(sim, '/orders', {}, null)];
      expect(responses.map((r) => r.status)).toEqual([429, 503, 404, 401]);
      for (const response of responses) expect(response.headers.get('date')).toBe('Thu, 03 Dec 2026 09:21:35 GMT');
      // With no offset the header still follows the simulator's clock, not the machine's.
      expect((await apiGet(plain, '/stores')).headers.get('date')).toBe('Thu, 03 Dec 2026 10:21:35 GMT');
    } finally {
      await Promise.all([sim.close(), plain.close()]);
    }
  });
});
