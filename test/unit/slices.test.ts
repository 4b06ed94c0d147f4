// The sliced reader's planner under a hostile server: pages answered in any order, rows modified, moved inside
// the window, deleted and inserted between two answers, ties coming back in another order on every request,
// kills and resumes. What must hold whatever the server's clock does: no row that stays put is ever missed.
import { describe, expect, test } from '@jest/globals';
import type { KeysetPosition } from '../../src/engine/plan/keyset.js';
import type { PageRequest, PageRow } from '../../src/engine/plan/page.js';
import { planFanLinks, FAN_OVERLAP } from '../../src/engine/plan/fanPlan.js';
import { SliceSet, type FanPage, type ResumePlan, type Slice } from '../../src/engine/plan/slices.js';
import { MIN_IN_FLIGHT, spareReaders, type ReaderCapacity } from '../../src/engine/plan/parallelism.js';
import { Pacer } from '../../src/engine/read/pacer.js';
import { checkedState, resumePoint } from '../../src/engine/plan/streamState.js';
import { BOUNDS, mulberry32, serve, type Bounds, type Row } from '../helpers/keysetModel.js';

const T0 = Date.UTC(2024, 0, 1);
/** A zone without DST: the state round trip is what is tested here, not time zones. */
const utcZone = { wallToUtc: (v: number) => v, utcToWall: (v: number) => v, isAmbiguous: () => false };

interface Unit {
  slice: Slice;
  link?: number;
  /** The server's answer, taken when the request was sent; processed later in any order. */
  answer?: { request: PageRequest; page: Row[]; total: number };
}

interface Options {
  bounds: Bounds;
  pageSize: number;
  maxReaders: number;
  rand: () => number;
  /** Called before each server answer: edits, moves, deletes or inserts rows. */
  mutate?: () => void;
  /** Ties in a fresh order on every answer. */
  unstableTies?: boolean;
  /** Stop after this many processed pages (a kill); undefined = run to the end. */
  killAfter?: number;
  /** A broken fan that trusts every page as meeting its neighbour: the mutant that must fail. */
  trustingMutant?: boolean;
}

/**
 * One sync of the window ending at `windowEnd`, as the reader runs it: readers take a fan's links or a slice to
 * read by keyset, requests are answered when sent and processed in a random interleaving; a checkpoint after
 * every processed page, through the real serialisation. Returns what was emitted and the last checkpoint.
 */
function slicedSync(rows: Row[], windowEnd: number, plan: ResumePlan, opts: Options) {
  const { pageSize, rand } = opts;
  const set = new SliceSet(plan, windowEnd - 1000, opts.trustingMutant ? () => true : undefined);
  const units: Unit[] = [];
  const reading = new Set<Slice>();
  const emitted: number[] = [];
  /** Heads of link pages held until the link before answers, as the reader keeps them. */
  const held = new Map<object, Map<number, Row[]>>();
  let checkpoint: ResumePlan = set.checkpoint();
  let processed = 0;
  let requests = 0;
  const save = () => {
    const state = JSON.parse(JSON.stringify(checkedState(set.checkpoint(), 'modifyDate', utcZone))) as unknown;
    checkpoint = resumePoint(state, 'orders', 'modifyDate', utcZone, undefined).plan;
  };
  const release = (unit: Unit) => {
    reading.delete(unit.slice);
    units.splice(units.indexOf(unit), 1);
  };
  for (let step = 0; step < 400_000; step++) {
    if (opts.killAfter !== undefined && processed >= opts.killAfter)
      return { emitted, checkpoint, requests, killed: true, midFan: set.open.some((s) => s.fan) };
    if (units.length < opts.maxReaders && (units.length === 0 || rand() < 0.8)) {
      const unit = set.claim(reading);
      if (unit) units.push(unit);
    }
    if (units.length === 0) break;
    const unit = units[Math.floor(rand() * units.length)]!;
    const slice = unit.slice;
    if (!unit.answer) {
      const request = unit.link === undefined ? set.nextRequest(slice) : set.linkRequest(slice, unit.link);
      if (request === null) {
        release(unit);
        save();
        continue;
      }
      opts.mutate?.();
      requests++;
      const { page, total } = serve(rows, request, pageSize, opts.bounds, opts.unstableTies ? rand : undefined);
      unit.answer = { request, page: page.map((r) => ({ ...r })), total };
      continue;
    }
    const { request, page, total } = unit.answer;
    unit.answer = undefined;
    const pageRows: PageRow[] = page.map((r) => ({ value: r.value, id: r.id }));
    processed++;
    if (unit.link !== undefined) {
      const fan = slice.fan!;
      const step = set.applyLinkPage(slice, unit.link, pageRows, total, pageSize);
      for (const i of step.emit) emitted.push(page[i]!.id);
      if (step.hold.length > 0)
        held.set(fan, new Map([...(held.get(fan) ?? []), [unit.link, step.hold.map((i) => page[i]!)]]));
      for (const { link, repeated } of step.release) {
        const waiting = held.get(fan)?.get(link) ?? [];
        held.get(fan)?.delete(link);
        for (const row of waiting) if (!repeated({ id: row.id, value: row.value })) emitted.push(row.id);
      }
      release(unit);
    } else {
      const out = set.applyKeysetPage(slice, request, pageRows, total, pageSize, opts.maxReaders > 1);
      for (const i of out.emit) emitted.push(page[i]!.id);
      if (slice.done || out.fanned) release(unit);
    }
    save();
  }
  if (set.open.length > 0) throw new Error('runaway sliced paging');
  return { emitted, checkpoint, requests, killed: false, midFan: false };
}

