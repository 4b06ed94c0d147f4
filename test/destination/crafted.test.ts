// shipstation-load on crafted and hostile input, as a tester would feed it (issue #24): each case is a record
// (or a whole input) and what must be stored for it, exactly, or the WARN / sentence that says where it went.
// Nothing is rounded, re-serialised, merged or dropped, and no record stops later loads.
import { describe, expect, test } from '@jest/globals';
import { join } from 'node:path';
import { tempDir } from '../helpers/cli.js';
import { loadHere, loadLines, query } from './helpers.js';
import { record, state } from './messages.js';

const schema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    at: { type: ['null', 'string'], format: 'date-time' },
    q: { type: ['null', 'integer'] },
    n: { type: ['null', 'number'] },
    m: { type: ['null', 'number'], decimal_places: 2 },
    s: { type: ['null', 'string'] },
    j: { type: ['null', 'object'] },
    '': { type: ['null', 'string'] },
    _airbyte_seq: { type: ['null', 'integer'] },
    'we"ird.na me': { type: ['null', 'string'] },
  },
};
const stream = (name: string) => ({
  name,
  json_schema: schema,
  supported_sync_modes: ['full_refresh', 'incremental'],
  source_defined_primary_key: [['id']],
});
const catalog = {
  streams: [
    { stream: stream('t'), sync_mode: 'incremental', destination_sync_mode: 'append_dedup', cursor_field: ['at'] },
    // Optional fields given as null (as Airbyte's Python models write them), as the connector accepts them.
    {
      stream: { ...stream('u'), namespace: null, default_cursor_field: null, source_defined_cursor: null },
      sync_mode: 'incremental',
      destination_sync_mode: 'append_dedup',
      cursor_field: null,
      primary_key: null,
      generation_id: null,
    },
  ],
};
const db = () => join(tempDir(), 'crafted.duckdb');
const line = (data: string) => `{"type":"RECORD","record":{"stream":"t","data":${data},"emitted_at":1700000000000}}`;

/**
 * One record each (its data as raw JSON text, with a unique id) and the row read back for it: every column as
 * DuckDB prints it (VARCHAR casts), the extras as stored text. All in one load, so one run covers them all.
 */
const STORED: Array<[string, string, Record<string, unknown>]> = [
  ['an integer past 2^53 in a BIGINT column, record clean', '{"id":1,"q":9007199254740993}', { q: '9007199254740993' }],
  [
    'the same with an undeclared field beside it (the record is rebuilt from its text, not from numbers)',
    '{"id":2,"q":9007199254740993,"extra":1}',
    { q: '9007199254740993', x: '{"extra":1}' },
  ],
  ['int64 max', '{"id":3,"q":9223372036854775807}', { q: '9223372036854775807' }],
  ['int64 min', '{"id":4,"q":-9223372036854775808}', { q: '-9223372036854775808' }],
  [
    'past int64: kept as written in the extras',
    '{"id":5,"q":9223372036854775808}',
    { q: null, x: '{"q":9223372036854775808}' },
  ],
  ['a big integer inside a JSON column', '{"id":6,"j":{"v":1234567890123456789}}', { j: '{"v":1234567890123456789}' }],
  ['a big integer undeclared', '{"id":7,"big":1234567890123456789}', { x: '{"big":1234567890123456789}' }],
  ['1e309 never becomes Infinity', '{"id":8,"n":1e309}', { n: null, x: '{"n":1e309}' }],
  ['-0 keeps its sign in a DOUBLE', '{"id":9,"n":-0.0}', { n: '-0.0' }],
  [
    'a decimal a double cannot hold',
    '{"id":10,"n":1.0000000000000000000001}',
    { n: null, x: '{"n":1.0000000000000000000001}' },
  ],
  ['1.5 in an integer column is not rounded', '{"id":11,"q":1.5}', { q: null, x: '{"q":1.5}' }],
  ['a string in an integer column is not cast', '{"id":12,"q":"12"}', { q: null, x: '{"q":"12"}' }],
  ['money: exact DECIMAL', '{"id":13,"m":1235611.31}', { m: '1235611.31' }],
  [
    'money past the double path goes as text, still exact',
    '{"id":14,"m":123456789012345.67}',
    { m: '123456789012345.67' },
  ],
  ['money with more places than the scale is not rounded', '{"id":15,"m":0.125}', { m: null, x: '{"m":0.125}' }],
  [
    'a date-time past the microsecond is not cut',
    '{"id":16,"at":"2024-01-01T00:00:00.1234567Z"}',
    { at: null, x: '{"at":"2024-01-01T00:00:00.1234567Z"}' },
  ],
  ['a property named "" has no column', '{"id":17,"":"empty"}', { x: '{"":"empty"}' }],
  ['a property named like ours has no column', '{"id":18,"_airbyte_seq":5}', { x: '{"_airbyte_seq":5}' }],
  ['quotes, dots and spaces in a name', '{"id":19,"we\\"ird.na me":"ok"}', { weird: 'ok' }],
  [
    'a field nested 5,000 deep, undeclared',
    `{"id":20,"deep":${'['.repeat(5000)}${']'.repeat(5000)}}`,
    { xLength: 10_009 },
  ],
  [
    'escapes and astral characters stay what they are',
    '{"id":21,"s":"caf\\u00e9 \\ud83d\\ude00 \\"q\\" \\n"}',
    { s: 'café 😀 "q" \n' },
  ],
  [
    'whitespace inside a record (not part of a value)',
    '{ "id" : 22 , "q" : 9007199254740993 , "j" : { "a" : [ 1 , 2 ] } }',
    { q: '9007199254740993', j: '{"a":[1,2]}' },
  ],
  [
    'more digits than a double in a JSON column: kept as written',
    '{"id":23,"j":{"v":1.0000000000000000000001,"w":1234567890123.1234}}',
    { j: '{"v":1.0000000000000000000001,"w":1234567890123.1234}' },
  ],
  [
    '1e309 inside a JSON column: kept as written, never Infinity',
    '{"id":24,"j":{"v":[1e309]}}',
    { j: '{"v":[1e309]}' },
  ],
];

