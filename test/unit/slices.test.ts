import { describe, expect, test } from '@jest/globals';
import { applyPage, planRequest, plausibleTotal, rowsToEmit, type KeysetPosition, type PageRequest, type PageRow } from '../../src/engine/keyset.js';
import { SliceSet, type ResumePlan, type Slice } from '../../src/engine/slices.js';
import { MIN_IN_FLIGHT, spareReaders, type Capacity } from '../../src/engine/parallelism.js';
import { Pacer } from '../../src/engine/pacer.js';
import { fanPageOf } from '../../src/engine/incremental.js';
import { checkedState, resumePoint } from '../../src/engine/streamState.js';
import { BOUNDS, mulberry32, serve, type Bounds, type Row } from '../helpers/keysetModel.js';

const T0 = Date.UTC(2024, 0, 1);
/** A zone without DST: the state round trip is what is tested here, not time zones. */
const utcZone = { wallToUtc: (v: number) => v, utcToWall: (v: number) => v, isAmbiguous: () => false };

interface Unit {
  slice: Slice;
  fanPage?: number;
  /** The server's answer, taken when the request was sent; processed later in any order. */
  answer?: { request: PageRequest; page: Row[]; total: number };
}

interface Options {
  bounds: Bounds;
  pageSize: number;
  maxReaders: number;
  rand: () => number;
  /** Called before each server answer: edits rows (modifications move them to the present). */
  mutate?: () => void;
  /** Stop after this many processed pages (a kill); undefined = run to the end. */
  killAfter?: number;
  /** A broken fan that trusts every page as contiguous, ignoring totals: the mutant that must fail. */
  trustingMutant?: boolean;
}

/**
 * One sync of the window ending at `windowEnd`, as readSlices runs it: readers take a fan's pages or a slice to
 * read by keyset, requests are answered when sent and processed in a random interleaving; a checkpoint after
 * every processed page. Returns what was emitted and the last checkpoint (what a resumed sync would get).
 */
function slicedSync(rows: Row[], windowEnd: number, plan: ResumePlan, opts: Options) {
  const { pageSize, rand } = opts;
  const set = new SliceSet(plan, windowEnd - 1000);
  const units: Unit[] = [];
  const reading = new Set<Slice>();
  const emitted: number[] = [];
  let checkpoint: ResumePlan = set.checkpoint();
  let processed = 0;
  let requests = 0;
  const claim = (): Unit | undefined => set.claim(reading);
  const save = () => {
    // Every checkpoint goes through the real serialisation and reads back as what resuming gets.
    const state = JSON.parse(JSON.stringify(checkedState(set.checkpoint(), 'modifyDate', utcZone))) as unknown;
    checkpoint = resumePoint(state, 'orders', 'modifyDate', utcZone, undefined).plan;
  };
  for (let step = 0; step < 200_000; step++) {
    if (opts.killAfter !== undefined && processed >= opts.killAfter) return { emitted, checkpoint, requests, killed: true };
    if (units.length < opts.maxReaders && (units.length === 0 || rand() < 0.5)) {
      const unit = claim();
      if (unit) units.push(unit);
    }
    if (units.length === 0) break;
    const unit = units[Math.floor(rand() * units.length)]!;
    const slice = unit.slice;
    if (!unit.answer) {
      const request = unit.fanPage === undefined ? planRequest(slice.pos, slice.targetEnd) : { ...slice.fan!.request, page: unit.fanPage };
      if (request === null) {
        set.finish(slice);
        reading.delete(slice);
        units.splice(units.indexOf(unit), 1);
        save();
        continue;
      }
      opts.mutate?.();
      requests++;
      const { page, total } = serve(rows, request, pageSize, opts.bounds);
      unit.answer = { request, page: page.map((r) => ({ ...r })), total };
      continue;
    }
    const { request, page, total } = unit.answer;
    unit.answer = undefined;
    const pageRows: PageRow[] = page.map((r) => ({ value: r.value, id: r.id }));
    processed++;
    if (unit.fanPage !== undefined) {
      const fan = slice.fan!;
      const { emit, beyond } = rowsToEmit(fan.start, pageRows, slice.targetEnd);
      for (const i of emit) emitted.push(page[i]!.id);
      const t = opts.trustingMutant ? fan.pages.get(1)!.total : plausibleTotal(total, unit.fanPage, page.length, pageSize);
      set.recordFanPage(slice, unit.fanPage, fanPageOf(pageRows, slice.targetEnd, t, unit.fanPage, pageSize, beyond));
      units.splice(units.indexOf(unit), 1);
      save();
      continue;
    }
    const atStart = request.page === 1 && !slice.pos.group && !slice.pos.skip;
    const out = applyPage(slice.pos, request, pageRows, total, pageSize, slice.targetEnd);
    for (const i of out.emit) emitted.push(page[i]!.id);
    slice.pos = out.next;
    const t = plausibleTotal(total, request.page, page.length, pageSize);
    const pages = t === undefined ? 1 : Math.ceil(t / pageSize);
    if (out.done) set.finish(slice);
    else if (opts.maxReaders > 1 && atStart && !out.next.group && pages > 1) set.startFan(slice, request, { total: t, end: false, idsAtLast: [] }, pages);
    if (out.done || slice.fan) {
      reading.delete(slice);
      units.splice(units.indexOf(unit), 1);
    }
    save();
  }
  if (set.open.length > 0) throw new Error('runaway sliced paging');
  return { emitted, checkpoint, requests, killed: false };
}

