// The key risk of v2's fractional stamps under the engine's whole-second planning: ranges, tie groups and fans
// are planned in seconds, while v2 stamps carry up to 7 fraction digits. Incremental shipments read from a
// second in the middle, with a bulk edit that gives more shipments one stamp than a page holds (a tie group read
// by page numbers), equal the ground truth whichever way the server reads its filter bounds: inclusive or
// exclusive, at full precision or by whole seconds.
import { describe, expect, test } from '@jest/globals';
import { v2 } from '../../src/dialects/v2.js';
import { readIncremental } from '../../src/engine/read/incremental.js';
import type { ReadTarget } from '../../src/engine/read/streamContext.js';
import type { ApiRecord } from '../../src/engine/plan/envelope.js';
import { silentLogger } from '../../src/protocol/logger.js';
import { startSimulator } from '../../src/simulator/index.js';
import { floorSecond } from '../../src/time/wallClock.js';

const pacer = { spare: () => 2, report: () => {} };

describe.each(['inclusive', 'exclusive', 'inclusiveSeconds', 'exclusiveSeconds'] as const)(
  'filter bounds %s',
  (bounds) => {
    test('incremental shipments by modified_at: every shipment modified since, a bulk edit included', async () => {
      const sim = await startSimulator({
        api: 'v2',
        seed: 21,
        counts: { orders: 500 },
        rateLimit: null,
        filterBounds: bounds,
        v2DateSuffix: 'mixed',
      });
      try {
        // 60 shipments on one stamp (with a fraction), more than two pages of 25.
        sim.mutate.bulkEditOrders({ count: 60 });
        const def = v2.streams.find('shipments')!;
        const truth = [...sim.truth('shipments')] as unknown as ApiRecord[];
        const stamps = truth.map((r) => v2.dates.parse(r.modified_at)!).sort((a, b) => a - b);
        const from = floorSecond(stamps[Math.floor(stamps.length / 3)]!);
        const end = floorSecond(stamps[stamps.length - 1]!);
        const emitted: ApiRecord[] = [];
        const target: ReadTarget = {
          logger: silentLogger,
          read: async (path, query, use) => {
            const search = new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]));
            const response = await fetch(`${sim.config.base_url}${path}?${search}`, {
              headers: { 'API-Key': sim.config.api_key },
            });
            if (response.status !== 200) throw new Error(`${response.status} ${await response.text()}`);
            return use(await response.json(), { serverTime: Date.parse(response.headers.get('date') ?? '') });
          },
          estimateRows: async () => {},
          records: async (records) => {
            emitted.push(...records);
          },
          checkpoint: async () => {},
        };
        await readIncremental(
          def,
          target,
          {
            cursor: def.cursors!.modified_at!,
            resume: { frontier: { from, idsAtLast: [] }, pending: [] },
            window: { provisional: end, settled: () => end },
            pageSize: 25,
            dialect: v2,
            lookbackDays: 0,
            maxSlices: 2,
            fresh: { idsAtLast: [] },
            checkpoints: true,
          },
          pacer,
        );
        // As a set: readers fanned around a tie group may both emit some of it (v1 does the same; the
        // destination dedups on the key), so "once" is not asserted here.
        const ids = [...new Set(emitted.map((r) => String(r.shipment_id)))].sort();
        const expected = truth.filter((r) => floorSecond(v2.dates.parse(r.modified_at)!) >= from);
        expect(ids).toEqual(expected.map((r) => String(r.shipment_id)).sort());
        expect(expected.filter((r) => floorSecond(v2.dates.parse(r.modified_at)!) === end).length).toBeGreaterThan(25);
      } finally {
        await sim.close();
      }
    });
  },
);