/** Records no table row can hold as received: set aside whole, with the reason; nothing merged. */
const SET_ASIDE: Array<[string, string, RegExp]> = [
  ['a lone surrogate', '{"id":101,"s":"x\\ud83d"}', /a lone UTF-16 surrogate \(\\ud83d\) in field 's'/],
  ['a field given twice', '{"id":102,"q":1,"q":2}', /field 'q' appears twice in the record/],
  [
    'a string key in an integer key column',
    '{"id":"A-1"}',
    /its primary key field 'id' \("A-1"\) does not fit its column \(BIGINT\)/,
  ],
  ['another one', '{"id":"A-2"}', /its primary key field 'id' \("A-2"\) does not fit/],
  ['a fractional key', '{"id":3.5}', /its primary key field 'id' \(3.5\) does not fit/],
  ['a missing key', '{"s":"no id"}', /its primary key field 'id' is missing/],
  ['a null key', '{"id":null}', /its primary key field 'id' is null/],
];

describe('shipstation-load stores every value as received, or keeps it aside and says where', () => {
  const file = db();
  const notUtf8 = Buffer.concat([
    Buffer.from('{"type":"RECORD","record":{"stream":"t","data":{"id":103,"s":"'),
    Buffer.from([0xc3, 0x28]),
    Buffer.from('"},"emitted_at":1700000000000}}'),
  ]);
  let run: ReturnType<typeof loadLines>;

  test('one load of every case: exit 0, a WARN per kind, nothing refused', () => {
    run = loadLines(
      file,
      [
        `\uFEFF${JSON.stringify(record('u', { id: 1 }))}`,
        ...STORED.map(([, data]) => line(data)),
        ...SET_ASIDE.map(([, data]) => line(data)),
        notUtf8,
        JSON.stringify(state('t', 'after all')),
      ],
      catalog,
    );
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.status).toBe(0);
    expect(run.stderr).toContain(
      "WARN t.q: 3 value(s) did not fit the column's type exactly; kept as received in _airbyte_extras",
    );
    expect(run.stderr).toContain(
      'WARN t: 8 record(s) could not be stored as received and were set aside whole in _shipstation_rejected',
    );
  });

  test.each(STORED)('%s', async (_, data, expected) => {
    const id = (JSON.parse(data) as { id: number }).id;
    const [row] = await query(
      file,
      `SELECT CAST(q AS VARCHAR) AS q, CAST(n AS VARCHAR) AS n, CAST(m AS VARCHAR) AS m, s, CAST(j AS VARCHAR) AS j,
              CAST("at" AS VARCHAR) AS "at", "we""ird.na me" AS weird, CAST(_airbyte_extras AS VARCHAR) AS x,
              length(CAST(_airbyte_extras AS VARCHAR)) AS "xLength"
       FROM t WHERE id = ${id}`,
    );
    expect(row).toMatchObject(
      Object.fromEntries(Object.entries(expected).map(([k, v]) => [k, typeof v === 'number' ? String(v) : v])),
    );
  });

  test.each(SET_ASIDE)('set aside: %s', async (_, data, reason) => {
    const rows = await query(
      file,
      `SELECT reason, record, "key" FROM _shipstation_rejected WHERE record = '${data.replace(/'/g, "''")}'`,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.reason).toMatch(reason);
    expect(run.stderr).toMatch(/WARN t: 8 record\(s\)/);
  });

  test('bytes that are not UTF-8: the record is set aside with its bytes as they came', async () => {
    const [row] = await query(
      file,
      `SELECT reason, "key", hex(record_bytes) AS bytes FROM _shipstation_rejected WHERE input_line = ${STORED.length + SET_ASIDE.length + 2}`,
    );
    expect(row).toEqual({
      reason: 'the line is not valid UTF-8',
      key: '{"id":103}',
      bytes: notUtf8.toString('hex').toUpperCase(),
    });
  });

  test('no key was merged with another: each stored id once, and none NULL', async () => {
    expect(await query(file, 'SELECT count(*) AS n, count(DISTINCT id) AS ids, count(id) AS present FROM t')).toEqual([
      { n: String(STORED.length), ids: String(STORED.length), present: String(STORED.length) },
    ]);
    expect(await query(file, 'SELECT count(*) AS n FROM u')).toEqual([{ n: '1' }]);
  });

  test('the WARN lines name the records set aside by input line and key', () => {
    expect(run.stderr).toContain(
      `input line ${STORED.length + 2 + 2}, key {"id":"A-1"}: its primary key field 'id' ("A-1") does not fit its column (BIGINT)`,
    );
    expect(run.stderr).toMatch(/… and 3 more \(SELECT \* FROM _shipstation_rejected\)/);
  });

  test('a later load is not blocked by any of them', async () => {
    const next = loadLines(file, [line('{"id":500,"s":"next"}'), JSON.stringify(state('t', 'next'))]);
    expect(next.status).toBe(0);
    expect(await query(file, 'SELECT s FROM t WHERE id = 500')).toEqual([{ s: 'next' }]);
  });
});

