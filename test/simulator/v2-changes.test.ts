// v2 over time: v1 mutations showing in v2 (modified_at bumped, voids with voided_at and label_status, creations,
// deletions), the rate limit (200 a minute by default, 429 with Retry-After and a v2 body, no X-Rate-Limit-*
// headers), injected faults with v2 bodies or none, determinism for a seed, and the CLI's --api v2.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { parseCliArgs } from '../../src/simulator/cliArgs.js';
import { runCli } from '../../src/simulator/cliMain.js';
import { FakeClock } from './helpers.js';
import { startV2, v2All, v2Get, v2Page, v2Truth, type V2Sim } from './v2helpers.js';

type Row = Record<string, unknown>;

// 2025-08-01 12:30:00 PDT
const T0 = Date.UTC(2025, 7, 1, 19, 30);

function rateHeaders(headers: Headers): string[] {
  return [...headers.keys()].filter((name) => name.startsWith('x-rate-limit'));
}

describe('v1 mutations as v2 sees them', () => {
  const clock = new FakeClock(T0);
  let sim: V2Sim;
  beforeAll(async () => {
    sim = await startV2({ seed: 6, clock: clock.read, counts: { orders: 900, shipments: 500, fulfillments: 50 } });
  });
  afterAll(() => sim.close());

  test('modifyOrders bumps the v2 shipment’s modified_at to the stamp (UTC); the result names v2 ids', async () => {
    const before = new Map(v2Truth<Row>(sim, 'shipments').map((s) => [s.shipment_id, s]));
    const result = sim.mutate.modifyOrders({ count: 4 });
    expect(result.atUtc).toBe('2025-08-01T19:30:00Z');
    expect(result.v2Ids).toEqual(result.ids.map((id) => `se-${id}`));
    const changed = await v2All(sim, '/v2/shipments', {
      modified_at_start: '2025-08-01T19:30:00Z',
      sort_by: 'modified_at',
      sort_dir: 'asc',
    });
    expect(changed.map((s) => s.shipment_id).sort()).toEqual([...(result.v2Ids as string[])].sort());
    for (const shipment of changed) {
      expect(shipment.modified_at).toBe(result.atUtc);
      const { modified_at: _m, shipment_status: _s, ...rest } = shipment;
      const { modified_at: _m0, shipment_status: _s0, ...restBefore } = before.get(shipment.shipment_id) as Row;
      expect(rest).toEqual(restBefore);
    }
  });

  test('bulkEditOrders: many shipments with the very same modified_at; paging them is stable', async () => {
    clock.advance(60_000);
    const result = sim.mutate.bulkEditOrders({ count: 120 });
    const pages = await v2All(sim, '/v2/shipments', {
      modified_at_start: result.atUtc as string,
      sort_by: 'modified_at',
      sort_dir: 'asc',
      page_size: 50,
    });
    expect(pages).toHaveLength(120);
    expect(new Set(pages.map((s) => s.modified_at))).toEqual(new Set([result.atUtc]));
    expect(new Set(pages.map((s) => s.shipment_id)).size).toBe(120);
  });

  test('voidShipments voids the v2 labels: status voided, voided_at = the stamp; sort_by modified_at finds them', async () => {
    clock.advance(60_000);
    const live = v2Truth<Row>(sim, 'labels').filter((l) => !l.voided);
    const target = live[10] as Row;
    const result = sim.mutate.voidShipments({ shipmentIds: [Number((target.label_id as string).slice(3))] });
    expect(result.v2Ids).toEqual([target.label_id]);
    const label = v2Truth<Row>(sim, 'labels').find((l) => l.label_id === target.label_id) as Row;
    expect(label).toMatchObject({
      status: 'voided',
      voided: true,
      voided_at: result.atUtc,
      tracking_status: 'unknown',
    });
    expect(label.created_at).toBe(target.created_at);
    const latest = await v2Page(sim, '/v2/labels', { sort_by: 'modified_at', page_size: 1 });
    expect(latest.records[0]?.label_id).toBe(target.label_id);
  });

  test('label_status lists the labels in that status now (a void moves a label into voided); others are a 400', async () => {
    const voided = v2Truth<Row>(sim, 'labels').filter((l) => l.voided);
    expect(voided.length).toBeGreaterThan(0);
    const listed = await v2All(sim, '/v2/labels', { label_status: 'voided', sort_by: 'created_at', sort_dir: 'asc' });
    expect(listed.map((l) => l.label_id).sort()).toEqual(voided.map((l) => l.label_id).sort());
    const created = listed.map((l) => Date.parse(String(l.created_at)));
    expect(created).toEqual([...created].sort((a, b) => a - b));
    const completed = await v2Page(sim, '/v2/labels', { label_status: 'completed', page_size: 1 });
    expect(completed.total).toBe(v2Truth<Row>(sim, 'labels').length - voided.length);
    expect((await v2Page(sim, '/v2/labels', { label_status: 'processing' })).total).toBe(0);
    expect((await v2Get(sim, '/v2/labels', { label_status: 'lost' })).status).toBe(400);
  });

  test('createOrders and createShipments add v2 shipments and labels created now; deleteOrders removes shipments', async () => {
    clock.advance(60_000);
    const created = sim.mutate.createOrders({ count: 3 });
    const labels = sim.mutate.createShipments({ orderIds: created.ids });
    const fresh = await v2All(sim, '/v2/shipments', { created_at_start: created.atUtc as string });
    expect(fresh.map((s) => s.shipment_id).sort()).toEqual([...(created.v2Ids as string[])].sort());
    expect(fresh.every((s) => s.created_at === created.atUtc && s.modified_at === created.atUtc)).toBe(true);
    const freshLabels = await v2All(sim, '/v2/labels', { created_at_start: labels.atUtc as string });
    expect(freshLabels.map((l) => l.label_id).sort()).toEqual([...(labels.v2Ids as string[])].sort());
    expect(freshLabels.map((l) => l.shipment_id).sort()).toEqual([...(created.v2Ids as string[])].sort());
    expect(freshLabels.every((l) => l.batch_id === null)).toBe(true);

    const total = (await v2Page(sim, '/v2/shipments')).total;
    const deleted = sim.mutate.deleteOrders({ orderIds: [created.ids[0] as number] });
    expect((await v2Page(sim, '/v2/shipments')).total).toBe(total - 1);
    expect(v2Truth<Row>(sim, 'shipments').some((s) => s.shipment_id === deleted.v2Ids?.[0])).toBe(false);
    // Its label stays, as v1's shipments of a deleted order do.
    expect(v2Truth<Row>(sim, 'labels').some((l) => l.shipment_id === deleted.v2Ids?.[0])).toBe(true);
    expect(sim.mutate.deleteCustomers({ count: 1 }).v2Ids).toEqual([]);
  });

  test('over HTTP, /__sim/mutate answers with the v2 ids and UTC stamp too', async () => {
    clock.advance(1_000);
    const response = await fetch(`${sim.baseUrl}/__sim/mutate`, {
      method: 'POST',
      body: JSON.stringify({ op: 'modifyOrders', count: 2 }),
    });
    const result = (await response.json()) as Row;
    expect(result.atUtc).toBe('2025-08-01T19:33:01Z');
    expect(result.v2Ids).toHaveLength(2);
  });
});

