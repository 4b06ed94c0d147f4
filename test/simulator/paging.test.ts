import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { Simulator } from '../../src/simulator/index.js';
import { apiGet, listPage, start, truthOf } from './helpers.js';

describe('paging and envelopes', () => {
  let sim: Simulator;
  let quirky: Simulator;

  beforeAll(async () => {
    sim = await start({
      seed: 7,
      counts: { orders: 1234, shipments: 60, fulfillments: 700, products: 30, customers: 40 },
    });
    quirky = await start({
      seed: 7,
      counts: { orders: 300, shipments: 250 },
      pagesZeroQuirk: { shipments: 'always', orders: 'singlePage', fulfillments: 'off' },
    });
  });
  afterAll(async () => {
    await sim.close();
    await quirky.close();
  });

  test('default page size is 100 and page numbering starts at 1', async () => {
    const first = await listPage(sim, 'orders');
    expect(first.records).toHaveLength(100);
    expect(first).toMatchObject({ total: 1234, page: 1, pages: 13 });
  });

  test('the last page is short and a page past the end is empty with the right total', async () => {
    const last = await listPage(sim, 'orders', { page: 13 });
    expect(last.records).toHaveLength(34);
    const past = await listPage(sim, 'orders', { page: 14 });
    expect(past).toMatchObject({ records: [], total: 1234, page: 14, pages: 13 });
    const farPast = await listPage(sim, 'orders', { page: 999, pageSize: 500 });
    expect(farPast.records).toEqual([]);
    expect(farPast.total).toBe(1234);
  });

  test('pageSize above 500 is served as 500', async () => {
    const page = await listPage(sim, 'orders', { pageSize: 1000 });
    expect(page.records).toHaveLength(500);
    expect(page.pages).toBe(3);
    const third = await listPage(sim, 'orders', { pageSize: 1000, page: 3 });
    expect(third.records).toHaveLength(234);
  });

  test('pages of the default order (orderId ascending) cover every order exactly once', async () => {
    const ids: number[] = [];
    for (let page = 1; page <= 3; page++)
      ids.push(
        ...(await listPage<{ orderId: number }>(sim, 'orders', { page, pageSize: 500 })).records.map((o) => o.orderId),
      );
    const truthIds = truthOf<{ orderId: number }>(sim, 'orders').map((o) => o.orderId);
    expect(ids).toEqual(truthIds);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
  });

  test('pages=0 quirk: on by default for shipments, fulfillments and products when the result fits on one page', async () => {
    const shipments = await listPage(sim, 'shipments');
    expect(shipments).toMatchObject({ total: 60, page: 1, pages: 0 });
    const products = await listPage(sim, 'products');
    expect(products.total).toBeGreaterThan(0);
    expect(products.pages).toBe(0);
    const fulfillments = await listPage(sim, 'fulfillments');
    expect(fulfillments).toMatchObject({ total: 700, pages: 7 });
    const smallShipmentPages = await listPage(sim, 'shipments', { pageSize: 25 });
    expect(smallShipmentPages.pages).toBe(3);
    const customers = await listPage(sim, 'customers');
    expect(customers).toMatchObject({ total: 40, pages: 1 });
  });

  test('pages=0 quirk is configurable per endpoint', async () => {
    expect(await listPage(quirky, 'shipments', { pageSize: 50 })).toMatchObject({ total: 250, pages: 0 });
    expect(await listPage(quirky, 'orders', { pageSize: 500 })).toMatchObject({ total: 300, pages: 0 });
    expect(await listPage(quirky, 'orders', { pageSize: 100 })).toMatchObject({ total: 300, pages: 3 });
    const fulfillments = await listPage(quirky, 'fulfillments', { pageSize: 500 });
    expect(fulfillments.pages).toBe(1);
  });

  test('stores and warehouses are bare arrays; inactive stores are hidden unless showInactive=true', async () => {
    const active = await apiGet<{ active: boolean }[]>(sim, '/stores');
    const all = await apiGet<{ active: boolean }[]>(sim, '/stores', { showInactive: true });
    expect(Array.isArray(active.body)).toBe(true);
    expect(all.body.length).toBe(sim.truthCount('stores'));
    expect(all.body.some((s) => !s.active)).toBe(true);
    expect(active.body.every((s) => s.active)).toBe(true);
    expect(active.body.length).toBe(all.body.filter((s) => s.active).length);
    const warehouses = await apiGet<unknown[]>(sim, '/warehouses');
    expect(warehouses.body).toHaveLength(sim.truthCount('warehouses'));
  });

  test('inactive products are hidden unless showInactive=true', async () => {
    const visible = await listPage<{ active: boolean }>(sim, 'products', { pageSize: 500 });
    const all = await listPage<{ active: boolean }>(sim, 'products', { pageSize: 500, showInactive: 'TRUE' });
    expect(all.total).toBe(30);
    expect(visible.total).toBe(all.records.filter((p) => p.active).length);
    expect(visible.records.every((p) => p.active)).toBe(true);
    expect(all.records.some((p) => !p.active)).toBe(true);
  });

  test('unknown paths are 404 with a JSON message; path case and trailing slash do not matter', async () => {
    const missing = await apiGet<{ Message: string }>(sim, '/ordersx');
    expect(missing.status).toBe(404);
    expect(missing.body.Message).toMatch(/No HTTP resource/);
    expect((await apiGet(sim, '/Orders/')).status).toBe(200);
  });

  test.each([
    ['page', '0'],
    ['page', 'abc'],
    ['pageSize', '-5'],
    ['sortBy', 'Banana'],
    ['sortDir', 'sideways'],
    ['includeShipmentItems', 'yes'],
  ])('invalid %s=%s is a 400 with a JSON message naming the parameter', async (param, value) => {
    const response = await apiGet<{ Message: string; ModelState: Record<string, string[]> }>(sim, '/shipments', {
      [param]: value,
    });
    expect(response.status).toBe(400);
    expect(response.body.Message).toBe('The request is invalid.');
    expect(Object.keys(response.body.ModelState)).toEqual([param]);
  });
});