describe('whole inputs and catalogs', () => {
  test('a line past --max-line-mb: one sentence naming the line; what the states before it cover is kept', async () => {
    const file = db();
    const r = loadLines(
      file,
      [
        line('{"id":1}'),
        JSON.stringify(state('t', 's1')),
        line(`{"id":2,"s":"${'x'.repeat(1_100_000)}"}`),
        line('{"id":3}'),
      ],
      catalog,
      ['--max-line-mb', '1'],
    );
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toContain(
      "shipstation-load: input line 3: longer than 1,048,576 bytes, the most a line may hold; raise --max-line-mb if the source's records are this large",
    );
    expect(await query(file, 'SELECT id FROM t')).toEqual([{ id: '1' }]);
  });

  test('a record of 45 MB, under the line limit, is stored whole (DuckDB gets the memory it needs for it)', async () => {
    const file = db();
    const r = loadLines(file, [line(`{"id":1,"s":"${'x'.repeat(45 << 20)}"}`), line('{"id":2}')], catalog);
    expect([r.status, r.stderr]).toEqual([0, `loaded into ${file}: t 2; 0 states\n`]);
    expect(await query(file, 'SELECT id, length(s) AS n FROM t ORDER BY id')).toEqual([
      { id: '1', n: String(45 << 20) },
      { id: '2', n: null },
    ]);
  });

  test('a STATE is stored as the source wrote it (a big integer in it included)', async () => {
    const file = db();
    const text =
      '{"type":"STREAM","stream":{"stream_descriptor":{"name":"t"},"stream_state":{"cursor":12345678901234567890}}}';
    expect(loadLines(file, [line('{"id":1}'), `{"type":"STATE","state":${text}}`], catalog).status).toBe(0);
    expect(await query(file, 'SELECT CAST(state AS VARCHAR) AS s FROM _shipstation_state')).toEqual([{ s: text }]);
  });

  test('the catalog may start with a byte-order mark', async () => {
    const file = db();
    const r = loadLines(file, [line('{"id":1}')], `\uFEFF${JSON.stringify(catalog)}`);
    expect(r.stderr).toBe(`loaded into ${file}: t 1; 0 states\n`);
  });
});

