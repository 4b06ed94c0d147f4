import { describe, expect, test } from '@jest/globals';
import { jsonErrorOffset, lineAndColumn } from '../../src/cli/jsonSyntax.js';

const valid = [
  '{}',
  '[]',
  ' {"a": [1, -2.5e+3, true, false, null, "x\\"\\u00e9\\n"]} ',
  '"s"',
  '0',
  '-0.1',
  '{"a":{"b":[{}]}}',
  `${'['.repeat(50_000)}${']'.repeat(50_000)}`,
];

describe('jsonErrorOffset', () => {
  test('valid JSON, at any depth, has no error offset', () => {
    for (const text of valid) expect([text.slice(0, 30), jsonErrorOffset(text)]).toEqual([text.slice(0, 30), -1]);
  });

  test.each<[string, number]>([
    ['{"api_key": ', 12],
    ['{"a": secret}', 6],
    ['{"a":1,}', 7],
    ['{\n"a": "x"\n,,}', 12],
    ['"abc', 4],
    ['{"a":"\u0001"}', 6],
    ['[1 2]', 3],
    ['01', 1],
    ['tru', 3],
    ['{"a" 1}', 5],
    ['"\\x"', 2],
    ['{} {}', 3],
  ])('%j fails at offset %d', (text, offset) => {
    expect(() => JSON.parse(text)).toThrow();
    expect(jsonErrorOffset(text)).toBe(offset);
  });

  test('agrees with JSON.parse on every one-character deletion of a real config', () => {
    const text = JSON.stringify(
      {
        api_key: 'k',
        api_secret: 's',
        page_size: 500,
        start_date: '2024-01-01',
        validate_records: false,
        nested: [1, { x: null }],
      },
      null,
      2,
    );
    for (let i = 0; i < text.length; i++) {
      const mutated = text.slice(0, i) + text.slice(i + 1);
      let parses = true;
      try {
        JSON.parse(mutated);
      } catch {
        parses = false;
      }
      expect([mutated, jsonErrorOffset(mutated) === -1]).toEqual([mutated, parses]);
    }
  });

  test('line and column are 1-based', () => {
    expect(lineAndColumn('{\n  "a": x\n}', 9)).toEqual({ line: 2, column: 8 });
    expect(lineAndColumn('x', 0)).toEqual({ line: 1, column: 1 });
  });
});
