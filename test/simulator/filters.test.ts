import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { ApiOrder, ApiProduct, ApiShipment, Simulator } from '../../src/simulator/index.js';
import { apiGet, listAll, listPage, start, truthOf } from './helpers.js';
import { normalizeWall, oracle } from './oracle.js';

type Row = Record<string, unknown>;

function ids(rows: readonly Row[], field: string): number[] {
  return rows.map((row) => row[field] as number);
}

/** `2024-01-02T03:04:05.1230000` → `2024-01-02 03:04:05` (the second it falls in). */
function floorSecond(value: string): string {
  return value.slice(0, 19).replace('T', ' ');
}

function plusSeconds(filterValue: string, seconds: number): string {
  const t = Date.parse(`${filterValue.replace(' ', 'T')}Z`) + seconds * 1000;
  return new Date(t).toISOString().slice(0, 19).replace('T', ' ');
}

describe('filters and sorting', () => {
  let sim: Simulator;
  let orders: ApiOrder[];
  let shipments: ApiShipment[];

  beforeAll(async () => {
    sim = await start({
      seed: 11,
      counts: { orders: 2000, shipments: 1000, fulfillments: 500, products: 300, customers: 400 },
    });
    orders = truthOf<ApiOrder>(sim, 'orders');
    shipments = truthOf<ApiShipment>(sim, 'shipments');
  });
  afterAll(() => sim.close());

  test('modifyDate window sorted by ModifyDate matches the model, in both directions', async () => {
    const lo = floorSecond(orders[700]!.modifyDate);
    const hi = plusSeconds(lo, 20 * 86_400);
    for (const sortDir of ['ASC', 'DESC'] as const) {
      const got = await listAll<Row>(sim, 'orders', {
        modifyDateStart: lo,
        modifyDateEnd: hi,
        sortBy: 'ModifyDate',
        sortDir,
      });
      const want = oracle(orders as unknown as Row[], {
        ranges: [{ field: 'modifyDate', lo, hi }],
        sortField: 'modifyDate',
        desc: sortDir === 'DESC',
        idField: 'orderId',
      });
      expect(want.length).toBeGreaterThan(20);
      expect(ids(got, 'orderId')).toEqual(ids(want, 'orderId'));
    }
  });

  test('bounds are inclusive at one-second resolution: a fraction past the end second is excluded', async () => {
    const fractional = orders.find((o) => !o.modifyDate.endsWith('.0000000'))!;
    const second = floorSecond(fractional.modifyDate);
    const endingThere = await listAll<ApiOrder>(sim, 'orders', {
      modifyDateEnd: second,
      modifyDateStart: plusSeconds(second, -1),
    });
    expect(endingThere.map((o) => o.orderId)).not.toContain(fractional.orderId);
    const startingThere = await listAll<ApiOrder>(sim, 'orders', {
      modifyDateStart: second,
      modifyDateEnd: plusSeconds(second, 1),
    });
    expect(startingThere.map((o) => o.orderId)).toContain(fractional.orderId);
    const after = await listAll<ApiOrder>(sim, 'orders', {
      modifyDateStart: plusSeconds(second, 1),
      modifyDateEnd: plusSeconds(second, 2),
    });
    expect(after.map((o) => o.orderId)).not.toContain(fractional.orderId);
  });

  test('a value exactly on the bound second is included by both Start and End', async () => {
    const order = orders[1234]!;
    expect(order.orderDate.endsWith('.0000000')).toBe(true);
    const second = floorSecond(order.orderDate);
    // Once through the sorted index of the filtered column, once through a scan (sorted by id).
    for (const sortBy of ['OrderDate', 'CreateDate']) {
      const got = await listAll<ApiOrder>(sim, 'orders', { orderDateStart: second, orderDateEnd: second, sortBy });
      expect(got.map((o) => o.orderId)).toContain(order.orderId);
      expect(got.every((o) => floorSecond(o.orderDate) === second)).toBe(true);
    }
  });

  test('sub-millisecond fractions compare at full precision', async () => {
    const precise = orders.find(
      (o) => /\.\d{3}[1-9]\d{3}|\.\d{3}\d{3}[1-9]/.test(o.createDate) || /\.\d{4,6}[1-9]/.test(o.createDate),
    );
    expect(precise).toBeDefined();
    const second = floorSecond(precise!.createDate);
    const got = await listAll<ApiOrder>(sim, 'orders', {
      createDateStart: second,
      createDateEnd: plusSeconds(second, 1),
      sortBy: 'CreateDate',
    });
    const want = oracle(orders as unknown as Row[], {
      ranges: [{ field: 'createDate', lo: second, hi: plusSeconds(second, 1) }],
      sortField: 'createDate',
      idField: 'orderId',
    });
    expect(ids(got as unknown as Row[], 'orderId')).toEqual(ids(want, 'orderId'));
    expect(got.map((o) => o.orderId)).toContain(precise!.orderId);
  });

  test('the three accepted date formats mean the same thing; a fraction in the filter is ignored', async () => {
    const day = orders[1500]!.createDate.slice(0, 10);
    const variants = [
      { createDateStart: day },
      { createDateStart: `${day} 00:00:00` },
      { createDateStart: `${day}T00:00:00` },
      { createDateStart: `${day}T00:00:00.9999999` },
    ];
    const results = await Promise.all(
      variants.map((v) => listPage<ApiOrder>(sim, 'orders', { ...v, createDateEnd: `${day} 23:59:59`, pageSize: 500 })),
    );
    const want = oracle(orders as unknown as Row[], {
      ranges: [{ field: 'createDate', lo: day, hi: `${day} 23:59:59` }],
      sortField: null,
      idField: 'orderId',
    });
    for (const result of results) expect(result.records.map((o) => o.orderId)).toEqual(ids(want, 'orderId'));
  });

  test('filters on one column combined with sorting on another match the model', async () => {
    const lo = floorSecond(orders[300]!.createDate);
    const hi = floorSecond(orders[1800]!.createDate);
    const modifyLo = floorSecond(orders[600]!.modifyDate);
    const query = {
      createDateStart: lo,
      createDateEnd: hi,
      modifyDateStart: modifyLo,
      sortBy: 'OrderDate',
      sortDir: 'DESC',
    };
    const got = await listAll<Row>(sim, 'orders', query);
    const want = oracle(orders as unknown as Row[], {
      ranges: [
        { field: 'createDate', lo, hi },
        { field: 'modifyDate', lo: modifyLo },
      ],
      sortField: 'orderDate',
      desc: true,
      idField: 'orderId',
    });
    expect(want.length).toBeGreaterThan(500);
    expect(ids(got, 'orderId')).toEqual(ids(want, 'orderId'));
  });

  test('ties in the sort order are broken by id ascending, also when sorting descending', async () => {
    for (const sortDir of ['ASC', 'DESC']) {
      const got = await listAll<ApiShipment>(sim, 'shipments', { sortBy: 'ShipDate', sortDir });
      const want = oracle(shipments as unknown as Row[], {
        sortField: 'shipDate',
        desc: sortDir === 'DESC',
        idField: 'shipmentId',
      });
      expect(got.map((s) => s.shipmentId)).toEqual(ids(want, 'shipmentId'));
      const tie = got.findIndex((s, i) => i > 0 && got[i - 1]!.shipDate === s.shipDate);
      expect(tie).toBeGreaterThan(0);
      expect(got[tie - 1]!.shipmentId).toBeLessThan(got[tie]!.shipmentId);
    }
  });

  test('orders with identical createDate are ordered by orderId', async () => {
    const got = await listAll<ApiOrder>(sim, 'orders', { sortBy: 'CreateDate' });
    const ties = got.filter((o, i) => i > 0 && got[i - 1]!.createDate === o.createDate);
    expect(ties.length).toBeGreaterThan(5);
    const want = oracle(orders as unknown as Row[], { sortField: 'createDate', idField: 'orderId' });
    expect(got.map((o) => o.orderId)).toEqual(ids(want, 'orderId'));
  });

  test('shipments: default order is createDate ascending; shipDate, voidDate and orderId filters', async () => {
    const all = await listAll<ApiShipment>(sim, 'shipments');
    expect(all.map((s) => s.shipmentId)).toEqual(
      ids(oracle(shipments as unknown as Row[], { sortField: 'createDate', idField: 'shipmentId' }), 'shipmentId'),
    );

    const shipDay = shipments[400]!.shipDate;
    const byShipDate = await listAll<ApiShipment>(sim, 'shipments', { shipDateStart: shipDay, shipDateEnd: shipDay });
    expect(byShipDate.length).toBeGreaterThan(0);
    expect(byShipDate.every((s) => s.shipDate === shipDay)).toBe(true);
    expect(byShipDate.length).toBe(shipments.filter((s) => s.shipDate === shipDay).length);

    const voided = await listAll<ApiShipment>(sim, 'shipments', { voidDateStart: '2020-01-01' });
    expect(voided.length).toBeGreaterThan(0);
    expect(voided.map((s) => s.shipmentId).sort()).toEqual(
      shipments
        .filter((s) => s.voidDate !== null)
        .map((s) => s.shipmentId)
        .sort(),
    );

    const orderId = shipments[10]!.orderId;
    const forOrder = await listAll<ApiShipment>(sim, 'shipments', { orderId });
    expect(forOrder.map((s) => s.shipmentId)).toEqual(
      shipments.filter((s) => s.orderId === orderId).map((s) => s.shipmentId),
    );
  });

  test('fulfillments: createDate and shipDate filters, ShipDate sort, orderId filter', async () => {
    const fulfillments = truthOf<Row>(sim, 'fulfillments');
    const lo = (fulfillments[100]!.shipDate as string).slice(0, 10);
    const hi = (fulfillments[300]!.shipDate as string).slice(0, 10);
    const got = await listAll<Row>(sim, 'fulfillments', {
      shipDateStart: lo,
      shipDateEnd: hi,
      sortBy: 'ShipDate',
      sortDir: 'DESC',
    });
    const want = oracle(fulfillments, {
      ranges: [{ field: 'shipDate', lo, hi }],
      sortField: 'shipDate',
      desc: true,
      idField: 'fulfillmentId',
    });
    expect(ids(got, 'fulfillmentId')).toEqual(ids(want, 'fulfillmentId'));
    const created = await listAll<Row>(sim, 'fulfillments', {
      createDateEnd: floorSecond(fulfillments[50]!.createDate as string),
    });
    expect(ids(created, 'fulfillmentId')).toEqual(
      ids(
        oracle(fulfillments, {
          ranges: [{ field: 'createDate', hi: floorSecond(fulfillments[50]!.createDate as string) }],
          sortField: 'createDate',
          idField: 'fulfillmentId',
        }),
        'fulfillmentId',
      ),
    );
    const orderId = fulfillments[5]!.orderId as number;
    expect(ids(await listAll<Row>(sim, 'fulfillments', { orderId }), 'fulfillmentId')).toEqual(
      ids(
        fulfillments.filter((f) => f.orderId === orderId),
        'fulfillmentId',
      ),
    );
  });

  test('products: startDate/endDate filter createDate; SKU sort is case-insensitive with id tiebreak', async () => {
    const products = truthOf<ApiProduct>(sim, 'products') as unknown as Row[];
    const lo = floorSecond(products[20]!.createDate as string);
    const hi = floorSecond(products[200]!.createDate as string);
    const got = await listAll<Row>(sim, 'products', { startDate: lo, endDate: hi, showInactive: true });
    expect(ids(got, 'productId')).toEqual(
      ids(
        oracle(products, { ranges: [{ field: 'createDate', lo, hi }], sortField: null, idField: 'productId' }),
        'productId',
      ),
    );
    const bySku = await listAll<Row>(sim, 'products', { sortBy: 'sku', showInactive: true });
    const want = oracle(products, {
      sortField: 'sku',
      sortKey: (p) => (p.sku as string).toUpperCase(),
      idField: 'productId',
    });
    expect(ids(bySku, 'productId')).toEqual(ids(want, 'productId'));
  });

  test('customers: Name, ModifyDate and CreateDate sorts', async () => {
    const customers = truthOf<Row>(sim, 'customers');
    const byName = await listAll<Row>(sim, 'customers', { sortBy: 'Name', sortDir: 'DESC' });
    expect(ids(byName, 'customerId')).toEqual(
      ids(
        oracle(customers, {
          sortField: 'name',
          sortKey: (c) => (c.name as string).toUpperCase(),
          desc: true,
          idField: 'customerId',
        }),
        'customerId',
      ),
    );
    const byModify = await listAll<Row>(sim, 'customers', { sortBy: 'ModifyDate' });
    expect(ids(byModify, 'customerId')).toEqual(
      ids(oracle(customers, { sortField: 'modifyDate', idField: 'customerId' }), 'customerId'),
    );
    expect(normalizeWall(byModify[0]!.modifyDate as string) <= normalizeWall(byModify[1]!.modifyDate as string)).toBe(
      true,
    );
  });

  test.each([
    '2024-13-01',
    '2024-02-30',
    '2024-01-01T25:00:00',
    '2024-01-01 10:00',
    '2024-01-01T10:00:00Z',
    '2024-01-01T10:00:00-08:00',
    '01/02/2024',
    'yesterday',
  ])('malformed date %s is a 400 with a JSON message', async (value) => {
    const response = await apiGet<{ ModelState: Record<string, string[]> }>(sim, '/orders', { modifyDateStart: value });
    expect(response.status).toBe(400);
    expect(response.body.ModelState.modifyDateStart![0]).toContain(value);
  });
});
