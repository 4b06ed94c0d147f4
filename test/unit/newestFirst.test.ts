// The newest-first planner (src/engine/plan/newestFirst.ts) against a model server: rows sorted by value newest
// first, pages cut by page number and size, with rows removed, modified (to the top) and created between any two
// answers, ties in a new order on every answer and pages cut short. Whatever happens, every row that stayed
// unchanged through the read with a value at or above the floor must have been on some page; or the walk says it
// cannot prove so (a fallback or a TransientError) and the caller reads otherwise. Plus the state and the decision.
import { describe, expect, test } from '@jest/globals';
import {
  applyHeadPage,
  headFloor,
  newestFirstState,
  parseNewestFirstState,
  planNewestFirst,
  startHeadWalk,
  type HeadStep,
} from '../../src/engine/plan/newestFirst.js';
import type { PageRow } from '../../src/engine/plan/page.js';
import { linkStart } from '../../src/engine/plan/pageChain.js';
import { ConfigError, ServerFault, TransientError } from '../../src/errors.js';
import { DEFAULT_FULL_PASS_HOURS, fullPassDue } from '../../src/fullPass.js';
import { pacificZone } from '../../src/time/pacificZone.js';
import { readFileSync } from 'node:fs';

/** A small seeded PRNG (mulberry32). */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Row {
  id: number;
  value: number;
}

/** Newest first; ties in an order drawn for this answer. */
function sorted(rows: Row[], random: () => number): Row[] {
  const keyed = rows.map((r) => ({ r, k: random() }));
  keyed.sort((a, b) => b.r.value - a.r.value || a.k - b.k);
  return keyed.map((x) => x.r);
}

interface World {
  rows: Row[];
  nextId: number;
  now: number;
}

/** Runs a walk to its end against `world`, changing it before each answer; returns the ids served and the outcome. */
function walkOver(
  world: World,
  floor: number,
  size: number,
  change: (world: World, request: number) => void,
  answer: (rows: Row[], request: number) => Row[] = (rows) => rows,
  random = rng(1),
) {
  let walk = startHeadWalk(size, floor);
  const seen = new Set<number>();
  for (let request = 1; request <= 500; request++) {
    change(world, request);
    const order = sorted(world.rows, random);
    const start = linkStart(walk.next);
    const page = answer(order.slice(start, start + walk.next.size), request);
    for (const r of page) seen.add(r.id);
    let step: HeadStep;
    try {
      step = applyHeadPage(walk, page as PageRow[]);
    } catch (err) {
      if (err instanceof TransientError || err instanceof ServerFault)
        return { seen, outcome: 'stopped', requests: request };
      throw err;
    }
    if (step.kind !== 'next') return { seen, outcome: step.kind, requests: request };
    walk = step.walk;
  }
  throw new Error('the walk did not end');
}

function world(count: number, random: () => number, spread = 1000): World {
  const rows = Array.from({ length: count }, (_, i) => ({ id: i + 1, value: Math.floor(random() * spread) * 1000 }));
  return { rows, nextId: count + 1, now: spread * 1000 };
}

describe('a walk with nothing changing', () => {
  test('stops at the first page reaching below the floor: one request when nothing changed', () => {
    const w = world(1000, rng(2));
    const floor = w.now; // nothing at or above
    expect(walkOver(w, floor, 100, () => {}).requests).toBe(1);
  });

  test('reads exactly down past the floor, and every row at or above it', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const random = rng(seed);
      const w = world(300 + Math.floor(random() * 400), random, 50 + Math.floor(random() * 400));
      const floor = Math.floor(random() * w.now);
      const size = 5 + Math.floor(random() * 60);
      const { seen, outcome } = walkOver(w, floor, size, () => {}, undefined, random);
      if (outcome === 'fallback') continue; // a tie run longer than a page can repeat
      expect(outcome).toBe('done');
      const want = w.rows.filter((r) => r.value >= floor && !seen.has(r.id)).map((r) => r.id);
      expect([seed, want]).toEqual([seed, []]);
    }
  });

  test('equal values across a page edge are read whole, whatever order each answer gives them', () => {
    // 30 rows share the floor's value, across the edge of pages of 80.
    const rows = [
      ...Array.from({ length: 70 }, (_, i) => ({ id: i + 1, value: 9000 - i })),
      ...Array.from({ length: 30 }, (_, i) => ({ id: 100 + i, value: 5000 })),
      ...Array.from({ length: 40 }, (_, i) => ({ id: 200 + i, value: 1000 })),
    ];
    for (let seed = 1; seed <= 50; seed++) {
      const { seen, outcome } = walkOver({ rows, nextId: 999, now: 10_000 }, 5000, 80, () => {}, undefined, rng(seed));
      expect(outcome).toBe('done');
      expect(rows.filter((r) => r.value >= 5000 && !seen.has(r.id))).toEqual([]);
    }
  });

  test('a short last page is the end only once the row after it is not there', () => {
    const w = world(30, rng(3));
    const r = walkOver(w, 0, 100, () => {});
    expect(r.outcome).toBe('done');
    expect(r.requests).toBe(2); // the page, then the one row after it
  });
});

