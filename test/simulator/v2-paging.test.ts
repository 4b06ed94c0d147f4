// v2 lists: page and page_size (defaults, maximums, past the end), total/pages/links, sort_dir defaulting to desc,
// sort_by, the ISO date filters (inclusive at full precision, any offset), id filters, and the paging lies of v1
// (short pages, wrong totals, unstable ties, the server's page limit) applied to v2 too.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { startV2, v2All, v2Get, v2Page, v2Truth, type V2Sim } from './v2helpers.js';

type Row = Record<string, unknown>;

const ids = (records: readonly Row[], key: string): string[] => records.map((r) => r[key] as string);
const instant = (value: unknown): number => Date.parse(value as string);
/** One tick (100 ns) after an ISO instant printed with up to 7 fraction digits, as ISO with 7 digits. */
function tickAfter(value: string): string {
  const match = /^(.*T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/.exec(value) as RegExpExecArray;
  const fraction = Number((match[2] ?? '').padEnd(7, '0')) + 1;
  if (fraction >= 10_000_000) throw new Error('a stamp at .9999999 is not expected in the data');
  return `${match[1]}.${String(fraction).padStart(7, '0')}${match[3]}`;
}

describe('v2 paging, sorting and filters', () => {
  let sim: V2Sim;
  beforeAll(async () => {
    sim = await startV2({
      seed: 8,
      counts: { orders: 700, shipments: 400, fulfillments: 150, products: 230, users: 30 },
    });
  });
  afterAll(() => sim.close());

  test('default page sizes: 25 on shipments, 100 on products, 25 on users; page 1 of ceil(total / size)', async () => {
    const shipments = await v2Page(sim, '/v2/shipments');
    expect(shipments.records).toHaveLength(25);
    expect(shipments).toMatchObject({ total: 700, page: 1, pages: 28 });
    const products = await v2Page(sim, '/v2/products');
    expect(products.records).toHaveLength(100);
    expect(products).toMatchObject({ total: 230, pages: 3 });
    expect((await v2Page(sim, '/v2/users')).records).toHaveLength(25);
  });

  test('page_size above the endpoint’s maximum is a 400 (100 on products and users, 500 elsewhere); bad values too', async () => {
    const refused: [string, Record<string, string | number>][] = [
      ['/v2/products', { page_size: 101 }],
      ['/v2/users', { page_size: 101 }],
      ['/v2/shipments', { page_size: 501 }],
      ['/v2/labels', { page_size: 0 }],
      ['/v2/labels', { page: 'two' }],
      ['/v2/shipments', { sort_by: 'ship_date' }],
      ['/v2/shipments', { sort_dir: 'up' }],
      ['/v2/shipments', { modified_at_start: '2024-13-01T00:00:00Z' }],
      ['/v2/shipments', { modified_at_start: 'yesterday' }],
      ['/v2/labels', { shipment_id: '12345' }],
      ['/v2/users', { status: 'sleeping' }],
    ];
    for (const [path, query] of refused) {
      const response = await v2Get<{ errors: Row[] }>(sim, path, query);
      expect([path, query, response.status]).toEqual([path, query, 400]);
      expect(response.body.errors[0]).toMatchObject({ error_type: 'validation', error_code: 'invalid_field_value' });
    }
    expect((await v2Page(sim, '/v2/products', { page_size: 100 })).records).toHaveLength(100);
    expect((await v2Page(sim, '/v2/shipments', { page_size: 500 })).records).toHaveLength(500);
  });

  test('links: first, last, prev, next with the query kept; next is {} on the last page, prev {} on the first', async () => {
    const query = {
      page_size: 300,
      sort_by: 'modified_at',
      sort_dir: 'asc',
      modified_at_start: '2023-01-01T00:00:00Z',
    };
    const first = await v2Page(sim, '/v2/shipments', query);
    const base = `${sim.baseUrl}/v2/shipments?`;
    const href = (page: number): string =>
      `${base}page=${page}&page_size=300&sort_by=modified_at&sort_dir=asc&modified_at_start=2023-01-01T00%3A00%3A00Z`;
    expect(first.pages).toBe(3);
    expect(first.links).toEqual({
      first: { href: href(1) },
      last: { href: href(3) },
      prev: {},
      next: { href: href(2) },
    });
    const last = await v2Page(sim, '/v2/shipments', { ...query, page: 3 });
    expect(last.records).toHaveLength(100);
    expect(last.links).toEqual({
      first: { href: href(1) },
      last: { href: href(3) },
      prev: { href: href(2) },
      next: {},
    });
  });

  test('past the end: an empty page with the true total; an empty result has pages 0', async () => {
    const past = await v2Page(sim, '/v2/shipments', { page: 99 });
    expect(past).toMatchObject({ records: [], total: 700, page: 99, pages: 28 });
    expect(past.links.next).toEqual({});
    const none = await v2Page(sim, '/v2/shipments', { created_at_start: '2049-01-01T00:00:00Z' });
    expect(none).toMatchObject({ records: [], total: 0, pages: 0 });
    expect(none.links.last.href).toMatch(/page=1&/);
  });

  test('sort_dir defaults to desc (created_at); asc reverses it; sort_by modified_at orders by modified_at', async () => {
    const byDefault = await v2Page(sim, '/v2/shipments', { page_size: 500 });
    const created = byDefault.records.map((r) => instant(r.created_at));
    expect(created).toEqual([...created].sort((a, b) => b - a));
    const asc = await v2All(sim, '/v2/shipments', { sort_dir: 'asc' });
    expect(asc.map((r) => instant(r.created_at))).toEqual(asc.map((r) => instant(r.created_at)).sort((a, b) => a - b));
    const modified = await v2All(sim, '/v2/shipments', { sort_by: 'modified_at', sort_dir: 'asc' });
    const stamps = modified.map((r) => instant(r.modified_at));
    expect(stamps).toEqual([...stamps].sort((a, b) => a - b));
    for (const path of ['/v2/labels', '/v2/fulfillments', '/v2/batches']) {
      const page = await v2Page(sim, path, { page_size: 200 });
      const times = page.records.map((r) => instant(r.created_at));
      expect([path, times]).toEqual([path, [...times].sort((a, b) => b - a)]);
    }
  });

  test('following next links reads every shipment exactly once, in both directions', async () => {
    for (const sort_dir of ['asc', 'desc']) {
      const all = ids(await v2All(sim, '/v2/shipments', { page_size: 90, sort_dir }), 'shipment_id');
      expect(all).toHaveLength(700);
      expect(new Set(all).size).toBe(700);
    }
  });

  test('modified_at filters are inclusive at full precision and take any offset', async () => {
    const truth = v2Truth<Row>(sim, 'shipments');
    const target = truth.find((s) => /\.\d{7}Z$/.test(s.modified_at as string)) ?? (truth[0] as Row);
    const at = target.modified_at as string;
    const exact = await v2All(sim, '/v2/shipments', { modified_at_start: at, modified_at_end: at });
    expect(ids(exact, 'shipment_id')).toContain(target.shipment_id);
    expect(exact.every((s) => s.modified_at === at)).toBe(true);
    const after = await v2All(sim, '/v2/shipments', {
      modified_at_start: tickAfter(at),
      modified_at_end: tickAfter(at),
    });
    expect(ids(after, 'shipment_id')).not.toContain(target.shipment_id);
    // The same instant two hours ahead of UTC.
    const shifted = new Date(instant(at) + 2 * 3_600_000).toISOString().replace('Z', '+02:00');
    const from = await v2All(sim, '/v2/shipments', {
      modified_at_start: shifted,
      sort_dir: 'asc',
      sort_by: 'modified_at',
    });
    const expected = truth.filter((s) => instant(s.modified_at) >= Math.floor(instant(at)));
    expect(from.length).toBe(expected.length);
  });

  test('created_at filters on shipments and labels; create_date and ship_date on fulfillments; inclusive both ends', async () => {
    const checks: [string, string, string, string][] = [
      ['/v2/shipments', 'shipments', 'created_at_start', 'created_at'],
      ['/v2/labels', 'labels', 'created_at_start', 'created_at'],
      ['/v2/fulfillments', 'fulfillments', 'create_date_start', 'created_at'],
      ['/v2/fulfillments', 'fulfillments', 'ship_date_start', 'ship_date'],
    ];
    for (const [path, stream, startParam, field] of checks) {
      const truth = v2Truth<Row>(sim, stream as 'shipments');
      const middle = [...truth].sort((a, b) => instant(a[field]) - instant(b[field]))[
        Math.floor(truth.length / 2)
      ] as Row;
      const value = middle[field] as string;
      const endParam = startParam.replace('_start', '_end');
      const got = await v2All(sim, path, { [startParam]: value, [endParam]: value });
      const want = truth.filter((r) => r[field] === value);
      expect([path, startParam, got.length]).toEqual([path, startParam, want.length]);
      expect(want.length).toBeGreaterThan(0);
    }
  });

  test('id filters: labels and fulfillments by shipment_id; products by active; users by status', async () => {
    const label = v2Truth<Row>(sim, 'labels')[5] as Row;
    const labels = await v2All(sim, '/v2/labels', { shipment_id: label.shipment_id as string });
    expect(labels.map((l) => l.shipment_id)).toEqual(labels.map(() => label.shipment_id));
    expect(ids(labels, 'label_id')).toContain(label.label_id);
    const fulfillment = v2Truth<Row>(sim, 'fulfillments')[3] as Row;
    const fulfillments = await v2All(sim, '/v2/fulfillments', { shipment_id: fulfillment.shipment_id as string });
    expect(ids(fulfillments, 'fulfillment_id')).toContain(fulfillment.fulfillment_id);
    expect(fulfillments.every((f) => f.shipment_id === fulfillment.shipment_id)).toBe(true);
    const inactive = await v2All(sim, '/v2/products', { active: false, page_size: 100 });
    expect(inactive.length).toBe(v2Truth<Row>(sim, 'products').filter((p) => p.active === false).length);
    expect(inactive.length).toBeGreaterThan(0);
    const active = await v2Page(sim, '/v2/users', { status: 'active', page_size: 100 });
    expect(active.records.every((u) => u.status === 'Active')).toBe(true);
    expect(active.total).toBe(29);
  });
});

describe('v2 paging lies', () => {
  test('pages quirk singlePage reports 0 for a result on one page; always reports 0', async () => {
    const single = await startV2({
      seed: 2,
      counts: { orders: 30, shipments: 10, fulfillments: 5 },
      v2PagesQuirk: 'singlePage',
    });
    const always = await startV2({
      seed: 2,
      counts: { orders: 30, shipments: 10, fulfillments: 5 },
      v2PagesQuirk: 'always',
    });
    try {
      expect((await v2Page(single, '/v2/shipments', { page_size: 50 })).pages).toBe(0);
      expect((await v2Page(single, '/v2/shipments', { page_size: 10 })).pages).toBe(3);
      const page = await v2Page(always, '/v2/shipments', { page_size: 10 });
      expect(page).toMatchObject({ pages: 0, total: 30 });
      expect(page.links.next).toEqual({});
    } finally {
      await Promise.all([single.close(), always.close()]);
    }
  });

  test('maxPageSize, shortPageRate, total lies and unstable ties apply to v2 lists', async () => {
    const sim = await startV2({ seed: 4, counts: { orders: 400, shipments: 100, fulfillments: 10 }, maxPageSize: 40 });
    try {
      const capped = await v2Page(sim, '/v2/shipments', { page_size: 100 });
      expect(capped.records).toHaveLength(40);
      expect(capped.pages).toBe(10);
      // The links still ask for what the client asked for.
      expect(capped.links.next.href).toMatch(/page_size=100/);
      sim.setPaging({ maxPageSize: 500, totalOffset: 7 });
      expect((await v2Page(sim, '/v2/shipments')).total).toBe(407);
      sim.setPaging({ totalOffset: 0, shortPageRate: 1 });
      const short = await v2Page(sim, '/v2/shipments', { page_size: 50 });
      expect(short.records.length).toBeLessThan(50);
      expect(short.total).toBe(400);
      sim.setPaging({ shortPageRate: 0, unstableTies: true });
      // Bulk imports give some shipments one created_at: with unstable ties their order changes between requests.
      const truth = v2Truth<Row>(sim, 'shipments');
      expect(new Set(truth.map((s) => s.created_at)).size).toBeLessThan(truth.length);
      const orders = new Set<string>();
      for (let i = 0; i < 6; i++)
        orders.add(ids((await v2Page(sim, '/v2/shipments', { page_size: 500 })).records, 'shipment_id').join());
      expect(orders.size).toBeGreaterThan(1);
    } finally {
      await sim.close();
    }
  });
});
