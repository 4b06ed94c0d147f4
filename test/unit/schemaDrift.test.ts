import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { describe, expect, test } from '@jest/globals';
import { createSchemaDriftDetector } from '../../src/streams/schemaDrift.js';
import { loadStreamSchema, type JsonSchema } from '../../src/streams/schemas.js';

const EXAMPLES_DIR = fileURLToPath(new URL('../fixtures/examples', import.meta.url));

const schema: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    address: { type: ['null', 'object'], properties: { city: { type: ['null', 'string'] } } },
    items: {
      type: ['null', 'array'],
      items: {
        type: 'object',
        properties: {
          sku: { type: ['null', 'string'] },
          options: { type: ['null', 'array'], items: { type: 'object', properties: { name: { type: 'string' } } } },
        },
      },
    },
    category: {
      type: ['null', 'object', 'array'],
      properties: { name: { type: 'string' } },
      items: { type: 'object', properties: { name: { type: 'string' } } },
    },
    tags: { type: ['null', 'array', 'string'], items: { type: 'integer' } },
    anything: { type: ['null', 'object', 'array', 'string'] },
  },
};

function detector() {
  const seen: string[] = [];
  return { seen, check: createSchemaDriftDetector(schema, (path) => seen.push(path)) };
}

describe('createSchemaDriftDetector', () => {
  test('reports undeclared fields at the top level, in nested objects and in array elements', () => {
    const { seen, check } = detector();
    check({
      id: 1,
      extra: true,
      address: { city: 'x', zip: '1' },
      items: [
        { sku: 'a', colour: 'red', options: [{ name: 'n', priority: 1 }] },
        { sku: 'b', size: 2 },
      ],
      category: [{ name: 'c', parent: 1 }],
    });
    check({ id: 2, category: { name: 'c', code: 'k' } });
    expect(seen).toEqual([
      'extra',
      'address.zip',
      'items[].colour',
      'items[].options[].priority',
      'items[].size',
      'category[].parent',
      'category.code',
    ]);
  });

  test('reports each path once per run, however many records carry it', () => {
    const { seen, check } = detector();
    for (let i = 0; i < 100; i++)
      check({ id: i, extra: i, address: { zip: i }, items: [{ colour: i }, { colour: i }] });
    expect(seen).toEqual(['extra', 'address.zip', 'items[].colour']);
    const nextRun = detector();
    nextRun.check({ id: 1, extra: 1 });
    expect(nextRun.seen).toEqual(['extra']);
  });

  test('does not look inside undeclared fields or values whose shape the schema leaves open', () => {
    const { seen, check } = detector();
    check({ id: 1, newObject: { a: { b: 1 } }, anything: { whatever: 1 }, tags: '' });
    check({ id: 1, tags: [1, 2], address: null, items: null, category: 'odd' });
    expect(seen).toEqual(['newObject']);
  });

  test('the reference examples carry no field the schemas miss', () => {
    const files: [string, string, string | null][] = [
      ['orders.json', 'orders', 'orders'],
      ['order_single_get.json', 'orders', null],
      ['shipments.json', 'shipments', 'shipments'],
      ['fulfillments.json', 'fulfillments', 'fulfillments'],
      ['products.json', 'products', 'products'],
      ['customers.json', 'customers', 'customers'],
      ['stores.json', 'stores', null],
      ['warehouses.json', 'warehouses', null],
    ];
    const drift: string[] = [];
    for (const [file, stream, envelope] of files) {
      const body = JSON.parse(readFileSync(`${EXAMPLES_DIR}/${file}`, 'utf8')) as Record<string, unknown>;
      const records = (Array.isArray(body) ? body : envelope ? body[envelope] : [body]) as Record<string, unknown>[];
      const check = createSchemaDriftDetector(loadStreamSchema(stream), (path) => drift.push(`${stream}: ${path}`));
      for (const record of records) check(record);
    }
    expect(drift).toEqual([]);
  });
});