const fresh = (from?: number): ResumePlan => ({ frontier: { from, idsAtLast: [] } as KeysetPosition, pending: [] });

describe('sliced reading of one window', () => {
  test('a fan reads every row in the requests of one reader, whole pages only', () => {
    const rand = mulberry32(3);
    const rows: Row[] = Array.from({ length: 5000 }, (_, i) => ({ id: i + 1, value: T0 + Math.floor(rand() * 3_000_000) }));
    const run = slicedSync(rows, T0 + 4_000_000, fresh(), { bounds: 'inclusive', pageSize: 100, maxReaders: 8, rand });
    expect(new Set(run.emitted).size).toBe(5000);
    expect(run.emitted).toHaveLength(5000);
    expect(run.requests).toBe(50);
    // Collapsed: nothing pending, the frontier at the last value read.
    expect(run.checkpoint.pending).toEqual([]);
    expect(run.checkpoint.frontier.lastValue).toBe(Math.max(...rows.map((r) => r.value)));
  });

  test.each(BOUNDS)('randomised schedules with edits, kills and resumes lose nothing (%s bounds)', (bounds) => {
    let resumedWithSlices = 0;
    for (let seed = 1; seed <= 30; seed++) {
      const rand = mulberry32(seed * 7 + bounds.length);
      const n = 300 + Math.floor(rand() * 1500);
      const bulk = rand() < 0.3;
      const rows: Row[] = Array.from({ length: n }, (_, i) => ({
        id: i + 1,
        value: bulk && i % 4 === 0 ? T0 + 777_000 : T0 + Math.floor(rand() * 2_000) * 1000 + (rand() < 0.5 ? 0 : Math.floor(rand() * 1000)),
      }));
      const original = new Map(rows.map((r) => [r.id, r.value]));
      const windowEnd = T0 + 2_500_000;
      let clock = windowEnd + 5000;
      const modified = new Set<number>();
      const mutate = () => {
        if (rand() < 0.7) return;
        const candidates = bulk && rand() < 0.5 ? rows.filter((r) => r.value === T0 + 777_000) : rows;
        const row = candidates[Math.floor(rand() * candidates.length)];
        if (!row) return;
        row.value = clock;
        clock += 7;
        modified.add(row.id);
      };
      const pageSize = [20, 50, 100][seed % 3]!;
      const opts = { bounds, pageSize, maxReaders: 1 + (seed % 6), rand, mutate };
      const got = new Set<number>();
      let plan = fresh();
      // Up to three kills, then a run to the end; each resumes from the last checkpoint with a later window.
      let end = windowEnd;
      for (let attempt = 0; ; attempt++) {
        const kill = attempt < 3 && rand() < 0.7 ? 1 + Math.floor(rand() * 30) : undefined;
        const run = slicedSync(rows, end, plan, { ...opts, killAfter: kill });
        for (const id of run.emitted) got.add(id);
        plan = run.checkpoint;
        if (!run.killed) break;
        if (plan.pending.length > 0) resumedWithSlices++;
        end += 1000;
      }
      for (const row of rows) {
        // Rows not edited must all arrive; edited ones too if they were edited before the last window's end.
        if (!modified.has(row.id) && original.get(row.id)! < windowEnd - 1000) expect(got.has(row.id)).toBe(true);
        if (!got.has(row.id)) expect(row.value).toBeGreaterThanOrEqual(end - 1000);
      }
    }
    // The schedules must exercise resuming with ranges still open, or this proves less than it says.
    expect(resumedWithSlices).toBeGreaterThan(5);
  });

  test('mutant: a fan that trusts pages without comparing totals loses rows when rows leave (the test above can fail)', () => {
    let lost = 0;
    for (let seed = 1; seed <= 10; seed++) {
      const rand = mulberry32(seed);
      const rows: Row[] = Array.from({ length: 3000 }, (_, i) => ({ id: i + 1, value: T0 + Math.floor(rand() * 600) * 1000 }));
      const before = new Set(rows.filter((r) => r.value < T0 + 600_000).map((r) => r.id));
      let clock = T0 + 800_000;
      const mutate = () => {
        if (rand() < 0.5) return;
        const row = rows[Math.floor(rand() * rows.length)]!;
        before.delete(row.id);
        row.value = clock++;
      };
      const run = slicedSync(rows, T0 + 700_000, fresh(), { bounds: 'inclusive', pageSize: 50, maxReaders: 6, rand, mutate, trustingMutant: true });
      const got = new Set(run.emitted);
      lost += [...before].filter((id) => !got.has(id)).length;
    }
    expect(lost).toBeGreaterThan(0);
  });

  test('a fan’s checkpoint: gaps where pages are missing or totals differ, the rest after the last page', () => {
    const set = new SliceSet(fresh(T0), T0 + 99_000);
    const top = set.top;
    top.pos = { from: T0 + 10_000, lastValue: T0 + 10_500, idsAtLast: [1] };
    set.startFan(top, { from: T0 - 1000, to: T0 + 100_000, page: 1 }, { total: 400, end: false, idsAtLast: [] }, 4);
    expect([set.claimFanPage(top), set.claimFanPage(top), set.claimFanPage(top), set.claimFanPage(top)]).toEqual([2, 3, 4, undefined]);
    // Page 3 answers first: pages 2 is a gap up to page 3's first second, the rest continues after page 3.
    set.recordFanPage(top, 3, { total: 400, end: false, first: T0 + 30_200, last: T0 + 40_700, idsAtLast: [9] });
    expect(set.checkpoint()).toEqual({
      frontier: { from: T0 + 40_000, lastValue: T0 + 40_700, idsAtLast: [9] },
      pending: [{ pos: { from: T0 + 10_000, lastValue: T0 + 10_500, idsAtLast: [1] }, targetEnd: T0 + 30_000 }],
    });
    // Page 2 with the same total closes the gap; page 4 with a smaller total (a row left) leaves one before it.
    set.recordFanPage(top, 2, { total: 400, end: false, first: T0 + 11_000, last: T0 + 29_000, idsAtLast: [5] });
    set.recordFanPage(top, 4, { total: 399, end: true, first: T0 + 41_000, last: T0 + 50_000, idsAtLast: [12] });
    // Settled: the gap before page 4 is a slice of its own; nothing after page 4 (it ended the rows).
    expect(top.fan).toBeUndefined();
    expect(set.checkpoint()).toEqual({
      frontier: { from: T0 + 50_000, lastValue: T0 + 50_000, idsAtLast: [12] },
      pending: [{ pos: { from: T0 + 40_000, lastValue: T0 + 40_700, idsAtLast: [9] }, targetEnd: T0 + 41_000 }],
    });
    expect(top.done).toBe(true);
  });

  test('a resumed plan reads its pending ranges and the frontier up to the new window end', () => {
    const plan: ResumePlan = { frontier: { from: T0 + 50_000, idsAtLast: [] }, pending: [{ pos: { from: T0 + 10_000, idsAtLast: [] }, targetEnd: T0 + 19_000 }] };
    const set = new SliceSet(plan, T0 + 99_000);
    expect(set.slices.map((s) => [s.pos.from, s.targetEnd])).toEqual([
      [T0 + 10_000, T0 + 19_000],
      [T0 + 50_000, T0 + 99_000],
    ]);
  });

  test('a finished top slice that read nothing leaves the frontier at the highest value read below it', () => {
    const plan: ResumePlan = { frontier: { from: T0 + 50_000, idsAtLast: [] }, pending: [{ pos: { from: T0 + 10_000, idsAtLast: [] }, targetEnd: T0 + 49_000 }] };
    const set = new SliceSet(plan, T0 + 99_000);
    const lower = set.slices[0]!;
    lower.pos = { from: T0 + 40_000, lastValue: T0 + 40_500, idsAtLast: [7] };
    set.finish(lower);
    set.finish(set.top);
    expect(set.checkpoint()).toEqual({ frontier: { from: T0 + 40_000, lastValue: T0 + 40_500, idsAtLast: [7] }, pending: [] });
  });
});

