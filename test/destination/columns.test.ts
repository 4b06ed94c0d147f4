// JSON Schema → DuckDB column types, and which values fit them (what does not fit goes to the extras).
import { describe, expect, test } from '@jest/globals';
import { columnType, columnsOf, fits, isDate, isTimestamp } from '../../src/destination/columns.js';

describe('column types follow the schema', () => {
  test.each([
    [{ type: ['null', 'string'], format: 'date-time' }, 'TIMESTAMPTZ'],
    [{ type: 'string', airbyte_type: 'timestamp_with_timezone' }, 'TIMESTAMPTZ'],
    [{ type: ['null', 'string'], format: 'date' }, 'DATE'],
    [{ type: 'integer' }, 'BIGINT'],
    [{ type: ['null', 'number'] }, 'DOUBLE'],
    [{ type: 'number', airbyte_type: 'integer' }, 'BIGINT'],
    [{ type: ['null', 'boolean'] }, 'BOOLEAN'],
    [{ type: ['null', 'string'] }, 'VARCHAR'],
    [{ type: ['null', 'object'] }, 'JSON'],
    [{ type: ['null', 'array'] }, 'JSON'],
    [{ type: ['null', 'array', 'string'] }, 'JSON'],
    [{ type: ['null', 'boolean', 'string'] }, 'JSON'],
    [{}, 'JSON'],
  ])('%j → %s', (schema, type) => expect(columnType(schema)).toBe(type));

  test('a property differing from an earlier one only by case gets no column (DuckDB names are case-insensitive)', () => {
    const columns = columnsOf({
      properties: {
        Id: { type: 'integer' },
        id: { type: 'string' },
        _airbyte_extras: { type: 'string' },
        name: { type: 'string' },
      },
    });
    expect(columns).toEqual([
      { name: 'Id', type: 'BIGINT' },
      { name: 'name', type: 'VARCHAR' },
    ]);
  });
});

describe('values fit only when they are of the declared type', () => {
  test.each([
    ['BIGINT', 42, true],
    ['BIGINT', 1.5, false],
    ['BIGINT', '12', false],
    ['BIGINT', 2 ** 64, false],
    ['DOUBLE', 1.5, true],
    ['DOUBLE', '1.5', false],
    ['BOOLEAN', false, true],
    ['BOOLEAN', 'true', false],
    ['VARCHAR', 'x', true],
    ['VARCHAR', 5, false],
    ['VARCHAR', { a: 1 }, false],
    ['JSON', '', true],
    ['JSON', [1, { a: null }], true],
    ['DATE', '2024-02-29', true],
    ['DATE', '2024-02-30', false],
    ['DATE', '2024-02-29T08:00:00.000Z', false],
    ['TIMESTAMPTZ', 'yesterday', false],
    ['TIMESTAMPTZ', 20240310, false],
    ['VARCHAR', null, true],
    ['BIGINT', null, true],
  ] as const)('%s ← %j: %s', (type, value, expected) => expect(fits(type, value)).toBe(expected));

  test('date-times: the ISO 8601 forms DuckDB reads the same way, with seconds, an optional fraction and an optional offset', () => {
    for (const good of [
      '2024-03-10T10:00:00Z',
      '2024-03-10T10:00:00.123Z',
      '2024-03-10T10:00:00.1234567Z',
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
