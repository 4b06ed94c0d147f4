// Child streams (order_items, shipment_items) end to end: rows cut from the parent's pages with no request of
// their own, equal to the ground truth, linked to existing parents, following the parent's mode and state.
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import { ofType, runCli, traceErrors, type CliResult, type Message } from '../helpers/cli.js';
import { invalidMessages } from '../helpers/protocol.js';
import { createSchemaAjv, loadStreamSchema } from '../../src/streams/schemas.js';
import {
  byId,
  configArgs,
  configuredCatalog,
  expectCheckpointCounts,
  expectedChildTruth,
  keyOf,
  lastStates,
  readArgs,
  recordsOf,
  simulator,
  statesOf,
  statusesOf,
  type Selection,
  type StateMessage,
  type Simulator,
} from '../helpers/sim.js';
import { expectEqual } from '../helpers/sameValue.js';

const schemaAjv = await createSchemaAjv();

function streamsIn(messages: Message[]): Set<string> {
  return new Set([
    ...ofType(messages, 'RECORD').map((m) => (m.record as { stream: string }).stream),
    ...ofType(messages, 'STATE').map((m) => (m.state as StateMessage).stream.stream_descriptor.name),
    ...ofType(messages, 'TRACE')
      .map((m) => m.trace as { type: string; stream_status?: { stream_descriptor: { name: string } } })
      .filter((t) => t.type === 'STREAM_STATUS')
      .map((t) => t.stream_status!.stream_descriptor.name),
  ]);
}

/** Every expected child row arrived in its current form (the latest emission per key wins). */
function expectChildComplete(sim: Simulator, emitted: Array<Record<string, unknown>>, child: string) {
  const got = byId(emitted, child);
  const want = expectedChildTruth(sim, child);
  expect(want.size).toBeGreaterThan(0);
  const missing = [...want.keys()].filter((k) => !got.has(k));
  expect({ child, missing: missing.slice(0, 5), count: missing.length }).toEqual({ child, missing: [], count: 0 });
  for (const [key, row] of want) expectEqual([key, got.get(key)], [key, row]);
}

const PAGE = { page_size: 100 };

