// Child streams as pure functions: rows cut from parent records, inherited cursors, catalog checks across a
// parent and its children, the read group's emissions, and the earliest of several resume positions.
import { describe, expect, test } from '@jest/globals';
import { parseCatalog } from '../../src/cli/inputs.js';
import { ReadGroup } from '../../src/engine/read/readGroup.js';
import { StreamContext } from '../../src/engine/read/streamContext.js';
import { mergePlans, type ResumePlan } from '../../src/engine/plan/slices.js';
import { newGroup, type KeysetPosition } from '../../src/engine/plan/keyset.js';
import type { Emitter } from '../../src/protocol/emitter.js';
import { silentLogger } from '../../src/protocol/logger.js';
import {
  childCursorFor,
  childCursors,
  childDefaultCursor,
  childIsIncremental,
  childRows,
} from '../../src/streams/children.js';
import { buildCatalog } from '../../src/streams/catalog.js';
import { ConfigError } from '../../src/errors.js';
import { v1 } from '../../src/dialects/v1.js';

const orderItems = v1.streams.findChild('order_items')!;
const shipmentItems = v1.streams.findChild('shipment_items')!;

describe('childRows', () => {
  test('one row per element, carried parent fields first, in parent then element order', () => {
    const orders = [
      {
        orderId: 1,
        modifyDate: 'm1',
        createDate: 'c1',
        items: [
          { orderItemId: 10, sku: 'A' },
          { orderItemId: 11, sku: 'B' },
        ],
      },
      { orderId: 2, modifyDate: 'm2', createDate: 'c2', items: [] },
      { orderId: 3, modifyDate: 'm3', createDate: null, items: [{ orderItemId: 30, weight: { value: 1 } }] },
    ];
    const rows = childRows(orderItems, orders);
    expect(rows).toEqual([
      { orderId: 1, orderModifyDate: 'm1', orderCreateDate: 'c1', orderItemId: 10, sku: 'A' },
      { orderId: 1, orderModifyDate: 'm1', orderCreateDate: 'c1', orderItemId: 11, sku: 'B' },
      { orderId: 3, orderModifyDate: 'm3', orderCreateDate: null, orderItemId: 30, weight: { value: 1 } },
    ]);
    expect(Object.keys(rows[0]!)).toEqual(['orderId', 'orderModifyDate', 'orderCreateDate', 'orderItemId', 'sku']);
    // The parents are not altered.
    expect(orders[0]!.items[0]).toEqual({ orderItemId: 10, sku: 'A' });
  });

  test('null, absent or odd arrays give no rows; non-object elements are skipped but keep their index', () => {
    const shipments = [
      { shipmentId: 1, createDate: 'c', shipmentItems: null },
      { shipmentId: 2, createDate: 'c' },
      { shipmentId: 3, createDate: 'c', shipmentItems: 'x' },
      { shipmentId: 4, createDate: 'c', shipmentItems: [null, { sku: 'A', shipmentId: 99 }, 5, { sku: 'B' }] },
    ];
    expect(childRows(shipmentItems, shipments)).toEqual([
      { shipmentId: 4, shipmentCreateDate: 'c', itemIndex: 1, sku: 'A' },
      { shipmentId: 4, shipmentCreateDate: 'c', itemIndex: 3, sku: 'B' },
    ]);
  });
});

describe('inherited cursors and modes', () => {
  test('a child offers its parent cursors under the carried names, the default mapped too', () => {
    expect(childCursors(orderItems, v1.streams.parentOf(orderItems))).toEqual({
      orderModifyDate: 'modifyDate',
      orderCreateDate: 'createDate',
    });
    expect(childDefaultCursor(orderItems, v1.streams.parentOf(orderItems))).toBe('orderModifyDate');
    expect(childCursorFor(orderItems, v1.streams.parentOf(orderItems), 'createDate')).toBe('orderCreateDate');
    expect(childCursors(shipmentItems, v1.streams.parentOf(shipmentItems))).toEqual({
      shipmentCreateDate: 'createDate',
    });
    expect(childIsIncremental(shipmentItems, v1.streams.parentOf(shipmentItems))).toBe(true);
  });

  test('every stream of the catalog has a key; no name twice', () => {
    const streams = buildCatalog(v1.streams).streams;
    expect(new Set(streams.map((s) => s.name)).size).toBe(streams.length);
    for (const s of streams) expect(s.source_defined_primary_key?.length).toBeGreaterThan(0);
  });
});

