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
    const got = await listAll<ApiOrder>(sim, 'orders', {
      modifyDateStart: '2025-08-01 12:30:00',
      sortBy: 'ModifyDate',
    });
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
    expect(order).toMatchObject({
      orderId: result.ids[0],
      internalNotes: 'Edited by simulator (v2)',
      modifyDate: again.at,
    });
  });

  test('bulkEditOrders gives more than 1,000 orders the exact same modifyDate; paging them is stable by id', async () => {
    clock.advance(60_000);
    const result = sim.mutate.bulkEditOrders();
    expect(result.ids.length).toBe(1200);
    const got = await listAll<ApiOrder>(sim, 'orders', {
      modifyDateStart: '2025-08-01 12:32:01',
      sortBy: 'ModifyDate',
      sortDir: 'ASC',
    });
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
    const newest = await listPage<ApiShipment>(sim, 'shipments', {
      sortBy: 'CreateDate',
      sortDir: 'DESC',
      pageSize: 2,
    });
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
      expect(got.map((o) => o.orderId)).toEqual(
        oracle(orders, { sortField: field, desc: true, idField: 'orderId' }).map((o) => o.orderId),
      );
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
    for (let i = 0; i < 4; i++)
      seen.push((await listPage(sim, 'orders', { modifyDateStart: '2025-08-01 12:30:00' })).total);
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
      expect(
        sim
          .mutationLog()
          .map((m) => m.op)
          .sort(),
      ).toEqual(['createOrders', 'voidShipments', 'voidShipments', 'voidShipments']);
      expect(sim.truthCount('orders')).toBe(201);
    } finally {
      jest.useRealTimers();
      await sim.close();
    }
  });

  test('POST /__sim/mutate applies now or schedules; bad input is a 400', async () => {
    const sim = await start({ counts: { orders: 200, shipments: 50 } });
    const post = (body: unknown): Promise<Response> =>
      fetch(`${sim.baseUrl}/__sim/mutate`, { method: 'POST', body: JSON.stringify(body) });
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

describe('deletions and creations between page answers', () => {
  const clock = new FakeClock(T0);
  let sim: Simulator;

  beforeAll(async () => {
    sim = await start({ seed: 5, clock: clock.read, counts: { orders: 600, shipments: 150, customers: 300 } });
  });
  afterAll(() => sim.close());

  const orderIds = (orders: readonly ApiOrder[]): number[] => orders.map((o) => o.orderId);

  test('a deleted order is gone from every page, every total and the truth; its id is never served again', async () => {
    const firstPage = await listPage<ApiOrder>(sim, 'orders', { pageSize: 50 });
    const victims = [firstPage.records[3]!.orderId, firstPage.records[10]!.orderId];
    const byModify = await listPage(sim, 'orders', { sortBy: 'ModifyDate', sortDir: 'DESC', pageSize: 1 });
    const result = sim.mutate.deleteOrders({ orderIds: [...victims, victims[0]!] });
    expect(result.ids).toEqual(victims);
    expect(sim.truthCount('orders')).toBe(598);
    expect(orderIds(truthOf<ApiOrder>(sim, 'orders'))).not.toContain(victims[0]);
    const queries: Record<string, string>[] = [
      {},
      { sortBy: 'ModifyDate' },
      { sortBy: 'CreateDate', sortDir: 'DESC' },
      { sortBy: 'OrderDate', createDateStart: '2023-01-01' },
    ];
    for (const query of queries) {
      const all = await listAll<ApiOrder>(sim, 'orders', query);
      expect(all).toHaveLength(598);
      expect(orderIds(all).filter((id) => victims.includes(id))).toEqual([]);
    }
    expect((await listPage(sim, 'orders', { sortBy: 'ModifyDate', sortDir: 'DESC', pageSize: 1 })).total).toBe(
      byModify.total - 2,
    );
    const truth = await fetch(`${sim.baseUrl}/__sim/truth/orders`);
    expect(truth.headers.get('x-total-count')).toBe('598');
    expect((await truth.text()).includes(`"orderId":${victims[0]},`)).toBe(false);
    // A deleted record cannot change or be deleted again, directly or over HTTP.
    expect(() => sim.mutate.modifyOrders({ orderIds: [victims[0]!] })).toThrow(/was deleted/);
    expect(() => sim.mutate.deleteOrders({ orderIds: [victims[1]!] })).toThrow(/was deleted/);
    expect(() => sim.mutate.createShipments({ orderIds: [victims[1]!] })).toThrow(/was deleted/);
    const post = await fetch(`${sim.baseUrl}/__sim/mutate`, {
      method: 'POST',
      body: JSON.stringify({ op: 'modifyOrders', orderIds: [victims[0]] }),
    });
    expect(post.status).toBe(400);
  });

  test('random picks choose among live orders only', async () => {
    const deleted = sim.mutate.deleteOrders({ count: 590 });
    expect(new Set(deleted.ids).size).toBe(590);
    expect(sim.truthCount('orders')).toBe(8);
    const live = orderIds(truthOf<ApiOrder>(sim, 'orders'));
    clock.advance(1_000);
    const modified = sim.mutate.modifyOrders({ count: 20 });
    expect([...modified.ids].sort((a, b) => a - b)).toEqual(live);
    const shipped = sim.mutate.createShipments({ count: 6 });
    const shipments = truthOf<ApiShipment>(sim, 'shipments').filter((s) => shipped.ids.includes(s.shipmentId));
    expect(shipments.every((s) => live.includes(s.orderId))).toBe(true);
    const created = sim.mutate.createOrders({ count: 3 });
    const page = await listPage<ApiOrder>(sim, 'orders', { pageSize: 500 });
    expect(page.total).toBe(11);
    expect(orderIds(page.records)).toEqual([...live, ...created.ids]);
  });

  test('customers: created ones carry createDate = modifyDate = the stamp; deleted ones vanish, their orders keep the customerId', async () => {
    clock.advance(60_000);
    const orders = truthOf<ApiOrder>(sim, 'orders').filter((o) => o.customerId !== null);
    const victim = orders[0]!.customerId!;
    const before = sim.truthCount('customers');
    const removed = sim.mutate.deleteCustomers({ customerIds: [victim] });
    expect(removed.ids).toEqual([victim]);
    const randomlyRemoved = sim.mutate.deleteCustomers({ count: 7 });
    expect(randomlyRemoved.ids).not.toContain(victim);
    const created = sim.mutate.createCustomers({ count: 25 });
    expect(sim.truthCount('customers')).toBe(before - 8 + 25);
    const all = await listAll<Row>(sim, 'customers', { sortBy: 'ModifyDate' });
    expect(all).toHaveLength(before - 8 + 25);
    const ids = all.map((c) => c.customerId as number);
    expect(ids).not.toContain(victim);
    expect(ids.filter((id) => randomlyRemoved.ids.includes(id))).toEqual([]);
    const fresh = all.filter((c) => created.ids.includes(c.customerId as number));
    expect(fresh).toHaveLength(25);
    expect(fresh.every((c) => c.createDate === created.at && c.modifyDate === created.at)).toBe(true);
    expect(Math.min(...created.ids)).toBeGreaterThan(Math.max(...ids.filter((id) => !created.ids.includes(id))));
    // Orders are not re-assigned: the same customers as before, the deleted one included.
    const after = new Map(truthOf<ApiOrder>(sim, 'orders').map((o) => [o.orderId, o.customerId]));
    for (const order of orders) expect(after.get(order.orderId)).toBe(order.customerId);
    expect(() => sim.mutate.deleteCustomers({ customerIds: [victim] })).toThrow(/was deleted/);
  });

  test('customers and products modified go to the top of ModifyDate DESC (ties by id); deleted products vanish', async () => {
    clock.advance(60_000);
    const customers = sim.mutate.modifyCustomers({ count: 4 });
    const products = sim.mutate.modifyProducts({ count: 3 });
    const gone = sim.mutate.deleteProducts({ count: 2 });
    for (const [stream, result, key] of [
      ['customers', customers, 'customerId'],
      ['products', products, 'productId'],
    ] as const) {
      const top = await listPage<Row>(sim, stream, {
        sortBy: 'ModifyDate',
        sortDir: 'DESC',
        pageSize: 10,
        showInactive: 'true',
      });
      const head = top.records.slice(0, result.ids.length);
      expect(head.map((r) => r[key])).toEqual([...result.ids].sort((a, b) => a - b));
      expect(head.every((r) => String(r.modifyDate).startsWith(result.at.slice(0, 19)))).toBe(true);
    }
    const all = await listAll<Row>(sim, 'products', { showInactive: 'true' });
    expect(all.filter((p) => gone.ids.includes(p.productId as number))).toEqual([]);
    expect(all).toHaveLength(sim.truthCount('products'));
  });

  test('ignoreSort serves every list in id order whatever sortBy and sortDir ask', async () => {
    sim.setPaging({ ignoreSort: true });
    try {
      const page = await listPage<Row>(sim, 'customers', { sortBy: 'ModifyDate', sortDir: 'DESC', pageSize: 50 });
      const ids = page.records.map((c) => c.customerId as number);
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
    } finally {
      sim.setPaging({ ignoreSort: false });
    }
  });

  test('customers created from none sort by Name exactly (case-insensitive, ties by id)', async () => {
    const empty = await start({ seed: 8, clock: clock.read, counts: { customers: 0 } });
    try {
      for (let k = 0; k < 4; k++) empty.mutate.createCustomers({ count: 150 });
      const customers = truthOf<Row>(empty, 'customers');
      expect(customers).toHaveLength(600);
      const name = (row: Row): string => (row.name as string).toUpperCase();
      const got = await listAll<Row>(empty, 'customers', { sortBy: 'Name', sortDir: 'DESC' });
      expect(got.map((c) => c.customerId)).toEqual(
        oracle(customers, { sortField: 'name', sortKey: name, desc: true, idField: 'customerId' }).map(
          (c) => c.customerId,
        ),
      );
    } finally {
      await empty.close();
    }
  });

  test('after deletions and creations every sort index still matches the ground truth', async () => {
    const customers = truthOf<Row>(sim, 'customers');
    const name = (row: Row): string => (row.name as string).toUpperCase();
    for (const desc of [false, true]) {
      const byName = await listAll<Row>(sim, 'customers', { sortBy: 'Name', sortDir: desc ? 'DESC' : 'ASC' });
      expect(byName.map((c) => c.customerId)).toEqual(
        oracle(customers, { sortField: 'name', sortKey: name, desc, idField: 'customerId' }).map((c) => c.customerId),
      );
      for (const [sortBy, field] of [
        ['ModifyDate', 'modifyDate'],
        ['CreateDate', 'createDate'],
      ] as const) {
        const got = await listAll<Row>(sim, 'customers', { sortBy, sortDir: desc ? 'DESC' : 'ASC' });
        expect(got.map((c) => c.customerId)).toEqual(
          oracle(customers, { sortField: field, desc, idField: 'customerId' }).map((c) => c.customerId),
        );
      }
    }
    const orders = truthOf<Row>(sim, 'orders');
    const got = await listAll<Row>(sim, 'orders', { sortBy: 'ModifyDate', sortDir: 'DESC' });
    expect(got.map((o) => o.orderId)).toEqual(
      oracle(orders, { sortField: 'modifyDate', desc: true, idField: 'orderId' }).map((o) => o.orderId),
    );
  });

  test('deletions can be scheduled; a scheduled change to an order deleted first is skipped, not an error', async () => {
    const [first, second] = orderIds(truthOf<ApiOrder>(sim, 'orders'));
    sim.schedule({ atRequest: 1 }, { op: 'deleteOrders', orderIds: [first!] });
    sim.schedule({ atRequest: 2 }, { op: 'modifyOrders', orderIds: [first!, second!] });
    const logged = sim.mutationLog().length;
    const write = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect((await apiGet(sim, '/orders')).status).toBe(200);
      expect((await apiGet(sim, '/orders')).status).toBe(200);
      expect(write).toHaveBeenCalledWith(
        expect.stringMatching(/scheduled modifyOrders skipped: orderId \d+ was deleted/),
      );
    } finally {
      write.mockRestore();
    }
    expect(
      sim
        .mutationLog()
        .slice(logged)
        .map((m) => m.op),
    ).toEqual(['deleteOrders']);
    expect(orderIds(truthOf<ApiOrder>(sim, 'orders'))).not.toContain(first);
  });
});
