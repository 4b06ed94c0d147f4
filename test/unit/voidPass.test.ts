// The void pass's planner (src/engine/plan/voidPass.ts): the window of void dates each sync reads, where it starts
// for every kind of state (stored, none, written before voids were read by date), and the `voids_through` field
// the state keeps for it, byte-identical states for everything else.
import { describe, expect, test } from '@jest/globals';
import { v1 } from '../../src/dialects/v1.js';
import { v2 } from '../../src/dialects/v2.js';
import { planSync } from '../../src/engine/plan/syncPlan.js';
import { checkedState, resumePoint, serializeState } from '../../src/engine/plan/streamState.js';
import { planVoidPass, voidStart } from '../../src/engine/plan/voidPass.js';
import type { SelectedStream } from '../../src/streams/types.js';
import { pacificZone } from '../../src/time/pacificZone.js';
import { utcZone } from '../../src/time/utcZone.js';

/** Products and customers are not selected here: the full-pass rule has nothing to decide. */
const FULL_PASS = { nowUtc: 0, hours: 24, settleMs: 0 };

const wall = (s: string) => Date.parse(`${s}Z`);
const inc = (name: string, cursorField: string): SelectedStream => ({ name, syncMode: 'incremental', cursorField });
const END = wall('2024-05-10T12:00:00');
const base = { windowEnd: END, settleMs: 60_000, startWall: wall('2024-01-01T00:00:00'), zone: pacificZone };

describe('the window of void dates', () => {
  test('from the stored position less the settle margin to the window end, one second past each edge', () => {
    const through = wall('2024-05-10T11:00:00');
    expect(planVoidPass({ ...base, start: { kind: 'stored', through } })).toEqual({
      read: { from: through - 60_000 - 1000, to: END + 1000 },
      through: END,
    });
  });

  test('a sync reading the stream from its start reads no voids: its records carry them; it keeps its window end', () => {
    expect(planVoidPass({ ...base, start: { kind: 'everything' } })).toEqual({ through: END });
  });

  test('a state written before voids were read by date reads every void from start_date (or all history) once', () => {
    expect(planVoidPass({ ...base, start: { kind: 'history' } })).toEqual({
      read: { from: base.startWall, to: END + 1000 },
      through: END,
    });
    expect(planVoidPass({ ...base, startWall: undefined, start: { kind: 'history' } }).read?.from).toBeUndefined();
  });

  test('a window ending before it starts (a clock set back) reads nothing and keeps the position', () => {
    const through = END + 3_600_000;
    expect(planVoidPass({ ...base, start: { kind: 'stored', through } })).toEqual({ through });
  });

  test('a position in the DST fall-back hour reads from the start of that hour (its second pass stamps lower)', () => {
    const through = wall('2024-11-03T01:30:00');
    const pass = planVoidPass({ ...base, windowEnd: wall('2024-11-03T01:20:00'), start: { kind: 'stored', through } });
    expect(pass.read).toEqual({ from: wall('2024-11-03T01:00:00'), to: wall('2024-11-03T01:20:01') });
    expect(pass.through).toBe(through);
    // UTC has no repeated hour: the window starts where the margin puts it.
    const utc = planVoidPass({
      ...base,
      zone: utcZone,
      windowEnd: through + 60_000,
      start: { kind: 'stored', through },
    });
    expect(utc.read?.from).toBe(through - 61_000);
  });

  test("a group starts at its members' earliest position; one member without it reads the history", () => {
    expect(voidStart([5000, 3000], false)).toEqual({ kind: 'stored', through: 3000 });
    expect(voidStart([5000, undefined], false)).toEqual({ kind: 'history' });
    expect(voidStart([undefined], true)).toEqual({ kind: 'everything' });
  });
});

describe('voids_through in the state', () => {
  const plan = { frontier: { from: wall('2024-05-10T11:59:00'), idsAtLast: [] }, pending: [] };

  test('written last, in UTC, read back as the same wall time; absent unless given (other states unchanged)', () => {
    const state = checkedState(plan, 'createDate', pacificZone, 'v1', wall('2024-05-10T12:00:00'));
    expect(JSON.stringify(state)).toBe(
      '{"version":1,"cursor_field":"createDate","from":"2024-05-10T18:59:00.000Z","voids_through":"2024-05-10T19:00:00.000Z"}',
    );
    expect(resumePoint(state, 'shipments', 'createDate', pacificZone, undefined).voidsThrough).toBe(
      wall('2024-05-10T12:00:00'),
    );
    expect(JSON.stringify(serializeState(plan, 'createDate', pacificZone))).toBe(
      '{"version":1,"cursor_field":"createDate","from":"2024-05-10T18:59:00.000Z"}',
    );
  });

  test('a malformed voids_through is a config error naming the field', () => {
    const state = { version: 1, cursor_field: 'createDate', from: '2024-05-10T18:59:00.000Z', voids_through: 'soon' };
    expect(() => resumePoint(state, 'shipments', 'createDate', pacificZone, undefined)).toThrow(
      "state for stream 'shipments'.voids_through: not a date-time",
    );
  });
});

describe('where a sync plan starts the void pass', () => {
  const state = (voids?: string) => ({
    version: 1,
    cursor_field: 'createDate',
    from: '2024-05-10T18:59:00.000Z',
    ...(voids ? { voids_through: voids } : {}),
  });
  const start = (states: Record<string, unknown>, streams = [inc('shipments', 'createDate')]) =>
    planSync({
      offered: v1.streams,
      streams,
      state: new Map(Object.entries(states)),
      lookbackDays: () => 0,
      zone: pacificZone,
      fullPass: FULL_PASS,
    }).jobs[0]!.incremental!.voids;

  test('stored, none, or an older state without it', () => {
    expect(start({ shipments: state('2024-05-10T19:00:00.000Z') })).toEqual({
      kind: 'stored',
      through: wall('2024-05-10T12:00:00'),
    });
    expect(start({})).toEqual({ kind: 'everything' });
    expect(start({ shipments: state() })).toEqual({ kind: 'history' });
  });

  test('shipment_items selected beside shipments: the earliest of the two', () => {
    const both = [inc('shipments', 'createDate'), inc('shipment_items', 'shipmentCreateDate')];
    expect(
      start({ shipments: state('2024-05-10T19:00:00.000Z'), shipment_items: state('2024-05-10T18:00:00.000Z') }, both),
    ).toEqual({ kind: 'stored', through: wall('2024-05-10T11:00:00') });
  });

  test('only streams with voids get a void pass: orders, fulfillments and v2 shipments none, v2 labels one', () => {
    const plan = (offered: typeof v1.streams, streams: SelectedStream[]) =>
      planSync({
        offered,
        streams,
        state: new Map(),
        lookbackDays: () => 0,
        zone: pacificZone,
        fullPass: FULL_PASS,
      }).jobs.map((j) => [j.def.name, j.incremental?.voids?.kind]);
    expect(plan(v1.streams, [inc('orders', 'modifyDate'), inc('fulfillments', 'createDate')])).toEqual([
      ['orders', undefined],
      ['fulfillments', undefined],
    ]);
    expect(plan(v2.streams, [inc('shipments', 'modified_at'), inc('labels', 'created_at')])).toEqual([
      ['shipments', undefined],
      ['labels', 'everything'],
    ]);
  });
});