const fresh = (from?: number): ResumePlan => ({ frontier: { from, idsAtLast: [] } as KeysetPosition, pending: [] });

/** Rows at random seconds (half with a fraction), some sharing exact values. */
function randomRows(rand: () => number, n: number, seconds: number, tieShare = 0): Row[] {
  const rows: Row[] = [];
  for (let i = 0; i < n; i++) {
    const tie = i > 0 && rand() < tieShare;
    rows.push({
      id: i + 1,
      value: tie
        ? rows[i - 1]!.value
        : T0 + Math.floor(rand() * seconds) * 1000 + (rand() < 0.5 ? 0 : Math.floor(rand() * 1000)),
    });
  }
  return rows;
}

/**
 * Changes a server makes between two answers, none of them respecting the window: modifications stamped after
 * the window (leaves), moves to a random place inside it (a clock behind ours, the fall-back hour), deletions
 * and insertions anywhere. Returns the ids it touched: only untouched rows are owed to this sync.
 */
function hostileChanges(rows: Row[], rand: () => number, windowEnd: number, rate: number, perRequest = 1) {
  const touched = new Set<number>();
  let nextId = 1_000_000;
  let clock = windowEnd + 5000;
  const mutate = () => {
    for (let k = 1; k < perRequest; k++) change();
    change();
  };
  const change = () => {
    if (rand() > rate) return;
    const kind = rand();
    const index = Math.floor(rand() * rows.length);
    const row = rows[index];
    if (kind < 0.3 && row) {
      row.value = clock;
      clock += 7;
      touched.add(row.id);
    } else if (kind < 0.6 && row) {
      row.value = T0 + Math.floor(rand() * (windowEnd - T0 - 2000));
      touched.add(row.id);
    } else if (kind < 0.8 && row) {
      rows.splice(index, 1);
      touched.add(row.id);
    } else {
      const id = nextId++;
      rows.push({ id, value: T0 + Math.floor(rand() * (windowEnd - T0 - 2000)) });
      touched.add(id);
    }
  };
  return { touched, mutate };
}

