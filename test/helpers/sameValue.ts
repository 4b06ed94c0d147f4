// A fast structural equality for JSON-shaped values, for tests that compare thousands of records: Jest's toEqual
// costs ~50 µs a record (it walks every key with its own type checks), which made record comparisons a tenth of
// npm test's CPU. Callers check with this first and hand only a mismatch to toEqual, for its diff: so this may
// only answer true where toEqual passes (stricter is fine, looser never).
import { expect } from '@jest/globals';

/** True when `a` and `b` are equal JSON-shaped values (undefined properties count as absent, as in toEqual). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameValue(a[i], b[i])) return false;
    return true;
  }
  // Anything but a plain object (an array against an object, Date, Map, class instances): toEqual decides.
  if (!isPlain(a) || !isPlain(b)) return false;
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  let defined = 0;
  for (const key in ra) {
    const value = ra[key];
    if (value === undefined) continue;
    defined++;
    if (!Object.hasOwn(rb, key) || !sameValue(value, rb[key])) return false;
  }
  for (const key in rb) if (rb[key] !== undefined) defined--;
  return defined === 0;
}

function isPlain(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** expect(actual).toEqual(expected), with toEqual (and its diff) only when the fast check finds a difference. */
export function expectEqual(actual: unknown, expected: unknown): void {
  if (!sameValue(actual, expected)) expect(actual).toEqual(expected);
}
