// The account's v2 settings, built once from the seed and the v1 lists they mirror: users (paged, with a status
// filter), warehouses, carriers with their services and package types, custom package types, tags (names only),
// webhooks, and the inventory warehouses and locations (paged). Shapes follow the OpenAPI file's schemas.
import { CARRIER_SERVICES, PACKAGE_CODES } from '../pools.js';
import { hash32, recordRng } from '../random.js';
import { utcTicks } from '../utcTime.js';
import { seId, warehouseAddress, V2_TAGS, type V2Context } from './context.js';
import { COMMON_PARAMS, FixedListView, type V2ListParams } from './endpoint.js';
import type {
  V2Carrier,
  V2InventoryLocation,
  V2InventoryWarehouse,
  V2PackageType,
  V2Tag,
  V2User,
  V2Warehouse,
  V2Webhook,
  V2WebhookEvent,
} from './records.js';
import { packageName } from './shipmentsView.js';

const DAY_MS = 86_400_000;
const USER_STATUSES = ['inactive', 'active', 'locked_out', 'email_lock'] as const;
const WEBHOOK_EVENTS: readonly V2WebhookEvent[] = [
  'track',
  'batch',
  'sales_orders_imported',
  'carrier_connected',
  'order_source_refresh_complete',
  'rate',
  'report_complete',
];

/** The `status` filter's values (case-insensitive) as the column's codes; anything else is rejected. */
function parseUserStatus(value: string): number | null {
  const code = (USER_STATUSES as readonly string[]).indexOf(value.toLowerCase());
  return code < 0 ? null : code;
}

const USER_PARAMS: V2ListParams = {
  ...COMMON_PARAMS,
  defaultSort: 'id',
  sortDir: false,
  matches: [{ param: 'status', column: 'status', parse: parseUserStatus }],
  pageSize: { default: 25, max: 100 },
};

/** Inventory lists take `limit` (read as page_size) and no sort. */
const INVENTORY_PARAMS: V2ListParams = { ...COMMON_PARAMS, defaultSort: 'id', sortDir: false, pageSizeAlias: 'limit' };

function isoDay(utcMs: number): string {
  return new Date(utcMs).toISOString().slice(0, 10);
}

/** Users as GET /v2/users lists them: the v1 users (same ids and names), dates date-only as in the schema's example. */
export function usersView(ctx: V2Context): FixedListView<V2User, 'status'> {
  const range = ctx.range;
  const users = ctx.data.users.list();
  const records = users.map((user, k): V2User => {
    const rng = recordRng(ctx.seed, V2_TAGS.user, k);
    const active = users.length < 2 || k !== users.length - 1;
    return {
      user_id: user.userId,
      name: user.name,
      username: user.userName.split('@')[0] as string,
      email: user.userName,
      status: active ? 'Active' : 'Inactive',
      last_login_at: isoDay(range.endUtc - rng.int(1, 30) * DAY_MS),
      created_at: isoDay(range.startUtc + rng.int(0, 90) * DAY_MS),
    };
  });
  return new FixedListView('users', USER_PARAMS, records, ['status'], (user, k) => ({
    id: k,
    status: user.status === 'Active' ? 1 : 0,
  }));
}

export function warehouses(ctx: V2Context): V2Warehouse[] {
  const stream = ctx.data.warehouses;
  return stream.list().map((warehouse, k) => ({
    warehouse_id: seId(warehouse.warehouseId),
    is_default: warehouse.isDefault,
    name: warehouse.warehouseName,
    created_at: ctx.instant(utcTicks(stream.createdUtc[k] as number), ctx.suffix(V2_TAGS.account, k)),
    origin_address: warehouseAddress(warehouse.originAddress),
    return_address: warehouseAddress(warehouse.returnAddress),
  }));
}

