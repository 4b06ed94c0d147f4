// The scanner the loader reads records with (src/destination/jsonText.ts): as strict as JSON.parse on any text,
// byte ranges that hold each member's own text, and the flags that decide what DuckDB can store as received.
import { describe, expect, test } from '@jest/globals';
import { decimalKey, exactAsDouble, JsonSyntaxError, type Member, scanJson } from '../../src/destination/jsonText.js';

/** A seeded PRNG (the same cases on every run). */
function random(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

const ATOMS = [
  '0',
  '-0',
  '7',
  '12.50',
  '1e5',
  '-1.5E-3',
  '9007199254740993',
  '1.0000000000000000000001',
  '"a"',
  '"caf\\u00e9"',
  '"\\ud83d\\ude00"',
  '"\\ud83d"',
  '"x\\"y"',
  'true',
  'false',
  'null',
  '""',
  '"\\n\\t\\\\\\/\\b\\f\\r"',
  '"é"',
];

function generate(rnd: () => number, depth = 0): string {
  const pick = <T>(items: readonly T[]) => items[Math.floor(rnd() * items.length)]!;
  const r = rnd();
  if (depth > 4 || r < 0.4) return pick(ATOMS);
  const n = Math.floor(rnd() * 4);
  if (r < 0.7) return `[${Array.from({ length: n }, () => generate(rnd, depth + 1)).join(pick([',', ' , ']))}]`;
  const members = Array.from(
    { length: n },
    () => `"k${Math.floor(rnd() * 3)}"${pick([':', ' : '])}${generate(rnd, depth + 1)}`,
  );
  return `{${members.join(',')}}`;
}

const MUTATIONS: Array<(text: string, at: number, rnd: () => number) => string> = [
  (t, at) => t.slice(0, at) + t.slice(at + 1),
  (t, at, rnd) =>
    t.slice(0, at) +
    ['"', '{', '}', '[', ']', ',', ':', '0', '-', '.', 'e', '\\', ' ', '\u0001', 'x', 'u'][Math.floor(rnd() * 16)] +
    t.slice(at),
  (t, at) => t.slice(0, at),
];

const parses = (text: string) => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};
const scans = (text: string) => {
  try {
    scanJson(Buffer.from(text));
    return true;
  } catch (err) {
    if (!(err instanceof JsonSyntaxError)) throw err;
    return false;
  }
};

describe('the scanner accepts exactly what JSON.parse accepts', () => {
  test('on 40,000 generated texts, half of them broken at a random byte', () => {
    const rnd = random(24);
    const disagreements: string[] = [];
    for (let n = 0; n < 40_000; n++) {
      let text = generate(rnd);
      if (rnd() < 0.5) text = MUTATIONS[Math.floor(rnd() * 3)]!(text, Math.floor(rnd() * (text.length + 1)), rnd);
      if (parses(text) !== scans(text) && disagreements.length < 5) disagreements.push(text);
    }
    expect(disagreements).toEqual([]);
  });

  test.each([
    ['{"a":01}', false],
    ['{"a":1.}', false],
    ['{"a":.5}', false],
    ['{"a":1e}', false],
    ['{"a":+1}', false],
    ['{"a":"\\x"}', false],
    ['{"a":"\\u12"}', false],
    ['{"a":"tab\there"}', false],
    ['{"a":1,}', false],
    ['{"a" 1}', false],
    ['[1] [2]', false],
    ['{"a":tru}', false],
    [' {"a":[]} \r', true],
  ])('%j: %s', (text, ok) => {
    expect(parses(text)).toBe(ok);
    expect(scans(text)).toBe(ok);
  });

  test('the error says where the text stops being JSON', () => {
    expect(() => scanJson(Buffer.from('{"a":[1,2}'))).toThrow("expected ',' or ']' at byte 10");
    expect(() => scanJson(Buffer.from('{"a":"x'))).toThrow('unexpected end at byte 8');
  });

  test('nesting a million levels deep costs memory, not the stack', () => {
    const deep = `{"a":${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}}`;
    expect(scanJson(Buffer.from(deep)).members![0]!.end).toBe(deep.length - 1);
  });
});

