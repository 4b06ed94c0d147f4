// A server whose pages lie: it ignores the window's end, the sort direction or the page number, reports false
// `pages`/`total`, sends records without a usable primary key. Whatever it does, the outcome must be one of:
// every record the server holds inside the sync's window is emitted; or the stream ends INCOMPLETE with a TRACE
// naming the server's fault. In both cases no STATE ever moves past a record not emitted, and every STATE is
// valid input for the next sync.
import { afterEach, describe, expect, test } from '@jest/globals';
import type { CliResult, Message } from '../helpers/cli.js';
import { expectedUtc } from '../helpers/expected.js';
import { recordsOf, statusesOf, type StateMessage } from '../helpers/sim.js';
import { errorsOf, read } from './run.js';
import { order, orders, product, startHostile, wall, type HostileServer, type Row } from './server.js';

let server: HostileServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const ORDERS = [{ name: 'orders', mode: 'incremental' as const }];

/**
 * The promise, checked: complete with every row of `inWindow`, or INCOMPLETE with an error TRACE; and at every
 * STATE, each row whose cursor lies before the STATE's cursor was emitted before it.
 */
function expectNothingLost(r: CliResult, stream: string, inWindow: Row[], idField: string, cursorField?: string): void {
  const status = statusesOf(r.messages, stream).at(-1);
  const emitted = new Set(recordsOf(r.messages, stream).map((row) => JSON.stringify(row[idField])));
  const missing = inWindow.filter((row) => !emitted.has(JSON.stringify(row[idField]))).map((row) => row[idField]);
  if (status === 'COMPLETE') {
    expect({ status, missing }).toEqual({ status, missing: [] });
  } else {
    expect(status).toBe('INCOMPLETE');
    const errors = errorsOf(r.messages);
    expect(errors.length).toBeGreaterThanOrEqual(1);
    expect(errors.map((e) => e.message).join(' ')).toMatch(/ShipStation|server/i);
  }
  if (cursorField) expectStatesBehindEmitted(r.messages, stream, inWindow, idField, cursorField);
}

function expectStatesBehindEmitted(
  messages: Message[],
  stream: string,
  rows: Row[],
  idField: string,
  cursorField: string,
): void {
  const seen = new Set<string>();
  for (const m of messages) {
    if (m.type === 'RECORD' && (m.record as { stream: string }).stream === stream) {
      seen.add(JSON.stringify((m.record as { data: Row }).data[idField]));
    } else if (m.type === 'STATE' && (m.state as StateMessage).stream.stream_descriptor.name === stream) {
      const cursor = (m.state as StateMessage).stream.stream_state.cursor as string | undefined;
      if (cursor === undefined) continue;
      const skipped = rows.filter(
        (row) => expectedUtc(String(row[cursorField])) < cursor && !seen.has(JSON.stringify(row[idField])),
      );
      expect({ state: cursor, skipped: skipped.map((row) => row[idField]) }).toEqual({ state: cursor, skipped: [] });
    }
  }
}

/** Every STATE emitted must be accepted as --state by the next run (no config_error). */
async function expectStatesReadable(
  s: HostileServer,
  r: CliResult,
  selections: typeof ORDERS,
  config: Record<string, unknown> = {},
): Promise<CliResult> {
  const states = r.messages.filter((m) => m.type === 'STATE').map((m) => m.state);
  for (const state of states.slice(-3)) {
    const again = await read(s, selections, { config, state: [state] });
    expect(errorsOf(again.messages).filter((e) => e.failure_type === 'config_error')).toEqual([]);
  }
  const last = new Map<string, unknown>();
  for (const state of states) last.set((state as StateMessage).stream.stream_descriptor.name, state);
  return read(s, selections, { config, state: [...last.values()] });
}

