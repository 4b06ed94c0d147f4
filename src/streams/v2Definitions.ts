// ShipStation API v2's streams, as data (dialects/v2.ts offers them as a StreamSet), named as v2 names them: a v2
// shipment is what v1 calls an order, a v2 label a v1 shipment. Their schemas are in schemas/v2/. What each
// endpoint can filter and sort by comes from ShipStation's OpenAPI file (docs.shipstation.com for fulfillments).
import type { ChildStreamDefinition, CursorDefinition, StreamDefinition } from './types.js';

const createdAt: CursorDefinition = {
  field: 'created_at',
  startParam: 'created_at_start',
  endParam: 'created_at_end',
  sortBy: 'created_at',
};

export const V2_STREAMS: readonly StreamDefinition[] = [
  {
    name: 'shipments',
    path: '/v2/shipments',
    envelope: 'shipments',
    primaryKey: ['shipment_id'],
    cursors: {
      modified_at: {
        field: 'modified_at',
        startParam: 'modified_at_start',
        endParam: 'modified_at_end',
        sortBy: 'modified_at',
      },
      created_at: createdAt,
    },
    defaultCursor: 'modified_at',
    fullRefreshCursor: 'created_at',
    description:
      'Shipments (v1 orders) with their items, addresses and options; incremental on modified_at (or created_at).',
  },
  {
    name: 'labels',
    path: '/v2/labels',
    envelope: 'labels',
    primaryKey: ['label_id'],
    cursors: { created_at: createdAt },
    defaultCursor: 'created_at',
    fullRefreshCursor: 'created_at',
    lookbackConfigKey: 'shipmentsLookbackDays',
    // A void sets voided_at, which no filter reaches, and modified_at is a sort without a filter and a date no
    // label prints: every voided label is listed (label_status=voided) and those voided since the last window kept.
    voids: { field: 'voided_at', params: { label_status: 'voided' } },
    description: 'Shipping labels bought (v1 shipments); incremental on created_at, later voids read each sync.',
  },
  {
    name: 'fulfillments',
    path: '/v2/fulfillments',
    envelope: 'fulfillments',
    primaryKey: ['fulfillment_id'],
    cursors: {
      created_at: {
        field: 'created_at',
        startParam: 'create_date_start',
        endParam: 'create_date_end',
        sortBy: 'created_at',
      },
    },
    defaultCursor: 'created_at',
    fullRefreshCursor: 'created_at',
    lookbackConfigKey: 'fulfillmentsLookbackDays',
    description: 'Shipments marked shipped without a ShipStation label; incremental on created_at.',
  },
  {
    name: 'products',
    path: '/v2/products',
    envelope: 'products',
    primaryKey: ['product_id'],
    fullRefreshUnsorted: true,
    maxPageSize: 100,
    description: 'Product catalog, inactive products included; full refresh.',
  },
  {
    name: 'users',
    path: '/v2/users',
    envelope: 'users',
    primaryKey: ['user_id'],
    fullRefreshUnsorted: true,
    maxPageSize: 100,
    description: 'Users of the account; full refresh.',
  },
  {
    name: 'batches',
    path: '/v2/batches',
    envelope: 'batches',
    primaryKey: ['batch_id'],
    fullRefreshSort: { sortBy: 'created_at', sortDir: 'ASC', field: 'created_at' },
    description: 'Label batches; full refresh.',
  },
  {
    name: 'manifests',
    path: '/v2/manifests',
    envelope: 'manifests',
    primaryKey: ['manifest_id'],
    fullRefreshUnsorted: true,
    description: 'End-of-day manifests (carrier forms); full refresh.',
  },
  {
    name: 'pickups',
    path: '/v2/pickups',
    envelope: 'pickups',
    primaryKey: ['pickup_id'],
    fullRefreshUnsorted: true,
    description: 'Scheduled carrier pickups, cancelled ones included; full refresh.',
  },
  {
    name: 'inventory_warehouses',
    path: '/v2/inventory_warehouses',
    envelope: 'inventory_warehouses',
    primaryKey: ['inventory_warehouse_id'],
    fullRefreshUnsorted: true,
    description: 'Inventory warehouses; full refresh.',
  },
  {
    name: 'inventory_locations',
    path: '/v2/inventory_locations',
    envelope: 'inventory_locations',
    primaryKey: ['inventory_location_id'],
    fullRefreshUnsorted: true,
    description: 'Inventory locations inside the inventory warehouses; full refresh.',
  },
  {
    name: 'warehouses',
    path: '/v2/warehouses',
    envelope: 'warehouses',
    singleRequest: true,
    primaryKey: ['warehouse_id'],
    description: 'Ship-from warehouses; full refresh, one request.',
  },
  {
    name: 'carriers',
    path: '/v2/carriers',
    envelope: 'carriers',
    singleRequest: true,
    primaryKey: ['carrier_id'],
    description:
      'Carrier accounts connected to the account, with services and package types; full refresh, one request.',
  },
  {
    name: 'packages',
    path: '/v2/packages',
    envelope: 'packages',
    singleRequest: true,
    primaryKey: ['package_id'],
    description: 'Custom package types; full refresh, one request.',
  },
  {
    name: 'tags',
    path: '/v2/tags',
    envelope: 'tags',
    singleRequest: true,
    primaryKey: ['name'],
    description: 'Tags defined in the account (names only); full refresh, one request.',
  },
  {
    name: 'webhooks',
    path: '/v2/environment/webhooks',
    envelope: null,
    primaryKey: ['webhook_id'],
    description: 'Webhook subscriptions; full refresh, one request.',
  },
];

/** Tables unnested from a parent's pages while the parent is read: no request of their own. */
export const V2_CHILD_STREAMS: readonly ChildStreamDefinition[] = [
  {
    name: 'shipment_items',
    parent: 'shipments',
    parentField: 'items',
    carry: { shipment_id: 'shipment_id', shipment_modified_at: 'modified_at', shipment_created_at: 'created_at' },
    // item_id is nullable and sales-order item ids can repeat: the position keys the row.
    index: 'item_index',
    primaryKey: ['shipment_id', 'item_index'],
    description:
      'One row per shipment item (shipments.items) with shipment_id and item_index; read with shipments at no extra request, following its sync mode and cursor.',
  },
];
