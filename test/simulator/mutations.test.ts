import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import type { ApiOrder, ApiShipment, Simulator } from '../../src/simulator/index.js';
import { FakeClock, apiGet, listAll, listPage, start, truthOf } from './helpers.js';
import { useVirtualTime } from '../helpers/virtualTime.js';
import { oracle } from './oracle.js';

type Row = Record<string, unknown>;

// 2025-08-01 12:30:00 PDT
const T0 = Date.UTC(2025, 7, 1, 19, 30);

describe('data changes during a sync', () => {
  const clock = new FakeClock(T0);
  let sim: Simulator;

  beforeAll(async () => {
    sim = await start({ seed: 3, clock: clock.read, counts: { orders: 1500, shipments: 500 } });
  });
  afterAll(() => sim.close());

  test('modifyOrders: new modifyDate = now (Pacific), bumped version, changed status/notes, nothing else', async () => {
    const before = new Map(truthOf<ApiOrder>(sim, 'orders').map((o) => [o.orderId, o]));
    const result = sim.mutate.modifyOrders({ count: 5 });
    expect(result.at).toBe('2025-08-01T12:30:00.0000000');
    expect(result.ids).toHaveLength(5);
    const got = await listAll<ApiOrder>(sim, 'orders', { modifyDateStart: '2025-08-01 12:30:00', sortBy: 'ModifyDate' });
    expect(got.map((o) => o.orderId)).toEqual([...result.ids].sort((a, b) => a - b));
    for (const order of got) {
      expect(order.modifyDate).toBe(result.at);
      expect(order.internalNotes).toBe('Edited by simulator (v1)');
      const { modifyDate: _m, internalNotes: _n, orderStatus: _s, ...rest } = order;
      const { modifyDate: _m0, internalNotes: _n0, orderStatus: _s0, ...restBefore } = before.get(order.orderId)!;
      expect(rest).toEqual(restBefore);
    }
    clock.advance(61_000);
    const again = sim.mutate.modifyOrders({ orderIds: [result.ids[0]!] });
    expect(again.at).toBe('2025-08-01T12:31:01.0000000');
    const [order] = (await listPage<ApiOrder>(sim, 'orders', { modifyDateStart: '2025-08-01 12:31:00' })).records;
    expect(order).toMatchObject({ orderId: result.ids[0], internalNotes: 'Edited by simulator (v2)', modifyDate: again.at });
  });

  test('bulkEditOrders gives more than 1,000 orders the exact same modifyDate; paging them is stable by id', async () => {
    clock.advance(60_000);
    const result = sim.mutate.bulkEditOrders();
    expect(result.ids.length).toBe(1200);
    const got = await listAll<ApiOrder>(sim, 'orders', { modifyDateStart: '2025-08-01 12:32:01', sortBy: 'ModifyDate', sortDir: 'ASC' });
    expect(got).toHaveLength(1200);
    expect(new Set(got.map((o) => o.modifyDate))).toEqual(new Set([result.at]));
    expect(got.map((o) => o.orderId)).toEqual([...result.ids].sort((a, b) => a - b));
  });

  test('voidShipments sets voided and voidDate = now; voidDate filters find them', async () => {
    clock.advance(60_000);
    const result = sim.mutate.voidShipments({ count: 3 });
    const shipments = await listAll<ApiShipment>(sim, 'shipments', { voidDateStart: '2025-08-01 12:33:00' });
    expect(shipments.map((s) => s.shipmentId)).toEqual([...result.ids].sort((a, b) => a - b));
    expect(shipments.every((s) => s.voided && s.voidDate === result.at)).toBe(true);
  });

  test('createOrders and createShipments add records with new ids created now', async () => {
    clock.advance(60_000);
    const maxOrderId = Math.max(...truthOf<ApiOrder>(sim, 'orders').map((o) => o.orderId));
    const created = sim.mutate.createOrders({ count: 4 });
    expect(Math.min(...created.ids)).toBeGreaterThan(maxOrderId);
    const last = await listPage<ApiOrder>(sim, 'orders', { page: 4, pageSize: 500 });
    expect(last.total).toBe(1504);
    expect(last.records.map((o) => o.orderId)).toEqual(created.ids);
    expect(last.records.every((o) => o.createDate === created.at && o.modifyDate === created.at)).toBe(true);

    const shipmentsBefore = sim.truthCount('shipments');
    const shipped = sim.mutate.createShipments({ orderIds: [created.ids[0]!, created.ids[1]!] });
    expect(sim.truthCount('shipments')).toBe(shipmentsBefore + 2);
    const byOrder = await listAll<ApiShipment>(sim, 'shipments', { orderId: created.ids[0]! });
    expect(byOrder.map((s) => s.shipmentId)).toEqual([shipped.ids[0]]);
    expect(byOrder[0]).toMatchObject({ createDate: shipped.at, shipDate: '2025-08-01', voided: false });
    const newest = await listPage<ApiShipment>(sim, 'shipments', { sortBy: 'CreateDate', sortDir: 'DESC', pageSize: 2 });
    expect(newest.records.map((s) => s.shipmentId).sort()).toEqual([...shipped.ids].sort());
  });

  test('after all the changes every sort index still matches the ground truth', async () => {
    const orders = truthOf<Row>(sim, 'orders');
    for (const [sortBy, field] of [
      ['ModifyDate', 'modifyDate'],
      ['CreateDate', 'createDate'],
      ['OrderDate', 'orderDate'],
    ] as const) {
      const got = await listAll<Row>(sim, 'orders', { sortBy, sortDir: 'DESC' });
      expect(got.map((o) => o.orderId)).toEqual(oracle(orders, { sortField: field, desc: true, idField: 'orderId' }).map((o) => o.orderId));
    }
  });

  test('unknown ids are rejected', () => {
    expect(() => sim.mutate.modifyOrders({ orderIds: [1] })).toThrow(/does not exist/);
    expect(() => sim.mutate.voidShipments({ shipmentIds: [1] })).toThrow(/does not exist/);
  });
});

