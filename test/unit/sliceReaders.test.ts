// The sliced reader (src/engine/incremental.ts) with its real awaits: readers share a stream's slices and fans
// while records and checkpoints are still being written, which the pure planner tests (slices.test.ts) step
// through one call at a time. A fake ShipStation answers from the keyset model after seeded delays; small fans
// (a capped total) settle while the reader that fanned is still inside its page, the moment a second keyset
// reader must not take the same slice.
import { describe, expect, test } from '@jest/globals';
import { readIncremental, type IncrementalPlan } from '../../src/engine/read/incremental.js';
import type { ReadTarget } from '../../src/engine/read/streamContext.js';
import type { ResumePlan } from '../../src/engine/plan/slices.js';
import { silentLogger } from '../../src/protocol/logger.js';
import { mulberry32, serve, type Row } from '../helpers/keysetModel.js';
import { v1 } from '../../src/dialects/v1.js';

const T0 = Date.UTC(2024, 0, 1);
const utcZone = { wallToUtc: (v: number) => v, utcToWall: (v: number) => v, isAmbiguous: () => false };
const orders = v1.streams.find('orders')!;
const wall = (ms: number) => new Date(ms).toISOString().slice(0, 23);
const filterMs = (value: unknown) =>
  typeof value === 'string' ? Date.parse(`${value.replace(' ', 'T')}Z`) : undefined;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A ShipStation stand-in: pages of the model after a seeded delay, totals capped; checkpoints take a while too. */
function fakeTarget(rows: Row[], rand: () => number, totalCap: number) {
  const emitted: number[] = [];
  const target: ReadTarget = {
    logger: silentLogger,
    read: async (_path, query, use) => {
      await sleep(Math.floor(rand() * 4));
      const q = query as Record<string, unknown>;
      const request = {
        from: filterMs(q.modifyDateStart),
        to: filterMs(q.modifyDateEnd) ?? Infinity,
        page: Number(q.page),
        size: Number(q.pageSize),
      };
      const { page, total } = serve(rows, request, request.size);
      return use(
        { orders: page.map((r) => ({ orderId: r.id, modifyDate: wall(r.value) })), total: Math.min(total, totalCap) },
        {},
      );
    },
    estimateRows: async () => {},
    records: async (records) => {
      for (const r of records) emitted.push(r.orderId as number);
    },
    checkpoint: async () => {
      await sleep(Math.floor(rand() * 4));
    },
  };
  return { target, emitted };
}

describe('readers sharing slices and fans, with real awaits', () => {
  test('fans that settle while the reader that fanned is still writing its page: every row read, no link applied to another fan', async () => {
    const failures: string[] = [];
    for (let seed = 1; seed <= 12; seed++) {
      const rand = mulberry32(seed);
      const rows: Row[] = Array.from({ length: 400 }, (_, i) => ({
        id: i + 1,
        value: T0 + Math.floor(rand() * 400_000) * 1000 + Math.floor(rand() * 1000),
      }));
      const windowEnd = T0 + 400_000_000;
      // Three ranges left open by an earlier sync, and the frontier: four readers at once from the start.
      const cut = (k: number) => T0 + k * 100_000_000;
      const resume: ResumePlan = {
        frontier: { from: cut(3), idsAtLast: [] },
        pending: [0, 1, 2].map((k) => ({
          pos: { from: k === 0 ? undefined : cut(k), idsAtLast: [] },
          targetEnd: cut(k + 1) - 1000,
        })),
      };
      const plan: IncrementalPlan = {
        cursor: orders.cursors!.modifyDate!,
        resume,
        window: { provisional: windowEnd, settled: () => windowEnd },
        pageSize: 10,
        dialect: { ...v1, zone: utcZone },
        lookbackDays: 0,
        maxSlices: 4,
        fresh: { idsAtLast: [] },
        checkpoints: true,
      };
      const { target, emitted } = fakeTarget(rows, rand, 25);
      try {
        await readIncremental(orders, target, plan, { spare: () => 4, report: () => {} });
        const missing = rows.filter((r) => !emitted.includes(r.id)).length;
        if (missing > 0) failures.push(`seed ${seed}: ${missing} rows never emitted`);
      } catch (err) {
        failures.push(`seed ${seed}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    expect(failures).toEqual([]);
  });
});