describe('sliced reading of one window', () => {
  test('a fan reads every row in about one request per page, each link overlapping the one before', () => {
    const rand = mulberry32(3);
    const rows = randomRows(rand, 5000, 3000);
    const run = slicedSync(rows, T0 + 4_000_000, fresh(), { bounds: 'inclusive', pageSize: 100, maxReaders: 8, rand });
    expect(new Set(run.emitted).size).toBe(5000);
    // The rows each link repeats of the one before are emitted once.
    expect(run.emitted).toHaveLength(5000);
    // Each link brings pageSize − overlap new rows (1 + ⌈4900 / 97⌉ = 52 against 50 pages without overlap), a
    // few less where a start filter falls on an occupied second (this data holds 1.7 rows a second).
    expect(run.requests).toBeLessThanOrEqual(1 + Math.ceil((5000 - 100) / (100 - FAN_OVERLAP)) + 3);
    expect(run.checkpoint.pending).toEqual([]);
    expect(run.checkpoint.frontier.lastValue).toBe(Math.max(...rows.map((r) => r.value)));
  });

  test.each(BOUNDS)(
    'randomised hostile schedules with kills and resumes lose no row that stayed put (%s bounds)',
    (bounds) => {
      let resumedMidFan = 0;
      let resumedWithSlices = 0;
      for (let seed = 1; seed <= 30; seed++) {
        const rand = mulberry32(seed * 7 + bounds.length);
        const n = 300 + Math.floor(rand() * 1500);
        const rows = randomRows(rand, n, 2000, rand() < 0.3 ? 0.4 : 0.01);
        const original = new Map(rows.map((r) => [r.id, r.value]));
        const windowEnd = T0 + 2_500_000;
        const { touched, mutate } = hostileChanges(rows, rand, windowEnd, 0.4);
        const pageSize = [20, 50, 100][seed % 3]!;
        const opts = { bounds, pageSize, maxReaders: 1 + (seed % 6), rand, mutate, unstableTies: seed % 4 === 0 };
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
          if (run.midFan) resumedMidFan++;
          if (plan.pending.length > 0) resumedWithSlices++;
          end += 1000;
        }
        for (const [id, value] of original)
          if (!touched.has(id) && value < windowEnd - 1000) expect([seed, id, got.has(id)]).toEqual([seed, id, true]);
      }
      // The schedules must exercise resuming in the middle of fans, with ranges still open, or this proves less
      // than it says.
      expect(resumedMidFan).toBeGreaterThan(10);
      expect(resumedWithSlices).toBeGreaterThan(0);
    },
  );

  test('rows modified while the window is read, stamped after it, all arrive by the next sync', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const rand = mulberry32(seed);
      const rows = randomRows(rand, 1500, 2000, 0.02);
      const windowEnd = T0 + 2_100_000;
      let clock = windowEnd + 500;
      const mutate = () => {
        if (rand() < 0.5) return;
        rows[Math.floor(rand() * rows.length)]!.value = clock;
        clock += 3;
      };
      const opts = { bounds: BOUNDS[seed % 4]!, pageSize: 50, maxReaders: 6, rand, mutate };
      const first = slicedSync(rows, windowEnd, fresh(), opts);
      const second = slicedSync(rows, clock + 2000, first.checkpoint, { ...opts, mutate: undefined });
      const got = new Set([...first.emitted, ...second.emitted]);
      for (const row of rows) expect(got.has(row.id)).toBe(true);
    }
  });

  test('mutant: a fan that trusts its pages to meet without an overlap loses rows when rows move (the tests above can fail)', () => {
    let lost = 0;
    for (let seed = 1; seed <= 10; seed++) {
      const rand = mulberry32(seed);
      const rows = randomRows(rand, 3000, 600);
      const windowEnd = T0 + 700_000;
      const { touched, mutate } = hostileChanges(rows, rand, windowEnd, 0.5, 6);
      const before = new Map(rows.map((r) => [r.id, r.value]));
      const run = slicedSync(rows, windowEnd, fresh(), {
        bounds: 'inclusive',
        pageSize: 50,
        maxReaders: 6,
        rand,
        mutate,
        trustingMutant: true,
      });
      const got = new Set(run.emitted);
      lost += [...before].filter(([id, value]) => !touched.has(id) && value < windowEnd - 1000 && !got.has(id)).length;
    }
    expect(lost).toBeGreaterThan(0);
  });

  test('a fan’s checkpoint: gaps where links are missing or do not overlap, the rest after the highest proven row', () => {
    const set = new SliceSet(fresh(T0), T0 + 99_000);
    const top = set.top;
    top.pos = { from: T0 + 10_000, lastValue: T0 + 10_500, idsAtLast: [1] };
    const page = (first: number, last: number, ids: number[], end = false): FanPage => ({
      end,
      first: T0 + first,
      last: T0 + last,
      idsAtLast: ids,
    });
    set.startFan(top, { from: T0 - 1000, to: T0 + 100_000, page: 1 }, page(0, 10_500, [1]), [
      { from: T0 + 9000, page: 1 },
      { from: T0 + 8000, page: 2 },
      { from: T0 + 7000, page: 3 },
    ]);
    expect([set.claimLink(top), set.claimLink(top), set.claimLink(top), set.claimLink(top)]).toEqual([
      0,
      1,
      2,
      undefined,
    ]);
    // Link 1 answers first: link 0's stretch is a gap up to link 1's first second, the rest continues after link 1.
    set.recordFanPage(top, 1, page(30_200, 40_700, [9]));
    expect(set.checkpoint()).toEqual({
      frontier: { from: T0 + 40_000, lastValue: T0 + 40_700, idsAtLast: [9] },
      pending: [{ pos: { from: T0 + 10_000, lastValue: T0 + 10_500, idsAtLast: [1] }, targetEnd: T0 + 30_000 }],
    });
    // Link 0 overlaps page 1 and link 1: no gap. Link 2 starts after link 1's last row: a gap before it.
    set.recordFanPage(top, 0, page(10_400, 30_300, [5]));
    set.recordFanPage(top, 2, page(41_000, 50_000, [12], true));
    // Settled: the gap before link 2 is a slice of its own; nothing after link 2 (it ended the rows).
    expect(top.fan).toBeUndefined();
    expect(set.checkpoint()).toEqual({
      frontier: { from: T0 + 50_000, lastValue: T0 + 50_000, idsAtLast: [12] },
      pending: [{ pos: { from: T0 + 40_000, lastValue: T0 + 40_700, idsAtLast: [9] }, targetEnd: T0 + 41_000 }],
    });
    expect(top.done).toBe(true);
  });

  test('equal values at a seam prove nothing: the seam is read again by keyset', () => {
    const set = new SliceSet(fresh(T0), T0 + 99_000);
    const top = set.top;
    top.pos = { from: T0 + 10_000, lastValue: T0 + 10_500, idsAtLast: [1] };
    set.startFan(top, { to: T0 + 100_000, page: 1 }, { end: false, first: T0, last: T0 + 10_500, idsAtLast: [1] }, [
      { from: T0 + 9000, page: 1 },
    ]);
    set.claimLink(top);
    set.recordFanPage(top, 0, { end: true, first: T0 + 10_500, last: T0 + 20_000, idsAtLast: [4] });
    expect(set.checkpoint().pending).toEqual([
      { pos: { from: T0 + 10_000, lastValue: T0 + 10_500, idsAtLast: [1] }, targetEnd: T0 + 10_000 },
    ]);
  });

  test('a resumed plan reads every pending range to its own end, even past the new window end (clock moved back, end_date)', () => {
    const plan: ResumePlan = {
      frontier: { from: T0 + 150_000, lastValue: T0 + 150_200, idsAtLast: [3] },
      pending: [
        { pos: { from: T0 + 10_000, idsAtLast: [] }, targetEnd: T0 + 19_000 },
        { pos: { from: T0 + 100_000, idsAtLast: [] }, targetEnd: T0 + 140_000 },
      ],
    };
    const set = new SliceSet(plan, T0 + 99_000);
    expect(set.slices.map((s) => [s.pos.from, s.targetEnd])).toEqual([
      [T0 + 10_000, T0 + 19_000],
      [T0 + 100_000, T0 + 140_000],
      [T0 + 150_000, T0 + 99_000],
    ]);
    // The top slice has nothing to read; the frontier it stored stays where it was.
    expect(set.nextRequest(set.top)).toBeNull();
    expect(set.checkpoint().frontier).toEqual(plan.frontier);
    expect(set.checkpoint().pending).toHaveLength(2);
  });

  test('a resume whose window ends earlier than its pending ranges loses nothing (kills, then a window ending before them)', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const rand = mulberry32(seed + 900);
      const rows = randomRows(rand, 1200, 3000);
      const opts = { bounds: 'inclusive' as const, pageSize: 20, maxReaders: 6, rand };
      const killed = slicedSync(rows, T0 + 3_100_000, fresh(), { ...opts, killAfter: 5 + Math.floor(rand() * 20) });
      // The next run's clock is two minutes behind the first one's, and an end_date cuts deeper still.
      const back = slicedSync(rows, T0 + 1_000_000, killed.checkpoint, opts);
      const last = slicedSync(rows, T0 + 3_100_000, back.checkpoint, opts);
      const got = new Set([...killed.emitted, ...back.emitted, ...last.emitted]);
      for (const row of rows) expect([seed, row.id, got.has(row.id)]).toEqual([seed, row.id, true]);
    }
  });
});

