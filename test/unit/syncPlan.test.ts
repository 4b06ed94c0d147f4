// The pure sync plan (src/engine/plan/syncPlan.ts): which readers a catalog makes, which cursor each reads by,
// where each resumes, and what a person is told, before any request goes out.
import { describe, expect, test } from '@jest/globals';
import { v1 } from '../../src/dialects/v1.js';
import { planSync, type SyncPlanInput } from '../../src/engine/plan/syncPlan.js';
import { serializeState } from '../../src/engine/plan/streamState.js';
import { ConfigError } from '../../src/errors.js';
import type { SelectedStream } from '../../src/streams/types.js';
import { pacificZone } from '../../src/time/pacificZone.js';

const wall = (s: string) => Date.parse(`${s}Z`);
const inc = (name: string, cursorField: string): SelectedStream => ({ name, syncMode: 'incremental', cursorField });
const full = (name: string): SelectedStream => ({ name, syncMode: 'full_refresh' });
const stateAt = (wallTime: string, cursorField: string) =>
  serializeState(
    { frontier: { from: wall(wallTime), lastValue: wall(wallTime), idsAtLast: [1] }, pending: [] },
    cursorField,
    pacificZone,
  );

function plan(streams: SelectedStream[], overrides: Partial<SyncPlanInput> = {}) {
  return planSync({
    offered: v1.streams,
    streams,
    state: new Map(),
    lookbackDays: () => 0,
    zone: pacificZone,
    fullPass: { nowUtc: Date.UTC(2025, 0, 1), hours: 24, settleMs: 60_000 },
    ...overrides,
  });
}

describe('jobs', () => {
  test('a parent and its selected children make one reader, in catalog order', () => {
    const { jobs } = plan([inc('orders', 'modifyDate'), full('stores'), inc('order_items', 'orderModifyDate')]);
    expect(jobs.map((j) => [j.def.name, j.parent?.name, j.children.map((c) => c.def.name)])).toEqual([
      ['orders', 'orders', ['order_items']],
      ['stores', 'stores', []],
    ]);
  });

  test('a child selected alone reads its parent, by the parent cursor its own field names', () => {
    const { jobs } = plan([inc('order_items', 'orderCreateDate')]);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.parent).toBeUndefined();
    expect(jobs[0]!.incremental?.cursor.field).toBe('createDate');
  });

  test('full refresh plans no cursor; incremental gets its cursor and lookback', () => {
    const { jobs } = plan([full('products'), inc('shipments', 'createDate')], {
      lookbackDays: (def) => (def.name === 'shipments' ? 7 : 0),
    });
    expect(jobs[0]!.incremental).toBeUndefined();
    expect(jobs[1]!.incremental).toMatchObject({ cursor: { field: 'createDate' }, lookbackDays: 7 });
  });
});

describe('where each resumes', () => {
  test('no state starts at start_date, as a whole wall second in Pacific time', () => {
    const { fresh, jobs } = plan([inc('orders', 'modifyDate')], { startDate: Date.parse('2024-07-01T07:00:00.400Z') });
    expect(fresh).toEqual({ from: wall('2024-07-01T00:00:00'), idsAtLast: [] });
    expect(jobs[0]!.incremental!.resume.frontier).toEqual(fresh);
  });

  test('no start_date and no state: the beginning of history', () => {
    expect(plan([inc('orders', 'modifyDate')]).fresh).toEqual({ from: undefined, idsAtLast: [] });
  });

  test('a stored state resumes there, with no note', () => {
    const state = new Map([['orders', stateAt('2024-05-01T10:00:00', 'modifyDate')]]);
    const result = plan([inc('orders', 'modifyDate')], { state });
    expect(result.jobs[0]!.incremental!.resume.frontier).toMatchObject({
      lastValue: wall('2024-05-01T10:00:00'),
      idsAtLast: [1],
    });
    expect(result.notes).toEqual([]);
  });

  test('parent and child states that differ: the group reads from the earliest, and says so', () => {
    const state = new Map([
      ['orders', stateAt('2024-05-02T10:00:00', 'modifyDate')],
      ['order_items', stateAt('2024-05-01T10:00:00', 'modifyDate')],
    ]);
    const result = plan([inc('orders', 'modifyDate'), inc('order_items', 'orderModifyDate')], { state });
    expect(result.jobs[0]!.incremental!.resume).toEqual({
      frontier: { from: wall('2024-05-01T10:00:00'), idsAtLast: [] },
      pending: [],
    });
    expect(result.notes).toEqual([
      {
        level: 'info',
        message: expect.stringMatching(/^orders and order_items: the states differ; reading from the earliest/),
      },
    ]);
  });

  test('a state of another cursor field re-reads from the start with a WARN', () => {
    const state = new Map([['orders', stateAt('2024-05-01T10:00:00', 'createDate')]]);
    const result = plan([inc('orders', 'modifyDate')], { state });
    expect(result.jobs[0]!.incremental!.resume.frontier).toEqual({ from: undefined, idsAtLast: [] });
    expect(result.notes).toEqual([
      { level: 'warn', message: expect.stringMatching(/cursor changed from createDate to modifyDate/) },
    ]);
  });

  test('a broken state is a config error before any request, naming the stream', () => {
    const state = new Map<string, unknown>([
      ['orders', { version: 1, cursor_field: 'modifyDate', cursor: 'yesterday' }],
    ]);
    expect(() => plan([inc('orders', 'modifyDate')], { state })).toThrow(ConfigError);
    expect(() => plan([inc('orders', 'modifyDate')], { state })).toThrow(/orders/);
  });
});
