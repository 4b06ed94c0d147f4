// What real clients send: files with a BOM, catalogs and states with every optional field as null (Airbyte's
// Python tooling), unknown extra fields. What must stay strict: impossible dates and cursors out of range are a
// one-line config_error naming the field. And a record nested 5,000 levels deep does not break any sync, nor
// does a lone surrogate or a key given twice in a response.
import { afterEach, describe, expect, test } from '@jest/globals';
import { join } from 'node:path';
import { loadLines, query } from '../destination/helpers.js';
import { runCli, tempDir, traceErrors, writeFiles, type CliResult } from '../helpers/cli.js';
import { configuredCatalog, lastStates, recordsOf, statesOf } from '../helpers/sim.js';
import { buildCatalog } from '../../src/streams/catalog.js';
import { expectNoSecret, expectNoStack, outcome, read } from './run.js';
import { order, orders, startHostile, wall, type HostileServer } from './server.js';
import { v1 } from '../../src/dialects/v1.js';

let server: HostileServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const BOM = '\uFEFF';

/** A configured stream the way Airbyte's Python models serialise it: every optional field present, as null. */
function pythonStyle(name: string, syncMode: 'incremental' | 'full_refresh') {
  const offered = buildCatalog(v1.streams).streams.find((s) => s.name === name)!;
  return {
    stream: {
      name,
      json_schema: offered.json_schema,
      supported_sync_modes: offered.supported_sync_modes,
      source_defined_cursor: null,
      default_cursor_field: null,
      source_defined_primary_key: null,
      namespace: null,
      is_resumable: null,
      is_file_based: null,
    },
    sync_mode: syncMode,
    cursor_field: null,
    destination_sync_mode: syncMode === 'incremental' ? 'append_dedup' : 'overwrite',
    primary_key: null,
    generation_id: null,
    minimum_generation_id: null,
    sync_id: null,
    some_future_field: { nested: true },
  };
}

async function readFiles(files: Record<string, string>): Promise<CliResult> {
  const paths = writeFiles(files);
  return runCli(
    [
      'read',
      '--config',
      paths['config.json']!,
      '--catalog',
      paths['catalog.json']!,
      ...(paths['state.json'] ? ['--state', paths['state.json']] : []),
    ],
    {
      env: { SHIPSTATION_PROGRESS: 'off' },
    },
  );
}

describe('liberal in what it accepts', () => {
  test('config, catalog and state with a UTF-8 BOM, the catalog written with nulls and unknown fields, the state with nulls', async () => {
    server = await startHostile({ data: { '/orders': orders(5), '/stores': [{ storeId: 1, storeName: 'Shop' }] } });
    const catalog = {
      streams: [pythonStyle('orders', 'incremental'), pythonStyle('stores', 'full_refresh')],
      some_future_field: null,
    };
    const state = [
      {
        type: 'STREAM',
        stream: {
          stream_descriptor: { name: 'orders', namespace: null },
          stream_state: {
            version: 1,
            cursor_field: 'modifyDate',
            cursor: null,
            from: null,
            ids_at_cursor: null,
            group: null,
          },
        },
        global: null,
        data: null,
        sourceStats: null,
        destinationStats: null,
      },
    ];
    const r = await readFiles({
      'config.json': BOM + JSON.stringify(server.config({ start_date: null, end_date: null, partner_key: null })),
      'catalog.json': BOM + JSON.stringify(catalog),
      'state.json': BOM + JSON.stringify(state),
    });
    expect(outcome(r, ['orders', 'stores'])).toEqual({
      code: 0,
      statuses: { orders: 'COMPLETE', stores: 'COMPLETE' },
      invalid: [],
    });
    expect(recordsOf(r.messages, 'orders')).toHaveLength(5);
    expect(recordsOf(r.messages, 'stores')).toHaveLength(1);
  });
});

