import { describe, expect, test } from '@jest/globals';
import { parseDateFilter } from '../../src/simulator/dateFilter.js';
import { pageRows } from '../../src/simulator/paging.js';
import { formatWall, wallTicksFromFields } from '../../src/simulator/pacificTime.js';
import { Rng } from '../../src/simulator/random.js';
import { SortedIndex } from '../../src/simulator/sortedIndex.js';
import { Table } from '../../src/simulator/table.js';

function sortedRows(table: Table<'k'>): number[] {
  const key = table.col('k');
  return Array.from({ length: table.size }, (_, i) => i).sort((a, b) => key[a]! - key[b]! || a - b);
}

describe('sorted index maintenance', () => {
  test('merging changed and appended rows equals a full re-sort', () => {
    const rng = new Rng(123);
    const table = new Table<'k'>(['k'], 4);
    for (let i = 0; i < 500; i++) table.append({ id: i + 1, k: rng.int(0, 50) });
    const index = new SortedIndex(table, 'k');
    expect([...index.rows]).toEqual(sortedRows(table));
    for (let round = 0; round < 30; round++) {
      const changed = Array.from({ length: rng.int(0, 40) }, () => rng.int(0, table.size - 1));
      for (const row of changed) table.col('k')[row] = rng.int(0, 60);
      for (let n = rng.int(0, 5); n > 0; n--) table.append({ id: table.size + 1, k: rng.int(0, 60) });
      index.update(changed);
      expect([...index.rows]).toEqual(sortedRows(table));
    }
  });

  test('removing rows, then changing and appending others, equals a full re-sort of the live rows', () => {
    const rng = new Rng(321);
    const table = new Table<'k'>(['k'], 4);
    for (let i = 0; i < 400; i++) table.append({ id: i + 1, k: rng.int(0, 30) });
    const index = new SortedIndex(table, 'k');
    const live = (): number[] => sortedRows(table).filter((row) => !table.isDeleted(row));
    for (let round = 0; round < 30; round++) {
      const gone = table.markDeleted(Array.from({ length: rng.int(0, 15) }, () => rng.int(0, table.size - 1)));
      index.remove(gone);
      expect([...index.rows]).toEqual(live());
      const changed = Array.from({ length: rng.int(0, 20) }, () => rng.int(0, table.size - 1));
      for (const row of changed) table.col('k')[row] = rng.int(0, 40);
      for (let n = rng.int(0, 5); n > 0; n--) table.append({ id: table.size + 1, k: rng.int(0, 40) });
      index.update(changed);
      expect([...index.rows]).toEqual(live());
    }
    expect(table.liveCount).toBe(index.rows.length);
    expect(new SortedIndex(table, 'k').rows).toEqual(index.rows);
  });

  test('descending pages keep ties in ascending row order', () => {
    const key = Float64Array.from([5, 1, 5, 3, 5, 1]);
    const rows = Int32Array.from([1, 5, 3, 0, 2, 4]);
    const view = { rows, from: 0, to: rows.length, key };
    expect(pageRows(view, true, 0, 10)).toEqual([0, 2, 4, 3, 1, 5]);
    expect(pageRows(view, true, 1, 3)).toEqual([2, 4, 3]);
    expect(pageRows(view, false, 4, 10)).toEqual([2, 4]);
  });
});

describe('date filter parsing', () => {
  test.each([
    ['2024-03-10 02:30:00', '2024-03-10T02:30:00.0000000'],
    ['2024-11-03', '2024-11-03T00:00:00.0000000'],
    ['2024-11-03T01:30:15', '2024-11-03T01:30:15.0000000'],
    ['2024-11-03T01:30:15.9999999', '2024-11-03T01:30:15.0000000'],
    ['2024-02-29 23:59:59', '2024-02-29T23:59:59.0000000'],
  ])('%s is the wall value %s', (input, wall) => {
    expect(formatWall(parseDateFilter(input)!, 'fixed7')).toBe(wall);
  });

  test.each([
    '2023-02-29',
    '2024-00-10',
    '2024-1-5',
    '2024-01-01T10:00:00.12345678',
    ' 2024-01-01',
    '2024-01-01T10:00:60',
  ])('%s is rejected', (input) => {
    expect(parseDateFilter(input)).toBeNull();
  });

  test('wall fields format back unchanged, including a nonexistent spring-forward time used as a filter', () => {
    expect(formatWall(wallTicksFromFields(2025, 3, 9, 2, 15, 0) + 1234567, 'fixed7')).toBe(
      '2025-03-09T02:15:00.1234567',
    );
    expect(formatWall(wallTicksFromFields(2025, 3, 9, 2, 15, 0) + 1230000, 'trimmed')).toBe('2025-03-09T02:15:00.123');
    expect(formatWall(wallTicksFromFields(2025, 3, 9), 'trimmed')).toBe('2025-03-09T00:00:00');
    expect(formatWall(wallTicksFromFields(2025, 3, 9, 23), 'date')).toBe('2025-03-09');
  });
});
