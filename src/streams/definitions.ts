// ShipStation v1's streams, as data (dialects/v1.ts offers them as a StreamSet). Adding a table: CONTRIBUTING.md.
import type { ChildStreamDefinition, StreamDefinition } from './types.js';

const createDate = (sortBy = 'CreateDate') => ({
  field: 'createDate',
  startParam: 'createDateStart',
  endParam: 'createDateEnd',
  sortBy,
});

export const STREAMS: readonly StreamDefinition[] = [
  {
    name: 'orders',
    path: '/orders',
    envelope: 'orders',
    primaryKey: ['orderId'],
    cursors: {
      modifyDate: {
        field: 'modifyDate',
        startParam: 'modifyDateStart',
        endParam: 'modifyDateEnd',
        sortBy: 'ModifyDate',
      },
      createDate: createDate(),
    },
    defaultCursor: 'modifyDate',
    fullRefreshCursor: 'createDate',
    description: 'Orders with their items, addresses and options; incremental on modifyDate (or createDate).',
  },
  {
    name: 'shipments',
    path: '/shipments',
    envelope: 'shipments',
    primaryKey: ['shipmentId'],
    params: { includeShipmentItems: 'true' },
    cursors: { createDate: createDate() },
    defaultCursor: 'createDate',
    fullRefreshCursor: 'createDate',
    lookbackConfigKey: 'shipmentsLookbackDays',
    voids: { field: 'voidDate', range: { startParam: 'voidDateStart', endParam: 'voidDateEnd' } },
    description: 'Shipping labels with their items; incremental on createDate, later voids read by voidDate.',
  },
  {
    name: 'fulfillments',
    path: '/fulfillments',
    envelope: 'fulfillments',
    primaryKey: ['fulfillmentId'],
    cursors: { createDate: createDate() },
    defaultCursor: 'createDate',
    fullRefreshCursor: 'createDate',
    lookbackConfigKey: 'fulfillmentsLookbackDays',
    description: 'Orders marked shipped outside ShipStation labels; incremental on createDate.',
  },
  {
    name: 'products',
    path: '/products',
    envelope: 'products',
    primaryKey: ['productId'],
    params: { showInactive: 'true' },
    fullRefreshSort: { sortBy: 'CreateDate', sortDir: 'ASC', field: 'createDate' },
    newestFirst: { field: 'modifyDate', sortBy: 'ModifyDate' },
    defaultCursor: 'modifyDate',
    description:
      'Product catalog, inactive products included; incremental on modifyDate (newest first), with a full pass every full_pass_hours.',
  },
  {
    name: 'customers',
    path: '/customers',
    envelope: 'customers',
    primaryKey: ['customerId'],
    fullRefreshSort: { sortBy: 'CreateDate', sortDir: 'ASC', field: 'createDate' },
    newestFirst: { field: 'modifyDate', sortBy: 'ModifyDate' },
    defaultCursor: 'modifyDate',
    description:
      'Customers with their marketplace usernames; incremental on modifyDate (newest first), with a full pass every full_pass_hours.',
  },
  {
    name: 'stores',
    path: '/stores',
    envelope: null,
    primaryKey: ['storeId'],
    params: { showInactive: 'true' },
    description: 'Connected selling channels, inactive ones included; full refresh, one request.',
  },
  {
    name: 'warehouses',
    path: '/warehouses',
    envelope: null,
    primaryKey: ['warehouseId'],
    description: 'Ship-from locations; full refresh, one request.',
  },
  {
    name: 'carriers',
    path: '/carriers',
    envelope: null,
    primaryKey: ['code'],
    description: 'Shipping carriers connected to the account, with balances; full refresh, one request.',
  },
  {
    name: 'marketplaces',
    path: '/stores/marketplaces',
    envelope: null,
    primaryKey: ['marketplaceId'],
    description: 'Selling channels ShipStation can connect to, with their capabilities; full refresh, one request.',
  },
  {
    name: 'users',
    path: '/users',
    envelope: null,
    primaryKey: ['userId'],
    params: { showInactive: 'true' },
    description: 'Users of the account, inactive ones included; full refresh, one request.',
  },
  {
    name: 'webhooks',
    path: '/webhooks',
    envelope: 'webhooks',
    singleRequest: true,
    primaryKey: ['WebHookID'],
    description: 'Webhook subscriptions of the account; full refresh, one request.',
  },
  {
    name: 'tags',
    path: '/accounts/listtags',
    envelope: null,
    primaryKey: ['tagId'],
    description: 'Order tags defined in the account (names and colours of orders.tagIds); full refresh, one request.',
  },
];

/** Tables unnested from a parent's pages while the parent is read: no request of their own. */
export const CHILD_STREAMS: readonly ChildStreamDefinition[] = [
  {
    name: 'order_items',
    parent: 'orders',
    parentField: 'items',
    carry: { orderId: 'orderId', orderModifyDate: 'modifyDate', orderCreateDate: 'createDate' },
    primaryKey: ['orderItemId'],
    description:
      'One row per order line item (orders.items) with orderId; read with orders at no extra request, following its sync mode and cursor.',
  },
  {
    name: 'shipment_items',
    parent: 'shipments',
    parentField: 'shipmentItems',
    carry: { shipmentId: 'shipmentId', shipmentCreateDate: 'createDate' },
    index: 'itemIndex',
    primaryKey: ['shipmentId', 'itemIndex'],
    description:
      'One row per shipment item (shipments.shipmentItems) with shipmentId and itemIndex; read with shipments at no extra request.',
  },
];
