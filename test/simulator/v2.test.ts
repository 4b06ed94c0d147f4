// The v2 mode's contract: API-Key auth and v2 error bodies, every endpoint's records against ShipStation's OpenAPI
// schemas (required fields, no field the schema lacks, id and date formats, enums), date shapes, the ground truth
// and configs. Paging, filters and changes are in v2-paging.test.ts and v2-changes.test.ts.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { V2_STREAM_NAMES, v2Path } from '../../src/simulator/index.js';
import { apiGet, start } from './helpers.js';
import { DATE_TIME, SE_ID, get, startV2, v2All, v2Get, v2Page, v2Truth, type V2Sim } from './v2helpers.js';

type Row = Record<string, unknown>;

// From the OpenAPI file (shipstation/mcp-shipstation-api openapi.yaml): each schema's properties and required list.
const ADDRESS = [
  'name',
  'phone',
  'email',
  'company_name',
  'address_line1',
  'address_line2',
  'address_line3',
  'city_locality',
  'state_province',
  'postal_code',
  'country_code',
  'address_residential_indicator',
];
const ADDRESS_REQUIRED = [
  'name',
  'phone',
  'address_line1',
  'city_locality',
  'state_province',
  'postal_code',
  'country_code',
  'address_residential_indicator',
];
const SHIPPING_ADDRESS = [...ADDRESS, 'instructions', 'geolocation'];

interface Schema {
  readonly properties: readonly string[];
  readonly required: readonly string[];
}

