// Resume from any checkpoint (issue #21, deliver 2). One incremental sync of orders runs through the real CLI
// while orders are modified under it; then, for checkpoints spread over that run, a sync resumes from each one
// as Airbyte would after a crash just after it. What the first sync emitted before the checkpoint plus what the
// resumed sync emits must hold every order in its current version, and the resumed sync may re-emit only a
// bounded number of records the first one had already emitted in that very version.
//
// Every checkpoint of that sync is also checked directly: each order it covers was emitted before it.
//
// The first sync runs behind a slow reader of its output (as behind a destination slower than the source) with
// some answers slowed down: pages are answered out of order and checkpoints are written while records wait to
// go out, where checkpoints can get ahead of records. Dozens of reads: the resumes run in Node processes of their
// own, many reads each (test/helpers/batch.ts, the code the CLI runs), against the simulator in a process of its
// own (test/helpers/simProcess.ts), so that this process only judges. An order's version is its id and
// modifyDate (every modification stamps a new one); whole records are compared with the truth once, for the
// resume from the first checkpoint.
import { afterAll, describe, expect, test } from '@jest/globals';
import { runBatch } from '../helpers/batch.js';
import { runCli, type Message } from '../helpers/cli.js';
import { expectedRecord, expectedUtc, intlPacificWall } from '../helpers/expected.js';
import { byId, configuredCatalog, lastStates, readArgs, recordsOf, statusesOf } from '../helpers/sim.js';
import { startSimProcess, type SimProcess } from '../helpers/simProcess.js';
import { expectEqual } from '../helpers/sameValue.js';

const FULL = process.env.FAULT_MATRIX === 'full';
const SEEDS = FULL ? [71, 72, 73] : [71];
const ORDERS = 1500;
const PAGE_SIZE = 50;
const CATALOG = configuredCatalog([{ name: 'orders', mode: 'incremental' }]);
/** Checkpoints resumed from per run: all of them under FAULT_MATRIX=full. */
const SAMPLE = FULL ? Infinity : 30;
/** What the resumed syncs' records are judged by. */
const KEEP = ['orderId', 'modifyDate'];

type Data = Record<string, unknown>;

/** An order's version: its id and modifyDate (UTC, as emitted). */
const version = (order: Data) => `${String(order.orderId)}|${String(order.modifyDate)}`;

/** Each STATE of the run with the records emitted before it. */
function checkpoints(messages: Message[]): { state: unknown; before: Data[] }[] {
  const out: { state: unknown; before: Data[] }[] = [];
  const emitted: Data[] = [];
  for (const m of messages) {
    if (m.type === 'RECORD') emitted.push((m.record as { data: Data }).data);
    else if (m.type === 'STATE') out.push({ state: m.state, before: [...emitted] });
  }
  return out;
}

/** `n` items spread evenly over the list, its first and last included (all of them when it is not longer). */
function spread<T>(list: T[], n: number): T[] {
  if (list.length <= n) return list;
  return Array.from({ length: n }, (_, i) => list[Math.round((i * (list.length - 1)) / (n - 1))]!);
}

/** Ids of `want` (id → version) not held in that version by the emissions in order (the latest per id wins). */
function lost(want: Map<unknown, string>, ...runs: Data[][]): unknown[] {
  const latest = new Map<unknown, string>();
  for (const run of runs) for (const order of run) latest.set(order.orderId, version(order));
  return [...want].filter(([id, v]) => latest.get(id) !== v).map(([id]) => id);
}

/** Records the resumed sync emitted that were already out, in that very version, before the checkpoint. */
function reReads(before: Data[], resumed: Data[]): number {
  const out = new Set(before.map(version));
  return resumed.filter((order) => out.has(version(order))).length;
}

interface FirstSync {
  sim: SimProcess;
  messages: Message[];
  /** The truth once the sync is over (nothing changes after it), in the form the connector emits. */
  truth: Map<unknown, Data>;
  /** The same orders as ShipStation sends them (Pacific wall-clock dates). */
  raw: Data[];
}

/**
 * One sync through the real CLI while orders are modified under it (every change lands during it), then a
 * pause until the next whole second, so that a resumed sync's window holds the changes' stamps.
 */
