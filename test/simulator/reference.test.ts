// The reference endpoints: carriers, marketplaces, users, webhooks, tags. Shapes (SDK field names and order),
// determinism by seed, showInactive, the truth export, and the links to the other streams.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import {
  REFERENCE_STREAMS,
  type ApiCarrier,
  type ApiMarketplace,
  type ApiStore,
  type ApiUser,
  type ApiWebhook,
  type Simulator,
} from '../../src/simulator/index.js';
import { parseCliArgs } from '../../src/simulator/cliArgs.js';
import { apiGet, start, truthOf } from './helpers.js';

const KEYS: Record<(typeof REFERENCE_STREAMS)[number], { path: string; keys: string[] }> = {
  carriers: {
    path: '/carriers',
    keys: [
      'name',
      'code',
      'accountNumber',
      'requiresFundedAccount',
      'balance',
      'nickname',
      'shippingProviderId',
      'primary',
    ],
  },
  marketplaces: {
    path: '/stores/marketplaces',
    keys: [
      'name',
      'marketplaceId',
      'canRefresh',
      'supportsCustomMappings',
      'supportsCustomStatuses',
      'canConfirmShipments',
    ],
  },
  users: { path: '/users', keys: ['userId', 'userName', 'name'] },
  webhooks: {
    path: '/webhooks',
    keys: [
      'IsLabelAPIHook',
      'WebHookID',
      'SellerID',
      'StoreID',
      'HookType',
      'MessageFormat',
      'Url',
      'Name',
      'BulkCopyBatchID',
      'BulkCopyRecordID',
      'Active',
      'WebhookLogs',
      'Seller',
      'Store',
    ],
  },
  tags: { path: '/accounts/listtags', keys: ['tagId', 'name', 'color'] },
};

/** The list in a response: a bare array, or the `webhooks` envelope. */
function listOf(body: unknown, stream: string): Array<Record<string, unknown>> {
  return (stream === 'webhooks' ? (body as { webhooks: unknown }).webhooks : body) as Array<Record<string, unknown>>;
}

