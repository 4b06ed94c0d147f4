import { describe, expect, test } from '@jest/globals';
import { applyPage, planRequest, plausibleTotal, type KeysetPosition, type PageRequest, type PageRow } from '../../src/engine/keyset.js';
import { largestSplittable, pagesLeftIn, SliceSet, type ResumePlan, type Slice } from '../../src/engine/slices.js';
import { spareReaders, type Capacity } from '../../src/engine/parallelism.js';
import { spanOf } from '../../src/engine/incremental.js';
import { checkedState, resumePoint } from '../../src/engine/streamState.js';
import { BOUNDS, mulberry32, serve, type Bounds, type Row } from '../helpers/keysetModel.js';

const T0 = Date.UTC(2024, 0, 1);
/** A zone without DST: the state round trip is what is tested here, not time zones. */
const utcZone = { wallToUtc: (v: number) => v, utcToWall: (v: number) => v, isAmbiguous: () => false };

interface Reader {
  slice: Slice;
  /** A request sent and answered by the server, not yet processed by the connector. */
  pending?: { request: PageRequest; page: Row[]; total: number };
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
  /** A broken split that leaves one second between slices unread: the mutant that must fail. */
  gapMutant?: boolean;
}

/**
 * One sync of the window ending at `windowEnd`: readers send and process pages in a random interleaving,
 * slices split at random moments; a checkpoint after every processed page. Returns what was emitted and the
 * last checkpoint (what a resumed sync would get).
 */
function slicedSync(rows: Row[], windowEnd: number, plan: ResumePlan, opts: Options) {
  const { pageSize, rand } = opts;
  const set = new SliceSet(plan, windowEnd - 1000);
  const readers: Reader[] = [];
  const emitted: number[] = [];
  let checkpoint: ResumePlan = set.checkpoint();
  let processed = 0;
  let requests = 0;
  const reading = (s: Slice) => readers.some((r) => r.slice === s);
  const claim = (): Slice | undefined => {
    const free = set.open.find((s) => !reading(s));
    if (free) return free;
    const victim = largestSplittable(set.open, pageSize);
    if (!victim) return undefined;
    const created = set.split(victim, Math.min(pagesLeftIn(victim, pageSize), 2 + Math.floor(rand() * 3)));
    if (opts.gapMutant) for (const s of created) s.pos = { ...s.pos, from: s.pos.from! + 1000 };
    return created[0];
  };
  for (let step = 0; step < 200_000; step++) {
    if (set.open.length === 0) break;
    if (opts.killAfter !== undefined && processed >= opts.killAfter) return { emitted, checkpoint, requests, killed: true };
    // Maybe start another reader.
    if (readers.length < opts.maxReaders && (readers.length === 0 || rand() < 0.3)) {
      const slice = claim();
      if (slice) readers.push({ slice });
    }
    if (readers.length === 0) break;
    const reader = readers[Math.floor(rand() * readers.length)]!;
    if (!reader.pending) {
      const request = planRequest(reader.slice.pos, reader.slice.targetEnd);
      if (request === null) {
        set.finish(reader.slice);
        readers.splice(readers.indexOf(reader), 1);
        checkpoint = set.checkpoint();
        continue;
      }
      opts.mutate?.();
      requests++;
      const { page, total } = serve(rows, request, pageSize, opts.bounds);
      reader.pending = { request, page: page.map((r) => ({ ...r })), total };
      continue;
    }
    const { request, page, total } = reader.pending;
    reader.pending = undefined;
    const slice = reader.slice;
    const pageRows: PageRow[] = page.map((r) => ({ value: r.value, id: r.id }));
    const out = applyPage(slice.pos, request, pageRows, total, pageSize, slice.targetEnd);
    for (const i of out.emit) emitted.push(page[i]!.id);
    slice.pos = out.next;
    const t = plausibleTotal(total, request.page, page.length, pageSize);
    slice.remaining = t === undefined ? undefined : Math.max(0, t - (request.page - 1) * pageSize - page.length);
    slice.lastSpanMs = spanOf(pageRows);
    if (out.done) {
      set.finish(slice);
      readers.splice(readers.indexOf(reader), 1);
    }
    processed++;
    // Every checkpoint goes through the real serialisation and reads back as what resuming gets.
    const state = JSON.parse(JSON.stringify(checkedState(set.checkpoint(), 'modifyDate', utcZone))) as unknown;
    checkpoint = resumePoint(state, 'orders', 'modifyDate', utcZone, undefined).plan;
  }
  if (set.open.length > 0) throw new Error('runaway sliced paging');
  return { emitted, checkpoint, requests, killed: false };
}