describe('strict and clear on what matters', () => {
  const configError = (r: CliResult, pattern: RegExp) => {
    expect(r.code).toBe(1);
    const errors = traceErrors(r.messages);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.failure_type).toBe('config_error');
    expect(errors[0]!.message).toMatch(pattern);
    expect(errors[0]!.message).not.toMatch(/[\n\r]/);
    expectNoStack(r);
  };

  test.each([
    ['start_date', '2024-02-30', /config\.start_date is not a real calendar date or time: 2024-02-30/],
    ['end_date', '2024-04-31T00:00:00Z', /config\.end_date is not a real calendar date or time/],
    ['start_date', '2024-01-01T24:00:00Z', /config\.start_date is not a real calendar date or time/],
    ['start_date', '1850-01-01', /config\.start_date must lie in the years 1900–9999/],
  ])('config %s = %s is a config_error naming it', async (field, value, pattern) => {
    server = await startHostile();
    configError(await read(server, [{ name: 'orders', mode: 'incremental' }], { config: { [field]: value } }), pattern);
    expect(server.requests).toHaveLength(0);
  });

  test.each([
    [
      '0001-01-01T00:00:00Z',
      /state for stream 'orders'\.cursor: "0001-01-01T00:00:00Z" is out of range \(years 1900–9999\)/,
    ],
    ['2024-02-30T00:00:00Z', /state for stream 'orders'\.cursor: not a date-time/],
    ['9999-12-31T23:59:59Z', /out of range/],
  ])('a state cursor %s is a one-line config_error naming the field', async (cursor, pattern) => {
    server = await startHostile();
    const state = [
      {
        type: 'STREAM',
        stream: {
          stream_descriptor: { name: 'orders' },
          stream_state: { version: 1, cursor_field: 'modifyDate', cursor },
        },
      },
    ];
    configError(await read(server, [{ name: 'orders', mode: 'incremental' }], { state }), pattern);
  });
});

describe('input values past every bound (found by test/hostile/generated.test.ts)', () => {
  const configError = (r: CliResult, message: string) => {
    expect(r.code).toBe(1);
    expect(traceErrors(r.messages)).toEqual([{ message, failure_type: 'config_error' }]);
    expectNoStack(r);
  };
  const deepArray = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
  const stateWith = (streamState: string) =>
    `[{"type":"STREAM","stream":{"stream_descriptor":{"name":"orders"},"stream_state":${streamState}}}]`;

  test.each([
    [
      'a cursor',
      stateWith(`{"version":1,"cursor_field":"modifyDate","cursor":${deepArray(100_000)}}`),
      'state[0].stream.stream_state: nested deeper than 32 levels, not a state this connector wrote',
    ],
    [
      'a version',
      stateWith(`{"version":${deepArray(100_000)},"cursor_field":"modifyDate"}`),
      'state[0].stream.stream_state: nested deeper than 32 levels, not a state this connector wrote',
    ],
    [
      'a legacy state',
      `{"orders":{"modifyDate":${deepArray(100_000)}}}`,
      'state.orders: nested deeper than 32 levels, not a state this connector wrote',
    ],
    [
      'a message type',
      `[{"type":${deepArray(100_000)}}]`,
      'state[0].type: must be STREAM, GLOBAL or LEGACY (got an array nested too deep to show)',
    ],
  ])(
    '%s nested 100,000 levels deep is a config_error naming where (it overflowed the stack)',
    async (_what, state, message) => {
      server = await startHostile();
      configError(
        await readFiles({
          'config.json': JSON.stringify(server.config()),
          'catalog.json': JSON.stringify(configuredCatalog([{ name: 'orders', mode: 'incremental' }])),
          'state.json': state,
        }),
        message,
      );
      expect(server.requests).toHaveLength(0);
    },
  );

  test('a stream name of a megabyte is quoted by its first 80 characters', async () => {
    server = await startHostile();
    const catalog = configuredCatalog([{ name: 'stores' }]);
    catalog.streams[0]!.stream.name = `x\n${'y'.repeat(1_000_000)}`;
    const r = await readFiles({
      'config.json': JSON.stringify(server.config()),
      'catalog.json': JSON.stringify(catalog),
    });
    configError(
      r,
      `catalog.streams[0]: unknown stream 'x\\n${'y'.repeat(78)}…' (this connector offers ${v1.streams.names().join(', ')})`,
    );
  });
});