const SCHEMAS: Record<string, Schema> = {
  shipments: {
    properties: [
      'shipment_id',
      'carrier_id',
      'service_code',
      'requested_shipment_service',
      'shipping_rule_id',
      'external_order_id',
      'hold_until_date',
      'ship_by_date',
      'retail_rate',
      'store_id',
      'items',
      'notes_from_buyer',
      'notes_for_gift',
      'is_gift',
      'assigned_user',
      'amount_paid',
      'shipping_paid',
      'tax_paid',
      'zone',
      'display_scheme',
      'tax_identifiers',
      'external_shipment_id',
      'shipment_number',
      'ship_date',
      'created_at',
      'modified_at',
      'shipment_status',
      'ship_to',
      'ship_from',
      'warehouse_id',
      'return_to',
      'is_return',
      'confirmation',
      'customs',
      'advanced_options',
      'insurance_provider',
      'tags',
      'order_source_code',
      'packages',
      'total_weight',
      'comparison_rate_type',
    ],
    required: [
      'shipment_id',
      'created_at',
      'modified_at',
      'shipment_status',
      'ship_to',
      'ship_from',
      'return_to',
      'confirmation',
      'advanced_options',
      'insurance_provider',
      'tags',
      'packages',
      'total_weight',
    ],
  },
  labels: {
    properties: [
      'label_id',
      'status',
      'shipment_id',
      'external_shipment_id',
      'external_order_id',
      'ship_date',
      'created_at',
      'shipment_cost',
      'insurance_cost',
      'requested_comparison_amount',
      'tracking_number',
      'is_return_label',
      'rma_number',
      'is_international',
      'batch_id',
      'carrier_id',
      'charge_event',
      'service_code',
      'package_code',
      'voided',
      'voided_at',
      'label_format',
      'display_scheme',
      'label_layout',
      'trackable',
      'label_image_id',
      'carrier_code',
      'confirmation',
      'tracking_status',
      'label_download',
      'form_download',
      'qr_code_download',
      'paperless_download',
      'insurance_claim',
      'packages',
      'alternative_identifiers',
      'rate_details',
      'tracking_url',
      'ship_to',
    ],
    // create_label_response_body's list (the list endpoint's `label` has none).
    required: [
      'label_id',
      'status',
      'shipment_id',
      'ship_date',
      'created_at',
      'shipment_cost',
      'insurance_cost',
      'tracking_number',
      'is_international',
      'batch_id',
      'carrier_id',
      'service_code',
      'voided',
      'voided_at',
      'label_image_id',
      'label_format',
      'label_layout',
      'trackable',
      'carrier_code',
      'tracking_status',
      'label_download',
      'form_download',
      'paperless_download',
      'insurance_claim',
      'packages',
      'is_return_label',
      'rma_number',
      'charge_event',
      'package_code',
      'display_scheme',
      'rate_details',
    ],
  },
  // Not in the OpenAPI file: the docs' response field list (assumed, see the README).
  fulfillments: {
    properties: [
      'fulfillment_id',
      'shipment_id',
      'shipment_number',
      'user_id',
      'tracking_number',
      'created_at',
      'ship_date',
      'voided_at',
      'delivered_at',
      'fulfillment_carrier_friendly_name',
      'fulfillment_provider_id',
      'fulfillment_provider_friendly_name',
      'fulfillment_provider_code',
      'fulfillment_service_code',
      'fulfillment_fee',
      'void_requested',
      'voided',
      'order_source_notified',
      'notification_error_message',
      'ship_to',
    ],
    required: ['fulfillment_id', 'shipment_id', 'created_at', 'ship_date', 'tracking_number'],
  },
  // Inline schema without a required list: every documented property is sent.
  products: {
    properties: [
      'product_id',
      'sku',
      'name',
      'upc',
      'thumbnail_url',
      'price',
      'dimensions',
      'weight',
      'internal_notes',
      'fulfillment_sku',
      'create_date',
      'modify_date',
      'active',
      'product_category',
      'preset_group',
      'warehouse_location',
      'default_carrier_code',
      'default_service_code',
      'default_package_code',
      'default_intl_carrier_code',
      'default_intl_service_code',
      'default_intl_package_code',
      'default_confirmation',
      'default_intl_confirmation',
      'customs_description',
      'customs_value',
      'customs_tariff_no',
      'customs_country_code',
      'no_customs',
      'tags',
      'aliases',
      'product_type',
      'is_returnable',
      'should_override_name',
      'is_bundle',
      'bundle_components',
      'auto_split_option',
      'auto_split_custom_quantity',
    ],
    required: [],
  },
  users: {
    properties: ['user_id', 'name', 'username', 'email', 'status', 'last_login_at', 'created_at'],
    required: [],
  },
  batches: {
    properties: [
      'label_layout',
      'label_format',
      'batch_id',
      'batch_number',
      'external_batch_id',
      'batch_notes',
      'created_at',
      'processed_at',
      'errors',
      'process_errors',
      'warnings',
      'completed',
      'forms',
      'count',
      'batch_shipments_url',
      'batch_labels_url',
      'batch_errors_url',
      'label_download',
      'form_download',
      'paperless_download',
      'status',
    ],
    required: [
      'label_layout',
      'label_format',
      'batch_id',
      'batch_number',
      'external_batch_id',
      'batch_notes',
      'created_at',
      'processed_at',
      'errors',
      'process_errors',
      'warnings',
      'completed',
      'forms',
      'count',
      'batch_shipments_url',
      'batch_labels_url',
      'batch_errors_url',
      'label_download',
      'form_download',
      'paperless_download',
      'status',
    ],
  },
  manifests: {
    properties: [
      'manifest_id',
      'form_id',
      'created_at',
      'ship_date',
      'shipments',
      'label_ids',
      'warehouse_id',
      'submission_id',
      'carrier_id',
      'manifest_download',
    ],
    required: [
      'manifest_id',
      'form_id',
      'created_at',
      'ship_date',
      'shipments',
      'warehouse_id',
      'submission_id',
      'carrier_id',
      'manifest_download',
      'label_ids',
    ],
  },
  pickups: {
    properties: [
      'pickup_id',
      'label_ids',
      'created_at',
      'cancelled_at',
      'carrier_id',
      'confirmation_number',
      'warehouse_id',
      'pickup_address',
      'contact_details',
      'pickup_notes',
      'pickup_windows',
    ],
    // pickup_response_body's list, less `pickup`, `notes` and the write-only `pickup_window` it also names.
    required: [
      'pickup_id',
      'label_ids',
      'created_at',
      'carrier_id',
      'warehouse_id',
      'pickup_address',
      'contact_details',
      'confirmation_number',
    ],
  },
  inventory_warehouses: { properties: ['inventory_warehouse_id', 'name', 'created_at', 'updated_at'], required: [] },
  inventory_locations: {
    properties: ['inventory_location_id', 'name', 'inventory_warehouse_id', 'created_at', 'updated_at'],
    required: [],
  },
  warehouses: {
    properties: ['warehouse_id', 'is_default', 'name', 'created_at', 'origin_address', 'return_address'],
    required: ['warehouse_id', 'name', 'created_at', 'origin_address', 'return_address'],
  },
  carriers: {
    properties: [
      'carrier_id',
      'carrier_code',
      'account_number',
      'requires_funded_amount',
      'balance',
      'nickname',
      'friendly_name',
      'funding_source_id',
      'primary',
      'has_multi_package_supporting_services',
      'supports_label_messages',
      'disabled_by_billing_plan',
      'services',
      'packages',
      'options',
    ],
    required: [],
  },
  packages: {
    properties: ['package_id', 'package_code', 'name', 'dimensions', 'description'],
    required: ['name', 'package_code'],
  },
  tags: { properties: ['name'], required: ['name'] },
  webhooks: { properties: ['webhook_id', 'url', 'event', 'headers'], required: ['webhook_id', 'url', 'event'] },
};

