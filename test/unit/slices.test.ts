import { describe, expect, test } from '@jest/globals';
import { applyPage, planRequest, type KeysetPosition } from '../../src/engine/keyset.js';
import { sliceEnd, splitWindow, stealHalf, type Slice } from '../../src/engine/slices.js';

const T0 = Date.UTC(2024, 0, 1);
const DAY = 86_400_000;

describe('slices', () => {
  test('split into contiguous whole-second slices, the last open-ended, the first keeping the position', () => {
    const pos: KeysetPosition = { from: T0, lastValue: T0 + 5, idsAtLast: [3] };
    const slices = splitWindow(pos, T0 + 30 * DAY, 3);
    expect(slices).toHaveLength(3);
    expect(slices[0]!.pos).toBe(pos);
    expect(slices[0]!.to).toBe(slices[1]!.pos.from);
    expect(slices[1]!.to).toBe(slices[2]!.pos.from);
    expect(slices[2]!.to).toBeUndefined();
    for (const s of slices) expect((s.to ?? 0) % 1000).toBe(0);
  });

  test('small windows, groups and unbounded starts are not split', () => {
    expect(splitWindow({ from: T0, idsAtLast: [] }, T0 + 100_000, 4)).toHaveLength(1);
    expect(splitWindow({ idsAtLast: [] }, T0 + 30 * DAY, 4)).toHaveLength(1);
    expect(splitWindow({ from: T0, idsAtLast: [], group: { second: T0, nextPage: 2, idsAtMax: [], restarts: 0 } }, T0 + 30 * DAY, 4)).toHaveLength(1);
  });

  test('an idle reader takes the upper half of the largest range; the donor stops at the split point', () => {
    const slices: Slice[] = [{ to: T0 + 10 * DAY, pos: { from: T0, idsAtLast: [] } }, { pos: { from: T0 + 10 * DAY, idsAtLast: [] } }];
    const active = new Set(slices);
    const stolen = stealHalf(slices, active, T0 + 50 * DAY)!;
    expect(stolen.pos.from).toBe(T0 + 30 * DAY);
    expect(stolen.to).toBeUndefined();
    expect(slices[1]!.to).toBe(T0 + 30 * DAY);
    expect(slices.indexOf(stolen)).toBe(2);
    expect(stealHalf([{ to: T0 + 1000, pos: { from: T0, idsAtLast: [] } }], new Set(), T0 + DAY)).toBeUndefined();
  });

  test('sliced reading with work stealing emits every row, in any interleaving (randomised)', () => {
    for (let seed = 1; seed <= 40; seed++) {
      let r = seed;
      const rand = () => ((r = (r * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
      const rows = Array.from({ length: 2000 }, (_, i) => ({ id: i + 1, value: T0 + Math.floor(rand() * rand() * 40 * DAY) }));
      const windowEnd = T0 + 40 * DAY;
      const pageSize = 50;
      const serve = (from: number | undefined, to: number, page: number) => {
        const m = rows.filter((x) => (from === undefined || x.value >= from) && x.value <= to).sort((a, b) => a.value - b.value || a.id - b.id);
        return { page: m.slice((page - 1) * pageSize, page * pageSize), total: m.length };
      };
      const slices = splitWindow({ from: T0, idsAtLast: [] }, windowEnd, 4);
      const active = new Set(slices);
      const emitted = new Set<number>();
      let guard = 0;
      while (active.size > 0 && guard++ < 10_000) {
        const slice = [...active][Math.floor(rand() * active.size)]!;
        const req = planRequest(slice.pos, sliceEnd(slice, windowEnd));
        if (!req) {
          active.delete(slice);
          const stolen = stealHalf(slices, active, windowEnd);
          if (stolen) active.add(stolen);
          continue;
        }
        const { page, total } = serve(req.from, req.to, req.page);
        const out = applyPage(slice.pos, req, page, total, pageSize);
        for (const i of out.emit) emitted.add(page[i]!.id);
        slice.pos = out.next;
        if (out.done) {
          active.delete(slice);
          const stolen = stealHalf(slices, active, windowEnd);
          if (stolen) active.add(stolen);
        }
      }
      expect(emitted.size).toBe(rows.length);
    }
  });
});
