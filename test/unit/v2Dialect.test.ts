// ShipStation API v2's dates and list words (src/dialects/v2.ts, src/time/isoUtc.ts): ISO 8601 read to UTC ms
// with fractions of any length, UTC out with `Z`, and filter values whose seconds hold every stamp inside them,
// as the engine's whole-second ranges and tie groups assume.
import { describe, expect, test } from '@jest/globals';
import { v1 } from '../../src/dialects/v1.js';
import { v2 } from '../../src/dialects/v2.js';
import { buildCatalog } from '../../src/streams/catalog.js';
import { floorSecond } from '../../src/time/wallClock.js';
import { utcZone } from '../../src/time/utcZone.js';

const ms = (iso: string) => Date.parse(iso);

describe('v2 dates.parse', () => {
  test.each([
    ['2024-05-02T17:03:11Z', '2024-05-02T17:03:11.000Z'],
    ['2024-05-02T17:03:11.6Z', '2024-05-02T17:03:11.600Z'],
    ['2024-05-02T17:03:11.05Z', '2024-05-02T17:03:11.050Z'],
    ['2024-05-02T17:03:11.657Z', '2024-05-02T17:03:11.657Z'],
    // Digits past the millisecond are cut, never rounded up into the next millisecond or second.
    ['2024-05-02T17:03:11.6579Z', '2024-05-02T17:03:11.657Z'],
    ['2024-05-02T17:03:11.9999999Z', '2024-05-02T17:03:11.999Z'],
    ['2024-05-02T17:03:11.999999999Z', '2024-05-02T17:03:11.999Z'],
    ['2024-05-02T17:03:11.657+00:00', '2024-05-02T17:03:11.657Z'],
    ['2024-05-02T17:03:11.657-00:00', '2024-05-02T17:03:11.657Z'],
    ['2024-05-02T19:33:11.657+02:30', '2024-05-02T17:03:11.657Z'],
    ['2024-05-02T10:03:11-07:00', '2024-05-02T17:03:11.000Z'],
    ['2024-05-02T10:03:11-0700', '2024-05-02T17:03:11.000Z'],
    ['2024-12-31T23:30:00-01:00', '2025-01-01T00:30:00.000Z'],
    ['2024-02-29T00:00:00Z', '2024-02-29T00:00:00.000Z'],
    // Users' dates are dates alone: midnight UTC.
    ['2025-01-01', '2025-01-01T00:00:00.000Z'],
  ])('%s → %s', (value, utc) => {
    expect(v2.dates.parse(value)).toBe(ms(utc));
    expect(v2.dates.toUtc(value)).toBe(utc);
  });

  test.each([
    '2024-05-02T17:03:11',
    '2024-05-02 17:03:11Z',
    '2024-05-02T17:03:11.Z',
    '2024-05-02T17:03:11.1234567890Z',
    '2024-05-02T24:00:00Z',
    '2024-05-02T17:60:00Z',
    '2023-02-29T00:00:00Z',
    '2024-13-01T00:00:00Z',
    '2024-05-02T17:03:11+24:00',
    '1899-12-31T23:59:59Z',
    '',
    'yesterday',
  ])('%s is no date-time', (value) => {
    expect(v2.dates.parse(value)).toBeNull();
    expect(v2.dates.toUtc(value)).toBeNull();
  });

  test('only strings are read', () => {
    for (const value of [null, undefined, 1714669391657, {}, []]) expect(v2.dates.parse(value)).toBeNull();
  });

  test('a stamp belongs to the second it names, whatever its fraction or offset', () => {
    const second = ms('2024-05-02T17:03:11Z');
    for (const stamp of [
      '2024-05-02T17:03:11Z',
      '2024-05-02T17:03:11.0000001Z',
      '2024-05-02T17:03:11.9999999Z',
      '2024-05-02T18:03:11.5+01:00',
    ])
      expect(floorSecond(v2.dates.parse(stamp)!)).toBe(second);
    expect(floorSecond(v2.dates.parse('2024-05-02T17:03:12.0000001Z')!)).toBe(second + 1000);
  });
});

describe('v2 zone', () => {
  test('wall ms are UTC ms and nothing is ambiguous', () => {
    const t = ms('2024-11-03T09:30:00Z');
    expect(v2.zone).toBe(utcZone);
    expect(utcZone.wallToUtc(t)).toBe(t);
    expect(utcZone.utcToWall(t)).toBe(t);
    expect(utcZone.isAmbiguous(t)).toBe(false);
  });
});

