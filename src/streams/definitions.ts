// The streams, as data. Adding a table = one definition here + one schema in schemas/.
import type { StreamDefinition } from './types.js';

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
    // Without sortBy ShipStation orders by orderId ascending: modifications cannot move a row between pages.
    cursors: {
      modifyDate: { field: 'modifyDate', startParam: 'modifyDateStart', endParam: 'modifyDateEnd', sortBy: 'ModifyDate' },
      createDate: createDate(),
    },
    defaultCursor: 'modifyDate',
    description: 'Orders with their items, addresses and options; incremental on modifyDate (or createDate).',
  },
  {
    name: 'shipments',
    path: '/shipments',
    envelope: 'shipments',
    primaryKey: ['shipmentId'],
    params: { includeShipmentItems: 'true' },
    fullRefreshSort: { sortBy: 'CreateDate', sortDir: 'ASC' },
    cursors: { createDate: createDate() },
    defaultCursor: 'createDate',
    lookbackConfigKey: 'shipmentsLookbackDays',
    lookbackExtraCursors: [{ field: 'voidDate', startParam: 'voidDateStart', endParam: 'voidDateEnd', sortBy: 'CreateDate' }],
    description: 'Shipping labels with their items; incremental on createDate, optional re-scan for later voids.',
  },
  {
    name: 'fulfillments',
    path: '/fulfillments',
    envelope: 'fulfillments',
    primaryKey: ['fulfillmentId'],
    fullRefreshSort: { sortBy: 'CreateDate', sortDir: 'ASC' },
    cursors: { createDate: createDate() },
    defaultCursor: 'createDate',
    lookbackConfigKey: 'fulfillmentsLookbackDays',
    description: 'Orders marked shipped outside ShipStation labels; incremental on createDate.',
  },
  {
    name: 'products',
    path: '/products',
    envelope: 'products',
    primaryKey: ['productId'],
    params: { showInactive: 'true' },
    fullRefreshSort: { sortBy: 'CreateDate', sortDir: 'ASC' },
    description: 'Product catalog, inactive products included; full refresh.',
  },
  {
    name: 'customers',
    path: '/customers',
    envelope: 'customers',
    primaryKey: ['customerId'],
    fullRefreshSort: { sortBy: 'CreateDate', sortDir: 'ASC' },
    description: 'Customers with their marketplace usernames; full refresh.',
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
];

const BY_NAME = new Map(STREAMS.map((s) => [s.name, s]));

export function findStream(name: string): StreamDefinition | undefined {
  return BY_NAME.get(name);
}
