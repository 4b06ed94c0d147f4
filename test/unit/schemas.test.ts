import { fileURLToPath } from 'node:url';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from '@jest/globals';
import { silentLogger } from '../../src/protocol/logger.js';
import { createDateConverter } from '../../src/streams/dateConverter.js';
import { createQuirkNormalizer, QUIRKS, quirkNote, schemaAt } from '../../src/streams/quirks.js';
import { createSchemaAjv, loadStreamSchema, type JsonSchema } from '../../src/streams/schemas.js';
import { CHILD_STREAMS, STREAMS as DEFINED } from '../../src/streams/definitions.js';
import { v1 } from '../../src/dialects/v1.js';
import { v2 } from '../../src/dialects/v2.js';

const schemaAjv = await createSchemaAjv();

// The ShipStation documentation examples the schemas were written from (see shipstation-v1.md).
const EXAMPLES_DIR = fileURLToPath(new URL('../fixtures/examples', import.meta.url));

const STREAMS: [name: string, primaryKey: string[], keyType: string | string[]][] = [
  ['orders', ['orderId'], 'integer'],
  ['shipments', ['shipmentId'], 'integer'],
  ['fulfillments', ['fulfillmentId'], 'integer'],
  ['products', ['productId'], 'integer'],
  ['customers', ['customerId'], 'integer'],
  ['stores', ['storeId'], 'integer'],
  ['warehouses', ['warehouseId'], 'integer'],
  ['carriers', ['code'], 'string'],
  ['marketplaces', ['marketplaceId'], 'integer'],
  ['users', ['userId'], 'string'],
  ['webhooks', ['WebHookID'], 'integer'],
  ['tags', ['tagId'], 'integer'],
  ['order_items', ['orderItemId'], 'integer'],
  ['shipment_items', ['shipmentId', 'itemIndex'], 'integer'],
];

// API v2's streams (schemas/v2/), named as v2 names them; ids are `se-…` strings but for products'.
const V2_STREAMS: [name: string, primaryKey: string[], keyType: string | string[]][] = [
  ['shipments', ['shipment_id'], 'string'],
  ['labels', ['label_id'], 'string'],
  ['fulfillments', ['fulfillment_id'], 'string'],
  ['products', ['product_id'], 'integer'],
  ['users', ['user_id'], 'string'],
  ['batches', ['batch_id'], 'string'],
  ['manifests', ['manifest_id'], 'string'],
  ['pickups', ['pickup_id'], 'string'],
  ['inventory_warehouses', ['inventory_warehouse_id'], 'string'],
  ['inventory_locations', ['inventory_location_id'], 'string'],
  ['warehouses', ['warehouse_id'], 'string'],
  ['carriers', ['carrier_id'], 'string'],
  ['packages', ['package_id'], 'string'],
  ['tags', ['name'], 'string'],
  ['webhooks', ['webhook_id'], 'string'],
  ['shipment_items', ['shipment_id', 'item_index'], ['string', 'integer']],
];

/** Both dialects' tables: the folder of schemas/ (StreamSet.schemaFolder), the set and the rows above. */
const DIALECTS = [
  ['v1', v1.streams, STREAMS],
  ['v2', v2.streams, V2_STREAMS],
] as const;
const SCHEMA_ROWS = DIALECTS.flatMap(([dialect, set, rows]) =>
  rows.map(
    ([name, primaryKey, keyType]) =>
      [dialect, set.schemaFolder && `${set.schemaFolder}/`, name, primaryKey, keyType, set.schemaFolder] as const,
  ),
);

/** Records of an example file: a list envelope, a bare array, or (order_single_get) one record. */
function exampleRecords(file: string, envelope: string): Record<string, unknown>[] {
  const body: unknown = JSON.parse(readFileSync(`${EXAMPLES_DIR}/${file}`, 'utf8'));
  if (Array.isArray(body)) return body as Record<string, unknown>[];
  const wrapped = (body as Record<string, unknown>)[envelope];
  return Array.isArray(wrapped) ? (wrapped as Record<string, unknown>[]) : [body as Record<string, unknown>];
}

