// The loader (shipstation-load, a child process reading stdin) on hand-made Airbyte messages: typing, extras,
// dedup that does not depend on arrival order, atomic full-refresh replace, schema changes, malformed input.
import { describe, expect, test } from '@jest/globals';
import { join } from 'node:path';
import { tempDir } from '../helpers/cli.js';
import { loadLines, query } from './helpers.js';
import { record, state, status } from './messages.js';

const schema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    at: { type: ['null', 'string'], format: 'date-time', airbyte_type: 'timestamp_with_timezone' },
    day: { type: ['null', 'string'], format: 'date' },
    price: { type: ['null', 'number'] },
    ok: { type: ['null', 'boolean'] },
    name: { type: ['null', 'string'] },
    address: { type: ['null', 'object'] },
    tags: { type: ['null', 'array'] },
    quirk: { type: ['null', 'array', 'string'] },
  },
};
const stream = (name: string, extra: object = {}) => ({
  name,
  json_schema: schema,
  supported_sync_modes: ['full_refresh', 'incremental'],
  source_defined_primary_key: [['id']],
  ...extra,
});
const catalog = {
  streams: [
    { stream: stream('items'), sync_mode: 'incremental', destination_sync_mode: 'append_dedup', cursor_field: ['at'] },
    { stream: stream('refs'), sync_mode: 'full_refresh', destination_sync_mode: 'overwrite' },
  ],
};
const db = () => join(tempDir(), 'test.duckdb');