describe('a walk while rows change', () => {
  test('rows removed, modified to the top or created between answers, pages cut short: no unchanged row above the floor is missed', () => {
    let fallbacks = 0;
    let stops = 0;
    for (let seed = 1; seed <= 400; seed++) {
      const random = rng(seed);
      const w = world(400 + Math.floor(random() * 600), random, 300);
      const floor = Math.floor(random() * w.now * 0.8);
      const size = 10 + Math.floor(random() * 50);
      const touched = new Set<number>();
      const rate = random();
      const change = (world: World, request: number) => {
        if (request === 1) return;
        const n = Math.floor(random() * 6 * rate);
        for (let k = 0; k < n && world.rows.length > 0; k++) {
          const i = Math.floor(random() * world.rows.length);
          const kind = random();
          if (kind < 0.4) touched.add(world.rows.splice(i, 1)[0]!.id);
          else if (kind < 0.8) {
            touched.add(world.rows[i]!.id);
            world.rows[i] = { ...world.rows[i]!, value: (world.now += 1000) };
          } else {
            touched.add(world.nextId);
            world.rows.push({ id: world.nextId++, value: (world.now += 1000) });
          }
        }
      };
      const cut = (rows: Row[]) =>
        random() < 0.2 && rows.length > 2 ? rows.slice(0, 1 + Math.floor(random() * (rows.length - 1))) : rows;
      const { seen, outcome } = walkOver(w, floor, size, change, cut, random);
      if (outcome === 'fallback') fallbacks++;
      if (outcome === 'stopped') stops++;
      if (outcome !== 'done') continue;
      const missed = w.rows.filter((r) => r.value >= floor && !touched.has(r.id) && !seen.has(r.id));
      expect([seed, missed]).toEqual([seed, []]);
    }
    // Most walks end by proof, not by giving up.
    expect(fallbacks + stops).toBeLessThan(100);
  });

  test('a row removed from a page already read shifts the rest up: the next page does not meet, and an earlier one is read', () => {
    const rows = Array.from({ length: 100 }, (_, i) => ({ id: i + 1, value: (100 - i) * 1000 }));
    const w = { rows, nextId: 200, now: 101_000 };
    // Before page 2: five rows of page 1 go, so page 2 (planned two rows back) would start three rows too late.
    const { seen, outcome, requests } = walkOver(w, 30_000, 20, (world, request) => {
      if (request === 2) world.rows.splice(0, 5);
    });
    expect(outcome).toBe('done');
    expect(requests).toBeGreaterThan(4);
    expect(w.rows.filter((r) => r.value >= 30_000 && !seen.has(r.id))).toEqual([]);
  });
});

describe('what the pages show about the server', () => {
  test('a page whose values rise is a server ignoring the sort', () => {
    const walk = startHeadWalk(10, 0);
    const step = applyHeadPage(walk, [
      { id: 1, value: 5000 },
      { id: 2, value: 7000 },
    ]);
    expect(step).toMatchObject({ kind: 'fallback', why: 'unsorted' });
  });

  test('a dated row after an undated one breaks the order too; undated rows at the end end the read', () => {
    const walk = startHeadWalk(10, 0);
    expect(
      applyHeadPage(walk, [
        { id: 1, value: null },
        { id: 2, value: 7000 },
      ]),
    ).toMatchObject({ kind: 'fallback', why: 'unsorted' });
    expect(
      applyHeadPage(walk, [
        { id: 1, value: 7000 },
        { id: 2, value: null },
      ]),
    ).toEqual({ kind: 'done' });
  });

  test('a page of one value, all above the floor, cannot be repeated with one more: ties fall back', () => {
    const walk = startHeadWalk(4, 0);
    const rows = [1, 2, 3, 4].map((id) => ({ id, value: 5000 }));
    expect(applyHeadPage(walk, rows)).toMatchObject({ kind: 'fallback', why: 'ties' });
  });

  test('a server ignoring the page number serves page 1 again: a ServerFault', () => {
    const rows = Array.from({ length: 10 }, (_, i) => ({ id: i + 1, value: (100 - i) * 1000 }));
    let walk = startHeadWalk(10, 0);
    const step = applyHeadPage(walk, rows);
    if (step.kind !== 'next') throw new Error('expected a next page');
    walk = step.walk;
    expect(() => applyHeadPage(walk, rows)).toThrow(ServerFault);
  });
});