describe('full refresh', () => {
  let sim: Simulator;
  const runs = new Map<string, { result: CliResult; byPath: Record<string, number> }>();
  const read = async (label: string, selections: Selection[]) => {
    sim.resetStats();
    const result = await runCli(readArgs(sim, configuredCatalog(selections), { config: PAGE }));
    runs.set(label, { result, byPath: { ...sim.stats().byPath } });
    return result;
  };

  beforeAll(async () => {
    sim = await simulator({
      seed: 41,
      counts: { orders: 650, shipments: 420, fulfillments: 20, products: 40, customers: 50 },
    });
    await read('parents', [{ name: 'orders' }, { name: 'shipments' }]);
    await read('both', [
      { name: 'orders' },
      { name: 'order_items' },
      { name: 'shipments' },
      { name: 'shipment_items' },
    ]);
    await read('children', [{ name: 'order_items' }, { name: 'shipment_items' }]);
  });
  afterAll(() => sim.close());

  test('every run exits 0 with valid protocol messages and no error', () => {
    for (const { result } of runs.values()) {
      expect(result.code).toBe(0);
      expect(invalidMessages(result.messages)).toEqual([]);
      expect(traceErrors(result.messages)).toEqual([]);
    }
  });

  test('orders + order_items (and shipments + shipment_items) make exactly as many requests as the parents alone', () => {
    const parents = runs.get('parents')!.byPath;
    expect(parents['/orders']).toBe(Math.ceil(650 / 100));
    expect(runs.get('both')!.byPath).toEqual(parents);
    expect(runs.get('children')!.byPath).toEqual(parents);
  });

  test.each(['order_items', 'shipment_items'])(
    '%s: rows equal the ground truth built from the parents, date-times in UTC',
    (child) => {
      for (const label of ['both', 'children']) {
        const rows = recordsOf(runs.get(label)!.result.messages, child);
        expect(rows).toHaveLength(expectedChildTruth(sim, child).size);
        expectChildComplete(sim, rows, child);
      }
    },
  );

  test.each(['order_items', 'shipment_items'])('%s: every row validates against its schema', (child) => {
    const validate = schemaAjv.compile(loadStreamSchema(child));
    for (const row of recordsOf(runs.get('both')!.result.messages, child)) {
      if (!validate(row)) throw new Error(`${child} row does not validate: ${JSON.stringify(validate.errors)}`);
    }
  });

  test('child rows reference parents that were emitted, with the parent cursor values carried', () => {
    const messages = runs.get('both')!.result.messages;
    const orders = byId(recordsOf(messages, 'orders'), 'orders');
    for (const item of recordsOf(messages, 'order_items')) {
      const order = orders.get(item.orderId);
      expect(order).toBeDefined();
      expect([item.orderModifyDate, item.orderCreateDate]).toEqual([order!.modifyDate, order!.createDate]);
      expect(String(item.orderModifyDate)).toMatch(/Z$/);
      expect((order!.items as Array<{ orderItemId: number }>).some((i) => i.orderItemId === item.orderItemId)).toBe(
        true,
      );
    }
    const shipments = byId(recordsOf(messages, 'shipments'), 'shipments');
    for (const item of recordsOf(messages, 'shipment_items')) {
      const shipment = shipments.get(item.shipmentId);
      expect(shipment).toBeDefined();
      expect(item.shipmentCreateDate).toBe(shipment!.createDate);
      expect((shipment!.shipmentItems as unknown[])[item.itemIndex as number]).toEqual(
        Object.fromEntries(
          Object.entries(item).filter(([k]) => !['shipmentId', 'shipmentCreateDate', 'itemIndex'].includes(k)),
        ),
      );
    }
    // Keys are unique within a read.
    for (const child of ['order_items', 'shipment_items']) {
      const rows = recordsOf(messages, child);
      expect(new Set(rows.map((r) => keyOf(r, child))).size).toBe(rows.length);
    }
  });

  test('children selected alone: the parents are read but nothing is emitted under their names', () => {
    const messages = runs.get('children')!.result.messages;
    expect(streamsIn(messages)).toEqual(new Set(['order_items', 'shipment_items']));
    for (const child of ['order_items', 'shipment_items']) {
      expect(statusesOf(messages, child)).toEqual(['STARTED', 'RUNNING', 'COMPLETE']);
      const states = statesOf(messages, child);
      expect(states).toHaveLength(1);
      expect(states[0]!.sourceStats.recordCount).toBe(recordsOf(messages, child).length);
    }
  });

  test('with the parent: statuses for each stream, a STATE for each, the child after its parent', () => {
    const messages = runs.get('both')!.result.messages;
    for (const stream of ['orders', 'order_items', 'shipments', 'shipment_items']) {
      expect(statusesOf(messages, stream)).toEqual(['STARTED', 'RUNNING', 'COMPLETE']);
      expect(statesOf(messages, stream).map((s) => s.sourceStats.recordCount)).toEqual([
        recordsOf(messages, stream).length,
      ]);
    }
  });
});

