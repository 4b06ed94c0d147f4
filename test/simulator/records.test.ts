import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type {
  ApiCustomer,
  ApiFulfillment,
  ApiOrder,
  ApiProduct,
  ApiShipment,
  ApiStore,
  Simulator,
  StreamName,
} from '../../src/simulator/index.js';
import { listPage, start, truthOf } from './helpers.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const EXAMPLES = new URL('../fixtures/examples/', import.meta.url);

function example(file: string): Json {
  return JSON.parse(readFileSync(new URL(file, EXAMPLES), 'utf8')) as Json;
}

/** The example records of a stream: envelope contents, bare arrays, and the single-order response. */
function exampleRecords(stream: StreamName): Json[] {
  const body = example(`${stream}.json`);
  const records = Array.isArray(body) ? body : ((body as Record<string, Json>)[stream] as Json[]);
  return stream === 'orders' ? [...records, example('order_single_get.json')] : records;
}

function typeOf(value: Json): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}

/** Key order of the example object with the most keys at each path (the union the API can send). */
function richestKeys(samples: Json[]): string[] {
  return samples
    .filter((s) => typeOf(s) === 'object')
    .reduce<string[]>(
      (best, s) => (Object.keys(s as object).length > best.length ? Object.keys(s as object) : best),
      [],
    );
}

/** Each path of the examples: which types the examples show and which object keys they carry. */
function collect(samples: Json[], path: string, out: Map<string, Json[]>): void {
  out.set(path, [...(out.get(path) ?? []), ...samples]);
  const objects = samples.filter((s) => typeOf(s) === 'object') as Record<string, Json>[];
  for (const key of new Set(objects.flatMap((o) => Object.keys(o))))
    collect(
      objects.filter((o) => key in o).map((o) => o[key] as Json),
      `${path}.${key}`,
      out,
    );
  const elements = samples.filter((s) => Array.isArray(s)).flat() as Json[];
  if (elements.length > 0) collect(elements, `${path}[]`, out);
}

/** Fields a real response (not a documentation example) carries too, after the example's: see the README. */
const FIXTURE_EXTRAS: Partial<Record<StreamName, string[]>> = {
  stores: ['statusMappings'],
  warehouses: ['extInventoryIdentity', 'registerFedexMeter', 'sellerIntegrationId'],
};

const PAGED = ['orders', 'shipments', 'fulfillments', 'products', 'customers'] as const;
const ALL = [...PAGED, 'stores', 'warehouses'] as const;