const EXAMPLES: [file: string, stream: string][] = [
  ['orders.json', 'orders'],
  ['order_single_get.json', 'orders'],
  ['shipments.json', 'shipments'],
  ['fulfillments.json', 'fulfillments'],
  ['products.json', 'products'],
  ['customers.json', 'customers'],
  ['stores.json', 'stores'],
  ['warehouses.json', 'warehouses'],
];

/** Every sub-schema with its dotted path, the root included. */
function walk(schema: JsonSchema, path = '', out: [string, JsonSchema][] = []): [string, JsonSchema][] {
  out.push([path, schema]);
  for (const [key, property] of Object.entries(schema.properties ?? {}))
    walk(property, path ? `${path}.${key}` : key, out);
  if (schema.items) walk(schema.items, `${path}[]`, out);
  return out;
}

const typesOf = (schema: JsonSchema): string[] => [schema.type ?? []].flat();

test.each(DIALECTS)(
  '%s: there is a schema for every stream definition and a definition for every schema',
  (_, set, rows) => {
    const folder = fileURLToPath(new URL(`../../schemas/${set.schemaFolder}`, import.meta.url));
    const files = readdirSync(folder)
      .filter((f) => f.endsWith('.json'))
      .map((f) => f.replace(/\.json$/, ''));
    const names = set.names();
    expect(files.sort()).toEqual([...names].sort());
    expect(rows.map(([name]) => name).sort()).toEqual([...names].sort());
    for (const def of [...set.streams, ...set.children])
      expect(rows.find(([name]) => name === def.name)![1]).toEqual(def.primaryKey);
  },
);

test('the v1 definitions are the v1 set', () => {
  expect(v1.streams.names().sort()).toEqual([...DEFINED, ...CHILD_STREAMS].map((s) => s.name).sort());
});

describe.each(SCHEMA_ROWS)('%s schemas/%s%s.json', (_dialect, _prefix, name, primaryKey, keyType, folder) => {
  const schema = loadStreamSchema(name, folder);

  test('is a draft-07 object schema that compiles under strict Ajv', () => {
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(schema.type).toBe('object');
    expect(() => schemaAjv.compile(schema)).not.toThrow();
  });

  test(`declares its primary key as required ${keyType}`, () => {
    expect(schema.required).toEqual(primaryKey);
    primaryKey.forEach((key, i) =>
      expect(schema.properties?.[key]?.type).toBe(typeof keyType === 'string' ? keyType : keyType[i]),
    );
  });

  test('every object level stays open, every field but the key is nullable and described', () => {
    const problems: string[] = [];
    for (const [path, sub] of walk(schema)) {
      if (sub.properties && sub.additionalProperties !== true) problems.push(`${path || '(root)'}: closed object`);
      if (path === '' || path.endsWith('[]')) continue;
      // No type at all: any JSON value, null included.
      if (!primaryKey.includes(path) && typesOf(sub).length > 0 && !typesOf(sub).includes('null'))
        problems.push(`${path}: not nullable`);
      if (typeof sub.description !== 'string') problems.push(`${path}: no description`);
    }
    expect(problems).toEqual([]);
  });

  test('every field declares one type besides null (or none: any JSON value), so a typed destination needs no casts', () => {
    const problems = walk(schema)
      .filter(([, sub]) => typesOf(sub).filter((t) => t !== 'null').length > 1)
      .map(([path, sub]) => `${path}: ${typesOf(sub).join(', ')}`);
    expect(problems).toEqual([]);
  });

  test('date-times are marked timestamp_with_timezone and nothing else is', () => {
    const problems: string[] = [];
    for (const [path, sub] of walk(schema)) {
      const dateTime = sub.format === 'date-time';
      if (dateTime !== (sub.airbyte_type === 'timestamp_with_timezone')) problems.push(path);
    }
    expect(problems).toEqual([]);
  });
});