describe('a server that ignores the query', () => {
  test('ignores modifyDateEnd and returns a row dated 2999: the state never jumps past the window', async () => {
    const rows = [...orders(6), order(7, '2999-01-01T00:00:00.0000000')];
    server = await startHostile({
      data: { '/orders': rows },
      query: (q) => {
        q.delete('modifyDateEnd');
        return q;
      },
    });
    const r = await read(server, ORDERS);
    expectNothingLost(r, 'orders', rows.slice(0, 6), 'orderId', 'modifyDate');
    for (const m of r.messages.filter((x) => x.type === 'STATE')) {
      const cursor = (m.state as StateMessage).stream.stream_state.cursor as string | undefined;
      if (cursor !== undefined) expect(cursor < new Date().toISOString()).toBe(true);
    }
    // A row modified later (but before the next sync) must be read by the next sync, unless it stops on the fault.
    rows.push(order(8, '2024-06-01T10:00:00.0000000'));
    const next = await expectStatesReadable(server, r, ORDERS);
    if (statusesOf(next.messages, 'orders').at(-1) === 'COMPLETE')
      expect(recordsOf(next.messages, 'orders').map((o) => o.orderId)).toContain(8);
    else expect(errorsOf(next.messages).length).toBeGreaterThanOrEqual(1);
  });

  test('ignores sortDir and answers descending: every order emitted, or INCOMPLETE; no state past a record not emitted', async () => {
    const rows = orders(12);
    server = await startHostile({ data: { '/orders': rows }, order: (list) => [...list].reverse() });
    const r = await read(server, ORDERS, { config: { page_size: 5 } });
    expectNothingLost(r, 'orders', rows, 'orderId', 'modifyDate');
    await expectStatesReadable(server, r, ORDERS, { page_size: 5 });
  });

  test('sorts arbitrarily: every order emitted, or INCOMPLETE; no state past a record not emitted', async () => {
    const rows = orders(12);
    const shuffle = [7, 2, 11, 0, 5, 9, 1, 4, 10, 3, 8, 6];
    server = await startHostile({
      data: { '/orders': rows },
      order: (list) => shuffle.filter((i) => i < list.length).map((i) => list[i]!),
    });
    const r = await read(server, ORDERS, { config: { page_size: 5 } });
    expectNothingLost(r, 'orders', rows, 'orderId', 'modifyDate');
    await expectStatesReadable(server, r, ORDERS, { page_size: 5 });
  });

  test('ignores page inside a same-second group (page 1 forever): ends within the time bound, bounded requests', async () => {
    const rows = orders(12, () => wall(30));
    server = await startHostile({
      data: { '/orders': rows },
      query: (q) => {
        q.set('page', '1');
        return q;
      },
    });
    const r = await read(server, ORDERS, { config: { page_size: 5 }, timeoutMs: 50_000 });
    expect(r.signal).toBeNull();
    expectNothingLost(r, 'orders', rows, 'orderId', 'modifyDate');
    expect(server.requests.length).toBeLessThanOrEqual(50);
    await expectStatesReadable(server, r, ORDERS, { page_size: 5 });
  }, 60_000);
});

describe('a server whose envelope lies', () => {
  test('full refresh: pages: 1 on a full page of 5 (12 rows): every product emitted, or INCOMPLETE', async () => {
    const rows = Array.from({ length: 12 }, (_, i) => product(i + 1));
    server = await startHostile({ data: { '/products': rows }, page: (p) => ({ ...p, pages: 1 }) });
    const r = await read(server, [{ name: 'products' }], { config: { page_size: 5 } });
    expectNothingLost(r, 'products', rows, 'productId');
  });

  test.each([0, -3])('incremental: total: %d on a full page: every order emitted, or INCOMPLETE', async (total) => {
    const rows = orders(12);
    server = await startHostile({ data: { '/orders': rows }, page: (p) => ({ ...p, total }) });
    const r = await read(server, ORDERS, { config: { page_size: 5 } });
    expectNothingLost(r, 'orders', rows, 'orderId', 'modifyDate');
    await expectStatesReadable(server, r, ORDERS, { page_size: 5 });
  });

  test.each<[string, unknown]>([
    ['without a primary key', undefined],
    ['with true as id', true],
    ['with an object as id', { id: 3 }],
    ['with null as id', null],
  ])('records %s: every STATE is valid input for the next sync', async (_name, id) => {
    const rows = orders(6).map((o, i) =>
      i === 5 ? (id === undefined ? (({ orderId: _drop, ...rest }) => rest)(o) : { ...o, orderId: id }) : o,
    );
    server = await startHostile({ data: { '/orders': rows } });
    const r = await read(server, ORDERS);
    const status = statusesOf(r.messages, 'orders').at(-1);
    if (status === 'COMPLETE') expect(recordsOf(r.messages, 'orders')).toHaveLength(6);
    else expect(errorsOf(r.messages).length).toBeGreaterThanOrEqual(1);
    const next = await expectStatesReadable(server, r, ORDERS);
    expect(errorsOf(next.messages).filter((e) => e.failure_type === 'config_error')).toEqual([]);
  });
});