describe('records look like the official examples', () => {
  let sim: Simulator;
  const truths = new Map<StreamName, Json[]>();
  const truth = (stream: StreamName): Json[] => {
    if (!truths.has(stream)) truths.set(stream, truthOf(sim, stream) as unknown as Json[]);
    return truths.get(stream)!;
  };

  beforeAll(async () => {
    sim = await start({
      seed: 21,
      counts: {
        orders: 1500,
        shipments: 800,
        fulfillments: 400,
        products: 300,
        customers: 500,
        stores: 6,
        warehouses: 3,
      },
    });
  });
  afterAll(() => sim.close());

  test.each(ALL)('%s: every field of the examples, same names, same key order, compatible types', (stream) => {
    const examplePaths = new Map<string, Json[]>();
    collect(exampleRecords(stream), '$', examplePaths);
    const actualPaths = new Map<string, Json[]>();
    collect(truth(stream), '$', actualPaths);
    const problems: string[] = [];
    for (const [path, samples] of examplePaths) {
      const actual = actualPaths.get(path);
      if (!actual) {
        problems.push(`${path}: never present`);
        continue;
      }
      const actualTypes = new Set(actual.map(typeOf));
      for (const type of new Set(samples.map(typeOf)))
        if (type !== 'null' && !actualTypes.has(type))
          problems.push(`${path}: example has ${type}, generated only ${[...actualTypes].join('/')}`);
      const keys = [...richestKeys(samples), ...(path === '$' ? (FIXTURE_EXTRAS[stream] ?? []) : [])];
      if (keys.length === 0) continue;
      for (const object of actual.filter((a) => typeOf(a) === 'object') as Record<string, Json>[]) {
        if (Object.keys(object).join() !== keys.join()) {
          problems.push(`${path}: keys ${Object.keys(object).join()} ≠ example ${keys.join()}`);
          break;
        }
      }
    }
    expect(problems).toEqual([]);
  });

  test('ids are positive integers, unique per stream', () => {
    const pk: Record<(typeof ALL)[number], string> = {
      orders: 'orderId',
      shipments: 'shipmentId',
      fulfillments: 'fulfillmentId',
      products: 'productId',
      customers: 'customerId',
      stores: 'storeId',
      warehouses: 'warehouseId',
    };
    for (const stream of ALL) {
      const ids = truth(stream).map((r) => (r as Record<string, Json>)[pk[stream]] as number);
      expect(ids.every((id) => Number.isInteger(id) && id > 0)).toBe(true);
      expect(new Set(ids).size).toBe(ids.length);
    }
  });

  test('references point at existing records', () => {
    const orderIds = new Set((truth('orders') as unknown as ApiOrder[]).map((o) => o.orderId));
    const productIds = new Set((truth('products') as unknown as ApiProduct[]).map((p) => p.productId));
    const customerIds = new Set((truth('customers') as unknown as ApiCustomer[]).map((c) => c.customerId));
    const storeIds = new Set((truth('stores') as unknown as ApiStore[]).map((s) => s.storeId));
    expect((truth('shipments') as unknown as ApiShipment[]).every((s) => orderIds.has(s.orderId))).toBe(true);
    expect((truth('fulfillments') as unknown as ApiFulfillment[]).every((f) => orderIds.has(f.orderId))).toBe(true);
    const orders = truth('orders') as unknown as ApiOrder[];
    const itemProducts = orders
      .flatMap((o) => o.items.map((i) => i.productId))
      .filter((id): id is number => id !== null);
    expect(itemProducts.length).toBeGreaterThan(1000);
    expect(itemProducts.every((id) => productIds.has(id))).toBe(true);
    expect(orders.every((o) => o.customerId === null || customerIds.has(o.customerId))).toBe(true);
    expect(orders.every((o) => o.advancedOptions.storeId !== null && storeIds.has(o.advancedOptions.storeId))).toBe(
      true,
    );
  });

  test('realistic nulls and quirks are all present', () => {
    const orders = truth('orders') as unknown as ApiOrder[];
    const nameOnly = orders.filter(
      (o) => o.billTo.name !== null && Object.entries(o.billTo).every(([k, v]) => k === 'name' || v === null),
    );
    expect(nameOnly.length / orders.length).toBeGreaterThan(0.7);
    expect(nameOnly.length).toBeLessThan(orders.length);
    expect(orders.some((o) => o.shipTo.company === '')).toBe(true);
    expect(orders.some((o) => o.dimensions === null) && orders.some((o) => o.dimensions !== null)).toBe(true);
    expect(orders.some((o) => o.internationalOptions.customsItems !== null)).toBe(true);
    expect(orders.some((o) => o.items.some((i) => i.adjustment && i.productId === null))).toBe(true);

    const customers = truth('customers') as unknown as ApiCustomer[];
    expect(customers.some((c) => c.tags === '')).toBe(true);
    expect(customers.some((c) => Array.isArray(c.tags) && c.tags.length > 0)).toBe(true);
    expect(
      customers.some((c) => c.marketplaceUsernames.some((m) => m.createDate === null && m.modifyDate === null)),
    ).toBe(true);

    const products = truth('products') as unknown as ApiProduct[];
    expect(products.some((p) => p.productCategory === null) && products.some((p) => p.productCategory !== null)).toBe(
      true,
    );
    expect(products.some((p) => !p.active)).toBe(true);

    const shipments = truth('shipments') as unknown as ApiShipment[];
    expect(shipments.some((s) => s.advancedOptions === null) && shipments.some((s) => s.voided)).toBe(true);
  });

  test('datetime shapes per field: 7 digits, trimmed (0–3), date-only, midnight', () => {
    const orders = truth('orders') as unknown as ApiOrder[];
    const fixed7 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}$/;
    const trimmed = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?$/;
    const dateOnly = /^\d{4}-\d{2}-\d{2}$/;
    expect(
      orders.every((o) => fixed7.test(o.orderDate) && fixed7.test(o.createDate) && fixed7.test(o.modifyDate)),
    ).toBe(true);
    expect(orders.every((o) => o.shipDate === null || dateOnly.test(o.shipDate))).toBe(true);
    expect(orders.some((o) => o.shipDate !== null)).toBe(true);
    const itemDates = orders.flatMap((o) => o.items.map((i) => i.createDate));
    expect(itemDates.every((d) => trimmed.test(d))).toBe(true);
    const fractionLengths = (dates: string[]): Set<number> => new Set(dates.map((d) => (d.split('.')[1] ?? '').length));
    expect(fractionLengths(itemDates)).toEqual(new Set([0, 1, 2, 3]));

    const shipments = truth('shipments') as unknown as ApiShipment[];
    expect(shipments.every((s) => dateOnly.test(s.shipDate) && fixed7.test(s.createDate))).toBe(true);
    const fulfillments = truth('fulfillments') as unknown as ApiFulfillment[];
    expect(fulfillments.every((f) => /^\d{4}-\d{2}-\d{2}T00:00:00\.0000000$/.test(f.shipDate))).toBe(true);

    const products = truth('products') as unknown as ApiProduct[];
    expect(products.every((p) => trimmed.test(p.createDate) && trimmed.test(p.modifyDate))).toBe(true);
    expect(fractionLengths(products.map((p) => p.createDate)).has(3)).toBe(true);
    const stores = truth('stores') as unknown as ApiStore[];
    expect(stores.every((s) => trimmed.test(s.createDate) && trimmed.test(s.modifyDate))).toBe(true);
  });

  test('shipmentItems is null unless includeShipmentItems=true', async () => {
    const without = await listPage<ApiShipment>(sim, 'shipments', { pageSize: 50 });
    expect(without.records.every((s) => s.shipmentItems === null)).toBe(true);
    const withItems = await listPage<ApiShipment>(sim, 'shipments', { pageSize: 50, includeShipmentItems: true });
    expect(withItems.records.every((s) => Array.isArray(s.shipmentItems) && s.shipmentItems.length > 0)).toBe(true);
    const { shipmentItems: _a, ...restWith } = withItems.records[7]!;
    const { shipmentItems: _b, ...restWithout } = without.records[7]!;
    expect(restWith).toEqual(restWithout);
  });

  test('the API serves exactly the ground truth records', async () => {
    const page = await listPage(sim, 'orders', { pageSize: 500, page: 2 });
    expect(page.records).toEqual(truth('orders').slice(500, 1000));
  });
});
