import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { describe, expect, test } from '@jest/globals';
import type { Logger } from '../../src/protocol/logger.js';
import { createDateConverter, dateTimePaths } from '../../src/streams/dateConverter.js';
import { loadStreamSchema, type JsonSchema } from '../../src/streams/schemas.js';
import { v1 } from '../../src/dialects/v1.js';
import { v2 } from '../../src/dialects/v2.js';

const EXAMPLES_DIR = fileURLToPath(new URL('../fixtures/examples', import.meta.url));

function recordingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, debug() {}, info() {}, warn: (m) => void warnings.push(m), error() {} };
}

function example(file: string, envelope?: string): Record<string, unknown>[] {
  const body = JSON.parse(readFileSync(`${EXAMPLES_DIR}/${file}`, 'utf8')) as Record<string, unknown> | unknown[];
  return (Array.isArray(body) ? body : envelope ? body[envelope] : [body]) as Record<string, unknown>[];
}

describe('dateTimePaths', () => {
  test('finds top-level, nested-object and array-element date-times, and leaves dates out', () => {
    const orders = dateTimePaths(loadStreamSchema('orders'));
    expect(orders).toEqual([
      'orderDate',
      'createDate',
      'modifyDate',
      'paymentDate',
      'items[].createDate',
      'items[].modifyDate',
    ]);
    expect(dateTimePaths(loadStreamSchema('shipments'))).toEqual([
      'createDate',
      'voidDate',
      'shipmentItems[].createDate',
      'shipmentItems[].modifyDate',
    ]);
    expect(dateTimePaths(loadStreamSchema('fulfillments'))).toEqual(['createDate', 'voidDate', 'deliveryDate']);
    expect(dateTimePaths(loadStreamSchema('customers'))).toEqual([
      'createDate',
      'modifyDate',
      'marketplaceUsernames[].createDate',
      'marketplaceUsernames[].modifyDate',
    ]);
    expect(dateTimePaths(loadStreamSchema('stores'))).toEqual([
      'refreshDate',
      'lastRefreshAttempt',
      'createDate',
      'modifyDate',
    ]);
    expect(dateTimePaths(loadStreamSchema('products'))).toEqual(['createDate', 'modifyDate']);
    expect(dateTimePaths(loadStreamSchema('warehouses'))).toEqual(['createDate']);
  });
});

const ts = { type: ['null', 'string'], format: 'date-time', airbyte_type: 'timestamp_with_timezone' };
const testSchema: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    at: ts,
    day: { type: ['null', 'string'], format: 'date' },
    inner: {
      type: ['null', 'object'],
      properties: { at: ts, deeper: { type: ['null', 'object'], properties: { at: ts } } },
    },
    list: { type: ['null', 'array'], items: { type: 'object', properties: { at: ts } } },
    either: {
      type: ['null', 'object', 'array'],
      properties: { at: ts },
      items: { type: 'object', properties: { at: ts } },
    },
  },
};