describe('shipstation-load', () => {
  test('types round-trip: a UTC timestamp, a date, a nested object, an array, a mixed type; misfits and unknown fields kept in the extras', async () => {
    const file = db();
    const r = loadLines(
      file,
      [
        record('items', {
          id: 1,
          at: '2024-03-10T09:30:00.123Z',
          day: '2024-02-29',
          price: 9.5,
          ok: true,
          name: 'a',
          address: { city: 'Austin', zip: null },
          tags: [1, 2],
          quirk: '',
        }),
        record('items', {
          id: 2,
          at: '2024-03-10T10:00:00.000+02:00',
          day: 'not a day',
          price: '9.50',
          ok: null,
          name: 'b',
          tags: [],
          quirk: ['x'],
          surprise: { deep: true },
        }),
        state('items', 'c1'),
      ],
      catalog,
    );
    expect(r.stderr).toContain('WARN items.day: 1 value(s) did not fit');
    expect(r.stderr).toContain('WARN items.price: 1 value(s) did not fit');
    expect(r.stderr).toContain("WARN items.surprise: 1 value(s) of a field the stream's schema does not declare");
    expect(r.status).toBe(0);
    const rows = await query(
      file,
      `SELECT id, strftime("at", '%Y-%m-%dT%H:%M:%S.%gZ') AS "at", CAST(day AS VARCHAR) AS day, price, ok, name, CAST(address AS VARCHAR) AS address, address->>'$.city' AS city,
              CAST(tags AS VARCHAR) AS tags, json_array_length(tags) AS n, CAST(quirk AS VARCHAR) AS quirk, CAST(_airbyte_extras AS VARCHAR) AS extras,
              typeof("at") AS t_at, typeof(day) AS t_day, typeof(id) AS t_id, typeof(address) AS t_address, epoch_ms(_airbyte_extracted_at) AS extracted
       FROM items ORDER BY id`,
    );
    expect(rows[0]).toEqual({
      id: '1',
      at: '2024-03-10T09:30:00.123Z',
      day: '2024-02-29',
      price: 9.5,
      ok: true,
      name: 'a',
      address: '{"city":"Austin","zip":null}',
      city: 'Austin',
      tags: '[1,2]',
      n: '2',
      quirk: '""',
      extras: null,
      t_at: 'TIMESTAMP WITH TIME ZONE',
      t_day: 'DATE',
      t_id: 'BIGINT',
      t_address: 'JSON',
      extracted: '1700000000000',
    });
    expect(rows[1]).toMatchObject({
      id: '2',
      at: '2024-03-10T08:00:00.000Z',
      day: null,
      price: null,
      ok: null,
      quirk: '["x"]',
    });
    expect(JSON.parse(rows[1]!.extras as string)).toEqual({
      day: 'not a day',
      price: '9.50',
      surprise: { deep: true },
    });
  });

  test('dedup by key: the newest cursor value wins whatever the arrival order, ties go to the later arrival, across batches too', async () => {
    const file = db();
    const v = (id: number, at: string, name: string) => record('items', { id, at, name });
    // Batch 1: id 1 newest first then an older copy; id 2 twice at the same cursor (the later wins).
    expect(
      loadLines(
        file,
        [
          v(1, '2024-01-02T00:00:00Z', 'new'),
          v(1, '2024-01-01T00:00:00Z', 'old'),
          v(2, '2024-01-01T00:00:00Z', 'first'),
          v(2, '2024-01-01T00:00:00Z', 'second'),
          state('items', 's1'),
        ],
        catalog,
      ).status,
    ).toBe(0);
    // Batch 2 (a later run re-reading out of order): an older id 1 must not replace the stored newer one; a newer id 2 does.
    expect(
      loadLines(
        file,
        [
          v(1, '2023-12-31T00:00:00Z', 'older'),
          v(2, '2024-01-03T00:00:00Z', 'newer'),
          v(3, '2024-01-01T00:00:00Z', 'three'),
          state('items', 's2'),
        ],
        catalog,
      ).status,
    ).toBe(0);
    expect(await query(file, 'SELECT id, name FROM items ORDER BY id')).toEqual([
      { id: '1', name: 'new' },
      { id: '2', name: 'newer' },
      { id: '3', name: 'three' },
    ]);
    expect(
      await query(
        file,
        "SELECT state->>'$.stream.stream_state.cursor' AS cursor FROM _shipstation_state WHERE stream = 'items'",
      ),
    ).toEqual([{ cursor: 's2' }]);
  });

  test('a full-refresh stream replaces its table only when it completes; one that fails keeps the old table', async () => {
    const file = db();
    const ref = (id: number, name: string) => record('refs', { id, name });
    expect(
      loadLines(
        file,
        [
          status('refs', 'STARTED'),
          ref(1, 'a'),
          ref(2, 'b'),
          ref(2, 'b2'),
          state('refs', 'done'),
          status('refs', 'COMPLETE'),
        ],
        catalog,
      ).status,
    ).toBe(0);
    expect(await query(file, 'SELECT id, name FROM refs ORDER BY id')).toEqual([
      { id: '1', name: 'a' },
      { id: '2', name: 'b2' },
    ]);
    // A second run that stops half-way (no COMPLETE): the table is left as it was.
    const failed = loadLines(file, [status('refs', 'STARTED'), ref(3, 'c'), status('refs', 'INCOMPLETE')], catalog);
    expect(failed.stderr).toContain('WARN refs: the stream did not complete; its table was left as it was');
    expect(failed.status).toBe(1);
    expect(await query(file, 'SELECT count(*) AS n FROM refs')).toEqual([{ n: '2' }]);
    // A run that completes replaces it whole: readers see the old rows or the new ones, never a mix.
    expect(loadLines(file, [status('refs', 'STARTED'), ref(9, 'z'), status('refs', 'COMPLETE')], catalog).status).toBe(
      0,
    );
    expect(await query(file, 'SELECT id, name FROM refs')).toEqual([{ id: '9', name: 'z' }]);
  });

  test('a malformed line is rejected with its line number; what the states before it cover is kept, nothing after them', async () => {
    const file = db();
    const v = (id: number) => record('items', { id, at: '2024-01-01T00:00:00Z' });
    const r = loadLines(
      file,
      [v(1), state('items', 's1'), v(2), '{"type":"RECORD","record":{"stream":"items","data":{"id":3}', v(4)],
      catalog,
    );
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^shipstation-load: input line 4: not a JSON message \(unexpected end at byte 60\): /m);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(await query(file, 'SELECT id FROM items')).toEqual([{ id: '1' }]);
    expect(await query(file, 'SELECT count(*) AS n FROM _shipstation_state')).toEqual([{ n: '1' }]);
    const wrongShape = loadLines(
      file,
      [record('items', { id: 5 }), { type: 'RECORD', record: { stream: 'items', data: [1] } }],
      catalog,
    );
    expect(wrongShape.stderr).toContain("input line 2: RECORD of stream 'items': record.data is not an object");
    const unknown = loadLines(file, [record('nope', { id: 1 })], catalog);
    expect(unknown.stderr).toContain(
      "input line 1: RECORD of stream 'nope', which the configured catalog does not select",
    );
    expect(await query(file, 'SELECT id FROM items')).toEqual([{ id: '1' }]);
  });

  test('schema changes between runs add columns; the stored catalog is used when none is given', async () => {
    const file = db();
    expect(
      loadLines(file, [record('items', { id: 1, at: '2024-01-01T00:00:00Z' }), state('items', 's1')], catalog).status,
    ).toBe(0);
    const wider = structuredClone(catalog);
    (wider.streams[0]!.stream.json_schema.properties as Record<string, object>).color = { type: ['null', 'string'] };
    expect(
      loadLines(
        file,
        [record('items', { id: 2, at: '2024-01-02T00:00:00Z', color: 'red' }), state('items', 's2')],
        wider,
      ).status,
    ).toBe(0);
    // No --catalog: the one stored by the previous load.
    expect(
      loadLines(file, [record('items', { id: 3, at: '2024-01-03T00:00:00Z', color: 'blue' }), state('items', 's3')])
        .status,
    ).toBe(0);
    expect(await query(file, 'SELECT id, color, _airbyte_extras AS extras FROM items ORDER BY id')).toEqual([
      { id: '1', color: null, extras: null },
      { id: '2', color: 'red', extras: null },
      { id: '3', color: 'blue', extras: null },
    ]);
    const fresh = loadLines(db(), [record('items', { id: 1 })]);
    expect(fresh.status).toBe(1);
    expect(fresh.stderr).toMatch(/has no stored catalog yet: pass --catalog configured_catalog\.json/);
  });
});