describe('state and decision', () => {
  const field = 'modifyDate';
  test('a state reads back as itself', () => {
    const position = { windowEnd: Date.UTC(2025, 5, 1, 12), fullPassAt: Date.UTC(2025, 5, 1, 0) };
    const state = newestFirstState(field, position);
    expect(state).toEqual({
      version: 1,
      cursor_field: field,
      window_end: '2025-06-01T12:00:00.000Z',
      full_pass_at: '2025-06-01T00:00:00.000Z',
    });
    expect(parseNewestFirstState(JSON.parse(JSON.stringify(state)), 'customers', field)).toEqual({ position });
  });

  test('no state, {} (what the full refresh wrote) and null are a first sync; the plain form has no full pass', () => {
    for (const raw of [undefined, null, {}]) expect(parseNewestFirstState(raw, 'customers', field)).toEqual({});
    expect(parseNewestFirstState({ modifyDate: '2025-01-01T00:00:00Z' }, 'customers', field)).toEqual({
      position: { windowEnd: Date.UTC(2025, 0, 1) },
    });
  });

  test('malformed states are config errors naming the field', () => {
    expect(() =>
      parseNewestFirstState({ version: 1, cursor_field: field, window_end: 'x' }, 'products', field),
    ).toThrow(new ConfigError(`state for stream 'products'.window_end: not a UTC date-time ("x")`));
    expect(() => parseNewestFirstState({ version: 3 }, 'products', field)).toThrow(ConfigError);
    expect(() => parseNewestFirstState([], 'products', field)).toThrow(ConfigError);
  });

  test('full when first or due; otherwise from the window end less the settle margin', () => {
    const now = Date.UTC(2025, 5, 2);
    expect(planNewestFirst(undefined, 24, 60_000, now)).toEqual({ kind: 'full', why: 'first' });
    const recent = { windowEnd: now - 3_600_000, fullPassAt: now - 3_600_000 };
    expect(planNewestFirst(recent, 24, 60_000, now)).toEqual({ kind: 'head', fromUtc: now - 3_660_000 });
    expect(planNewestFirst(recent, 1, 60_000, now)).toEqual({ kind: 'full', why: 'due' });
    expect(planNewestFirst(recent, 0, 60_000, now)).toEqual({ kind: 'full', why: 'due' });
    expect(planNewestFirst({ windowEnd: now }, 24, 60_000, now)).toEqual({ kind: 'full', why: 'due' });
  });

  test('fullPassDue: an unreadable pass is due, one in the future waits; spec.json has its default', () => {
    const now = Date.UTC(2025, 5, 2);
    expect(fullPassDue('2025-06-01T23:00:00.000Z', 24, now)).toBe(false);
    expect(fullPassDue('2025-06-01T00:00:00.000Z', 24, now)).toBe(true);
    expect(fullPassDue('2099-06-03T00:00:00.000Z', 24, now)).toBe(false);
    expect(fullPassDue('soon', 24, now)).toBe(true);
    const spec = JSON.parse(readFileSync(new URL('../../spec.json', import.meta.url), 'utf8')) as {
      properties: Record<string, { default?: unknown }>;
    };
    expect(spec.properties.full_pass_hours!.default).toBe(DEFAULT_FULL_PASS_HOURS);
  });

  test('the floor inside the DST fall-back hour is the start of that hour', () => {
    // 2025-11-02 01:30 PDT = 08:30Z: ambiguous on the wall.
    expect(headFloor(Date.UTC(2025, 10, 2, 8, 30), pacificZone)).toBe(Date.UTC(2025, 10, 2, 1, 0));
    expect(headFloor(Date.UTC(2025, 5, 2, 8, 30, 12, 345), pacificZone)).toBe(Date.UTC(2025, 5, 2, 1, 30, 12));
  });
});