/** Each connected v1 carrier with the services orders and shipments use, and its package types. */
export function carriers(ctx: V2Context): V2Carrier[] {
  return ctx.data.carriers.list().map((carrier, k) => {
    const carrierId = seId(carrier.shippingProviderId);
    const packageCodes: readonly string[] = carrier.code === 'stamps_com' ? PACKAGE_CODES : ['package'];
    return {
      carrier_id: carrierId,
      carrier_code: carrier.code,
      account_number: carrier.accountNumber ?? '',
      requires_funded_amount: carrier.requiresFundedAccount,
      balance: carrier.balance,
      nickname: carrier.nickname ?? carrier.name,
      friendly_name: carrier.name,
      funding_source_id: carrier.requiresFundedAccount ? seId(900 + k) : null,
      primary: carrier.primary,
      has_multi_package_supporting_services: carrier.code !== 'stamps_com',
      supports_label_messages: true,
      disabled_by_billing_plan: false,
      services: CARRIER_SERVICES.filter((service) => service.carrierCode === carrier.code).map((service) => {
        const international = /international|worldwide/.test(service.serviceCode);
        return {
          carrier_id: carrierId,
          carrier_code: carrier.code,
          service_code: service.serviceCode,
          name: service.requested,
          domestic: !international,
          international,
          is_multi_package_supported: carrier.code !== 'stamps_com',
        };
      }),
      packages: packageCodes.map((code) => ({
        package_id: null,
        package_code: code,
        name: packageName(code),
        dimensions: null,
        description: null,
      })),
      options: [
        { name: 'contains_alcohol', default_value: 'false', description: '' },
        { name: 'non_machinable', default_value: 'false', description: '' },
      ],
    };
  });
}

/** The account's custom package types: three boxes. */
export function packageTypes(ctx: V2Context): V2PackageType[] {
  const base = 28_000_000 + (hash32(ctx.seed, V2_TAGS.account, 1) % 1_000_000);
  return [
    ['Small box', 8, 6, 4],
    ['Laptop box', 18, 13, 4],
    ['Poster tube', 38, 4, 4],
  ].map(([name, length, width, height], k) => ({
    package_id: seId(base + k * 7),
    package_code: 'package',
    name: name as string,
    dimensions: { unit: 'inch', length: length as number, width: width as number, height: height as number },
    description: k === 2 ? null : `Custom ${String(name).toLowerCase()}`,
  }));
}

/** Tags are names only in v2: the v1 account tags' names. */
export function tags(ctx: V2Context): V2Tag[] {
  return ctx.data.tags.list().map((tag) => ({ name: tag.name }));
}

export function webhooks(ctx: V2Context): V2Webhook[] {
  return ctx.data.webhooks.list().map((webhook, k) => ({
    webhook_id: seId(webhook.WebHookID),
    url: webhook.Url,
    event: WEBHOOK_EVENTS[k % WEBHOOK_EVENTS.length] as V2WebhookEvent,
    headers: k % 2 === 1 ? [{ key: 'X-Sim-Signature', value: `sig-${webhook.WebHookID}` }] : [],
  }));
}

/** One inventory warehouse per v1 warehouse, each with two locations. */
export function inventoryViews(ctx: V2Context): {
  warehouses: FixedListView<V2InventoryWarehouse, never>;
  locations: FixedListView<V2InventoryLocation, never>;
} {
  const stream = ctx.data.warehouses;
  const inventoryWarehouses: V2InventoryWarehouse[] = [];
  const locations: V2InventoryLocation[] = [];
  stream.list().forEach((warehouse, k) => {
    const rng = recordRng(ctx.seed, V2_TAGS.inventory, k);
    const suffix = ctx.suffix(V2_TAGS.inventory, k);
    const created = (stream.createdUtc[k] as number) + rng.int(1, 30) * DAY_MS;
    const id = seId(60_000 + warehouse.warehouseId);
    inventoryWarehouses.push({
      inventory_warehouse_id: id,
      name: warehouse.warehouseName,
      created_at: ctx.instant(utcTicks(created), suffix),
      updated_at: ctx.instant(utcTicks(created + rng.int(0, 90) * DAY_MS + rng.int(0, 999)), suffix),
    });
    ['Aisle A', 'Returns shelf'].forEach((name, j) => {
      const placed = created + rng.int(0, 5) * DAY_MS + rng.int(0, 86_399_999);
      locations.push({
        inventory_location_id: seId(70_000 + warehouse.warehouseId * 2 + j),
        name,
        inventory_warehouse_id: id,
        created_at: ctx.instant(utcTicks(placed), suffix),
        updated_at: ctx.instant(utcTicks(placed), suffix),
      });
    });
  });
  return {
    warehouses: new FixedListView('inventory_warehouses', INVENTORY_PARAMS, inventoryWarehouses, [], (_, k) => ({
      id: k,
    })),
    locations: new FixedListView('inventory_locations', INVENTORY_PARAMS, locations, [], (_, k) => ({ id: k })),
  };
}