describe('incremental', () => {
  let sim: Simulator | undefined;
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });
  const incremental = (names: string[]) =>
    configuredCatalog(names.map((name) => ({ name, mode: 'incremental' as const })));

  test('each parent checkpoint is followed by the child STATE with the same stream_state and its own count', async () => {
    sim = await simulator({ seed: 42, counts: { orders: 750, shipments: 380, fulfillments: 10 } });
    const r = await runCli(
      readArgs(sim, incremental(['orders', 'order_items', 'shipments', 'shipment_items']), { config: PAGE }),
    );
    expect(r.code).toBe(0);
    expect(invalidMessages(r.messages)).toEqual([]);
    for (const [parent, child] of [
      ['orders', 'order_items'],
      ['shipments', 'shipment_items'],
    ] as const) {
      const parentStates = statesOf(r.messages, parent);
      const childStates = statesOf(r.messages, child);
      expect(childStates.length).toBe(parentStates.length);
      expect(childStates.map((s) => s.stream.stream_state)).toEqual(parentStates.map((s) => s.stream.stream_state));
      expect(childStates.reduce((n, s) => n + s.sourceStats.recordCount, 0)).toBe(recordsOf(r.messages, child).length);
      expectChildComplete(sim, recordsOf(r.messages, child), child);
    }
    // Every STATE counts exactly the records of its stream since the previous one.
    expectCheckpointCounts(r.messages, (got, want) => expect(got).toBe(want));
  });

  test('read strictly in order (max_parallel_slices 1), the child’s cursor ascends like the parent’s', async () => {
    sim = await simulator({ seed: 42, counts: { orders: 750, shipments: 10, fulfillments: 10 } });
    const r = await runCli(
      readArgs(sim, incremental(['orders', 'order_items']), { config: { ...PAGE, max_parallel_slices: 1 } }),
    );
    expect(r.code).toBe(0);
    const values = recordsOf(r.messages, 'order_items').map((i) => String(i.orderModifyDate));
    expect(values).toEqual([...values].sort());
    expectChildComplete(sim, recordsOf(r.messages, 'order_items'), 'order_items');
  });

  test('next sync: exactly the items of the changed orders, no extra request; a child-only sync behaves the same', async () => {
    sim = await simulator({ seed: 43, counts: { orders: 600, shipments: 10, fulfillments: 10 } });
    const first = await runCli(readArgs(sim, incremental(['orders', 'order_items'])));
    const firstChildOnly = await runCli(readArgs(sim, incremental(['order_items'])));
    const modified = sim.mutate.modifyOrders({ count: 12 }).ids;
    const created = sim.mutate.createOrders({ count: 4 }).ids;
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const changed = new Set([...modified, ...created]);
    const wantItems = [...expectedChildTruth(sim, 'order_items').values()].filter((i) =>
      changed.has(i.orderId as number),
    );

    sim.resetStats();
    const second = await runCli(
      readArgs(sim, incremental(['orders']), {
        state: lastStates(first.messages).filter((s) => (s as StateMessage).stream.stream_descriptor.name === 'orders'),
      }),
    );
    const ordersAlone = sim.stats().byPath['/orders'];
    sim.resetStats();
    const both = await runCli(
      readArgs(sim, incremental(['orders', 'order_items']), { state: lastStates(first.messages) }),
    );
    expect(sim.stats().byPath['/orders']).toBe(ordersAlone);
    sim.resetStats();
    const childOnly = await runCli(
      readArgs(sim, incremental(['order_items']), { state: lastStates(firstChildOnly.messages) }),
    );
    expect(sim.stats().byPath['/orders']).toBe(ordersAlone);

    for (const r of [second, both, childOnly]) expect(r.code).toBe(0);
    expect(new Set(recordsOf(both.messages, 'orders').map((o) => o.orderId))).toEqual(changed);
    for (const r of [both, childOnly]) {
      expect(new Set(recordsOf(r.messages, 'order_items').map((i) => i.orderItemId))).toEqual(
        new Set(wantItems.map((i) => i.orderItemId)),
      );
    }
    expect(streamsIn(childOnly.messages)).toEqual(new Set(['order_items']));
    expectChildComplete(
      sim,
      [...recordsOf(first.messages, 'order_items'), ...recordsOf(both.messages, 'order_items')],
      'order_items',
    );
  });

  test('a child added later (or behind its parent) is read from its own position: nothing lost', async () => {
    sim = await simulator({ seed: 44, counts: { orders: 800, shipments: 10, fulfillments: 10 } });
    const first = await runCli(readArgs(sim, incremental(['orders', 'order_items']), { config: PAGE }));
    expect(first.code).toBe(0);
    // The child's third checkpoint with the parent's last: the child is behind.
    const childStates = ofType(first.messages, 'STATE').filter(
      (m) => (m.state as StateMessage).stream.stream_descriptor.name === 'order_items',
    );
    const behind = childStates[2]!.state as StateMessage;
    const parentLast = lastStates(first.messages).find(
      (s) => (s as StateMessage).stream.stream_descriptor.name === 'orders',
    );
    const upToBehind = first.messages.slice(0, first.messages.indexOf(childStates[2]!));
    const r = await runCli(
      readArgs(sim, incremental(['orders', 'order_items']), { config: PAGE, state: [parentLast, behind] }),
    );
    expect(r.code).toBe(0);
    expectChildComplete(
      sim,
      [...recordsOf(upToBehind, 'order_items'), ...recordsOf(r.messages, 'order_items')],
      'order_items',
    );
    const logs = ofType(r.messages, 'LOG').map((m) => (m.log as { message: string }).message);
    expect(logs.some((l) => /states differ; reading from the earliest/.test(l))).toBe(true);
    // Both streams end on the same position.
    const last = lastStates(r.messages) as StateMessage[];
    expect(last.map((s) => s.stream.stream_state)[0]).toEqual(last.map((s) => s.stream.stream_state)[1]);

    // No child state at all (added to the connection later): the child gets everything.
    const added = await runCli(readArgs(sim, incremental(['orders', 'order_items']), { state: [parentLast] }));
    expect(added.code).toBe(0);
    expectChildComplete(sim, recordsOf(added.messages, 'order_items'), 'order_items');
  });

  test('shipments re-scan and void passes feed shipment_items too, without any request beyond the parent', async () => {
    sim = await simulator({ seed: 45, counts: { orders: 300, shipments: 400, fulfillments: 10 } });
    const first = await runCli(readArgs(sim, incremental(['shipments', 'shipment_items'])));
    sim.resetStats();
    const alone = await runCli(
      readArgs(sim, incremental(['shipments']), {
        state: lastStates(first.messages),
        config: { shipments_lookback_days: 2 },
      }),
    );
    const aloneRequests = sim.stats().byPath['/shipments'];
    sim.resetStats();
    const withChild = await runCli(
      readArgs(sim, incremental(['shipments', 'shipment_items']), {
        state: lastStates(first.messages),
        config: { shipments_lookback_days: 2 },
      }),
    );
    expect([alone.code, withChild.code]).toEqual([0, 0]);
    expect(sim.stats().byPath['/shipments']).toBe(aloneRequests);
  });
});