const configured = (name: string, syncMode: 'full_refresh' | 'incremental', cursor?: string) => ({
  stream: { name, json_schema: {}, supported_sync_modes: ['full_refresh', 'incremental'] },
  sync_mode: syncMode,
  destination_sync_mode: syncMode === 'incremental' ? 'append_dedup' : 'overwrite',
  ...(cursor ? { cursor_field: [cursor] } : {}),
});

describe('parseCatalog with children', () => {
  test('a child alone, or with its parent in the same mode and cursor, is accepted', () => {
    expect(parseCatalog({ streams: [configured('order_items', 'incremental')] }, v1.streams)).toEqual([
      { name: 'order_items', syncMode: 'incremental', cursorField: 'orderModifyDate' },
    ]);
    expect(
      parseCatalog(
        {
          streams: [
            configured('orders', 'incremental', 'createDate'),
            configured('order_items', 'incremental', 'orderCreateDate'),
          ],
        },
        v1.streams,
      ),
    ).toHaveLength(2);
    expect(
      parseCatalog(
        {
          streams: [configured('shipment_items', 'full_refresh'), configured('shipments', 'full_refresh')],
        },
        v1.streams,
      ),
    ).toHaveLength(2);
  });

  test.each([
    [
      [configured('orders', 'full_refresh'), configured('order_items', 'incremental')],
      /'order_items' \(incremental\).*'orders' \(full_refresh\).*same sync mode/,
    ],
    [
      [configured('order_items', 'incremental', 'orderModifyDate'), configured('orders', 'incremental', 'createDate')],
      /'order_items' cursor 'orderModifyDate' does not match 'orders' cursor 'createDate'; use 'orderCreateDate'/,
    ],
    [[configured('order_items', 'incremental', 'modifyDate')], /not a cursor of stream 'order_items'/],
    [[configured('tags', 'incremental')], /'tags' does not support incremental/],
    [
      [configured('line_items', 'full_refresh')],
      /unknown stream 'line_items'.*orders, order_items, shipments, shipment_items,.*tags/,
    ],
  ])('rejected: %#', (streams, pattern) => {
    expect(() => parseCatalog({ streams }, v1.streams)).toThrow(ConfigError);
    expect(() => parseCatalog({ streams }, v1.streams)).toThrow(pattern);
  });
});

