// JSON Schema → DuckDB column types, and which values fit them exactly as written (what does not goes to the
// extras; decimals a double would round go as text).
import { describe, expect, test } from '@jest/globals';
import {
  AS_TEXT,
  type ColumnType,
  columnType,
  columnsOf,
  DIRECT,
  fitting,
  isDate,
  isTimestamp,
} from '../../src/destination/columns.js';
import { scanJson } from '../../src/destination/jsonText.js';

describe('column types follow the schema', () => {
  test.each([
    [{ type: ['null', 'string'], format: 'date-time' }, 'TIMESTAMPTZ'],
    [{ type: 'string', airbyte_type: 'timestamp_with_timezone' }, 'TIMESTAMPTZ'],
    [{ type: ['null', 'string'], format: 'date' }, 'DATE'],
    [{ type: 'integer' }, 'BIGINT'],
    [{ type: ['null', 'number'] }, 'DOUBLE'],
    [{ type: 'number', airbyte_type: 'integer' }, 'BIGINT'],
    [{ type: ['null', 'number'], decimal_places: 4 }, 'DECIMAL(18,4)'],
    [{ type: 'number', decimal_places: 0 }, 'DECIMAL(18,0)'],
    [{ type: 'number', decimal_places: 13 }, 'DOUBLE'],
    [{ type: 'number', decimal_places: 2.5 }, 'DOUBLE'],
    [{ type: ['null', 'boolean'] }, 'BOOLEAN'],
    [{ type: ['null', 'string'] }, 'VARCHAR'],
    [{ type: ['null', 'object'] }, 'JSON'],
    [{ type: ['null', 'array'] }, 'JSON'],
    [{ type: ['null', 'array', 'string'] }, 'JSON'],
    [{ type: ['null', 'boolean', 'string'] }, 'JSON'],
    [{}, 'JSON'],
  ])('%j → %s', (schema, type) => expect(columnType(schema)).toBe(type));

  test('a property differing from an earlier one only by case gets no column (DuckDB names are case-insensitive), nor one DuckDB cannot name or that is ours', () => {
    const columns = columnsOf({
      properties: {
        Id: { type: 'integer' },
        id: { type: 'string' },
        _airbyte_extras: { type: 'string' },
        _Airbyte_seq: { type: 'integer' },
        '': { type: 'string' },
        'a\u0000b': { type: 'string' },
        name: { type: 'string' },
      },
    });
    expect(columns).toEqual([
      { name: 'Id', type: 'BIGINT' },
      { name: 'name', type: 'VARCHAR' },
    ]);
  });
});

/** How the value written as `json` goes into a column of `type`: as written, as text, or kept aside. */
function fitOf(type: ColumnType, json: string): 'direct' | 'text' | 'misfit' {
  const raw = Buffer.from(`{"v":${json}}`);
  const how = fitting(type, scanJson(raw).members![0]!, raw);
  return how === DIRECT ? 'direct' : how === AS_TEXT ? 'text' : 'misfit';
}