const fresh = (from?: number): ResumePlan => ({ frontier: { from, idsAtLast: [] } as KeysetPosition, pending: [] });

describe('sliced reading of one window', () => {
  test('many readers read every row, in about the requests of one reader plus one per slice', () => {
    const rand = mulberry32(3);
    const rows: Row[] = Array.from({ length: 5000 }, (_, i) => ({ id: i + 1, value: T0 + Math.floor(rand() * 3_000_000) }));
    const run = slicedSync(rows, T0 + 4_000_000, fresh(), { bounds: 'inclusive', pageSize: 100, maxReaders: 8, rand });
    expect(new Set(run.emitted).size).toBe(5000);
    expect(run.requests).toBeLessThan(Math.ceil(5000 / 100) * 1.5);
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
    // The schedules must exercise resuming with slices still open, or this proves less than it says.
    expect(resumedWithSlices).toBeGreaterThan(5);
  });

  test('mutant: slices that start one second late lose rows (the test above can fail)', () => {
    let lost = 0;
    for (let seed = 1; seed <= 10; seed++) {
      const rand = mulberry32(seed);
      const rows: Row[] = Array.from({ length: 3000 }, (_, i) => ({ id: i + 1, value: T0 + Math.floor(rand() * 600) * 1000 }));
      const run = slicedSync(rows, T0 + 700_000, fresh(), { bounds: 'inclusive', pageSize: 50, maxReaders: 6, rand, gapMutant: true });
      lost += rows.length - new Set(run.emitted).size;
    }
    expect(lost).toBeGreaterThan(0);
  });

  test('a checkpoint lists the unfinished slices below the frontier and collapses once they finish', () => {
    const set = new SliceSet(fresh(T0), T0 + 99_000);
    set.top.remaining = 1000;
    const created = set.split(set.top, 4);
    expect(created.map((s) => s.pos.from)).toEqual([T0 + 25_000, T0 + 50_000, T0 + 75_000]);
    expect(set.slices.map((s) => s.targetEnd)).toEqual([T0 + 24_000, T0 + 49_000, T0 + 74_000, T0 + 99_000]);
    expect(set.checkpoint().pending).toHaveLength(3);
    expect(set.checkpoint().frontier).toBe(set.top.pos);
    for (const s of [...set.slices]) if (s !== set.top) set.finish(s);
    expect(set.checkpoint()).toEqual({ frontier: set.top.pos, pending: [] });
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
    const set = new SliceSet(fresh(T0), T0 + 99_000);
    set.top.remaining = 1000;
    const [upper] = set.split(set.top, 2);
    const lower = set.slices[0]!;
    lower.pos = { from: T0 + 40_000, lastValue: T0 + 40_500, idsAtLast: [7] };
    set.finish(lower);
    set.finish(upper!);
    expect(set.checkpoint()).toEqual({ frontier: { from: T0 + 40_000, lastValue: T0 + 40_500, idsAtLast: [7] }, pending: [] });
  });
});

describe('readers in flight follow the budget', () => {
  const base: Capacity = { now: 0, limit: 40, windowMs: 60_000, available: 40, windowEndsAt: 60_000, inFlight: 0, queued: 0, maxConcurrent: 16, latencyMs: 2500 };

  test('work that fits the budget goes as wide as the budget’s slack allows', () => {
    // 23 pages left, 40 requests: up to 16 (the cap); the slack (17) covers each new slice's partial page.
    expect(spareReaders({ ...base, inFlight: 1 }, 23)).toBe(15);
    // 38 pages left of 40: two more slices at most, or a third window would be needed.
    expect(spareReaders({ ...base, inFlight: 1, available: 39 }, 38)).toBe(2);
  });

  test('while the budget binds, just enough readers to spend it well before the window resets', () => {
    // 2 × 40 × 2.5 s / 60 s ≈ 3.3 → 5 readers wanted.
    expect(spareReaders({ ...base, inFlight: 2 }, 500)).toBe(3);
    // A spent window plans for the next one.
    expect(spareReaders({ ...base, available: 0, inFlight: 0 }, 500)).toBe(5);
  });

  test('a fast network and a slower process: more readers do not pay', () => {
    expect(spareReaders({ ...base, limit: 1_000_000, available: 1_000_000, latencyMs: 15 }, 200, 30)).toBe(2);
  });

  test('never more than max_concurrency, and none before any latency is known', () => {
    expect(spareReaders({ ...base, maxConcurrent: 4 }, 30)).toBe(4);
    expect(spareReaders({ ...base, latencyMs: undefined }, 30, 20)).toBe(1);
  });
});