const ITEM_PROPERTIES = [
  'name',
  'sales_order_id',
  'sales_order_item_id',
  'quantity',
  'sku',
  'bundle_sku',
  'external_order_id',
  'external_order_item_id',
  'asin',
  'order_source_code',
  'item_id',
  'allocation_status',
  'image_url',
  'weight',
  'unit_price',
  'tax_amount',
  'shipping_amount',
  'inventory_location',
  'options',
  'product_id',
  'fullfilment_sku',
  'upc',
];

/** Where each stream's records keep their ids and dates, and the formats the schemas give them. */
const IDS: Record<string, [string, RegExp][]> = {
  shipments: [['shipment_id', SE_ID]],
  labels: [
    ['label_id', SE_ID],
    ['shipment_id', SE_ID],
    ['carrier_id', SE_ID],
  ],
  fulfillments: [
    ['fulfillment_id', SE_ID],
    ['shipment_id', SE_ID],
  ],
  batches: [['batch_id', SE_ID]],
  manifests: [
    ['manifest_id', SE_ID],
    ['warehouse_id', SE_ID],
    ['carrier_id', SE_ID],
  ],
  pickups: [
    ['pickup_id', /^pik_[A-Za-z0-9]{4,}$/],
    ['carrier_id', SE_ID],
  ],
  warehouses: [['warehouse_id', SE_ID]],
  carriers: [['carrier_id', SE_ID]],
  packages: [['package_id', SE_ID]],
  webhooks: [['webhook_id', SE_ID]],
  users: [['user_id', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/]],
};
const DATES: Record<string, string[]> = {
  shipments: ['created_at', 'modified_at'],
  labels: ['created_at', 'voided_at', 'ship_date'],
  fulfillments: ['created_at', 'ship_date', 'voided_at', 'delivered_at'],
  products: ['create_date', 'modify_date'],
  batches: ['created_at', 'processed_at'],
  manifests: ['created_at', 'ship_date'],
  pickups: ['created_at', 'cancelled_at'],
  warehouses: ['created_at'],
  inventory_warehouses: ['created_at', 'updated_at'],
  inventory_locations: ['created_at', 'updated_at'],
};

/** Checks over many records gather what is wrong and assert once: one `expect` per field would take seconds. */
class Problems {
  readonly found: string[] = [];

  check(ok: boolean, what: string): void {
    if (!ok && this.found.length < 20) this.found.push(what);
  }
}

function checkShape(problems: Problems, stream: string, record: Row): void {
  const schema = SCHEMAS[stream] as Schema;
  for (const key of Object.keys(record))
    problems.check(schema.properties.includes(key), `${stream}: extra field ${key}`);
  for (const key of schema.required) problems.check(key in record, `${stream}: no ${key}`);
}