describe('a record nested 5,000 levels deep', () => {
  test('is emitted cut at 100 levels with one WARN; the stream completes and the next sync reads from its state', async () => {
    // Spliced into the response text: JSON.stringify itself cannot write 5,000 levels.
    const deep = `${'{"a":'.repeat(5000)}{}${'}'.repeat(5000)}`;
    const rows = [
      ...orders(4),
      order(5, wall(5), { advancedOptions: { storeId: 1, nested: 'DEEP' }, deep: 'DEEP' }),
      order(6, wall(6)),
    ];
    server = await startHostile({ data: { '/orders': rows }, text: (text) => text.replaceAll('"DEEP"', deep) });
    const selections = [
      { name: 'orders', mode: 'incremental' as const },
      { name: 'order_items', mode: 'incremental' as const },
    ];
    const first = await read(server, selections, { config: { validate_records: true } });
    expect(outcome(first, ['orders', 'order_items'])).toEqual({
      code: 0,
      statuses: { orders: 'COMPLETE', order_items: 'COMPLETE' },
      invalid: [],
    });
    expect(recordsOf(first.messages, 'orders').map((o) => o.orderId)).toEqual([1, 2, 3, 4, 5, 6]);
    const warnings = first.messages.filter(
      (m) => m.type === 'LOG' && /nested deeper than 100 levels/.test((m.log as { message: string }).message),
    );
    expect(warnings).toHaveLength(1);
    expect(statesOf(first.messages, 'orders').at(-1)!.stream.stream_state.cursor).toBe('2024-03-01T16:06:00.000Z');
    const second = await read(server, selections, { state: lastStates(first.messages) });
    expect(outcome(second, ['orders', 'order_items'])).toEqual({
      code: 0,
      statuses: { orders: 'COMPLETE', order_items: 'COMPLETE' },
      invalid: [],
    });
    expect(recordsOf(second.messages, 'orders').length).toBeLessThanOrEqual(1);
    expectNoSecret(second, [server.config().api_key as string, server.config().api_secret as string]);
  });
});

describe('what ShipStation could send that DuckDB would refuse', () => {
  test('a lone surrogate passes the connector as sent (escaped); of a key given twice it keeps the last; the loader sets the first record aside and stores the second', async () => {
    server = await startHostile({
      data: {
        '/orders': [
          order(1, wall(1), { customerEmail: 'LONE' }),
          order(2, wall(2), { customerUsername: 'TWICE' }),
          order(3),
        ],
      },
      text: (text) =>
        text
          .replace('"LONE"', '"x\\ud83d"')
          .replace('"customerUsername":"TWICE"', '"customerUsername":"first","customerUsername":"second"'),
    });
    const r = await read(server, [{ name: 'orders', mode: 'incremental' }]);
    expect(outcome(r, ['orders'])).toEqual({ code: 0, statuses: { orders: 'COMPLETE' }, invalid: [] });
    const line = (id: number) => r.stdout.split('\n').find((l) => l.includes(`"orderId":${id},`))!;
    // The value as the server sent it: the connector neither drops nor replaces the unpaired half.
    expect(line(1)).toContain('"customerEmail":"x\\ud83d"');
    // JSON.parse keeps a repeated key's last value; the connector emits it once (finding repeats would mean
    // scanning every response a second time).
    expect(line(2).match(/"customerUsername":"[^"]*"/g)).toEqual(['"customerUsername":"second"']);

    const offered = buildCatalog(v1.streams).streams.find((s) => s.name === 'orders')!;
    const database = join(tempDir(), 'orders.duckdb');
    const loaded = loadLines(database, r.stdout.split('\n').filter(Boolean), {
      streams: [
        {
          stream: offered,
          sync_mode: 'incremental',
          destination_sync_mode: 'append_dedup',
          cursor_field: ['modifyDate'],
        },
      ],
    });
    expect(loaded.status).toBe(0);
    expect(loaded.stderr).toMatch(
      /key \{"orderId":1\}: a lone UTF-16 surrogate \(\\ud83d\) in field 'customerEmail', which DuckDB cannot store/,
    );
    expect(await query(database, 'SELECT orderId, customerUsername FROM orders ORDER BY orderId')).toEqual([
      { orderId: '2', customerUsername: 'second' },
      { orderId: '3', customerUsername: null },
    ]);
  });
});
