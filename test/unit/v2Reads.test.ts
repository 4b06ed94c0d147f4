// The engine's readers with the v2 dialect against the v2 simulator over HTTP: every v2 stream read in full by
// the reader its definition picks (keyset over a creation date, the sorted chain, the unsorted chain, one
// request) equals the simulator's ground truth, and an incremental read of shipments from a stamp in the middle
// returns exactly the shipments modified since. The HTTP client and its API-Key auth are v2's transport (not
// here): requests go out through a plain fetch with the header.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { v2 } from '../../src/dialects/v2.js';
import { readFullRefresh } from '../../src/engine/read/fullRefresh.js';
import { readIncremental } from '../../src/engine/read/incremental.js';
import type { ReadTarget } from '../../src/engine/read/streamContext.js';
import type { ApiRecord } from '../../src/engine/plan/envelope.js';
import { silentLogger } from '../../src/protocol/logger.js';
import { startSimulator, type Simulator } from '../../src/simulator/index.js';

let sim: Simulator<'v2'>;
const pacer = { spare: () => 3, report: () => {} };
type V2Name = Parameters<Simulator<'v2'>['truth']>[0];

beforeAll(async () => {
  sim = await startSimulator({
    api: 'v2',
    seed: 9,
    counts: { orders: 600, shipments: 400, fulfillments: 150, products: 230, users: 6, webhooks: 3 },
    rateLimit: null,
    v2DateSuffix: 'mixed',
  });
});
afterAll(async () => sim.close());

function target(emitted: ApiRecord[]): ReadTarget & { requests: string[] } {
  const requests: string[] = [];
  return {
    requests,
    logger: silentLogger,
    read: async (path, query, use) => {
      const search = new URLSearchParams(
        Object.entries(query).flatMap(([k, v]): [string, string][] => (v === undefined ? [] : [[k, String(v)]])),
      );
      requests.push(`${path}?${search}`);
      const response = await fetch(`${sim.config.base_url}${path}?${search}`, {
        headers: { 'API-Key': sim.config.api_key },
      });
      if (response.status !== 200) throw new Error(`${path}?${search}: ${response.status} ${await response.text()}`);
      return use(await response.json(), { serverTime: Date.parse(response.headers.get('date') ?? '') });
    },
    estimateRows: async () => {},
    records: async (records) => {
      emitted.push(...records);
    },
    checkpoint: async () => {},
  };
}

const keyOf = (name: string) => v2.streams.find(name)!.primaryKey[0]!;
const sortedIds = (rows: Iterable<unknown>, key: string) => [...rows].map((r) => String((r as ApiRecord)[key])).sort();

describe.each(v2.streams.streams.map((def) => [def.name, def] as const))('full refresh of v2 %s', (name, def) => {
  test('every record of the ground truth, once', async () => {
    const emitted: ApiRecord[] = [];
    // Page size 40: several pages (and fans or chain links) for the paged streams.
    await readFullRefresh(
      def,
      target(emitted),
      { pageSize: Math.min(40, def.maxPageSize ?? 40), maxSlices: 3, dialect: v2 },
      pacer,
    );
    const key = keyOf(name);
    const ids = sortedIds(emitted, key);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(sortedIds(sim.truth(name as V2Name), key));
  });
});

test('incremental shipments from a modified_at in the middle: exactly those modified since, sort_dir asc', async () => {
  const def = v2.streams.find('shipments')!;
  const truth = [...sim.truth('shipments')] as unknown as ApiRecord[];
  const stamps = truth.map((r) => v2.dates.parse(r.modified_at)!).sort((a, b) => a - b);
  const from = Math.floor(stamps[Math.floor(stamps.length / 2)]! / 1000) * 1000;
  const end = Math.floor(stamps[stamps.length - 1]! / 1000) * 1000 + 1000;
  const emitted: ApiRecord[] = [];
  const t = target(emitted);
  await readIncremental(
    def,
    t,
    {
      cursor: def.cursors!.modified_at!,
      resume: { frontier: { from, idsAtLast: [] }, pending: [] },
      window: { provisional: end, settled: () => end },
      pageSize: 25,
      dialect: v2,
      lookbackDays: 0,
      maxSlices: 3,
      fresh: { idsAtLast: [] },
      checkpoints: false,
    },
    pacer,
  );
  const expected = truth.filter((r) => v2.dates.parse(r.modified_at)! >= from);
  expect(sortedIds(emitted, 'shipment_id')).toEqual(sortedIds(expected, 'shipment_id'));
  for (const request of t.requests) {
    expect(request).toContain('sort_by=modified_at');
    expect(request).toContain('sort_dir=asc');
  }
});

test("labels' re-scan window re-reads labels created in its last days: a later void inside it is caught, one before it is not", async () => {
  const def = v2.streams.find('labels')!;
  const labels = [...sim.truth('labels')] as unknown as ApiRecord[];
  const created = (r: ApiRecord) => v2.dates.parse(r.created_at)!;
  const last = Math.max(...labels.map(created));
  // The sync's window ends just after the newest label; its re-scan covers the 20 days before.
  const end = Math.floor(last / 1000) * 1000 + 1000;
  const lookbackDays = 20;
  const since = end + 1000 - lookbackDays * 86_400_000;
  const live = labels.filter((r) => r.voided === false);
  const recent = live.find((r) => created(r) >= since + 86_400_000)!;
  const old = live.find((r) => created(r) < since - 86_400_000)!;
  const read = async (from: number, days: number) => {
    const emitted: ApiRecord[] = [];
    await readIncremental(
      def,
      target(emitted),
      {
        cursor: def.cursors!.created_at!,
        resume: { frontier: { from, idsAtLast: [] }, pending: [] },
        window: { provisional: end, settled: () => end },
        pageSize: 50,
        dialect: v2,
        lookbackDays: days,
        maxSlices: 2,
        fresh: { idsAtLast: [] },
        checkpoints: false,
      },
      pacer,
    );
    return emitted;
  };
  sim.mutate.voidShipments({ shipmentIds: [recent, old].map((r) => Number(String(r.label_id).slice(3))) });
  // The next sync starts past every label: without a re-scan it reads nothing, so it sees no void.
  expect(await read(end + 1000, 0)).toEqual([]);
  const rescanned = await read(end + 1000, lookbackDays);
  const byId = new Map(rescanned.map((r) => [r.label_id, r]));
  expect(byId.get(recent.label_id)).toMatchObject({ voided: true, status: 'voided' });
  expect(byId.get(recent.label_id)?.voided_at).toEqual(expect.any(String));
  expect(byId.has(old.label_id)).toBe(false);
  // What it costs: every label created in the window, once.
  expect(sortedIds(rescanned, 'label_id')).toEqual(
    sortedIds(
      labels.filter((r) => created(r) >= since),
      'label_id',
    ),
  );
});
