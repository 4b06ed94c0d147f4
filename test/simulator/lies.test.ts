// The simulator's "lies": options that break what a connector might assume about the server (stamps that follow
// our clock and commit order, a truthful Date header, stable ties, full pages, truthful totals). Each is off by
// default; these tests show each does what the README says, deterministically for a seed.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { ApiOrder, ApiShipment, Simulator, SimulatorOptions } from '../../src/simulator/index.js';
import { pageRows } from '../../src/simulator/paging.js';
import { Rng } from '../../src/simulator/random.js';
import { FakeClock, apiGet, listAll, listPage, start, truthOf } from './helpers.js';

// 2025-08-01 12:30:00 PDT
const T0 = Date.UTC(2025, 7, 1, 19, 30);

describe('stampLagMs: stamps behind the clock, changes visible at once', () => {
  const clock = new FakeClock(T0);
  let sim: Simulator;
  beforeAll(async () => {
    sim = await start({
      seed: 3,
      clock: clock.read,
      counts: { orders: 400, shipments: 100, customers: 50 },
      stampLagMs: 120_000,
    });
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
    expect(orders.map((o) => [o.orderId, o.createDate, o.modifyDate])).toEqual(
      created.ids.map((id) => [id, created.at, created.at]),
    );
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
        const [order] = (
          await listPage<ApiOrder>(sim, 'orders', {
            modifyDateStart: '2025-08-01 12:00:00',
            sortBy: 'ModifyDate',
            pageSize: 500,
          })
        ).records.filter((o) => o.orderId === result.ids[0]);
        expect(order?.modifyDate).toBe(result.stamps?.[0] ?? result.at);
        stamps.push(order!.modifyDate);
      }
      return { ids, stamps };
    } finally {
      await sim.close();
    }
  }

  test('a later modification can carry an earlier stamp; every stamp lies within [now − jitter, now]; same seed, same stamps', async () => {
    const [a, again, plain] = await Promise.all([
      modifyOneByOne(4, 30_000),
      modifyOneByOne(4, 30_000),
      modifyOneByOne(4, 0),
    ]);
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
    const sim = await start({
      seed: 4,
      clock: () => T0,
      counts: { orders: 600, shipments: 10 },
      stampJitterMs: 30_000,
    });
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
    const sim = await start({
      clock: () => at,
      dateOffsetMs: -3_600_000,
      counts: { orders: 20 },
      rateLimit: { limit: 100, windowMs: 1000 },
    });
    const plain = await start({ clock: () => at, counts: { orders: 20 } });
    try {
      expect((await apiGet(sim, '/orders')).headers.get('date')).toBe('Thu, 03 Dec 2026 09:21:35 GMT');
      sim.failNext({ kind: 'rateLimit' });
      sim.failNext({ kind: 'error503' });
      const responses = [
        await apiGet(sim, '/orders'),
        await apiGet(sim, '/orders'),
        await apiGet(sim, '/nowhere'),
        await apiGet(sim, '/orders', {}, null),
      ];
      expect(responses.map((r) => r.status)).toEqual([429, 503, 404, 401]);
      for (const response of responses) expect(response.headers.get('date')).toBe('Thu, 03 Dec 2026 09:21:35 GMT');
      // With no offset the header still follows the simulator's clock, not the machine's.
      expect((await apiGet(plain, '/stores')).headers.get('date')).toBe('Thu, 03 Dec 2026 10:21:35 GMT');
    } finally {
      await Promise.all([sim.close(), plain.close()]);
    }
  });
});

async function control<T>(
  sim: Simulator,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const response = await fetch(`${sim.baseUrl}/__sim/${path}`, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as T };
}