describe('fan links', () => {
  test('each link starts a couple of rows before the previous one ends, through start filters on empty seconds', () => {
    const values = Array.from({ length: 100 }, (_, i) => T0 + i * 3000 + (i % 2) * 250);
    const links = planFanLinks(values, T0 - 1000, 100, 1000);
    // Row offsets each link starts at: the skipped rows plus whole pages.
    const starts = links.map(
      (l) =>
        (l.from === T0 - 1000 ? 0 : values.findIndex((v) => Math.floor(v / 1000) * 1000 >= l.from!)) +
        (l.page - 1) * 100,
    );
    let end = 100;
    for (const start of starts) {
      expect(start).toBe(end - FAN_OVERLAP);
      end = start + 100;
    }
    expect(end).toBeGreaterThanOrEqual(1000);
    // The start filters lie on seconds no row of page 1 occupies.
    for (const link of links) expect(values.some((v) => Math.floor(v / 1000) * 1000 === link.from)).toBe(false);
  });

  test('rows crowded into one second leave no place for a filter: no fan, keyset reads on', () => {
    const values = Array.from({ length: 100 }, (_, i) => T0 + i);
    expect(planFanLinks(values, T0 - 1000, 100, 1000)).toEqual([]);
  });

  test('page 1 ending in a run of one value (a bulk edit) plans no first link inside the run: it could not prove it meets', () => {
    // Two rows, then 98 sharing one value: a link starting among them repeats only that value.
    const values = [T0, T0 + 2000, ...Array.from({ length: 98 }, () => T0 + 60_000)];
    const links = planFanLinks(values, T0 - 1000, 100, 400);
    const first = links[0];
    if (first) {
      const start =
        values.findIndex((v) => first.from === T0 - 1000 || Math.floor(v / 1000) * 1000 >= first.from!) +
        (first.page - 1) * 100;
      expect(values[start]!).toBeLessThan(T0 + 60_000);
    }
  });

  test('a filter on an occupied second is planned for either reading: the link overlaps however the server reads it', () => {
    // Two rows in every second: a filter on a second skips the rows before it, and maybe its own two.
    const values = Array.from({ length: 100 }, (_, i) => T0 + Math.floor(i / 2) * 1000 + (i % 2) * 500);
    const links = planFanLinks(values, T0 - 1000, 100, 400);
    let end = 100;
    for (const link of links) {
      const least = values.findIndex((v) => v >= link.from!) + (link.page - 1) * 100;
      const most = values.findIndex((v) => v >= link.from! + 1000) + (link.page - 1) * 100;
      expect(most).toBeLessThanOrEqual(end - FAN_OVERLAP);
      end = least + 100;
    }
    expect(end).toBeGreaterThanOrEqual(400);
  });
});

