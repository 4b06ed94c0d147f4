// The fault matrix (test/faults/matrix.ts): the real CLI against the simulator under 5xx, resets, truncated
// bodies, 429 storms, slow bodies, mutations, SIGKILL + resume and all of it at once; nothing may be lost, in API v1
// and in API v2 (rows "v2: …"). `npm test` runs a small version (one seed per row, small data, a representative
// subset of the v2 rows); FAULT_MATRIX=full (npm run test:faults) runs every row of both with several seeds on
// larger data. The matrix is printed to stderr at the end.
import { afterAll, describe, expect, test } from '@jest/globals';
import { runCli } from '../helpers/cli.js';
import { configuredCatalog, expectedTruth, readArgs, recordsOf, simulator } from '../helpers/sim.js';
import {
  DIALECT_STREAMS,
  formatMatrix,
  lossDetails,
  pool,
  rowsFor,
  runRow,
  SCALES,
  seedsFor,
  tally,
  type RunResult,
  type Scale,
} from '../faults/matrix.js';

const SCALE: Scale = process.env.FAULT_MATRIX === 'full' ? 'full' : 'small';
const results: RunResult[] = [];

afterAll(() => {
  if (results.length) process.stderr.write(formatMatrix(results, SCALE));
});

describe('the loss counter can fail', () => {
  const truth = new Map<unknown, Record<string, unknown>>([
    [1, { orderId: 1, modifyDate: '2024-01-01T00:00:00.000Z', items: [{ sku: 'a' }] }],
    [2, { orderId: 2, modifyDate: '2024-01-02T00:00:00.000Z', items: [] }],
    [3, { orderId: 3, modifyDate: '2024-01-03T00:00:00.000Z', items: [] }],
  ]);
  const all = [...truth.values()].map((r) => structuredClone(r));

  test('complete output: nothing lost, key order irrelevant', () => {
    const reordered = all.map((r) => Object.fromEntries(Object.entries(r).reverse()));
    expect(tally('orders', truth, reordered)).toMatchObject({
      lost: 0,
      duplicates: 0,
      missing: [],
      stale: [],
      extra: [],
    });
  });

  test('a truncated list is a loss', () => {
    expect(tally('orders', truth, all.slice(0, 2))).toMatchObject({ lost: 1, missing: [3] });
    expect(tally('orders', truth, [])).toMatchObject({ lost: 3 });
  });

  test('an old version as the latest emission is a loss; a newer one after it is not', () => {
    const old = { ...all[1]!, modifyDate: '2023-12-31T00:00:00.000Z' };
    expect(tally('orders', truth, [all[0]!, all[2]!, old])).toMatchObject({ lost: 1, stale: [2] });
    expect(tally('orders', truth, [old, ...all])).toMatchObject({ lost: 0, duplicates: 1 });
    const nested = { ...all[0]!, items: [{ sku: 'b' }] };
    expect(tally('orders', truth, [nested, all[1]!, all[2]!])).toMatchObject({ lost: 1, stale: [1] });
  });

  test('duplicates and unknown ids are counted', () => {
    expect(tally('orders', truth, [...all, all[0]!, { orderId: 99 }])).toMatchObject({
      lost: 0,
      duplicates: 1,
      extra: [99],
    });
  });

  test('on a real run: dropping or altering one emitted record is detected', async () => {
    const sim = await simulator({ seed: 5, counts: { orders: 120, shipments: 5, fulfillments: 5 } });
    try {
      const r = await runCli(readArgs(sim, configuredCatalog([{ name: 'orders', mode: 'incremental' }])));
      expect(r.code).toBe(0);
      const records = recordsOf(r.messages, 'orders');
      const want = expectedTruth(sim, 'orders');
      expect(tally('orders', want, records).lost).toBe(0);
      expect(tally('orders', want, records.slice(0, -1)).lost).toBe(1);
      expect(tally('orders', want, [...records.slice(0, 50), ...records.slice(51)]).missing).toEqual([
        records[50]!.orderId,
      ]);
      const altered = records.map((o, i) => (i === 7 ? { ...o, orderStatus: 'not-the-status' } : o));
      expect(tally('orders', want, altered).stale).toEqual([records[7]!.orderId]);
    } finally {
      await sim.close();
    }
  });

  test('the printed matrix marks a lossy row FAIL', () => {
    const fake: RunResult = {
      row: 'fake',
      seed: 1,
      exits: [0],
      finalExit: 0,
      kills: 0,
      lost: 1,
      missing: 1,
      stale: 0,
      extra: 0,
      duplicates: 0,
      records: 3,
      requests: 1,
      faults: 0,
      rateLimited: 0,
      mutations: 0,
      wallMs: 10,
      problems: [],
      tallies: [tally('orders', truth, all.slice(0, 2))],
    };
    const printed = formatMatrix([fake], 'small');
    expect(printed).toMatch(/fake .* FAIL/);
    expect(printed).toContain('orders: missing 1 [3]');
  });
});

// Dev filters: FAULT_ROWS='short pages' keeps the rows whose name contains it (case-insensitive; several
// joined by '|'), FAULT_SEEDS='1201,1202' only those seeds.
const rowFilter = process.env.FAULT_ROWS?.toLowerCase().split('|');
const seedFilter = process.env.FAULT_SEEDS?.split(',').map(Number);
const rows = rowsFor(SCALE).filter((row) => !rowFilter || rowFilter.some((f) => row.name.toLowerCase().includes(f)));

describe(`fault matrix (${SCALE})`, () => {
  test.each(rows.map((row) => [row.name, row] as const))(
    '%s: nothing lost, exit 0',
    async (_name, row) => {
      const seeds = seedsFor(row, SCALE).filter((seed) => !seedFilter || seedFilter.includes(seed));
      const rs = await pool(
        seeds.map((seed) => () => runRow(row, seed, SCALE)),
        SCALES[SCALE].parallel,
      );
      results.push(...rs);
      const injects = Boolean(row.sim?.faults || row.targeted?.length || row.storms);
      for (const r of rs) {
        expect({
          seed: r.seed,
          lost: r.lost,
          extra: r.extra,
          finalExit: r.finalExit,
          problems: r.problems,
          details: lossDetails(r),
        }).toEqual({
          seed: r.seed,
          lost: 0,
          extra: 0,
          finalExit: 0,
          problems: [],
          details: [],
        });
        // A row that meant to inject faults but met none proves nothing.
        if (injects) expect(r.faults + r.rateLimited).toBeGreaterThan(0);
        if (row.kills) {
          // Records emitted after a stream's last checkpoint are read again: at most a page per stream per kill.
          for (const t of r.tallies.filter((x) => DIALECT_STREAMS[row.api ?? 'v1'].incremental.includes(x.stream))) {
            expect({
              stream: t.stream,
              duplicates: t.duplicates,
              bound: t.duplicates <= r.kills * SCALES[SCALE].pageSize,
            }).toMatchObject({ bound: true });
          }
        }
      }
    },
    SCALE === 'full' ? 600_000 : 60_000,
  );
});