describe('odd pages: maxPageSize and shortPageRate', () => {
  let sim: Simulator;
  let ids: number[];
  beforeAll(async () => {
    sim = await start({ seed: 6, counts: { orders: 1000, shipments: 10 }, maxPageSize: 120 });
    ids = truthOf<ApiOrder>(sim, 'orders').map((o) => o.orderId);
  });
  afterAll(() => sim.close());

  test('a pageSize above maxPageSize is served as maxPageSize, offsets and pages included', async () => {
    const second = await listPage<ApiOrder>(sim, 'orders', { pageSize: 500, page: 2 });
    expect(second.records.map((o) => o.orderId)).toEqual(ids.slice(120, 240));
    expect(second).toMatchObject({ total: 1000, page: 2, pages: 9 });
    const small = await listPage<ApiOrder>(sim, 'orders', { pageSize: 50, page: 3 });
    expect(small.records.map((o) => o.orderId)).toEqual(ids.slice(100, 150));
    expect(small.pages).toBe(20);
  });

  test('settable at run time over HTTP; bad settings are a 400', async () => {
    const set = await control<{ maxPageSize: number }>(sim, 'POST', 'paging', { maxPageSize: 30 });
    expect(set).toEqual({
      status: 200,
      body: expect.objectContaining({ maxPageSize: 30, shortPageRate: 0, totalCap: null }),
    });
    expect((await control<{ maxPageSize: number }>(sim, 'GET', 'paging')).body.maxPageSize).toBe(30);
    const page = await listPage<ApiOrder>(sim, 'orders', { page: 4 });
    expect(page.records.map((o) => o.orderId)).toEqual(ids.slice(90, 120));
    expect(page.pages).toBe(34);
    expect((await control(sim, 'POST', 'paging', { maxPageSize: 501 })).status).toBe(400);
    expect((await control(sim, 'POST', 'paging', { shortPageRate: 1.5 })).status).toBe(400);
    expect((await control(sim, 'POST', 'paging', { totalDrift: -1 })).status).toBe(400);
    expect((await control(sim, 'POST', 'paging', { unstableTies: 'yes' })).status).toBe(400);
    expect((await control(sim, 'POST', 'paging', { pageSizeLimit: 5 })).status).toBe(400);
    sim.setPaging({ maxPageSize: 500 });
  });

  async function shortPages(seed: number, rate: number): Promise<number[]> {
    const shorty = await start({ seed, counts: { orders: 500, shipments: 10 }, shortPageRate: rate });
    const truth = truthOf<ApiOrder>(shorty, 'orders').map((o) => o.orderId);
    try {
      const lengths: number[] = [];
      for (let page = 1; page <= 10; page++) {
        const got = await listPage<ApiOrder>(shorty, 'orders', { page, pageSize: 50 });
        expect(got).toMatchObject({ total: 500, page, pages: 10 });
        // A prefix of the full page at the offset the asked page size gives: the cut rows are on no page.
        expect(got.records.length).toBeGreaterThan(0);
        expect(got.records.map((o) => o.orderId)).toEqual(
          truth.slice((page - 1) * 50, (page - 1) * 50 + got.records.length),
        );
        lengths.push(got.records.length);
      }
      expect((await listPage(shorty, 'orders', { page: 11, pageSize: 50 })).records).toEqual([]);
      return lengths;
    } finally {
      await shorty.close();
    }
  }

  test('a short page keeps its offset and the total; the same seed cuts the same pages', async () => {
    const [a, b, all] = await Promise.all([shortPages(12, 0.5), shortPages(12, 0.5), shortPages(12, 1)]);
    expect(b).toEqual(a);
    expect(a.some((n) => n < 50)).toBe(true);
    expect(a.some((n) => n === 50)).toBe(true);
    expect(all.every((n) => n < 50)).toBe(true);
  });
});

