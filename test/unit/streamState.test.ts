import { describe, expect, test } from '@jest/globals';
import { checkedState, resumePoint, serializeState } from '../../src/engine/plan/streamState.js';
import type { ResumePlan } from '../../src/engine/plan/slices.js';
import { pacificZone } from '../../src/time/pacificZone.js';
import { ConfigError } from '../../src/errors.js';
import { newGroup, type KeysetPosition } from '../../src/engine/plan/keyset.js';

const wall = (s: string) => Date.parse(`${s}Z`);
const one = (frontier: KeysetPosition): ResumePlan => ({ frontier, pending: [] });

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
  const pos: KeysetPosition = {
    from: wall('2024-05-01T10:00:00'),
    lastValue: wall('2024-05-01T10:00:00.250'),
    idsAtLast: [7, 9],
  };

  test('serialises in UTC with a version and the cursor field, and reads back to the same position', () => {
    const state = serializeState(one(pos), 'modifyDate', pacificZone);
    expect(state).toEqual({
      version: 1,
      cursor_field: 'modifyDate',
      cursor: '2024-05-01T17:00:00.250Z',
      from: '2024-05-01T17:00:00.000Z',
      ids_at_cursor: [7, 9],
    });
    expect(
      resumePoint(JSON.parse(JSON.stringify(state)), 'orders', 'modifyDate', pacificZone, undefined).plan.frontier,
    ).toEqual(pos);
  });

  test('a group in progress resumes from its page 1 (its count needs every page of one pass)', () => {
    const second = wall('2024-05-01T10:00:00');
    const g: KeysetPosition = {
      ...pos,
      group: {
        ...newGroup(second),
        nextPage: 3,
        total: 1200,
        seen: [1, 2, 3],
        requests: 2,
        maxValue: wall('2024-05-01T10:00:00.900'),
      },
    };
    const state = serializeState(one(g), 'modifyDate', pacificZone);
    expect(state.group).toEqual({ second: '2024-05-01T17:00:00.000Z' });
    const back = resumePoint(state, 'orders', 'modifyDate', pacificZone, undefined).plan.frontier;
    expect(back).toEqual({ ...pos, group: newGroup(second) });
  });

  test("an older version's group and skip fields still read (the group starts again; a skip without its size is dropped)", () => {
    const old = {
      version: 1,
      cursor_field: 'modifyDate',
      cursor: '2024-05-01T17:00:00.250Z',
      from: '2024-05-01T17:00:00.000Z',
      group: {
        second: '2024-05-01T17:00:00.000Z',
        next_page: 4,
        total: 900,
        ids_at_max: [5],
        restarts: 1,
        requests: 6,
        max_total: 900,
        before: 2,
        stepped_back: 1,
        head: 77,
      },
    };
    expect(resumePoint(old, 'orders', 'modifyDate', pacificZone, undefined).plan.frontier.group).toEqual(
      newGroup(wall('2024-05-01T10:00:00')),
    );
    const skipped = { ...old, group: undefined, skip: { page: 3, through: '2024-05-01T17:00:00.000Z', total: 900 } };
    expect(resumePoint(skipped, 'orders', 'modifyDate', pacificZone, undefined).plan.frontier.skip).toBeUndefined();
  });

  test('no state starts at start_date, or at the beginning of history', () => {
    expect(
      resumePoint(undefined, 'orders', 'modifyDate', pacificZone, wall('2024-01-01T00:00:00.500')).plan.frontier,
    ).toEqual({
      from: wall('2024-01-01T00:00:00'),
      idsAtLast: [],
    });
    expect(resumePoint({}, 'orders', 'modifyDate', pacificZone, undefined).plan.frontier).toEqual({
      from: undefined,
      idsAtLast: [],
    });
  });

  test('a switched cursor field re-reads from the start, saying so', () => {
    const state = serializeState(one(pos), 'createDate', pacificZone);
    const r = resumePoint(state, 'orders', 'modifyDate', pacificZone, undefined);
    expect(r.plan.frontier).toEqual({ from: undefined, idsAtLast: [] });
    expect(r.note).toMatch(/cursor changed from createDate to modifyDate/);
  });

  test("other connectors' plain {cursor: value} state is accepted, Pacific or UTC", () => {
    expect(
      resumePoint({ modifyDate: '2024-05-01T10:00:00.1234567' }, 'orders', 'modifyDate', pacificZone, undefined).plan
        .frontier.from,
    ).toBe(wall('2024-05-01T10:00:00'));
    expect(
      resumePoint({ modifyDate: '2024-05-01T17:00:00Z' }, 'orders', 'modifyDate', pacificZone, undefined).plan.frontier
        .from,
    ).toBe(wall('2024-05-01T10:00:00'));
  });

  test("a child stream's plain state may name the cursor its own way (order_items: orderModifyDate)", () => {
    const r = resumePoint(
      { orderModifyDate: '2024-05-01T17:00:00Z' },
      'order_items',
      'modifyDate',
      pacificZone,
      undefined,
      'orderModifyDate',
    );
    expect(r.plan.frontier.from).toBe(wall('2024-05-01T10:00:00'));
  });

  test('a cursor inside the fall-back hour rewinds to the start of that hour', () => {
    const inHour = serializeState(
      one({ from: wall('2024-11-03T01:40:00'), lastValue: wall('2024-11-03T01:40:00'), idsAtLast: [1] }),
      'modifyDate',
      pacificZone,
    );
    const r = resumePoint(inHour, 'orders', 'modifyDate', pacificZone, undefined);
    expect(r.plan.frontier).toEqual({ from: wall('2024-11-03T01:00:00'), idsAtLast: [] });
    expect(r.note).toMatch(/fall-back/);
  });

  test.each([
    ['not an object', 5, /must be an object/],
    ['wrong version', { version: 9, cursor_field: 'modifyDate' }, /unsupported version 9/],
    ['bad cursor', { version: 1, cursor_field: 'modifyDate', cursor: 'yesterday' }, /cursor: not a date-time/],
    ['bad ids', { version: 1, cursor_field: 'modifyDate', ids_at_cursor: [{}] }, /ids_at_cursor: must be an array/],
    [
      'bad group',
      { version: 1, cursor_field: 'modifyDate', group: { second: 'soon' } },
      /group\.second: not a date-time/,
    ],
    ['foreign', { foo: 1 }, /not a state this connector wrote/],
    ['bad slices', { version: 2, cursor_field: 'modifyDate', slices: {} }, /slices: must be an array/],
    [
      'slice without end',
      { version: 2, cursor_field: 'modifyDate', slices: [{ from: '2024-01-01T00:00:00Z' }] },
      /slices\[0\]\.to: not a date-time/,
    ],
    [
      'null id',
      { version: 1, cursor_field: 'modifyDate', ids_at_cursor: [null] },
      /ids_at_cursor: must be an array of record ids/,
    ],
  ])('malformed state (%s) is a config error naming the stream', (_name, raw, message) => {
    expect(() => resumePoint(raw, 'orders', 'modifyDate', pacificZone, undefined)).toThrow(ConfigError);
    expect(() => resumePoint(raw, 'orders', 'modifyDate', pacificZone, undefined)).toThrow(message);
    expect(() => resumePoint(raw, 'orders', 'modifyDate', pacificZone, undefined)).toThrow(/state for stream 'orders'/);
  });

  test('slices still open below the frontier are kept as version 2, and read back the same', () => {
    const plan: ResumePlan = {
      frontier: { from: wall('2024-05-02T00:00:00'), lastValue: wall('2024-05-02T00:00:00.500'), idsAtLast: [3] },
      pending: [
        { pos: { from: wall('2024-05-01T01:00:00'), idsAtLast: [] }, targetEnd: wall('2024-05-01T05:59:59') },
        {
          pos: { from: wall('2024-05-01T06:00:01'), lastValue: wall('2024-05-01T06:00:01.125'), idsAtLast: [8, 9] },
          targetEnd: wall('2024-05-01T11:59:59'),
        },
      ],
    };
    const state = checkedState(plan, 'modifyDate', pacificZone);
    expect(state.version).toBe(2);
    expect(state).toMatchObject({
      slices: [{ to: '2024-05-01T12:59:59.000Z', from: '2024-05-01T08:00:00.000Z' }, { ids_at_cursor: [8, 9] }],
    });
    expect(resumePoint(JSON.parse(JSON.stringify(state)), 'orders', 'modifyDate', pacificZone, undefined).plan).toEqual(
      plan,
    );
  });

  test('with nothing open below the frontier the state collapses to version 1', () => {
    expect(checkedState(one(pos), 'modifyDate', pacificZone).version).toBe(1);
  });

  test('null optional fields (as Python clients write them) read as absent', () => {
    const raw = {
      version: 1,
      cursor_field: 'modifyDate',
      cursor: '2024-05-01T17:00:00.250Z',
      from: null,
      ids_at_cursor: null,
      group: null,
    };
    expect(resumePoint(raw, 'orders', 'modifyDate', pacificZone, undefined).plan.frontier).toEqual({
      from: wall('2024-05-01T10:00:00'),
      lastValue: wall('2024-05-01T10:00:00.250'),
      idsAtLast: [],
    });
  });

  test('a checkpoint that would not read back is a bug reported before it is emitted', () => {
    expect(() =>
      checkedState(one({ from: wall('2024-05-01T10:00:00'), idsAtLast: [NaN] }), 'modifyDate', pacificZone),
    ).toThrow(/would not read back/);
  });
});