describe('readers in flight', () => {
  /** Mid-read: the window has 10 requests left of 40, fewer than the work needs. */
  const base: ReaderCapacity = { inFlight: 0, queued: 0, maxConcurrent: 40, latencyMs: 2500, available: 10, limit: 40 };

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

  test('the last window: its requests are queued for its opening, whatever this process’s pace', () => {
    // While the window has budget, the process's pace holds, even when the rest would fit: with a budget that
    // never binds, it is what bounds the pages held in memory.
    expect(spareReaders({ ...base, latencyMs: 15, available: 1000 }, 30, 30)).toBe(MIN_IN_FLIGHT);
    // The window is spent: what the next one carries waits in the queue for its opening.
    const spent = { ...base, available: 0, limit: 200, maxConcurrent: 200 };
    expect(spareReaders(spent, 120, 200)).toBe(120);
    // Pages in flight are counted in the spent window, not the next.
    expect(spareReaders({ ...spent, inFlight: 30 }, 230, 200)).toBe(170);
    expect(spareReaders({ ...spent, inFlight: 30 }, 231, 200)).toBe(0);
    // More than the next window carries: paced to this process again, ⌈2500 / 200⌉ + 1 = 14.
    expect(spareReaders(spent, 320, 200)).toBe(14);
    // Still bounded by max_concurrency, and one request until the latency is known.
    expect(spareReaders({ ...spent, maxConcurrent: 40 }, 120, 200)).toBe(40);
    expect(spareReaders({ ...spent, latencyMs: undefined }, 120)).toBe(1);
  });

  test('one request until a response tells the latency', () => {
    expect(spareReaders({ ...base, latencyMs: undefined }, 30)).toBe(1);
  });

  test('the first, cold page counts at half: 2.5 s pages after a 120 ms first page fan out in one wave', () => {
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