describe('totals that lie: totalCap, totalOffset, totalDrift', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await start({ seed: 2, counts: { orders: 1000, shipments: 10 }, totalCap: 250 });
  });
  afterAll(() => sim.close());

  test('the reported total never exceeds the cap, pages follow it, and the rows past it are still served', async () => {
    expect(await listPage(sim, 'orders')).toMatchObject({ total: 250, pages: 3 });
    expect((await listPage(sim, 'orders', { page: 7 })).records).toHaveLength(100);
    expect((await listPage(sim, 'shipments')).total).toBe(10);
    sim.setPaging({ totalCap: null });
    expect((await listPage(sim, 'orders')).total).toBe(1000);
  });

  test('totalOffset is added to the total, clamped at 0', async () => {
    sim.setPaging({ totalOffset: -1 });
    expect(await listPage(sim, 'orders', { pageSize: 500 })).toMatchObject({ total: 999, pages: 2 });
    expect((await listPage(sim, 'shipments')).total).toBe(9);
    sim.setPaging({ totalOffset: -5000 });
    expect(await listPage(sim, 'orders')).toMatchObject({ total: 0, pages: 0 });
    sim.setPaging({ totalOffset: 1, totalCap: 1000 });
    expect((await listPage(sim, 'orders')).total).toBe(1000);
    sim.setPaging({ totalOffset: 0, totalCap: null });
  });

  test('totalDrift: the total grows on every API request, counted from when it was set', async () => {
    expect((await control(sim, 'POST', 'paging', { totalDrift: 7 })).status).toBe(200);
    const totals: number[] = [];
    for (let k = 0; k < 3; k++) totals.push((await listPage(sim, 'orders')).total);
    await apiGet(sim, '/stores');
    totals.push((await listPage(sim, 'orders')).total);
    expect(totals).toEqual([1007, 1014, 1021, 1035]);
    sim.setPaging({ totalDrift: 0 });
    expect((await listPage(sim, 'orders')).total).toBe(1000);
  });
});

describe('unstableTies: equal sort keys in a different order per request', () => {
  const clock = new FakeClock(T0);
  let sim: Simulator;
  beforeAll(async () => {
    sim = await start({
      seed: 9,
      clock: clock.read,
      counts: { orders: 500, shipments: 300, fulfillments: 100, products: 40, customers: 60 },
      unstableTies: true,
    });
  });
  afterAll(() => sim.close());

  test('after a bulk edit, identical requests return the same ids and total but not the same order', async () => {
    const bulk = sim.mutate.bulkEditOrders({ count: 200 });
    const sorted = [...bulk.ids].sort((a, b) => a - b);
    for (const sortDir of ['ASC', 'DESC']) {
      const orders: string[] = [];
      for (let k = 0; k < 4; k++) {
        const page = await listPage<ApiOrder>(sim, 'orders', {
          modifyDateStart: '2025-08-01 12:30:00',
          sortBy: 'ModifyDate',
          sortDir,
          pageSize: 500,
        });
        expect(page.total).toBe(200);
        const got = page.records.map((o) => o.orderId);
        expect([...got].sort((a, b) => a - b)).toEqual(sorted);
        orders.push(got.join());
      }
      expect(new Set(orders).size).toBeGreaterThan(1);
      expect(orders).not.toContain(sorted.join());
    }
  });

  test('every paged endpoint and sortBy keeps its key order and totals while ties move', async () => {
    const cases: [string, string, string][] = [
      ['shipments', 'ShipDate', 'shipDate'],
      ['shipments', 'CreateDate', 'createDate'],
      ['fulfillments', 'ShipDate', 'shipDate'],
      ['orders', 'ModifyDate', 'modifyDate'],
      ['products', 'SKU', 'sku'],
      ['customers', 'Name', 'name'],
    ];
    let moved = 0;
    for (const [stream, sortBy, field] of cases) {
      for (const sortDir of ['ASC', 'DESC']) {
        const query = { sortBy, sortDir, pageSize: 200, showInactive: true };
        const [a, b] = [
          await listPage<Record<string, unknown>>(sim, stream, query),
          await listPage<Record<string, unknown>>(sim, stream, query),
        ];
        expect(b.total).toBe(a.total);
        const keys = a.records.map((r) => String(r[field]).toUpperCase());
        expect(keys).toEqual([...keys].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0) * (sortDir === 'DESC' ? -1 : 1)));
        if (JSON.stringify(a.records) !== JSON.stringify(b.records)) moved++;
      }
    }
    // Shipments and fulfillments share ship days; orders share the bulk edit's stamp; names repeat.
    expect(moved).toBeGreaterThanOrEqual(8);
  });

  test('one request order: its pages are slices of one shuffle of each run of equal keys', () => {
    const rng = new Rng(5);
    const key = Float64Array.from({ length: 60 }, () => rng.int(0, 6));
    const rows = Int32Array.from({ length: 60 }, (_, i) => i).sort((a, b) => key[a]! - key[b]! || a - b);
    const view = { rows, from: 0, to: rows.length, key };
    for (const desc of [false, true]) {
      const whole = pageRows(view, desc, 0, 60, 42);
      const pieces = [0, 7, 14, 21, 28, 35, 42, 49, 56].flatMap((offset) => pageRows(view, desc, offset, 7, 42));
      expect(pieces).toEqual(whole);
      expect([...whole].sort((a, b) => a - b)).toEqual([...rows].sort((a, b) => a - b));
      const keys = whole.map((row) => key[row]!);
      expect(keys).toEqual([...keys].sort((a, b) => (desc ? b - a : a - b)));
      expect(pageRows(view, desc, 0, 60, 43)).not.toEqual(whole);
      expect(pageRows(view, desc, 0, 60, null)).not.toEqual(whole);
    }
  });
});

