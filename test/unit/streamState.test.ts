import { describe, expect, test } from '@jest/globals';
import { resumePoint, serializeState } from '../../src/engine/streamState.js';
import { pacificZone } from '../../src/engine/pacificZone.js';
import { ConfigError } from '../../src/errors.js';
import type { KeysetPosition } from '../../src/engine/keyset.js';

const wall = (s: string) => Date.parse(`${s}Z`);

describe('pacific zone', () => {
  test.each([
    ['2024-07-01T12:00:00.000', '2024-07-01T19:00:00.000Z'],
    ['2024-01-15T12:00:00.000', '2024-01-15T20:00:00.000Z'],
    ['2024-11-03T01:30:00.000', '2024-11-03T08:30:00.000Z'], // ambiguous: first occurrence (PDT)
    ['2024-03-10T02:30:00.000', '2024-03-10T10:30:00.000Z'], // gap: moved forward
    ['2023-11-05T01:59:59.000', '2023-11-05T08:59:59.000Z'],
    ['2023-03-12T03:00:00.000', '2023-03-12T10:00:00.000Z'],
  ])('wall %s is %s', (w, utc) => {
    expect(new Date(pacificZone.wallToUtc(wall(w))).toISOString()).toBe(utc);
  });

  test('utc to wall round-trips outside the gap, and the fall-back hour is ambiguous', () => {
    const second = Date.parse('2024-11-03T09:30:00Z'); // 01:30 PST, the second pass
    expect(new Date(pacificZone.utcToWall(second)).toISOString()).toBe('2024-11-03T01:30:00.000Z');
    expect(pacificZone.isAmbiguous(wall('2024-11-03T01:30:00'))).toBe(true);
    expect(pacificZone.isAmbiguous(wall('2024-11-03T02:00:00'))).toBe(false);
    expect(pacificZone.isAmbiguous(wall('2024-11-03T00:59:59'))).toBe(false);
  });
});

describe('stream state', () => {
  const pos: KeysetPosition = { from: wall('2024-05-01T10:00:00'), lastValue: wall('2024-05-01T10:00:00.250'), idsAtLast: [7, 9] };

  test('serialises in UTC with a version and the cursor field, and reads back to the same position', () => {
    const state = serializeState(pos, 'modifyDate', pacificZone);
    expect(state).toEqual({
      version: 1,
      cursor_field: 'modifyDate',
      cursor: '2024-05-01T17:00:00.250Z',
      from: '2024-05-01T17:00:00.000Z',
      ids_at_cursor: [7, 9],
    });
    expect(resumePoint(JSON.parse(JSON.stringify(state)), 'orders', 'modifyDate', pacificZone, undefined).position).toEqual(pos);
  });

  test('a group in progress survives the round trip', () => {
    const g: KeysetPosition = { ...pos, group: { second: wall('2024-05-01T10:00:00'), nextPage: 3, total: 1200, idsAtMax: [], restarts: 0, maxValue: wall('2024-05-01T10:00:00.900') } };
    const back = resumePoint(serializeState(g, 'modifyDate', pacificZone), 'orders', 'modifyDate', pacificZone, undefined).position;
    expect(back).toEqual(g);
  });

  test('no state starts at start_date, or at the beginning of history', () => {
    expect(resumePoint(undefined, 'orders', 'modifyDate', pacificZone, wall('2024-01-01T00:00:00.500')).position).toEqual({
      from: wall('2024-01-01T00:00:00'),
      idsAtLast: [],
    });
    expect(resumePoint({}, 'orders', 'modifyDate', pacificZone, undefined).position).toEqual({ from: undefined, idsAtLast: [] });
  });

  test('a switched cursor field re-reads from the start, saying so', () => {
    const state = serializeState(pos, 'createDate', pacificZone);
    const r = resumePoint(state, 'orders', 'modifyDate', pacificZone, undefined);
    expect(r.position).toEqual({ from: undefined, idsAtLast: [] });
    expect(r.note).toMatch(/cursor changed from createDate to modifyDate/);
  });

  test("other connectors' plain {cursor: value} state is accepted, Pacific or UTC", () => {
    expect(resumePoint({ modifyDate: '2024-05-01T10:00:00.1234567' }, 'orders', 'modifyDate', pacificZone, undefined).position.from).toBe(
      wall('2024-05-01T10:00:00'),
    );
    expect(resumePoint({ modifyDate: '2024-05-01T17:00:00Z' }, 'orders', 'modifyDate', pacificZone, undefined).position.from).toBe(
      wall('2024-05-01T10:00:00'),
    );
  });

  test("a child stream's plain state may name the cursor its own way (order_items: orderModifyDate)", () => {
    const r = resumePoint({ orderModifyDate: '2024-05-01T17:00:00Z' }, 'order_items', 'modifyDate', pacificZone, undefined, 'orderModifyDate');
    expect(r.position.from).toBe(wall('2024-05-01T10:00:00'));
  });

  test('a cursor inside the fall-back hour rewinds to the start of that hour', () => {
    const inHour = serializeState({ from: wall('2024-11-03T01:40:00'), lastValue: wall('2024-11-03T01:40:00'), idsAtLast: [1] }, 'modifyDate', pacificZone);
    const r = resumePoint(inHour, 'orders', 'modifyDate', pacificZone, undefined);
    expect(r.position).toEqual({ from: wall('2024-11-03T01:00:00'), idsAtLast: [] });
    expect(r.note).toMatch(/fall-back/);
  });

  test.each([
    ['not an object', 5, /must be an object/],
    ['wrong version', { version: 9, cursor_field: 'modifyDate' }, /unsupported version 9/],
    ['bad cursor', { version: 1, cursor_field: 'modifyDate', cursor: 'yesterday' }, /cursor: not a date-time/],
    ['bad ids', { version: 1, cursor_field: 'modifyDate', ids_at_cursor: [{}] }, /ids_at_cursor: must be an array/],
    ['bad group', { version: 1, cursor_field: 'modifyDate', group: { second: '2024-01-01T00:00:00Z', next_page: 0 } }, /next_page/],
    ['foreign', { foo: 1 }, /not a state this connector wrote/],
  ])('malformed state (%s) is a config error naming the stream', (_name, raw, message) => {
    expect(() => resumePoint(raw, 'orders', 'modifyDate', pacificZone, undefined)).toThrow(ConfigError);
    expect(() => resumePoint(raw, 'orders', 'modifyDate', pacificZone, undefined)).toThrow(message);
    expect(() => resumePoint(raw, 'orders', 'modifyDate', pacificZone, undefined)).toThrow(/state for stream 'orders'/);
  });
});