test('loadStreamSchema caches and refuses unknown or odd names', () => {
  expect(loadStreamSchema('orders')).toBe(loadStreamSchema('orders'));
  expect(() => loadStreamSchema('nope')).toThrow();
  expect(() => loadStreamSchema('../package')).toThrow(/not a stream name/);
  // Both dialects have a shipments stream: each folder its own.
  expect(loadStreamSchema('shipments', 'v2')).toBe(loadStreamSchema('shipments', 'v2'));
  expect(loadStreamSchema('shipments', 'v2')).not.toBe(loadStreamSchema('shipments'));
  expect(() => loadStreamSchema('orders', 'v2')).toThrow();
  expect(() => loadStreamSchema('shipments', '../v2' as 'v2')).toThrow(/not a stream name/);
});

test('the v2 date-only and date-time split matches the OpenAPI file', () => {
  const format = (stream: string, field: string) => loadStreamSchema(stream, 'v2').properties?.[field]?.format;
  // The file's `date` schema (midnight UTC): calendar dates.
  expect(format('shipments', 'ship_date')).toBe('date');
  expect(format('labels', 'ship_date')).toBe('date');
  for (const [stream, field] of [
    ['shipments', 'modified_at'],
    ['shipments', 'created_at'],
    ['labels', 'created_at'],
    ['labels', 'voided_at'],
    ['fulfillments', 'created_at'],
    ['products', 'modify_date'],
    ['users', 'created_at'],
    ['pickups', 'cancelled_at'],
  ])
    expect([stream, field, format(stream!, field!)]).toEqual([stream, field, 'date-time']);
});

test('the date-only and date-time split matches the API', () => {
  const format = (stream: string, field: string) => loadStreamSchema(stream).properties?.[field]?.format;
  expect(format('orders', 'shipDate')).toBe('date');
  expect(format('shipments', 'shipDate')).toBe('date');
  // Calendar dates, though ShipStation sends these three as midnight date-times.
  expect(format('fulfillments', 'shipDate')).toBe('date');
  expect(format('orders', 'shipByDate')).toBe('date');
  expect(format('orders', 'holdUntilDate')).toBe('date');
  expect(format('fulfillments', 'deliveryDate')).toBe('date-time');
});

test.each(QUIRKS.map((q) => [`${q.stream}.${q.path}`, q] as const))(
  'quirk %s: declared with its clean type, its description says what is normalised',
  (_name, quirk) => {
    const field = schemaAt(loadStreamSchema(quirk.stream), quirk.path);
    expect(field).toBeDefined();
    expect(typesOf(field!).filter((t) => t !== 'null')).toHaveLength(1);
    expect(field!.description).toContain(quirkNote(quirk));
  },
);

describe('createSchemaAjv', () => {
  test('declares the Airbyte keywords but keeps strict mode for everything else', () => {
    const ajv = schemaAjv;
    const annotated = {
      type: 'object',
      properties: {
        secret: { type: 'string', airbyte_secret: true, airbyte_hidden: true, order: 1, examples: ['x'] },
        at: { type: 'string', format: 'date-time', airbyte_type: 'timestamp_with_timezone' },
      },
    };
    expect(ajv.validate(annotated, { secret: 's', at: '2024-01-01T00:00:00.000Z' })).toBe(true);
    expect(ajv.validate(annotated, { at: '2024-01-01T00:00:00' })).toBe(false);
    expect(() => ajv.compile({ type: 'string', airbyte_typo: 1 })).toThrow(/unknown keyword/);
  });
});

describe.each(EXAMPLES)('reference example %s', (file, stream) => {
  const schema = loadStreamSchema(stream);
  const validate = schemaAjv.compile(schema);

  test('every record validates against the schema once dates are converted', () => {
    const records = exampleRecords(file, stream);
    expect(records.length).toBeGreaterThan(0);
    const convert = createDateConverter(stream, schema, silentLogger, v1.dates.toUtc);
    for (const record of records) {
      convert(record);
      expect(validate(record) ? [] : validate.errors).toEqual([]);
    }
  });
});