describe('readers in flight', () => {
  const base: Capacity = { inFlight: 0, queued: 0, maxConcurrent: 40, latencyMs: 2500 };

  test('as many as the work left, up to max_concurrency', () => {
    expect(spareReaders({ ...base, inFlight: 1 }, 23)).toBe(22);
    expect(spareReaders({ ...base, inFlight: 10, queued: 30 }, 500)).toBe(0);
    expect(spareReaders({ ...base, maxConcurrent: 4 }, 30)).toBe(4);
  });

  test('a fast network and a slower process: more readers only hold more pages in memory', () => {
    // A few keep the server and this process busy at once; beyond that, pages would just wait in memory.
    expect(spareReaders({ ...base, latencyMs: 15 }, 200, 30)).toBe(MIN_IN_FLIGHT);
    expect(spareReaders({ ...base, latencyMs: 400 }, 200, 40)).toBe(11);
    expect(spareReaders({ ...base, latencyMs: 2500 }, 200, 30)).toBe(40);
  });

  test('one request until a response tells the latency', () => {
    expect(spareReaders({ ...base, latencyMs: undefined }, 30)).toBe(1);
  });

  test("the first, cold page counts at half: 2.5 s pages after a 120 ms first page fan out in one wave", () => {
    const pacer = new Pacer(() => base);
    pacer.report('orders', 24);
    pacer.processed(120);
    // Counted at full, 120 ms would allow ⌈2500 / 120⌉ + 1 = 22 of the 23 pages left: a second wave, 2.5 s later.
    expect(pacer.spare()).toBe(24);
    // At zero latency the floor still holds the first widening to a few.
    const fast = new Pacer(() => ({ ...base, latencyMs: 5 }));
    fast.report('orders', 200);
    fast.processed(120);
    expect(fast.spare()).toBe(MIN_IN_FLIGHT);
    // Warm pages then steer it: 60 ms on average → ⌈2500 / 60⌉ + 1 = 43, bounded by max_concurrency.
    pacer.processed(60);
    pacer.report('orders', 200);
    expect(pacer.spare()).toBe(40);
  });
});