describe('states of the two APIs never mix (issue #23)', () => {
  const pos: KeysetPosition = { from: wall('2024-05-01T10:00:00'), idsAtLast: [] };

  test('a v2 state carries its API; a v1 state stays as it was written before API v2', () => {
    expect(serializeState(one(pos), 'modified_at', pacificZone, 'v2')).toEqual({
      version: 1,
      api_version: 'v2',
      cursor_field: 'modified_at',
      from: '2024-05-01T17:00:00.000Z',
    });
    expect(serializeState(one(pos), 'createDate', pacificZone, 'v1')).not.toHaveProperty('api_version');
    const v2 = checkedState(one(pos), 'modified_at', pacificZone, 'v2');
    const back = resumePoint(
      JSON.parse(JSON.stringify(v2)),
      'shipments',
      'modified_at',
      pacificZone,
      undefined,
      undefined,
      'v2',
    );
    expect(back.plan.frontier).toEqual(pos);
  });

  test('a state of the other API is a config error naming the stream, whichever way round', () => {
    const v1State = serializeState(one(pos), 'createDate', pacificZone);
    expect(() => resumePoint(v1State, 'shipments', 'modified_at', pacificZone, undefined, undefined, 'v2')).toThrow(
      new ConfigError(
        "state for stream 'shipments' was written for ShipStation's v1 API, but the config is for its API v2: the two APIs' 'shipments' streams hold different records, so use a new connection (or reset this one)",
      ),
    );
    const v2State = serializeState(one(pos), 'createDate', pacificZone, 'v2');
    expect(() => resumePoint(v2State, 'shipments', 'createDate', pacificZone, undefined)).toThrow(
      /written for ShipStation's API v2, but the config is for its v1 API/,
    );
    expect(() =>
      resumePoint({ ...v2State, api_version: 'v9' }, 'shipments', 'createDate', pacificZone, undefined),
    ).toThrow(/api_version: must be "v1" or "v2"/);
  });
});