test('the quirks seen outside the documentation examples validate once normalised, and not before', () => {
  const ajv = schemaAjv;
  const valid = (stream: string, record: Record<string, unknown>) =>
    ajv.validate(loadStreamSchema(stream), record) || ajv.errors;
  const normalised = (stream: string, record: Record<string, unknown>) => {
    const copy = structuredClone(record);
    createQuirkNormalizer(stream, loadStreamSchema(stream), silentLogger, QUIRKS)(copy);
    return valid(stream, copy);
  };
  const quirky: [string, Record<string, unknown>][] = [
    ['customers', { customerId: 1, tags: '', marketplaceUsernames: [{ createDate: null }] }],
    ['stores', { storeId: 1, statusMappings: '' }],
    ['products', { productId: 1, productCategory: [{ categoryId: 1, name: 'a' }], tags: null, aliases: null }],
    ['products', { productId: 1, productCategory: [], tags: '' }],
    [
      'warehouses',
      { warehouseId: 1, returnAddress: { residential: '' }, registerFedexMeter: '', sellerIntegrationId: '' },
    ],
    [
      'warehouses',
      {
        warehouseId: 1,
        originAddress: { residential: 'True' },
        registerFedexMeter: 'false',
        sellerIntegrationId: '42',
      },
    ],
  ];
  for (const [stream, record] of quirky) {
    expect(valid(stream, record)).not.toBe(true);
    expect(normalised(stream, record)).toBe(true);
  }
  expect(
    valid('orders', {
      orderId: 1,
      weight: { value: 5, units: 'ounces', WeightUnits: 1 },
      labelMessages: null,
      items: [],
    }),
  ).toBe(true);
  expect(valid('orders', { orderId: 1, advancedOptions: { billToMyOtherAccount: null, somethingNew: 1 } })).toBe(true);
  expect(valid('shipments', { shipmentId: 1, shipmentItems: null, advancedOptions: { storeId: 1 } })).toBe(true);
  expect(valid('orders', { orderNumber: 'x' })).not.toBe(true);
  expect(valid('orders', { orderId: null })).not.toBe(true);
});

const CHILDREN = DIALECTS.flatMap(([dialect, set]) =>
  set.children.map((c) => [dialect, c.name, c, set.schemaFolder] as const),
);

describe.each(CHILDREN)('%s child schema %s', (_dialect, name, child, folder) => {
  // Child rows are converted by the parent's schema before they are cut out: the child schema must describe
  // the parent's element exactly, plus the carried fields (typed like the parent's) and the index.
  const schema = loadStreamSchema(name, folder);
  const parent = loadStreamSchema(child.parent, folder);
  const element = parent.properties![child.parentField]!.items!;

  test("every field of the parent's element, identical but for the key's nullability", () => {
    for (const [field, sub] of Object.entries(element.properties!)) {
      const mine = schema.properties![field]!;
      if (child.primaryKey.includes(field))
        expect({ ...mine, type: sub.type, description: sub.description }).toEqual(sub);
      else expect([field, mine]).toEqual([field, sub]);
    }
  });

  test('the carried fields are typed like the parent fields; the index is an integer; nothing else', () => {
    for (const [field, parentField] of Object.entries(child.carry)) {
      const mine = schema.properties![field]!;
      const theirs = parent.properties![parentField]!;
      expect([field, typesOf(mine).filter((t) => t !== 'null'), mine.format, mine.airbyte_type]).toEqual([
        field,
        typesOf(theirs).filter((t) => t !== 'null'),
        theirs.format,
        theirs.airbyte_type,
      ]);
    }
    if (child.index) expect(schema.properties![child.index]!.type).toBe('integer');
    const expected = [
      ...Object.keys(child.carry),
      ...(child.index ? [child.index] : []),
      ...Object.keys(element.properties!),
    ];
    expect(Object.keys(schema.properties!).sort()).toEqual([...new Set(expected)].sort());
  });
});