describe('v2 rate limit and faults', () => {
  test('200 requests a minute by default', async () => {
    const sim = await startV2({ rateLimit: undefined, counts: { orders: 10, shipments: 5, fulfillments: 2 } });
    try {
      expect(sim.options.rateLimit).toEqual({ limit: 200, windowMs: 60_000 });
    } finally {
      await sim.close();
    }
  });

  test('a 429 carries Retry-After (seconds left in the window) and a v2 body; no response has X-Rate-Limit-*', async () => {
    const clock = new FakeClock(T0);
    const sim = await startV2({ clock: clock.read, rateLimit: { limit: 3, windowMs: 10_000 }, counts: { orders: 10 } });
    try {
      for (let i = 0; i < 3; i++) {
        const ok = await v2Get(sim, '/v2/tags');
        expect(ok.status).toBe(200);
        expect(rateHeaders(ok.headers)).toEqual([]);
        expect(ok.headers.get('retry-after')).toBeNull();
      }
      clock.advance(2_500);
      const limited = await v2Get<Row>(sim, '/v2/tags');
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBe('8');
      expect(rateHeaders(limited.headers)).toEqual([]);
      expect(limited.body.errors).toEqual([
        {
          error_source: 'ShipStation',
          error_type: 'system',
          error_code: 'rate_limit_exceeded',
          message: expect.any(String),
        },
      ]);
      // Another key (or none) has its own budget; unauthorised requests use budget too.
      expect((await v2Get(sim, '/v2/tags', {}, {})).status).toBe(401);
      clock.advance(7_500);
      expect((await v2Get(sim, '/v2/tags')).status).toBe(200);
      sim.consumeBudget(sim.config.api_key, 10);
      expect((await v2Get(sim, '/v2/tags')).headers.get('retry-after')).toBe('10');
    } finally {
      await sim.close();
    }
  });

  test('a 429 storm answers with Retry-After whatever the budget', async () => {
    const sim = await startV2({ rateLimit: { limit: 100, windowMs: 5_000 }, counts: { orders: 10 } });
    try {
      sim.failNext({ kind: 'rateLimit', count: 2, path: '/v2/shipments' });
      for (let i = 0; i < 2; i++) {
        const storm = await v2Get<Row>(sim, '/v2/shipments');
        expect(storm.status).toBe(429);
        expect(Number(storm.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
        expect((storm.body.errors as Row[])[0]?.error_code).toBe('rate_limit_exceeded');
      }
      expect((await v2Get(sim, '/v2/shipments')).status).toBe(200);
    } finally {
      await sim.close();
    }
  });

  test('injected 5xx: a v2 error body, an empty body (targeted or by emptyBodyShare), or nginx HTML', async () => {
    const sim = await startV2({ counts: { orders: 10 } });
    try {
      sim.failNext({ kind: 'error503', html: false });
      const json = await v2Get<Row>(sim, '/v2/shipments');
      expect(json.status).toBe(503);
      expect(Object.keys(json.body)).toEqual(['request_id', 'errors']);
      sim.failNext({ kind: 'error500', empty: true });
      const empty = await v2Get(sim, '/v2/shipments');
      expect(empty.status).toBe(500);
      expect(empty.text).toBe('');
      sim.failNext({ kind: 'error502' });
      const html = await v2Get(sim, '/v2/shipments');
      expect(html.status).toBe(502);
      expect(html.headers.get('content-type')).toMatch(/text\/html/);
      sim.setFaults({ rates: { error500: 1 }, htmlShare: 0, emptyBodyShare: 1 });
      const always = await v2Get(sim, '/v2/shipments');
      expect([always.status, always.text]).toEqual([500, '']);
      expect(sim.stats().faults.error500).toBe(2);
    } finally {
      await sim.close();
    }
  });
});

describe('v2 determinism', () => {
  async function bodies(seed: number): Promise<string[]> {
    const sim = await startV2({ seed, counts: { orders: 400, shipments: 250, fulfillments: 40 } });
    try {
      const paths = ['/v2/shipments', '/v2/labels', '/v2/fulfillments', '/v2/products', '/v2/batches', '/v2/pickups'];
      const out: string[] = [];
      for (const path of [...paths, '/v2/carriers', '/v2/environment/webhooks', '/v2/nowhere']) {
        // Links name the port, which is a free one: take it out.
        out.push((await v2Get(sim, path, { page_size: 3, page: 2 })).text.replaceAll(sim.baseUrl, ''));
      }
      return out;
    } finally {
      await sim.close();
    }
  }

  test('same seed → byte-identical v2 answers (request ids included); another seed → different data', async () => {
    const [a, b, c] = await Promise.all([bodies(12), bodies(12), bodies(13)]);
    expect(b).toEqual(a);
    a.slice(0, 7).forEach((body, i) => expect(c[i]).not.toBe(body));
  });
});

describe('CLI --api v2', () => {
  function capture(): { stream: PassThrough; text: () => string } {
    const stream = new PassThrough();
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
  }

  test('prints the v2 configs, writes the v2 config file, limits 200 a minute by default, serves /v2', async () => {
    const out = capture();
    const err = capture();
    const file = join(mkdtempSync(join(tmpdir(), 'sim-v2-')), 'config.json');
    const sim = await runCli(['--api', 'v2', '--orders', '40', '--config-out', file], out.stream, err.stream);
    try {
      const printed = JSON.parse(out.text().split('\n')[0] as string) as Record<string, Row>;
      expect(printed.config).toEqual({
        api_key: 'simV2k8Qm3Tz7Wc1Lp5Xr9Hd2Jn6Bf4Y',
        base_url: printed.base_url,
        api_version: 'v2',
        settle_seconds: 0,
      });
      expect(printed.no_access_config?.api_key).toBe('simV2noAccess4Kq8Zr2Mt6Wy1Pb5Hx9');
      expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(printed.config);
      expect(err.text()).toMatch(/API v2; .*rate limit 200 per 60000 ms/);
      const response = await fetch(`${String(printed.base_url)}/v2/shipments`, {
        headers: { 'API-Key': String(printed.config?.api_key) },
      });
      expect(((await response.json()) as Row).total).toBe(40);
    } finally {
      await sim?.close();
    }
  });

  test('v2 flags parse; a bad --api value is a usage error', () => {
    expect(
      parseCliArgs([
        '--api',
        'v2',
        '--v2-api-key',
        'k2',
        '--v2-no-access-key',
        'n2',
        '--v2-date-suffix',
        'mixed',
        '--v2-pages-quirk',
        'singlePage',
        '--empty-body-share',
        '0.5',
        '--rate-window-ms',
        '1000',
      ]),
    ).toMatchObject({
      api: 'v2',
      v2Keys: { apiKey: 'k2', noAccessKey: 'n2' },
      v2DateSuffix: 'mixed',
      v2PagesQuirk: 'singlePage',
      faults: { emptyBodyShare: 0.5 },
      rateLimit: { limit: 200, windowMs: 1000 },
    });
    expect(parseCliArgs([])).toMatchObject({ api: 'v1', rateLimit: { limit: 40, windowMs: 60_000 } });
    expect(() => parseCliArgs(['--api', 'v3'])).toThrow(/--api expects v1 or v2/);
    expect(() => parseCliArgs(['--v2-pages-quirk', 'sometimes'])).toThrow(/--v2-pages-quirk/);
  });
});