describe('ReadGroup', () => {
  type Line = { kind: string; stream: string; payload: unknown };
  function fakeEmitter(lines: Line[]): Emitter {
    return {
      emitRecords: async (stream: string, records: readonly unknown[]) => {
        for (const r of records) lines.push({ kind: 'RECORD', stream, payload: JSON.parse(JSON.stringify(r)) });
      },
      emit: async (message: {
        type: string;
        state?: { stream: { stream_descriptor: { name: string }; stream_state: unknown }; sourceStats: unknown };
      }) => {
        if (message.type === 'STATE')
          lines.push({
            kind: 'STATE',
            stream: message.state!.stream.stream_descriptor.name,
            payload: message.state!.sourceStats,
          });
      },
    } as unknown as Emitter;
  }
  const api = {
    getJson: async (_path: string, _query?: unknown, onSent?: () => void) => {
      onSent?.();
      return { body: [], release: () => {} };
    },
  };
  const context = (name: string, lines: Line[], prepare: (r: Record<string, unknown>) => void) =>
    new StreamContext({
      name,
      api,
      emitter: fakeEmitter(lines),
      logger: silentLogger,
      prepare,
      signal: new AbortController().signal,
    });
  const page = () => [
    { orderId: 1, modifyDate: 'wall', createDate: 'wall', items: [{ orderItemId: 5 }, { orderItemId: 6 }] },
  ];
  const toUtc = (r: Record<string, unknown>) => {
    r.modifyDate = 'utc';
  };

  test('parent selected: its records, then the children cut from the converted records; checkpoints in the same order', async () => {
    const lines: Line[] = [];
    const group = new ReadGroup(
      context('orders', lines, toUtc),
      [{ def: orderItems, ctx: context('order_items', lines, () => {}) }],
      () => {
        throw new Error('not used when the parent is selected');
      },
    );
    await group.records(page());
    await group.checkpoint({ cursor: 'x' });
    expect(lines.map((l) => `${l.kind}:${l.stream}`)).toEqual([
      'RECORD:orders',
      'RECORD:order_items',
      'RECORD:order_items',
      'STATE:orders',
      'STATE:order_items',
    ]);
    expect(lines[1]!.payload).toMatchObject({ orderId: 1, orderModifyDate: 'utc', orderItemId: 5 });
    expect(lines.filter((l) => l.kind === 'STATE').map((l) => l.payload)).toEqual([
      { recordCount: 1 },
      { recordCount: 2 },
    ]);
  });

  test('a request counts once it is sent, not while it waits in the limiter (issue #26)', async () => {
    let send!: () => void;
    const queued = new Promise<void>((resolve) => (send = resolve));
    const ctx = new StreamContext({
      name: 'orders',
      api: {
        getJson: async (_path, _query, onSent) => {
          await queued;
          onSent?.();
          return { body: [], release: () => {} };
        },
      },
      emitter: fakeEmitter([]),
      logger: silentLogger,
      prepare: () => {},
      signal: new AbortController().signal,
    });
    const reading = ctx.read('/orders', {}, async () => {});
    await Promise.resolve();
    expect([ctx.requests, ctx.inFlight]).toEqual([0, 1]);
    send();
    await reading;
    expect([ctx.requests, ctx.pages, ctx.inFlight]).toEqual([1, 1, 0]);
  });

  test('parent not selected: converted but never emitted; requests go through the child', async () => {
    const lines: Line[] = [];
    const child = context('order_items', lines, () => {});
    const group = new ReadGroup(undefined, [{ def: orderItems, ctx: child }], toUtc);
    await group.read('/orders', {}, async () => {});
    await group.estimateRows(100);
    await group.records(page());
    await group.checkpoint({});
    expect(child.requests).toBe(1);
    expect(child.estimate).toBeUndefined();
    expect(lines.map((l) => `${l.kind}:${l.stream}`)).toEqual([
      'RECORD:order_items',
      'RECORD:order_items',
      'STATE:order_items',
    ]);
    expect(lines[0]!.payload).toMatchObject({ orderModifyDate: 'utc' });
  });
});

describe('mergePlans', () => {
  const plan = (frontier: KeysetPosition, pending: ResumePlan['pending'] = []): ResumePlan => ({ frontier, pending });

  test('the lowest unfinished second wins; undefined from is the very beginning', () => {
    const a = plan({ from: 5000, lastValue: 5100, idsAtLast: [1] });
    const b = plan({ from: 2000, lastValue: 2500, idsAtLast: [7] });
    expect(mergePlans([a, b])).toEqual(plan({ from: 2000, idsAtLast: [] }));
    expect(mergePlans([b, a])).toEqual(plan({ from: 2000, idsAtLast: [] }));
    expect(mergePlans([a, plan({ idsAtLast: [] })])).toEqual(plan({ from: undefined, idsAtLast: [] }));
    expect(mergePlans([a])).toBe(a);
  });

  test('equal plans are kept as they are, slices included; a pending slice below the frontier counts', () => {
    const sliced = plan({ from: 9000, idsAtLast: [] }, [{ pos: { from: 3000, idsAtLast: [] }, targetEnd: 4000 }]);
    expect(mergePlans([sliced, JSON.parse(JSON.stringify(sliced)) as ResumePlan])).toBe(sliced);
    expect(mergePlans([sliced, plan({ from: 5000, idsAtLast: [] })])).toEqual(plan({ from: 3000, idsAtLast: [] }));
    const group = { ...newGroup(3000), nextPage: 3, requests: 2 };
    expect(mergePlans([plan({ from: 3000, idsAtLast: [], group }), plan({ from: 3000, idsAtLast: [] })])).toEqual(
      plan({ from: 3000, idsAtLast: [] }),
    );
  });
});
