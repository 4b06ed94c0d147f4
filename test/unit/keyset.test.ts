import { describe, expect, test } from '@jest/globals';
import { applyPage, planRequest, MAX_GROUP_RESTARTS, type KeysetPosition, type PageRequest } from '../../src/engine/keyset.js';

interface Row {
  id: number;
  value: number;
}

/** A model of ShipStation's list endpoint: inclusive wall-clock bounds, sorted by (value, id), page numbers. */
function serve(rows: Row[], req: PageRequest, pageSize: number) {
  const matching = rows
    .filter((r) => (req.from === undefined || r.value >= req.from) && r.value <= req.to)
    .sort((a, b) => a.value - b.value || a.id - b.id);
  return { page: matching.slice((req.page - 1) * pageSize, req.page * pageSize), total: matching.length };
}

function mulberry32(seed: number) {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Runs a whole sync; `between` may mutate the table before each request. Returns emitted ids and requests. */
function sync(rows: Row[], windowEnd: number, pageSize: number, start: KeysetPosition = { idsAtLast: [] }, between?: (n: number) => void) {
  let pos = start;
  const emitted: number[] = [];
  let requests = 0;
  for (;;) {
    const req = planRequest(pos, windowEnd);
    if (!req) break;
    between?.(requests);
    requests++;
    const { page, total } = serve(rows, req, pageSize);
    const out = applyPage(pos, req, page, total, pageSize);
    for (const i of out.emit) emitted.push(page[i]!.id);
    pos = out.next;
    if (out.done) break;
    if (requests > 10_000) throw new Error('runaway paging');
  }
  return { emitted, requests, pos };
}

const T0 = Date.UTC(2024, 0, 1);

describe('keyset paging', () => {
  test('reads every row once in ceil(n/pageSize) requests when nothing changes', () => {
    const rows = Array.from({ length: 1234 }, (_, i) => ({ id: i + 1, value: T0 + i * 1500 + (i % 7) }));
    const { emitted, requests } = sync(rows, T0 + 10_000_000, 100);
    expect(new Set(emitted).size).toBe(1234);
    expect(emitted.length).toBe(1234);
    expect(requests).toBeLessThanOrEqual(Math.ceil(1234 / 100) + 1);
  });

  test('an exact multiple of the page size needs no empty page to confirm the end', () => {
    const rows = Array.from({ length: 1000 }, (_, i) => ({ id: i + 1, value: T0 + i * 1000 }));
    const { emitted, requests } = sync(rows, T0 + 10_000_000, 100);
    expect(emitted).toHaveLength(1000);
    // Each page after the first re-reads the boundary row (dropped): 100 + 9 × 99 = 991, the last 9 on page 11; no 12th.
    expect(requests).toBe(11);
  });

  test('a no-change resume costs one request and emits nothing new', () => {
    const rows = Array.from({ length: 300 }, (_, i) => ({ id: i + 1, value: T0 + i * 1000 }));
    const first = sync(rows, T0 + 10_000_000, 100);
    const second = sync(rows, T0 + 10_000_000, 100, first.pos);
    expect(second.requests).toBe(1);
    expect(second.emitted).toEqual([]);
  });

  test('a bulk edit of 1,234 rows sharing one value (more than a page) is read whole, without looping', () => {
    const rows = [
      ...Array.from({ length: 50 }, (_, i) => ({ id: 10_000 + i, value: T0 + i })),
      ...Array.from({ length: 1234 }, (_, i) => ({ id: i + 1, value: T0 + 60_000 })),
      ...Array.from({ length: 50 }, (_, i) => ({ id: 20_000 + i, value: T0 + 60_000 + 1000 + i * 10 })),
    ];
    const { emitted, requests } = sync(rows, T0 + 10_000_000, 500);
    expect(new Set(emitted).size).toBe(rows.length);
    // Group re-read of page 1 costs one request; no multiplication.
    expect(requests).toBeLessThanOrEqual(Math.ceil(rows.length / 500) + 3);
  });

  test('a group on the window edge second and rows exactly at second + 1 s', () => {
    const rows = [
      ...Array.from({ length: 700 }, (_, i) => ({ id: i + 1, value: T0 + (i % 999) })),
      ...Array.from({ length: 30 }, (_, i) => ({ id: 5000 + i, value: T0 + 1000 })),
      { id: 9000, value: T0 + 2500 },
    ];
    const { emitted } = sync(rows, T0 + 3000, 200);
    expect(new Set(emitted)).toEqual(new Set(rows.map((r) => r.id)));
  });

  test('a future cursor makes no request', () => {
    const { requests } = sync([], T0, 100, { from: T0 + 1000, idsAtLast: [] });
    expect(requests).toBe(0);
  });

  test('rows modified during the sync are never lost (randomised schedules)', () => {
    for (let seed = 1; seed <= 120; seed++) {
      const rand = mulberry32(seed);
      const n = 200 + Math.floor(rand() * 900);
      const bulk = rand() < 0.3;
      const rows: Row[] = Array.from({ length: n }, (_, i) => ({
        id: i + 1,
        value: bulk && i % 3 === 0 ? T0 + 5_000_000 : T0 + Math.floor(rand() * 10_000_000),
      }));
      const windowEnd = T0 + 10_000_000;
      const pageSize = [50, 100, 500][seed % 3]!;
      const modified = new Set<number>();
      let clock = windowEnd + 1000;
      const { emitted } = sync(rows, windowEnd, pageSize, { idsAtLast: [] }, () => {
        const k = Math.floor(rand() * 4);
        for (let j = 0; j < k; j++) {
          // Half the edits hit the bulk group, the hardest case for page numbers.
          const candidates = bulk && rand() < 0.5 ? rows.filter((r) => r.value === T0 + 5_000_000) : rows;
          if (candidates.length === 0) break;
          const row = candidates[Math.floor(rand() * candidates.length)]!;
          row.value = clock;
          clock += 10;
          modified.add(row.id);
        }
      });
      const got = new Set(emitted);
      // Unmodified rows must all arrive; modified ones now lie after the window, where the next sync starts.
      for (const row of rows) if (!modified.has(row.id)) expect(got.has(row.id)).toBe(true);
      for (const row of rows) if (!got.has(row.id)) expect(row.value).toBeGreaterThan(windowEnd);
    }
  });

  test('a group that keeps growing (rows joining a past second) gives up transiently after the allowed re-reads', () => {
    const rows: Row[] = Array.from({ length: 30 }, (_, i) => ({ id: i + 1, value: T0 }));
    let next = 1000;
    expect(() =>
      sync(rows, T0 + 5000, 10, { idsAtLast: [] }, (n) => {
        if (n > 1) rows.push({ id: next++, value: T0 });
      }),
    ).toThrow(/kept changing/);
    expect(MAX_GROUP_RESTARTS).toBeGreaterThan(0);
  });

  test('paging without usable cursor values fails instead of looping', () => {
    const pos: KeysetPosition = { from: T0, lastValue: T0, idsAtLast: [1] };
    const req = planRequest(pos, T0 + 10_000)!;
    const page = Array.from({ length: 10 }, (_, i) => ({ id: i + 100, value: null }));
    expect(() => applyPage(pos, { ...req, from: T0 - 1000 }, page, 100, 10)).toThrow(/no progress/);
  });
});