describe('createDateConverter', () => {
  test('converts nested objects and array elements in place', () => {
    const convert = createDateConverter('test', testSchema, recordingLogger(), v1.dates.toUtc);
    const record: Record<string, unknown> = {
      id: 1,
      at: '2024-07-01T00:00:00.1234567',
      day: '2024-07-01',
      inner: { at: '2024-01-01 00:00:00', deeper: { at: '2024-03-10T02:30:00' }, other: '2024-01-01T00:00:00' },
      list: [{ at: '2024-11-03T01:30:00' }, { at: null }, {}, null, 'odd'],
      either: [{ at: '2024-01-01T00:00:00' }],
    };
    convert(record);
    expect(record).toEqual({
      id: 1,
      at: '2024-07-01T07:00:00.123Z',
      day: '2024-07-01',
      inner: {
        at: '2024-01-01T08:00:00.000Z',
        deeper: { at: '2024-03-10T10:30:00.000Z' },
        other: '2024-01-01T00:00:00',
      },
      list: [{ at: '2024-11-03T08:30:00.000Z' }, { at: null }, {}, null, 'odd'],
      either: [{ at: '2024-01-01T08:00:00.000Z' }],
    });
    const objectForm: Record<string, unknown> = { either: { at: '2024-01-01T00:00:00' } };
    convert(objectForm);
    expect(objectForm).toEqual({ either: { at: '2024-01-01T08:00:00.000Z' } });
  });

  test('leaves nulls, absent fields and unexpected shapes alone without warning', () => {
    const logger = recordingLogger();
    const convert = createDateConverter('test', testSchema, logger, v1.dates.toUtc);
    const record: Record<string, unknown> = { at: null, inner: null, list: null, either: 'x' };
    convert(record);
    convert({ inner: 'not an object', list: { at: 'not an array' } });
    expect(record).toEqual({ at: null, inner: null, list: null, either: 'x' });
    expect(logger.warnings).toEqual([]);
  });

  test('a bare date in a date-time field is read as midnight Pacific', () => {
    const convert = createDateConverter('test', testSchema, recordingLogger(), v1.dates.toUtc);
    const record: Record<string, unknown> = { at: '2024-12-25' };
    convert(record);
    expect(record.at).toBe('2024-12-25T08:00:00.000Z');
  });

  test('unparseable values pass through with one WARN per field path per converter', () => {
    const logger = recordingLogger();
    const convert = createDateConverter('orders', testSchema, logger, v1.dates.toUtc);
    for (let i = 0; i < 3; i++) {
      const record: Record<string, unknown> = {
        at: 'soon',
        inner: { at: 42 },
        list: [{ at: 'never' }, { at: 'later' }],
      };
      convert(record);
      expect(record).toEqual({ at: 'soon', inner: { at: 42 }, list: [{ at: 'never' }, { at: 'later' }] });
    }
    expect(logger.warnings).toHaveLength(3);
    expect(logger.warnings[0]).toMatch(/^orders: at holds "soon"/);
    expect(logger.warnings[1]).toMatch(/^orders: inner\.at holds 42/);
    expect(logger.warnings[2]).toMatch(/^orders: list\[\]\.at holds "never"/);
    // A new run (new converter) reports again.
    const nextRun = recordingLogger();
    createDateConverter('orders', testSchema, nextRun, v1.dates.toUtc)({ at: 'soon' });
    expect(nextRun.warnings).toHaveLength(1);
  });

  test('calendar dates (format: date) keep their date: a midnight date-time loses its time, a time of day is reported', () => {
    const logger = recordingLogger();
    const convert = createDateConverter('orders', testSchema, logger, v1.dates.toUtc);
    const values = ['2024-07-01', '2024-07-01T00:00:00.0000000', '2024-07-01T00:00:00', '2024-07-01T13:45:00.5'];
    const out = values.map((day) => {
      const record: Record<string, unknown> = { day };
      convert(record);
      return record.day;
    });
    expect(out).toEqual(['2024-07-01', '2024-07-01', '2024-07-01', '2024-07-01']);
    expect(logger.warnings).toEqual([
      'orders: day holds "2024-07-01T13:45:00.5", a date with a time of day; emitted its date (reported once per run)',
    ]);
    const odd: Record<string, unknown> = { day: 'July 1st' };
    createDateConverter('orders', testSchema, logger, v1.dates.toUtc)(odd);
    expect(odd.day).toBe('July 1st');
    expect(logger.warnings[1]).toMatch(
      /^orders: day holds "July 1st", which is not a date; passed through unconverted/,
    );
  });

  test("v2's calendar dates are midnight instants with a zone: they keep the date as written", () => {
    const logger = recordingLogger();
    const convert = createDateConverter('shipments', testSchema, logger, v2.dates.toUtc);
    const values = ['2024-05-02T00:00:00Z', '2024-05-02T00:00:00.000Z', '2024-05-02T00:00:00+00:00', '2024-05-02'];
    const out = values.map((day) => {
      const record: Record<string, unknown> = { day };
      convert(record);
      return record.day;
    });
    expect(out).toEqual(['2024-05-02', '2024-05-02', '2024-05-02', '2024-05-02']);
    expect(logger.warnings).toEqual([]);
  });

  test('a schema without date-times gives a converter that changes nothing', () => {
    const convert = createDateConverter(
      'test',
      { type: 'object', properties: { a: { type: 'string' } } },
      recordingLogger(),
      v1.dates.toUtc,
    );
    const record = { a: '2024-01-01T00:00:00' };
    convert(record);
    expect(record).toEqual({ a: '2024-01-01T00:00:00' });
  });
});

describe('reference examples end to end', () => {
  const run = (stream: string, records: Record<string, unknown>[]) => {
    const logger = recordingLogger();
    const convert = createDateConverter(stream, loadStreamSchema(stream), logger, v1.dates.toUtc);
    for (const record of records) convert(record);
    expect(logger.warnings).toEqual([]);
    return records;
  };

  test('orders', () => {
    const [order] = run('orders', example('orders.json', 'orders')) as [Record<string, unknown>];
    expect(order.modifyDate).toBe('2015-08-17T16:24:16.480Z');
    expect(order.orderDate).toBe('2015-06-29T00:46:27.000Z');
    expect(order.shipByDate).toBe('2015-07-05');
    expect(order.shipDate).toBe('2015-04-25');
    expect(order.holdUntilDate).toBeNull();
    expect((order.items as Record<string, unknown>[])[0]!.createDate).toBe('2015-08-17T16:24:14.780Z');
    const [single] = run('orders', example('order_single_get.json')) as [Record<string, unknown>];
    expect(single.createDate).toBe('2015-07-16T21:00:34.823Z');
  });

  test('shipments keep their date-only shipDate', () => {
    const [shipment] = run('shipments', example('shipments.json', 'shipments')) as [Record<string, unknown>];
    expect(shipment.createDate).toBe('2014-10-03T13:51:33.627Z');
    expect(shipment.shipDate).toBe('2014-10-03');
  });

  test('fulfillments keep the date of their midnight shipDate', () => {
    const [fulfillment] = run('fulfillments', example('fulfillments.json', 'fulfillments')) as [
      Record<string, unknown>,
    ];
    expect(fulfillment.shipDate).toBe('2016-06-07');
    expect(fulfillment.createDate).toBe('2016-06-07T15:50:50.067Z');
  });

  test('customers, nested marketplace usernames included', () => {
    const [customer] = run('customers', example('customers.json', 'customers')) as [Record<string, unknown>];
    expect(customer.createDate).toBe('2014-11-18T18:33:01.190Z');
    const usernames = customer.marketplaceUsernames as Record<string, unknown>[];
    expect(usernames.map((u) => u.createDate)).toEqual(['2015-04-27T19:35:03.830Z', '2014-11-18T18:33:01.197Z', null]);
  });

  test('products, stores and warehouses', () => {
    const [product] = run('products', example('products.json', 'products')) as [Record<string, unknown>];
    expect(product.createDate).toBe('2014-09-04T16:18:01.293Z');
    const [store] = run('stores', example('stores.json')) as [Record<string, unknown>];
    expect(store.modifyDate).toBe('2014-11-12T16:45:20.550Z');
    const [warehouse] = run('warehouses', example('warehouses.json')) as [Record<string, unknown>];
    expect(warehouse.createDate).toBe('2014-10-21T15:11:43.880Z');
  });
});