describe('scheduled mutations', () => {
  async function runScheduled(seed: number): Promise<{ sim: Simulator; seen: number[] }> {
    const clock = new FakeClock(T0);
    const sim = await start({ seed, clock: clock.read, counts: { orders: 500, shipments: 100 } });
    sim.schedule({ atRequest: 3 }, { op: 'modifyOrders', count: 4 });
    const seen: number[] = [];
    for (let i = 0; i < 4; i++) seen.push((await listPage(sim, 'orders', { modifyDateStart: '2025-08-01 12:30:00' })).total);
    return { sim, seen };
  }

  test('a mutation at request K applies just before request K, choosing the same orders for the same seed', async () => {
    const a = await runScheduled(9);
    const b = await runScheduled(9);
    const c = await runScheduled(10);
    try {
      expect(a.seen).toEqual([0, 0, 4, 4]);
      expect(a.sim.mutationLog().map((m) => m.ids)).toEqual(b.sim.mutationLog().map((m) => m.ids));
      expect(c.sim.mutationLog()[0]!.ids).not.toEqual(a.sim.mutationLog()[0]!.ids);
    } finally {
      await Promise.all([a.sim.close(), b.sim.close(), c.sim.close()]);
    }
  });

  test('timer-triggered and repeating mutations', async () => {
    const sim = await start({ counts: { orders: 200, shipments: 50 } });
    // Fake timers: a loaded machine could otherwise run the test's own 150 ms wait before the third repeat.
    useVirtualTime();
    try {
      sim.schedule({ afterMs: 20 }, { op: 'createOrders', count: 1 });
      sim.schedule({ everyMs: 15, times: 3 }, { op: 'voidShipments', count: 1 });
      const cancelled = sim.schedule({ afterMs: 20 }, { op: 'bulkEditOrders' });
      cancelled.cancel();
      jest.advanceTimersByTime(150);
      expect(sim.mutationLog().map((m) => m.op).sort()).toEqual(['createOrders', 'voidShipments', 'voidShipments', 'voidShipments']);
      expect(sim.truthCount('orders')).toBe(201);
    } finally {
      jest.useRealTimers();
      await sim.close();
    }
  });

  test('POST /__sim/mutate applies now or schedules; bad input is a 400', async () => {
    const sim = await start({ counts: { orders: 200, shipments: 50 } });
    const post = (body: unknown): Promise<Response> => fetch(`${sim.baseUrl}/__sim/mutate`, { method: 'POST', body: JSON.stringify(body) });
    try {
      const now = await post({ op: 'modifyOrders', count: 2 });
      expect(now.status).toBe(200);
      expect(((await now.json()) as { ids: number[] }).ids).toHaveLength(2);
      const later = await post({ op: 'createOrders', count: 1, atRequest: 1 });
      expect(later.status).toBe(202);
      expect(sim.truthCount('orders')).toBe(200);
      await apiGet(sim, '/stores');
      expect(sim.truthCount('orders')).toBe(201);
      expect((await post({ op: 'explode' })).status).toBe(400);
      expect((await post({ op: 'modifyOrders', orderIds: [1] })).status).toBe(400);
      expect((await post({ op: 'modifyOrders', count: 'many' })).status).toBe(400);
    } finally {
      await sim.close();
    }
  });
});