async function syncUnderChange(seed: number, config: Data): Promise<FirstSync> {
  const sim = await startSimProcess([
    '--seed',
    String(seed),
    '--orders',
    String(ORDERS),
    '--shipments',
    '10',
    '--fulfillments',
    '10',
    '--fault-latency',
    '0.3',
    '--latency-ms',
    '25',
  ]);
  const AT = [2, 5, 9, 14, 19, 24];
  for (const [i, atRequest] of AT.entries()) await sim.schedule(atRequest, { op: 'modifyOrders', count: 5 + i });
  // Behind a destination slower than the source: the connector's writes wait, and other readers' pages are
  // answered and checkpointed meanwhile.
  const r = await runCli(readArgs(sim, CATALOG, { config: { page_size: PAGE_SIZE, ...config } }), { slowReaderMs: 5 });
  expect(r.code).toBe(0);
  // Every change landed during the first sync: none is left to change the truth under the resumes.
  expect(await sim.mutationLog()).toHaveLength(AT.length);
  await new Promise((resolve) => setTimeout(resolve, 1020 - (Date.now() % 1000)));
  const raw = await sim.truth('orders');
  const truth = byId(
    raw.map((o) => expectedRecord(o)),
    'orders',
  );
  return { sim, messages: r.messages, truth, raw };
}

/** First syncs by seed and mode, shared by the tests that resume from them (the simulators stop at the end). */
const firstSyncs = new Map<string, Promise<FirstSync>>();
const firstSync = (seed: number, config: Data) => {
  const key = `${seed} ${JSON.stringify(config)}`;
  if (!firstSyncs.has(key)) firstSyncs.set(key, syncUnderChange(seed, config));
  return firstSyncs.get(key)!;
};
afterAll(async () => {
  for (const run of firstSyncs.values()) await (await run).sim.close();
});

/** A keyset position as a state stores it (UTC instants). */
interface StatePosition {
  cursor?: string;
  from?: string;
  ids_at_cursor?: unknown[];
}

/** Wall ms (the Pacific wall clock read as UTC, the connector's own order) of a state's UTC instant. */
const wallOfInstant = (utc: string) => {
  const ms = Date.parse(utc);
  return Date.parse(`${intlPacificWall(ms)}Z`) + (ms % 1000);
};
/** Wall ms of a ShipStation date-time (Pacific wall clock, up to 7 fraction digits: cut to the millisecond). */
const wallOfValue = (value: string) => Date.parse(`${value.slice(0, 23)}Z`);
const second = (ms: number) => Math.floor(ms / 1000) * 1000;

/** The position holds the row: every second before `from`, and in later ones the values below the cursor and the ids at it. */
function holds(pos: StatePosition, wall: number, id: unknown): boolean {
  if (pos.from !== undefined && second(wall) < wallOfInstant(pos.from)) return true;
  if (pos.cursor === undefined) return false;
  const cursor = wallOfInstant(pos.cursor);
  return wall < cursor || (wall === cursor && (pos.ids_at_cursor ?? []).includes(id));
}

/** A checkpoint covers the row: its frontier holds it and no range still open (version 2 `slices`) does not. */
function covers(
  state: StatePosition & { slices?: (StatePosition & { to: string })[] },
  wall: number,
  id: unknown,
): boolean {
  return (
    holds(state, wall, id) &&
    !(state.slices ?? []).some((open) => !holds(open, wall, id) && second(wall) <= wallOfInstant(open.to))
  );
}

const versions = (truth: Map<unknown, Data>, keep: (order: Data) => boolean = () => true) =>
  new Map([...truth].filter(([, order]) => keep(order)).map(([id, order]) => [id, version(order)]));

const MODES = [
  // Pages fetched at once. A checkpoint covers what the pages answered so far prove; a link answered before the
  // link ahead of it has emitted its rows without proving them, and a resume reads that stretch again: the pages
  // answered while an earlier one was still in flight, about the other readers' pages (the pacer keeps
  // max(4, latency / processing time + 1) in flight, 4 to 7 here), plus the first second of each gap. The bound
  // is 8 pages of PAGE_SIZE, about a quarter of the orders (3 seeds × 36 checkpoints re-read at most 135).
  { name: 'pages fetched at once', config: {}, bound: 8 * PAGE_SIZE },
  // One page after another: every checkpoint covers exactly what preceded it (version 1, its ids at the cursor),
  // so a resume re-reads nothing; one page's worth is allowed for a second read as a group.
  { name: 'strictly in order (max_parallel_slices 1)', config: { max_parallel_slices: 1 }, bound: PAGE_SIZE },
];