describe('a schema change never rewrites a stored value', () => {
  const typed = (type: object, cursor = true) => ({
    streams: [
      {
        stream: {
          name: 'c',
          json_schema: {
            type: 'object',
            properties: { id: { type: 'integer' }, v: type, at: { type: ['null', 'string'] } },
          },
          supported_sync_modes: ['incremental'],
          source_defined_primary_key: [['id']],
        },
        sync_mode: 'incremental',
        destination_sync_mode: 'append_dedup',
        ...(cursor ? { cursor_field: ['at'] } : {}),
      },
    ],
  });
  const rec = (data: string) => `{"type":"RECORD","record":{"stream":"c","data":${data},"emitted_at":1}}`;
  const values = (file: string) => query(file, 'SELECT id, CAST(v AS VARCHAR) AS v, typeof(v) AS t FROM c ORDER BY id');
  /** Rows 0, 1, … with `v` written as each of `stored`, under a column of `type`. */
  const store = (file: string, stored: string[], type: object) =>
    loadHere(
      file,
      stored.map((v, i) => rec(`{"id":${i},"v":${v}}`)),
      typed(type),
    );

  test.each([
    ['number → integer', { type: 'number' }, { type: 'integer' }, ['1.5', '2.5', '-0.5'], 'DOUBLE', 'BIGINT', '1.5'],
    ['number → string', { type: 'number' }, { type: 'string' }, ['10', '2.5'], 'DOUBLE', 'VARCHAR', '10.0'],
    [
      'number → money',
      { type: 'number' },
      { type: 'number', decimal_places: 2 },
      ['0.125', '1.5'],
      'DOUBLE',
      'DECIMAL(18,2)',
      '0.125',
    ],
    [
      'integer → number past 2^53',
      { type: 'integer' },
      { type: 'number' },
      ['9007199254740993'],
      'BIGINT',
      'DOUBLE',
      '9007199254740993',
    ],
    [
      'date-time → string',
      { type: 'string', format: 'date-time' },
      { type: 'string' },
      ['"2024-01-01T00:00:00Z"'],
      'TIMESTAMP WITH TIME ZONE',
      'VARCHAR',
      '2024-01-01 00:00:00+00',
    ],
  ])(
    '%s, with values the new type would change: refused with a sentence, nothing changed',
    async (_, before, after, stored, from, to, example) => {
      const file = db();
      expect((await store(file, stored, before)).status).toBe(0);
      const kept = await values(file);
      const r = await loadHere(file, [rec('{"id":9}')], typed(after));
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(
        new RegExp(
          `^shipstation-load: c\\.v: the stream's schema now declares ${to.replace(/[()]/g, '\\$&')}, but the table holds \\d+ ${from} value\\(s\\) that ${to.replace(/[()]/g, '\\$&')} would change \\(e\\.g\\. ${example.replace(/[.+]/g, '\\$&')}\\); nothing was changed\\. Rebuild the table from the source \\(shipstation-sync --full-refresh --streams c\\), or first keep the stored values under another name \\(ALTER TABLE "c" RENAME "v" TO "v_\\w+"\\) and run again$`,
          'm',
        ),
      );
      expect(await values(file)).toEqual(kept);
    },
  );

  test.each([
    [
      'integer → number',
      { type: 'integer' },
      { type: 'number' },
      ['12', '-9007199254740992'],
      ['12.0', '-9007199254740992.0'],
      'DOUBLE',
    ],
    [
      'number → money',
      { type: 'number' },
      { type: 'number', decimal_places: 2 },
      ['1235611.31', '0.1', '-7'],
      ['1235611.31', '0.10', '-7.00'],
      'DECIMAL(18,2)',
    ],
    [
      'money → more places',
      { type: 'number', decimal_places: 2 },
      { type: 'number', decimal_places: 4 },
      ['1.25'],
      ['1.2500'],
      'DECIMAL(18,4)',
    ],
    [
      'string → string or array',
      { type: 'string' },
      { type: ['string', 'array'] },
      ['"abc"', '"x\\"y"'],
      ['"abc"', '"x\\"y"'],
      'JSON',
    ],
    ['integer → anything', { type: 'integer' }, {}, ['9223372036854775807'], ['9223372036854775807'], 'JSON'],
  ])('%s, when every value stays the same: converted', async (_, before, after, stored, expected, type) => {
    const file = db();
    expect((await store(file, stored, before)).status).toBe(0);
    const r = await loadHere(file, [], typed(after));
    expect([r.status, r.stderr]).toEqual([0, `loaded into ${file}: no records; 0 states\n`]);
    const rows = await values(file);
    expect(rows.map((row) => row.v)).toEqual(expected);
    expect(new Set(rows.map((row) => row.t))).toEqual(new Set([type]));
  });

  test('the command prints the sentence as its last line and exits 1', async () => {
    const file = db();
    expect(loadLines(file, [rec('{"id":1,"v":1.5}')], typed({ type: 'number' })).status).toBe(0);
    const r = loadLines(file, [], typed({ type: 'integer' }));
    expect([r.status, r.stderr.trim().split('\n').at(-1)]).toEqual([
      1,
      'shipstation-load: c.v: the stream\'s schema now declares BIGINT, but the table holds 1 DOUBLE value(s) that BIGINT would change (e.g. 1.5); nothing was changed. Rebuild the table from the source (shipstation-sync --full-refresh --streams c), or first keep the stored values under another name (ALTER TABLE "c" RENAME "v" TO "v_double") and run again',
    ]);
  });

  test('a column without values takes any new type', async () => {
    const file = db();
    expect((await loadHere(file, [rec('{"id":1}')], typed({ type: 'number' }))).status).toBe(0);
    expect((await loadHere(file, [rec('{"id":2,"v":"now a string"}')], typed({ type: 'string' }))).status).toBe(0);
    expect(await values(file)).toEqual([
      { id: '1', v: null, t: 'VARCHAR' },
      { id: '2', v: 'now a string', t: 'VARCHAR' },
    ]);
  });

  test('a field the schema gains moves out of the extras of rows loaded before, where it fits', async () => {
    const file = db();
    const none = { type: 'object', properties: { id: { type: 'integer' } } };
    const gained = { type: 'object', properties: { id: { type: 'integer' }, v: { type: ['null', 'integer'] } } };
    const cat = (json_schema: object) => ({
      streams: [
        {
          stream: {
            name: 'c',
            json_schema,
            supported_sync_modes: ['full_refresh'],
            source_defined_primary_key: [['id']],
          },
          sync_mode: 'full_refresh',
          destination_sync_mode: 'append',
        },
      ],
    });
    expect(
      (
        await loadHere(
          file,
          [
            rec('{"id":1,"v":9007199254740993,"w":"stays"}'),
            rec('{"id":2,"v":"not an integer"}'),
            rec('{"id":3,"v":null}'),
          ],
          cat(none),
        )
      ).status,
    ).toBe(0);
    expect((await loadHere(file, [], cat(gained))).status).toBe(0);
    expect(
      await query(file, 'SELECT id, CAST(v AS VARCHAR) AS v, CAST(_airbyte_extras AS VARCHAR) AS x FROM c ORDER BY id'),
    ).toEqual([
      { id: '1', v: '9007199254740993', x: '{"w":"stays"}' },
      { id: '2', v: null, x: '{"v":"not an integer"}' },
      { id: '3', v: null, x: null },
    ]);
  });
});