describe('reference endpoints', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await start({
      seed: 61,
      counts: { orders: 300, shipments: 100, fulfillments: 10, stores: 4, users: 5, webhooks: 9 },
    });
  });
  afterAll(() => sim.close());

  test.each(REFERENCE_STREAMS)(
    '%s: one response with every record, SDK field names in order, equal to the truth',
    async (stream) => {
      const { path, keys } = KEYS[stream];
      const response = await apiGet(sim, path, stream === 'users' ? { showInactive: true } : {});
      expect(response.status).toBe(200);
      if (stream === 'webhooks') expect(Object.keys(response.body as object)).toEqual(['webhooks']);
      else expect(Array.isArray(response.body)).toBe(true);
      const records = listOf(response.body, stream);
      expect(records.length).toBeGreaterThan(0);
      for (const record of records) expect(Object.keys(record)).toEqual(keys);
      expect(records).toEqual(truthOf(sim, stream));
      expect(sim.truthCount(stream)).toBe(records.length);
    },
  );

  test.each(REFERENCE_STREAMS)(
    '%s: keys are unique; page parameters are ignored; paths are case-insensitive',
    async (stream) => {
      const { path } = KEYS[stream];
      const records = truthOf<Record<string, unknown>>(sim, stream);
      const key = {
        carriers: 'code',
        marketplaces: 'marketplaceId',
        users: 'userId',
        webhooks: 'WebHookID',
        tags: 'tagId',
      }[stream];
      expect(new Set(records.map((r) => r[key])).size).toBe(records.length);
      const paged = await apiGet(sim, path.toUpperCase(), {
        page: 2,
        pageSize: 1,
        ...(stream === 'users' ? { showInactive: true } : {}),
      });
      expect(listOf(paged.body, stream)).toEqual(records);
    },
  );

  test('users: the inactive one only with showInactive=true; counts follow the options', async () => {
    const all = listOf((await apiGet(sim, '/users', { showInactive: 'TRUE' })).body, 'users');
    const active = listOf((await apiGet(sim, '/users')).body, 'users');
    const explicit = listOf((await apiGet(sim, '/users', { showInactive: false })).body, 'users');
    expect(all).toHaveLength(5);
    expect(active).toEqual(all.slice(0, 4));
    expect(explicit).toEqual(active);
    expect((await apiGet(sim, '/users', { showInactive: 'maybe' })).status).toBe(400);
    for (const user of all as unknown as ApiUser[]) {
      expect(user.userId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(user.userName).toMatch(/^[a-z.]+\d+@example\.com$/);
    }
    expect(truthOf(sim, 'webhooks')).toHaveLength(9);
  });

  test('links: carriers cover every carrierCode, marketplaces every store marketplace, tags every tagId, webhooks existing stores', () => {
    const carriers = new Set(truthOf<ApiCarrier>(sim, 'carriers').map((c) => c.code));
    for (const s of truthOf<{ carrierCode: string }>(sim, 'shipments')) expect(carriers.has(s.carrierCode)).toBe(true);
    for (const o of truthOf<{ carrierCode: string | null }>(sim, 'orders'))
      if (o.carrierCode) expect(carriers.has(o.carrierCode)).toBe(true);
    const marketplaces = new Map(truthOf<ApiMarketplace>(sim, 'marketplaces').map((m) => [m.marketplaceId, m.name]));
    for (const store of truthOf<ApiStore>(sim, 'stores'))
      expect(marketplaces.get(store.marketplaceId)).toBe(store.marketplaceName);
    const tags = new Set(truthOf<{ tagId: number }>(sim, 'tags').map((t) => t.tagId));
    for (const o of truthOf<{ tagIds: number[] | null }>(sim, 'orders'))
      for (const id of o.tagIds ?? []) expect(tags.has(id)).toBe(true);
    const stores = new Set(truthOf<ApiStore>(sim, 'stores').map((s) => s.storeId));
    const hooks = truthOf<ApiWebhook>(sim, 'webhooks');
    expect(hooks.some((h) => h.StoreID !== null)).toBe(true);
    for (const h of hooks) if (h.StoreID !== null) expect(stores.has(h.StoreID)).toBe(true);
    expect(hooks.map((h) => h.Active)).toEqual([...Array(8).fill(true), false]);
    expect(new Set(hooks.map((h) => h.SellerID)).size).toBe(1);
    const funded = truthOf<ApiCarrier>(sim, 'carriers').filter((c) => !c.requiresFundedAccount);
    for (const c of funded) expect(c.balance).toBe(0);
  });

  test('the truth export serves the reference lists too', async () => {
    const response = await fetch(`${sim.baseUrl}/__sim/truth/webhooks`);
    expect(response.headers.get('x-total-count')).toBe('9');
    const lines = (await response.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as unknown);
    expect(lines).toEqual(truthOf(sim, 'webhooks'));
  });

  test('POST on a reference path is a 405', async () => {
    const response = await fetch(`${sim.baseUrl}/webhooks`, {
      method: 'POST',
      headers: {
        Authorization: `Basic ${Buffer.from(`${sim.config.api_key}:${sim.config.api_secret}`).toString('base64')}`,
      },
    });
    expect(response.status).toBe(405);
  });
});

describe('determinism', () => {
  test('same seed, same lists; another seed changes the account data but not the marketplace catalog', async () => {
    const [a, b, c] = await Promise.all([start({ seed: 5 }), start({ seed: 5 }), start({ seed: 6 })]);
    try {
      for (const stream of REFERENCE_STREAMS) expect(truthOf(a, stream)).toEqual(truthOf(b, stream));
      expect(truthOf(c, 'marketplaces')).toEqual(truthOf(a, 'marketplaces'));
      for (const stream of ['carriers', 'users', 'webhooks'] as const)
        expect(truthOf(c, stream)).not.toEqual(truthOf(a, stream));
      expect(truthOf(a, 'users')).toHaveLength(4);
      expect(truthOf(a, 'webhooks')).toHaveLength(3);
    } finally {
      await Promise.all([a.close(), b.close(), c.close()]);
    }
  });

  test('counts of 0 give empty lists; the CLI takes --users and --webhooks', async () => {
    const sim = await start({ counts: { users: 0, webhooks: 0 } });
    try {
      expect((await apiGet(sim, '/users')).body).toEqual([]);
      expect((await apiGet(sim, '/webhooks')).body).toEqual({ webhooks: [] });
    } finally {
      await sim.close();
    }
    expect(parseCliArgs(['--users', '7', '--webhooks', '2'])?.counts).toEqual({ users: 7, webhooks: 2 });
  });
});