describe.each(MODES)('resume from any checkpoint: $name', (mode) => {
  test('every checkpoint covers only orders emitted before it', async () => {
    for (const seed of SEEDS) {
      const { messages, raw } = await firstSync(seed, mode.config);
      const orders = raw.map((o) => ({
        id: o.orderId,
        wall: wallOfValue(String(o.modifyDate)),
        version: `${String(o.orderId)}|${expectedUtc(String(o.modifyDate))}`,
      }));
      const out = new Set<string>();
      let index = 0;
      for (const m of messages) {
        if (m.type === 'RECORD') out.add(version((m.record as { data: Data }).data));
        if (m.type !== 'STATE') continue;
        const state = (m.state as { stream: { stream_state: StatePosition } }).stream.stream_state;
        const ahead = orders.filter((o) => covers(state, o.wall, o.id) && !out.has(o.version)).map((o) => o.id);
        expect({ seed, checkpoint: index++, ahead: ahead.slice(0, 5), count: ahead.length }).toEqual({
          seed,
          checkpoint: index - 1,
          ahead: [],
          count: 0,
        });
      }
    }
  }, 120_000);

  test('every order in its current version, re-reads bounded', async () => {
    for (const seed of SEEDS) {
      const { sim, messages, truth } = await firstSync(seed, mode.config);
      const want = versions(truth);
      const points = checkpoints(messages);
      const picked = spread(points, SAMPLE);
      expect(picked.length).toBeGreaterThanOrEqual(Math.min(30, points.length));
      const resumed = await runBatch(
        picked.map(({ state }) =>
          readArgs(sim, CATALOG, { config: { page_size: PAGE_SIZE, ...mode.config }, state: [state] }),
        ),
        { keep: KEEP },
      );
      const results = picked.map(({ before }, i) => {
        const records = recordsOf(resumed[i]!.messages, 'orders');
        return {
          code: resumed[i]!.code,
          status: statusesOf(resumed[i]!.messages, 'orders').at(-1),
          lost: lost(want, before, records),
          reReads: reReads(before, records),
        };
      });
      results.forEach((r, i) =>
        expect({ seed, checkpoint: i, code: r.code, status: r.status, lost: r.lost.slice(0, 5) }).toEqual({
          seed,
          checkpoint: i,
          code: 0,
          status: 'COMPLETE',
          lost: [],
        }),
      );
      // Whole records too, once (as expectComplete does): the resume from the first checkpoint re-reads nearly all.
      const latest = byId([...picked[0]!.before, ...recordsOf(resumed[0]!.full(), 'orders')], 'orders');
      for (const [id, record] of truth) expectEqual([id, latest.get(id)], [id, record]);
      const most = Math.max(...results.map((r) => r.reReads));
      expect({ seed, most, withinBound: most <= mode.bound }).toEqual({ seed, most, withinBound: true });
      process.stderr.write(
        `resume (${mode.name}, seed ${seed}): ${picked.length} of ${points.length} checkpoints, re-reads at most ${most}, in all ${results.reduce((n, r) => n + r.reReads, 0)}\n`,
      );
    }
  }, 120_000);
});

describe('resume from any checkpoint with an end_date before the first sync’s window end (pages fetched at once)', () => {
  test('the resumed sync holds every order up to end_date; a final sync without it, every order', async () => {
    const config = MODES[0]!.config;
    for (const seed of SEEDS) {
      const { sim, messages, truth } = await firstSync(seed, config);
      const want = versions(truth);
      // end_date: the median modifyDate, so that checkpoints lie on both sides of it.
      const dates = [...truth.values()].map((o) => String(o.modifyDate)).sort();
      const endDate = dates[Math.floor(dates.length / 2)]!;
      expect(endDate).toBe(expectedUtc(endDate));
      // The window ends at the last whole second before end_date: orders of that second may wait for the final sync.
      const early = versions(truth, (o) => Date.parse(String(o.modifyDate)) < Date.parse(endDate) - 1000);
      const picked = spread(checkpoints(messages), SAMPLE);
      // Ranges below the stored frontier are read whole whatever end_date says; nothing after it above the frontier.
      const bounded = await runBatch(
        picked.map(({ state }) =>
          readArgs(sim, CATALOG, { config: { page_size: PAGE_SIZE, ...config, end_date: endDate }, state: [state] }),
        ),
        { keep: KEEP },
      );
      const final = await runBatch(
        bounded.map((b) =>
          readArgs(sim, CATALOG, { config: { page_size: PAGE_SIZE, ...config }, state: lastStates(b.messages) }),
        ),
        { keep: KEEP },
      );
      picked.forEach(({ before }, i) => {
        const upTo = recordsOf(bounded[i]!.messages, 'orders');
        expect({
          seed,
          checkpoint: i,
          codes: [bounded[i]!.code, final[i]!.code],
          lostUpToEnd: lost(early, before, upTo).slice(0, 5),
          lost: lost(want, before, upTo, recordsOf(final[i]!.messages, 'orders')).slice(0, 5),
        }).toEqual({ seed, checkpoint: i, codes: [0, 0], lostUpToEnd: [], lost: [] });
      });
    }
  }, 120_000);
});