describe('members: where each value lies, and what it is', () => {
  test('every listed member of generated objects holds exactly its value, three levels down', () => {
    const rnd = random(7);
    for (let n = 0; n < 2_000; n++) {
      const text = `{"m":{"r":${generate(rnd)},"d":{"x":${generate(rnd)},"y":${generate(rnd)}}}}`;
      const raw = Buffer.from(text);
      const parsed = JSON.parse(text) as Record<string, unknown>;
      const check = (members: readonly Member[], value: Record<string, unknown>) => {
        for (const m of members) {
          if (members.filter((o) => o.key === m.key).length > 1) continue;
          expect(JSON.parse(raw.toString('utf8', m.start, m.end))).toEqual(value[m.key]);
          const member = raw.toString('utf8', m.keyAt, m.end).replace(/^("(?:[^"\\]|\\.)*")\s*:/, '[$1,');
          expect(JSON.parse(`${member}]`)).toEqual([m.key, value[m.key]]);
          if (m.members) check(m.members, value[m.key] as Record<string, unknown>);
        }
      };
      check(scanJson(raw).members!, parsed);
    }
  });

  test('a lone surrogate is found wherever it is; a pair is not one', () => {
    expect(scanJson(Buffer.from('{"a":"\\ud83d\\ude00"}')).loneSurrogate).toBe(-1);
    expect(scanJson(Buffer.from('{"a":"x\\ud83d"}')).loneSurrogate).toBe(7);
    expect(scanJson(Buffer.from('{"a":["\\ude00"]}')).loneSurrogate).toBe(7);
    expect(scanJson(Buffer.from('{"\\ud800x":1}')).loneSurrogate).toBe(2);
    expect(scanJson(Buffer.from('{"a":"\\\\ud83d"}')).loneSurrogate).toBe(-1);
  });

  test('a key twice in one object is reported for that object, at the first three levels', () => {
    const scan = scanJson(Buffer.from('{"r":{"d":{"x":1,"y":2,"x":3},"s":[{"k":1,"k":2}]},"t":1,"t":2}'));
    expect(scan.duplicate).toBe('t');
    const r = scan.members![0]!;
    expect(r.duplicate).toBeUndefined();
    expect(r.members![0]!.duplicate).toBe('x');
  });

  test('numbers: their shape, and whether they are long (plain integers never are: DuckDB keeps them at any size)', () => {
    const [a, b, c, d, e] = scanJson(
      Buffer.from(
        '{"a":120,"b":-0.50,"c":1.5e3,"d":[0.1,[1.0000000000000000000001]],"e":123456789012345678901234567890}',
      ),
    ).members!;
    expect(a).toMatchObject({ plain: true, intDigits: 3, fracDigits: 0, exponent: false, long: false });
    expect(b).toMatchObject({ plain: false, intDigits: 0, fracDigits: 1, exponent: false, long: false });
    expect(c).toMatchObject({ plain: false, intDigits: 1, fracDigits: 1, exponent: true, long: false });
    expect(d).toMatchObject({ long: true });
    expect(e).toMatchObject({ plain: true, intDigits: 30, long: false });
    const [f, g, h] = scanJson(Buffer.from('{"f":0.30000000000000004,"g":1e-300,"h":[123456789012345]}')).members!;
    expect([f!.long, g!.long, h!.long]).toEqual([true, true, false]);
  });

  test.each([
    ['0.1', true],
    ['0.30000000000000004', true],
    ['1E2', true],
    ['12.30', true],
    ['5e-324', true],
    ['1.7976931348623157e308', true],
    ['1.0000000000000000000001', false],
    ['0.1000000000000000055511151231257827', false],
    ['9007199254740993', false],
    ['1e309', false],
    ['1e-400', false],
  ])('%s read as a double is %s the same number', (text, exact) => expect(exactAsDouble(text)).toBe(exact));

  test('decimal keys: one per number, whatever its spelling', () => {
    expect(new Set(['100', '1E2', '1e+2', '100.000', '0.1e3']).size).toBe(5);
    expect(new Set(['100', '1E2', '1e+2', '100.000', '0.1e3'].map(decimalKey))).toEqual(new Set(['1e3']));
    expect(decimalKey('-0.0')).toBe('0');
    expect(decimalKey('0.005')).toBe(decimalKey('5e-3'));
  });
});