describe('all options off', () => {
  const OFF: SimulatorOptions = {
    stampLagMs: 0,
    stampJitterMs: 0,
    dateOffsetMs: 0,
    unstableTies: false,
    maxPageSize: 500,
    shortPageRate: 0,
    totalCap: null,
    totalOffset: 0,
    totalDrift: 0,
  };

  async function transcript(options: SimulatorOptions): Promise<string[]> {
    const clock = new FakeClock(T0);
    const sim = await start({ seed: 13, clock: clock.read, counts: { orders: 400, shipments: 200 }, ...options });
    try {
      const out: string[] = [];
      const get = async (path: string, query: Record<string, string | number>): Promise<void> => {
        const response = await apiGet(sim, path, query);
        out.push(`${response.headers.get('date')} ${response.text}`);
      };
      for (const op of ['bulkEditOrders', 'modifyOrders', 'createOrders', 'voidShipments'] as const) {
        clock.advance(1_000);
        out.push(JSON.stringify(sim.mutate.apply({ op, count: 60 })));
        await get('/orders', { sortBy: 'ModifyDate', sortDir: 'DESC', pageSize: 150, page: 2 });
        await get('/shipments', { sortBy: 'ShipDate', pageSize: 77, page: 2 });
      }
      return out;
    } finally {
      await sim.close();
    }
  }

  test('explicit defaults answer byte for byte like no options at all', async () => {
    const [plain, off] = await Promise.all([transcript({}), transcript(OFF)]);
    expect(off).toEqual(plain);
  });

  test('bad values are rejected with a RangeError naming the option', async () => {
    for (const [bad, message] of [
      [{ stampLagMs: -1 }, /stampLagMs/],
      [{ stampJitterMs: 1.5 }, /stampJitterMs/],
      [{ dateOffsetMs: 0.5 }, /dateOffsetMs/],
      [{ maxPageSize: 0 }, /maxPageSize/],
      [{ shortPageRate: 2 }, /shortPageRate/],
      [{ totalCap: -3 }, /totalCap/],
      [{ totalOffset: 0.1 }, /totalOffset/],
      [{ totalDrift: -1 }, /totalDrift/],
    ] as const) {
      await expect(start(bad)).rejects.toThrow(message);
    }
  });
});
