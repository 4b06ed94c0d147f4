// The record comparisons' fast path (test/helpers/sameValue.ts) may only say "equal" where Jest's toEqual agrees:
// checked against toEqual itself on random JSON-shaped values and their near-copies.
import { describe, expect, test } from '@jest/globals';
import { Rng } from '../../src/simulator/random.js';
import { sameValue } from '../helpers/sameValue.js';

const LEAVES: unknown[] = [0, -0, 1, 1.5, Number.NaN, '', '0', 'a', true, false, null, undefined];

function randomValue(rng: Rng, depth: number): unknown {
  const kind = depth > 3 ? 0 : rng.int(0, 3);
  if (kind <= 1) return rng.pick(LEAVES);
  if (kind === 2) return Array.from({ length: rng.int(0, 3) }, () => randomValue(rng, depth + 1));
  const out: Record<string, unknown> = {};
  for (let i = rng.int(0, 3); i > 0; i--) out[rng.pick(['a', 'b', 'c', 'd'])] = randomValue(rng, depth + 1);
  return out;
}

/** A copy with, sometimes, one change somewhere: a leaf swapped, a key added or dropped, an array grown. */
function nearCopy(rng: Rng, value: unknown): unknown {
  const change = rng.chance(0.3);
  if (Array.isArray(value)) {
    const copy = value.map((v) => nearCopy(rng, v));
    if (change) copy.push(rng.pick(LEAVES));
    return copy;
  }
  if (value !== null && typeof value === 'object') {
    const copy: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) copy[k] = nearCopy(rng, v);
    if (change) {
      const key = rng.pick(['a', 'b', 'c', 'e']);
      if (key in copy && rng.chance(0.5)) delete copy[key];
      else copy[key] = rng.pick(LEAVES);
    }
    return copy;
  }
  return change ? rng.pick(LEAVES) : value;
}

function toEqualPasses(a: unknown, b: unknown): boolean {
  try {
    expect(a).toEqual(b);
    return true;
  } catch {
    return false;
  }
}

describe('sameValue', () => {
  test('never says equal where toEqual fails, and agrees on most pairs', () => {
    const rng = new Rng(20261204);
    let agreed = 0;
    let unequal = 0;
    const pairs = 3000;
    for (let i = 0; i < pairs; i++) {
      const a = randomValue(rng, 0);
      const b = nearCopy(rng, a);
      const fast = sameValue(a, b);
      const slow = toEqualPasses(a, b);
      if (fast) expect({ a, b, toEqual: slow }).toEqual({ a, b, toEqual: true });
      if (fast === slow) agreed++;
      if (!slow) unequal++;
    }
    // The generator makes both kinds, and the fast path is not just "false" (which would be safe but useless).
    expect(unequal).toBeGreaterThan(pairs / 10);
    expect(agreed).toBeGreaterThan(pairs * 0.95);
  });

  test('undefined properties count as absent; -0, NaN and non-plain objects as toEqual sees them', () => {
    expect(sameValue({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(sameValue({ a: 1 }, { a: 1, b: undefined })).toBe(true);
    expect(sameValue({ a: undefined }, { b: undefined })).toBe(true);
    expect(sameValue([undefined], [])).toBe(false);
    expect(sameValue(0, -0)).toBe(false);
    expect(sameValue(Number.NaN, Number.NaN)).toBe(true);
    expect(sameValue({ a: [1, { b: 'x' }] }, { a: [1, { b: 'x' }] })).toBe(true);
    expect(sameValue({ a: [1, { b: 'x' }] }, { a: [1, { b: 'y' }] })).toBe(false);
    expect(sameValue([1], { 0: 1 })).toBe(false);
    expect(sameValue(new Date(0), new Date(0))).toBe(false);
  });
});