describe('catalog', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await simulator({ seed: 46, counts: { orders: 50, shipments: 20, fulfillments: 5 } });
  });
  afterAll(() => sim.close());

  test('discover offers the children with their keys, the parent modes and the carried cursors', async () => {
    const r = await runCli(configArgs('discover', { ...sim.config }));
    expect(r.code).toBe(0);
    const streams = (r.messages[0]!.catalog as { streams: Array<Record<string, unknown>> }).streams;
    const names = streams.map((s) => s.name);
    expect(names.indexOf('order_items')).toBe(names.indexOf('orders') + 1);
    expect(names.indexOf('shipment_items')).toBe(names.indexOf('shipments') + 1);
    expect(streams.find((s) => s.name === 'order_items')).toMatchObject({
      supported_sync_modes: ['full_refresh', 'incremental'],
      source_defined_primary_key: [['orderItemId']],
      default_cursor_field: ['orderModifyDate'],
      source_defined_cursor: false,
      is_resumable: true,
    });
    expect(streams.find((s) => s.name === 'shipment_items')).toMatchObject({
      source_defined_primary_key: [['shipmentId'], ['itemIndex']],
      default_cursor_field: ['shipmentCreateDate'],
      source_defined_cursor: true,
    });
  });

  test.each([
    [
      'different sync modes',
      [{ name: 'orders', mode: 'incremental' }, { name: 'order_items' }],
      /'order_items' \(full_refresh\).*'orders' \(incremental\)/,
    ],
    [
      'different cursors',
      [
        { name: 'orders', mode: 'incremental' },
        { name: 'order_items', mode: 'incremental', cursor: 'orderCreateDate' },
      ],
      /'order_items' cursor 'orderCreateDate'.*'orders' cursor 'modifyDate'.*orderModifyDate/,
    ],
    [
      'a cursor the child does not carry',
      [{ name: 'order_items', mode: 'incremental', cursor: 'modifyDate' }],
      /'modifyDate' is not a cursor of stream 'order_items'.*orderModifyDate or orderCreateDate/,
    ],
  ] as Array<[string, Selection[], RegExp]>)(
    '%s: a config_error naming both, before any request',
    async (_name, selections, pattern) => {
      sim.resetStats();
      const r = await runCli(readArgs(sim, configuredCatalog(selections)));
      expect(r.code).toBe(1);
      const errors = traceErrors(r.messages);
      expect(errors).toHaveLength(1);
      expect(errors[0]!.failure_type).toBe('config_error');
      expect(errors[0]!.message).toMatch(pattern);
      expect(sim.stats().requests).toBe(0);
    },
  );

  test('orders by createDate with order_items by orderCreateDate agree', async () => {
    const r = await runCli(
      readArgs(
        sim,
        configuredCatalog([
          { name: 'orders', mode: 'incremental', cursor: 'createDate' },
          { name: 'order_items', mode: 'incremental', cursor: 'orderCreateDate' },
        ]),
      ),
    );
    expect(r.code).toBe(0);
    expect(statesOf(r.messages, 'order_items').at(-1)!.stream.stream_state).toMatchObject({
      cursor_field: 'createDate',
    });
    expectChildComplete(sim, recordsOf(r.messages, 'order_items'), 'order_items');
  });
});
