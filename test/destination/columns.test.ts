// JSON Schema → DuckDB column types, and the strict conversion of values (what does not fit goes to extras).
import { describe, expect, test } from '@jest/globals';
import { MISFIT, columnType, columnsOf, convert, parseDateDays, parseTimestampMicros } from '../../src/destination/columns.js';

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
    const columns = columnsOf({ properties: { Id: { type: 'integer' }, id: { type: 'string' }, _airbyte_extras: { type: 'string' }, name: { type: 'string' } } });
    expect(columns).toEqual([
      { name: 'Id', type: 'BIGINT' },
      { name: 'name', type: 'VARCHAR' },
    ]);
  });
});

describe('values convert only when they are of the declared type', () => {
  test.each([
    ['BIGINT', 42, 42n],
    ['BIGINT', 1.5, MISFIT],
    ['BIGINT', '12', MISFIT],
    ['BIGINT', 2 ** 64, MISFIT],
    ['DOUBLE', 1.5, 1.5],
    ['DOUBLE', '1.5', MISFIT],
    ['BOOLEAN', false, false],
    ['BOOLEAN', 'true', MISFIT],
    ['VARCHAR', 'x', 'x'],
    ['VARCHAR', 5, MISFIT],
    ['VARCHAR', { a: 1 }, MISFIT],
    ['JSON', '', '""'],
    ['JSON', [1, { a: null }], '[1,{"a":null}]'],
    ['DATE', '2024-02-29', 19782],
    ['DATE', '2024-02-30', MISFIT],
    ['DATE', '2024-02-29T08:00:00.000Z', MISFIT],
    ['TIMESTAMPTZ', 'yesterday', MISFIT],
    ['VARCHAR', null, null],
    ['BIGINT', undefined, null],
  ] as const)('%s ← %j', (type, value, expected) => expect(convert(type, value)).toEqual(expected));

  test('date-times: UTC or an offset, microseconds kept, digits past them truncated; no offset is UTC', () => {
    const iso = (text: string) => {
      const micros = parseTimestampMicros(text);
      return micros === undefined ? undefined : `${new Date(Number(micros / 1000n)).toISOString()} +${micros % 1000n}µs`;
    };
    expect(iso('2024-03-10T10:00:00.123Z')).toBe('2024-03-10T10:00:00.123Z +0µs');
    expect(iso('2024-03-10T10:00:00.1234567Z')).toBe('2024-03-10T10:00:00.123Z +456µs');
    expect(iso('2024-03-10T10:00:00+02:00')).toBe('2024-03-10T08:00:00.000Z +0µs');
    expect(iso('2024-03-10T10:00:00-0530')).toBe('2024-03-10T15:30:00.000Z +0µs');
    expect(iso('2024-03-10 10:00')).toBe('2024-03-10T10:00:00.000Z +0µs');
    for (const bad of ['2023-02-29T00:00:00Z', '2024-03-10T24:00:00Z', '2024-03-10T10:60:00Z', '2024-03-10T10:00:00.Z', '2024-03-10T10:00:00ZZ', '2024-03-10', '2024-03-10T10:00:00+25:00']) {
      expect(parseTimestampMicros(bad)).toBeUndefined();
    }
    expect(parseTimestampMicros('0001-01-01T00:00:00Z')).toBe(-62135596800000000n);
  });

  test('dates: days since 1970-01-01, leap years checked', () => {
    expect(parseDateDays('1970-01-01')).toBe(0);
    expect(parseDateDays('2000-02-29')).toBe(11016);
    expect(parseDateDays('1900-02-29')).toBeUndefined();
    expect(parseDateDays('2024-1-01')).toBeUndefined();
  });
});