function checkAddress(problems: Problems, address: Row, shipping: boolean): void {
  for (const key of Object.keys(address))
    problems.check((shipping ? SHIPPING_ADDRESS : ADDRESS).includes(key), `address: extra field ${key}`);
  for (const key of ADDRESS_REQUIRED) problems.check(typeof address[key] === 'string', `address: ${key} not a string`);
  problems.check(
    ['unknown', 'yes', 'no'].includes(address.address_residential_indicator as string),
    `address: residential ${String(address.address_residential_indicator)}`,
  );
}

function oneOf(problems: Problems, values: readonly string[], value: unknown, what: string): void {
  problems.check(values.includes(value as string), `${what} ${String(value)}`);
}

describe('v2 mode: auth, shapes and truth', () => {
  let sim: V2Sim;
  beforeAll(async () => {
    sim = await startV2({ seed: 21, counts: { orders: 1500, shipments: 900, fulfillments: 200, products: 120 } });
  });
  afterAll(() => sim.close());

  test('config: one key and api_version v2, no secret; the no-access account likewise', () => {
    expect(sim.config).toEqual({
      api_key: 'simV2k8Qm3Tz7Wc1Lp5Xr9Hd2Jn6Bf4Y',
      base_url: sim.baseUrl,
      api_version: 'v2',
      settle_seconds: 0,
    });
    expect(sim.config.api_key).toHaveLength(32);
    expect(sim.noAccessConfig).toEqual({ ...sim.config, api_key: 'simV2noAccess4Kq8Zr2Mt6Wy1Pb5Hx9' });
  });

  test('auth: the API-Key header gets data; a v1 Basic header, a wrong key or none → 401, the no-access key → 403', async () => {
    expect((await v2Get(sim, '/v2/tags')).status).toBe(200);
    expect((await v2Get(sim, '/v2/tags', {}, { 'api-key': sim.config.api_key })).status).toBe(200);
    const basic = Buffer.from('a1b2c3d4e5f60718293a4b5c6d7e8f90:5ec12e75ec12e75ec12e75ec12e75ec1').toString('base64');
    const refusals: [Record<string, string>, number, string, string][] = [
      [{ Authorization: `Basic ${basic}` }, 401, 'security', 'unauthorized'],
      [{ 'API-Key': 'not-the-key' }, 401, 'security', 'unauthorized'],
      [{ 'API-Key': 'a1b2c3d4e5f60718293a4b5c6d7e8f90' }, 401, 'security', 'unauthorized'],
      [{}, 401, 'security', 'unauthorized'],
      [{ 'API-Key': sim.noAccessConfig.api_key }, 403, 'account_status', 'invalid_billing_plan'],
    ];
    for (const [headers, status, type, code] of refusals) {
      const response = await v2Get<Row>(sim, '/v2/shipments', {}, headers);
      expect(response.status).toBe(status);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(Object.keys(response.body)).toEqual(['request_id', 'errors']);
      expect(response.body.request_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(response.body.errors).toEqual([
        { error_source: 'ShipStation', error_type: type, error_code: code, message: expect.any(String) },
      ]);
    }
    const basicMessage = (
      await v2Get<{ errors: { message: string }[] }>(sim, '/v2/tags', {}, { Authorization: `Basic ${basic}` })
    ).body.errors[0]!.message;
    expect(basicMessage).toMatch(/API-Key/);
  });

  test('dialects never mix: v1 paths are unknown to v2 (v2 404 body), /v2 paths to v1 (v1 404 body)', async () => {
    const v1Path = await v2Get<Row>(sim, '/orders');
    expect(v1Path.status).toBe(404);
    expect(v1Path.body.errors).toHaveLength(1);
    const v1 = await start({ counts: { orders: 10, shipments: 5, fulfillments: 2 } });
    try {
      const v2PathOnV1 = await apiGet<{ Message: string }>(v1, '/v2/shipments');
      expect(v2PathOnV1.status).toBe(404);
      expect(v2PathOnV1.body.Message).toMatch(/No HTTP resource/);
      expect(v1.config).not.toHaveProperty('api_version');
    } finally {
      await v1.close();
    }
  });

  test('a non-GET on a v2 list is a 405 with a v2 body', async () => {
    const response = await fetch(`${sim.baseUrl}/v2/shipments`, {
      method: 'POST',
      headers: { 'API-Key': sim.config.api_key },
    });
    expect(response.status).toBe(405);
    expect(((await response.json()) as Row).errors).toHaveLength(1);
  });

  test.each(V2_STREAM_NAMES)(
    '%s: records carry the schema’s required fields, no others, ids and dates in format',
    async (stream) => {
      const response = await v2Get<Row | Row[]>(
        sim,
        v2Path(stream),
        stream === 'products' || stream === 'users' ? {} : { page_size: 100 },
      );
      expect(response.status).toBe(200);
      const records = (Array.isArray(response.body) ? response.body : response.body[stream]) as Row[];
      expect(records.length).toBeGreaterThan(0);
      const problems = new Problems();
      for (const record of records) {
        checkShape(problems, stream, record);
        for (const [field, format] of IDS[stream] ?? [])
          problems.check(format.test(String(record[field])), `${field} ${String(record[field])}`);
        for (const field of DATES[stream] ?? [])
          problems.check(
            record[field] === null || DATE_TIME.test(String(record[field])),
            `${field} ${String(record[field])}`,
          );
      }
      expect(problems.found).toEqual([]);
    },
  );

  test('whole lists: webhooks a bare array; warehouses, packages, tags wrapped; carriers with request_id and errors', async () => {
    expect(Array.isArray((await v2Get(sim, '/v2/environment/webhooks')).body)).toBe(true);
    for (const key of ['warehouses', 'packages', 'tags'])
      expect(Object.keys((await v2Get<Row>(sim, `/v2/${key}`)).body)).toEqual([key]);
    const carriers = (await v2Get<Row>(sim, '/v2/carriers')).body;
    expect(Object.keys(carriers)).toEqual(['carriers', 'request_id', 'errors']);
    expect(carriers.errors).toEqual([]);
    const tags = (await v2Get<{ tags: Row[] }>(sim, '/v2/tags')).body.tags;
    expect(tags.every((tag) => Object.keys(tag).join() === 'name')).toBe(true);
  });

  test('shipments: v1 orders in v2 shape, statuses and nested objects per the schemas; item ids sometimes null', async () => {
    const shipments = v2Truth<Row>(sim, 'shipments');
    // The same seed in v1: each v2 shipment is the v1 order with its id.
    const v1 = await start({ seed: 21, counts: { orders: 1500, shipments: 900, fulfillments: 200, products: 120 } });
    const orders = new Map(([...v1.truth('orders')] as unknown as Row[]).map((o) => [`se-${o.orderId as number}`, o]));
    await v1.close();
    const itemIds: (string | null)[] = [];
    const problems = new Problems();
    for (const shipment of shipments) {
      const order = orders.get(shipment.shipment_id as string) as Row;
      problems.check(
        shipment.shipment_number === order.orderNumber,
        `shipment_number ${String(shipment.shipment_number)}`,
      );
      problems.check(
        shipment.external_shipment_id === order.orderKey,
        `external_shipment_id of ${String(shipment.shipment_id)}`,
      );
      oneOf(problems, ['pending', 'processing', 'label_purchased', 'cancelled'], shipment.shipment_status, 'status');
      oneOf(
        problems,
        ['none', 'delivery', 'signature', 'adult_signature', 'direct_signature'],
        shipment.confirmation,
        'confirmation',
      );
      oneOf(
        problems,
        ['none', 'shipsurance', 'carrier', 'third_party'],
        shipment.insurance_provider,
        'insurance_provider',
      );
      for (const address of ['ship_to', 'ship_from', 'return_to'])
        checkAddress(problems, shipment[address] as Row, true);
      for (const item of shipment.items as Row[]) {
        for (const key of Object.keys(item)) problems.check(ITEM_PROPERTIES.includes(key), `item field ${key}`);
        problems.check((item.unit_price as number) >= 0, `unit_price ${String(item.unit_price)}`);
        itemIds.push(item.item_id as string | null);
      }
      problems.check((shipment.packages as Row[]).length >= 1, 'no package');
      const weight = shipment.total_weight as Row;
      problems.check(typeof weight.value === 'number' && weight.unit === 'ounce', 'total_weight');
      problems.check(
        shipment.ship_date === null || /^\d{4}-\d{2}-\d{2}T00:00:00Z$/.test(shipment.ship_date as string),
        `ship_date ${String(shipment.ship_date)}`,
      );
    }
    expect(problems.found).toEqual([]);
    expect(itemIds).toContain(null);
    expect(itemIds.some((id) => id !== null)).toBe(true);
  });

  test('labels: statuses, voids with voided_at, tracking and the shipment they belong to', () => {
    const labels = v2Truth<Row>(sim, 'labels');
    const shipmentIds = new Set(v2Truth<Row>(sim, 'shipments').map((s) => s.shipment_id));
    const problems = new Problems();
    for (const label of labels) {
      oneOf(problems, ['processing', 'completed', 'error', 'voided'], label.status, 'status');
      problems.check(label.voided === (label.status === 'voided'), `voided of ${String(label.label_id)}`);
      problems.check((label.voided_at === null) === !label.voided, `voided_at of ${String(label.label_id)}`);
      oneOf(problems, ['unknown', 'in_transit', 'error', 'delivered'], label.tracking_status, 'tracking_status');
      problems.check(shipmentIds.has(label.shipment_id), `shipment of ${String(label.label_id)}`);
      checkAddress(problems, label.ship_to as Row, true);
    }
    expect(problems.found).toEqual([]);
    expect(labels.some((label) => label.voided)).toBe(true);
    const batched = labels.filter((label) => label.batch_id !== null);
    const batchIds = new Set(v2Truth<Row>(sim, 'batches').map((b) => b.batch_id));
    expect(batched.length).toBeGreaterThan(0);
    expect(batched.filter((label) => !batchIds.has(label.batch_id))).toEqual([]);
  });

  test('manifests and pickups name labels that exist; users have date-only dates and a status', () => {
    const labelIds = new Set(v2Truth<Row>(sim, 'labels').map((l) => l.label_id));
    for (const stream of ['manifests', 'pickups'] as const)
      for (const record of v2Truth<Row>(sim, stream))
        for (const id of record.label_ids as string[]) expect(labelIds.has(id)).toBe(true);
    for (const user of v2Truth<Row>(sim, 'users')) {
      expect(user.created_at).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(user.last_login_at).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(['Active', 'Inactive']).toContain(user.status);
    }
  });

  test('date fractions vary in length (trailing zeros trimmed, sometimes none, sometimes 7 digits)', () => {
    const lengths = new Set<number>();
    const trailingZeros: string[] = [];
    for (const shipment of v2Truth<Row>(sim, 'shipments'))
      for (const field of ['created_at', 'modified_at']) {
        const fraction = /\.(\d+)Z$/.exec(shipment[field] as string)?.[1] ?? '';
        if (fraction.endsWith('0')) trailingZeros.push(shipment[field] as string);
        lengths.add(fraction.length);
      }
    expect(trailingZeros).toEqual([]);
    for (const length of [0, 1, 2, 3, 7]) expect(lengths.has(length)).toBe(true);
  });

  test('the fall-back hour’s repeated wall time is two UTC instants in v2 (PDT and PST passes of 01:12:34.567)', async () => {
    const created = new Set(v2Truth<Row>(sim, 'shipments').map((s) => s.created_at));
    expect(created.has('2024-11-03T08:12:34.567Z')).toBe(true);
    expect(created.has('2024-11-03T09:12:34.567Z')).toBe(true);
    const hour = await v2All(sim, '/v2/shipments', {
      created_at_start: '2024-11-03T08:00:00Z',
      created_at_end: '2024-11-03T09:59:59.9999999Z',
      sort_dir: 'asc',
    });
    const times = hour.map((s) => s.created_at as string);
    expect(times).toEqual([...times].sort());
    expect(times).toEqual(expect.arrayContaining(['2024-11-03T08:12:34.567Z', '2024-11-03T09:12:34.567Z']));
  });

  test('the truth is what the API serves: every stream read whole equals truth() (in id order), and truthCount', async () => {
    for (const stream of ['shipments', 'labels', 'fulfillments', 'products', 'batches'] as const) {
      const read = await v2All<Row>(
        sim,
        v2Path(stream),
        stream === 'products' ? { page_size: 100 } : { sort_dir: 'asc' },
      );
      const truth = v2Truth<Row>(sim, stream);
      const key =
        Object.keys(truth[0] as Row)[0] === 'label_layout' ? 'batch_id' : (Object.keys(truth[0] as Row)[0] as string);
      const byId = (a: Row, b: Row): number => String(a[key]).localeCompare(String(b[key]));
      expect([...read].sort(byId)).toEqual([...truth].sort(byId));
      expect(sim.truthCount(stream)).toBe(truth.length);
    }
  });

  test('truth takes v2 names only; the control endpoint streams v2 truth and refuses v1 names', async () => {
    expect(() => [...sim.truth('orders' as never)]).toThrow(RangeError);
    const labels = await get(`${sim.baseUrl}/__sim/truth/labels`);
    expect(labels.status).toBe(200);
    expect(labels.headers.get('x-total-count')).toBe(String(sim.truthCount('labels')));
    const first = labels.text.split('\n')[0] as string;
    expect(JSON.parse(first)).toEqual(v2Truth(sim, 'labels')[0]);
    expect((await get(`${sim.baseUrl}/__sim/truth/orders`)).status).toBe(404);
    const config = JSON.parse((await get(`${sim.baseUrl}/__sim/config`)).text) as Row;
    expect(config).toEqual({ base_url: sim.baseUrl, config: sim.config, no_access_config: sim.noAccessConfig });
  });

  test('dates can end in +00:00 (always, or per record when mixed)', async () => {
    const plus = await startV2({
      seed: 21,
      counts: { orders: 60, shipments: 40, fulfillments: 10 },
      v2DateSuffix: '+00:00',
    });
    const mixed = await startV2({
      seed: 21,
      counts: { orders: 60, shipments: 40, fulfillments: 10 },
      v2DateSuffix: 'mixed',
    });
    try {
      const plusDates = v2Truth<Row>(plus, 'shipments').map((s) => s.modified_at as string);
      expect(plusDates.every((d) => d.endsWith('+00:00') && DATE_TIME.test(d))).toBe(true);
      const mixedDates = v2Truth<Row>(mixed, 'labels').map((l) => l.created_at as string);
      expect(mixedDates.some((d) => d.endsWith('Z'))).toBe(true);
      expect(mixedDates.some((d) => d.endsWith('+00:00'))).toBe(true);
      // The same instants, whatever the suffix.
      expect(plusDates.map((d) => Date.parse(d))).toEqual(
        v2Truth<Row>(mixed, 'shipments').map((s) => Date.parse(s.modified_at as string)),
      );
    } finally {
      await Promise.all([plus.close(), mixed.close()]);
    }
  });
});

describe('v2 page shape', () => {
  let sim: V2Sim;
  beforeAll(async () => {
    sim = await startV2({ seed: 3, counts: { orders: 80, shipments: 60, fulfillments: 30, products: 30 } });
  });
  afterAll(() => sim.close());

  test('paged bodies: the list, total, page, pages, links in the schemas’ order; fulfillments put page first', async () => {
    expect(Object.keys((await v2Page(sim, '/v2/shipments')).raw)).toEqual([
      'shipments',
      'total',
      'page',
      'pages',
      'links',
    ]);
    expect(Object.keys((await v2Page(sim, '/v2/fulfillments')).raw)).toEqual([
      'fulfillments',
      'page',
      'pages',
      'total',
      'links',
    ]);
    expect(Object.keys((await v2Page(sim, '/v2/pickups')).raw)).toEqual([
      'pickups',
      'total',
      'page',
      'pages',
      'links',
      'request_id',
      'errors',
    ]);
  });
});