describe('values fit only when their column holds them exactly, as written', () => {
  test.each([
    ['BIGINT', '42', 'direct'],
    ['BIGINT', '1.5', 'misfit'],
    ['BIGINT', '"12"', 'misfit'],
    ['BIGINT', '9007199254740993', 'direct'],
    ['BIGINT', '9223372036854775807', 'direct'],
    ['BIGINT', '-9223372036854775808', 'direct'],
    ['BIGINT', '9223372036854775808', 'misfit'],
    ['BIGINT', '-9223372036854775809', 'misfit'],
    ['BIGINT', '18446744073709551616', 'misfit'],
    ['BIGINT', '1.0', 'direct'],
    ['BIGINT', '1e2', 'direct'],
    ['BIGINT', '1e300', 'misfit'],
    ['BIGINT', '-0', 'direct'],
    ['DOUBLE', '1.5', 'direct'],
    ['DOUBLE', '0.30000000000000004', 'direct'],
    ['DOUBLE', '12.30', 'direct'],
    ['DOUBLE', '-0', 'direct'],
    ['DOUBLE', '5e-324', 'direct'],
    ['DOUBLE', '9007199254740992', 'direct'],
    ['DOUBLE', '9007199254740993', 'misfit'],
    ['DOUBLE', '1.0000000000000000000001', 'misfit'],
    ['DOUBLE', '0.1000000000000000055511151231257827', 'misfit'],
    ['DOUBLE', '1e309', 'misfit'],
    ['DOUBLE', '1e-400', 'misfit'],
    ['DOUBLE', '"1.5"', 'misfit'],
    ['DECIMAL(18,4)', '1235611.31', 'direct'],
    ['DECIMAL(18,4)', '0.0001', 'direct'],
    ['DECIMAL(18,4)', '12.30000', 'direct'],
    ['DECIMAL(18,4)', '1.5e2', 'direct'],
    ['DECIMAL(18,4)', '0.00001', 'misfit'],
    ['DECIMAL(18,4)', '1e-5', 'misfit'],
    ['DECIMAL(18,4)', '0.30000000000000004', 'misfit'],
    ['DECIMAL(18,4)', '99999999999', 'direct'],
    ['DECIMAL(18,4)', '99999999999.9999', 'direct'],
    ['DECIMAL(18,4)', '123456789012.5', 'text'],
    ['DECIMAL(18,4)', '99999999999999.9999', 'text'],
    ['DECIMAL(18,4)', '100000000000000', 'misfit'],
    ['DECIMAL(18,4)', '1e14', 'misfit'],
    ['DECIMAL(18,4)', '"12.50"', 'misfit'],
    ['DECIMAL(18,2)', '0.125', 'misfit'],
    ['BOOLEAN', 'false', 'direct'],
    ['BOOLEAN', '"true"', 'misfit'],
    ['VARCHAR', '"x"', 'direct'],
    ['VARCHAR', '"caf\\u00e9"', 'direct'],
    ['VARCHAR', '5', 'misfit'],
    ['VARCHAR', '{"a":1}', 'misfit'],
    ['JSON', '""', 'direct'],
    ['JSON', '[1,{"a":null}]', 'direct'],
    ['JSON', '[1234567890123456789012345]', 'direct'],
    ['JSON', '{"a":[0.1,2.5e-3]}', 'direct'],
    ['JSON', '{"a":[1.0000000000000000000001]}', 'text'],
    ['JSON', '[1e309]', 'text'],
    ['JSON', '[0.30000000000000004]', 'text'],
    ['DATE', '"2024-02-29"', 'direct'],
    ['DATE', '"2024-02-30"', 'misfit'],
    ['DATE', '"2024-02-29T08:00:00.000Z"', 'misfit'],
    ['TIMESTAMPTZ', '"2024-03-10T09:30:00.123Z"', 'direct'],
    ['TIMESTAMPTZ', '"2024-03-10T09:30:00.1234560Z"', 'direct'],
    ['TIMESTAMPTZ', '"2024-03-10T09:30:00.1234567Z"', 'misfit'],
    ['TIMESTAMPTZ', '"yesterday"', 'misfit'],
    ['TIMESTAMPTZ', '20240310', 'misfit'],
    ['VARCHAR', 'null', 'direct'],
    ['BIGINT', 'null', 'direct'],
    ['DECIMAL(18,4)', 'null', 'direct'],
  ] as const)('%s ← %s: %s', (type, json, expected) => expect(fitOf(type, json)).toBe(expected));
});

describe('date-times and dates', () => {
  test('date-times: the ISO 8601 forms DuckDB reads the same way, with seconds, an optional fraction and an optional offset', () => {
    for (const good of [
      '2024-03-10T10:00:00Z',
      '2024-03-10T10:00:00.123Z',
      '2024-03-10T10:00:00.123456000Z',
      '2024-03-10 10:00:00',
      '2024-03-10T10:00:00+02:00',
      '2024-03-10T10:00:00-0530',
      '2024-03-10T10:00:00+02',
      '0001-01-01T00:00:00Z',
    ]) {
      expect([good, isTimestamp(good)]).toEqual([good, true]);
    }
    for (const bad of [
      '2023-02-29T00:00:00Z',
      '2024-03-10T24:00:00Z',
      '2024-03-10T10:60:00Z',
      '2024-03-10T10:00:60Z',
      '2024-03-10T10:00:00.Z',
      '2024-03-10T10:00:00ZZ',
      '2024-03-10',
      '2024-03-10T10:00Z',
      '2024-03-10 10:00',
      '2024-03-10t10:00:00z',
      '2024-03-10T10:00:00+25:00',
      '2024-03-10T10:00:00+02:',
      '2024-03-10T10:00:00.1234567890Z',
      '2024-03-10T10:00:00.1234567Z',
    ]) {
      expect([bad, isTimestamp(bad)]).toEqual([bad, false]);
    }
  });

  test('dates: real calendar days only, leap years checked', () => {
    expect(isDate('2000-02-29')).toBe(true);
    expect(isDate('1900-02-29')).toBe(false);
    expect(isDate('2024-1-01')).toBe(false);
    expect(isDate('2024-13-01')).toBe(false);
  });
});