describe('v2 listQuery', () => {
  const from = ms('2024-05-02T17:03:11Z');
  const to = ms('2024-05-02T18:00:00Z');

  test('words a keyset page: snake_case filters, sort_by with sort_dir asc, page and page_size', () => {
    expect(
      v2.listQuery({
        params: { store_id: 'se-1' },
        ranges: [{ startParam: 'modified_at_start', endParam: 'modified_at_end', from, to }],
        sort: { by: 'modified_at', dir: 'ASC' },
        page: 3,
        pageSize: 100,
      }),
    ).toEqual({
      store_id: 'se-1',
      modified_at_start: '2024-05-02T17:03:11.000Z',
      modified_at_end: '2024-05-02T18:00:00.9999999Z',
      sort_by: 'modified_at',
      sort_dir: 'asc',
      page: 3,
      page_size: 100,
    });
  });

  test('either bound may be missing; no sort sends no sort words', () => {
    expect(
      v2.listQuery({ ranges: [{ startParam: 'a_start', endParam: 'a_end', from }], page: 1, pageSize: 25 }),
    ).toEqual({
      a_start: '2024-05-02T17:03:11.000Z',
      page: 1,
      page_size: 25,
    });
    expect(v2.listQuery({ ranges: [{ startParam: 'a_start', endParam: 'a_end', to }], page: 1, pageSize: 25 })).toEqual(
      {
        a_end: '2024-05-02T18:00:00.9999999Z',
        page: 1,
        page_size: 25,
      },
    );
    expect(v2.listQuery({ page: 2, pageSize: 100 })).toEqual({ page: 2, page_size: 100 });
  });

  test('two ranges (a re-scan pass over a second date) word both', () => {
    const query = v2.listQuery({
      ranges: [
        { startParam: 'created_at_start', endParam: 'created_at_end', from },
        { startParam: 'ship_date_start', endParam: 'ship_date_end', from, to },
      ],
      sort: { by: 'created_at', dir: 'ASC' },
      page: 1,
      pageSize: 500,
    });
    expect(Object.keys(query).sort()).toEqual(
      ['created_at_start', 'page', 'page_size', 'ship_date_end', 'ship_date_start', 'sort_by', 'sort_dir'].sort(),
    );
  });

  test('never asks for a descending sort (v2 defaults to desc, so asc is always said)', () => {
    expect(() => v2.listQuery({ sort: { by: 'created_at', dir: 'DESC' }, page: 1, pageSize: 25 })).toThrow(/ascending/);
  });

  test("the end filter takes every stamp of the range's last second, and no stamp of the next one", () => {
    const end = v2.listQuery({ ranges: [{ startParam: 's', endParam: 'e', to }], page: 1, pageSize: 1 }).e as string;
    const endTicks = ticks(end);
    for (const inside of ['2024-05-02T18:00:00Z', '2024-05-02T18:00:00.999Z', '2024-05-02T18:00:00.9999999Z'])
      expect(ticks(inside)).toBeLessThanOrEqual(endTicks);
    expect(ticks('2024-05-02T18:00:01Z')).toBeGreaterThan(endTicks);
    // A range end that is not a whole second still ends at the last tick of its second.
    expect(v2.listQuery({ ranges: [{ startParam: 's', endParam: 'e', to: to + 400 }], page: 1, pageSize: 1 }).e).toBe(
      end,
    );
  });

  test('the start filter takes the whole first second (on or after its first tick)', () => {
    const start = v2.listQuery({ ranges: [{ startParam: 's', endParam: 'e', from }], page: 1, pageSize: 1 })
      .s as string;
    expect(ticks('2024-05-02T17:03:11Z')).toBeGreaterThanOrEqual(ticks(start));
    expect(ticks('2024-05-02T17:03:10.9999999Z')).toBeLessThan(ticks(start));
  });

  test('formatFilter writes the instant with milliseconds and Z, which parse reads back', () => {
    for (const t of [from, from + 657, ms('2007-01-01T00:00:00Z')])
      expect(v2.dates.parse(v2.dates.formatFilter(t))).toBe(t);
    expect(() => v2.dates.formatFilter(Number.NaN)).toThrow(RangeError);
  });

  test('checks with a cheap v2 list call', () => {
    expect(v2.name).toBe('v2');
    expect(v2.checkPath).toBe('/v2/warehouses');
  });
});

/** 100-ns ticks of an ISO instant with `Z`, as a server keeping 7 fraction digits compares them. */
function ticks(iso: string): bigint {
  const m = /^(.{19})(?:\.(\d{1,7}))?Z$/.exec(iso)!;
  return BigInt(Date.parse(`${m[1]}Z`)) * 10_000n + BigInt((m[2] ?? '').padEnd(7, '0'));
}

describe("v2's catalog", () => {
  const catalog = buildCatalog(v2.streams).streams;
  const stream = (name: string) => catalog.find((s) => s.name === name)!;

  test('every v2 stream with its own schema (schemas/v2/), never v1 namesakes', () => {
    expect(catalog.map((s) => s.name)).toEqual(v2.streams.names());
    expect(catalog).toHaveLength(16);
    expect(Object.keys(stream('shipments').json_schema.properties as object)).toContain('shipment_id');
    expect(stream('shipments').json_schema).not.toEqual(
      buildCatalog(v1.streams).streams.find((s) => s.name === 'shipments')!.json_schema,
    );
  });

  test('incremental where v2 filters and sorts by a date; full refresh elsewhere', () => {
    const incremental = catalog.filter((s) => s.supported_sync_modes.includes('incremental')).map((s) => s.name);
    expect(incremental).toEqual(['shipments', 'shipment_items', 'labels', 'fulfillments']);
    expect(stream('shipments')).toMatchObject({ default_cursor_field: ['modified_at'], source_defined_cursor: false });
    expect(stream('shipment_items')).toMatchObject({
      default_cursor_field: ['shipment_modified_at'],
      source_defined_primary_key: [['shipment_id'], ['item_index']],
    });
    expect(stream('labels')).toMatchObject({ default_cursor_field: ['created_at'], source_defined_cursor: true });
    expect(stream('tags').source_defined_primary_key).toEqual([['name']]);
  });

  test('every paged full-refresh stream says how it is read; paths carry /v2', () => {
    for (const def of v2.streams.streams) {
      expect(def.path.startsWith('/v2/')).toBe(true);
      const single = def.envelope === null || def.singleRequest === true;
      const ways = [
        single,
        def.fullRefreshCursor !== undefined,
        def.fullRefreshSort !== undefined,
        def.fullRefreshUnsorted === true,
      ];
      expect([def.name, ways.filter(Boolean).length]).toEqual([def.name, 1]);
      if (def.fullRefreshSort) expect(def.fullRefreshSort.sortDir).toBe('ASC');
    }
  });
});
