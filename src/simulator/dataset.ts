// All the data of one simulated account: every stream built from the seed in dependency order (orders refer to
// products, customers, stores and warehouses; shipments and fulfillments to orders), and the truth export, every
// live record in API form, that tests compare a sync against.
import { dstPins } from './instants.js';
import type { ResolvedOptions } from './options.js';
import type { ApiRecord } from './records.js';
import { CustomersStream } from './streams/customers.js';
import { FulfillmentsStream } from './streams/fulfillments.js';
import { OrdersStream } from './streams/orders.js';
import type { GenContext, PagedStream, PagedStreamName, StreamName } from './streams/pagedStream.js';
import { ProductsStream } from './streams/products.js';
import { AccountTagsList, CarriersList, MarketplacesList, UsersList, WebhooksList } from './streams/reference.js';
import { ShipmentsStream } from './streams/shipments.js';
import { StoresStream } from './streams/stores.js';
import { WarehousesStream } from './streams/warehouses.js';

/** Every stream of one simulated account, built in dependency order. */
export class Dataset {
  readonly stores: StoresStream;
  readonly warehouses: WarehousesStream;
  readonly products: ProductsStream;
  readonly customers: CustomersStream;
  readonly orders: OrdersStream;
  readonly shipments: ShipmentsStream;
  readonly fulfillments: FulfillmentsStream;
  readonly carriers: CarriersList;
  readonly marketplaces: MarketplacesList;
  readonly users: UsersList;
  readonly webhooks: WebhooksList;
  readonly tags: AccountTagsList;

  constructor(options: Pick<ResolvedOptions, 'seed' | 'counts' | 'range'>) {
    const ctx: GenContext = { seed: options.seed, range: options.range, pins: dstPins(options.range) };
    const counts = options.counts;
    this.stores = new StoresStream(ctx, counts.stores);
    this.warehouses = new WarehousesStream(ctx, counts.warehouses);
    this.products = new ProductsStream(ctx, counts.products);
    this.customers = new CustomersStream(ctx, counts.customers);
    this.orders = new OrdersStream(ctx, counts.orders, {
      products: this.products,
      customers: this.customers,
      stores: this.stores,
      warehouses: this.warehouses,
    });
    this.shipments = new ShipmentsStream(ctx, counts.shipments, {
      orders: this.orders,
      stores: this.stores,
      warehouses: this.warehouses,
    });
    this.fulfillments = new FulfillmentsStream(ctx, counts.fulfillments, this.orders);
    this.carriers = new CarriersList(ctx);
    this.marketplaces = new MarketplacesList();
    this.users = new UsersList(ctx, counts.users);
    this.webhooks = new WebhooksList(ctx, counts.webhooks, this.stores);
    this.tags = new AccountTagsList(ctx);
  }

  paged(name: PagedStreamName): PagedStream {
    return this[name];
  }

  /** Records a stream holds now (deleted ones excluded). */
  count(stream: StreamName): number {
    return this[stream].count;
  }

  /**
   * Every current record of a stream in API form, in id order, exactly as the API would return it with
   * includeShipmentItems=true and showInactive=true. A generator, so large streams are never materialised.
   */
  *truth(stream: StreamName): Generator<ApiRecord, void, undefined> {
    // Stores and warehouses are kept as objects: hand out copies so callers cannot alter the served data.
    if (stream === 'stores') {
      for (const store of this.stores.list(true)) yield structuredClone(store);
      return;
    }
    if (stream === 'warehouses') {
      for (const warehouse of this.warehouses.list()) yield structuredClone(warehouse);
      return;
    }
    if (
      stream === 'carriers' ||
      stream === 'marketplaces' ||
      stream === 'users' ||
      stream === 'webhooks' ||
      stream === 'tags'
    ) {
      // In the order served (users: showInactive=true).
      for (const record of this[stream].list()) yield structuredClone(record);
      return;
    }
    const paged = this.paged(stream);
    for (let row = 0; row < paged.table.size; row++)
      if (!paged.table.isDeleted(row)) yield paged.render(row, { includeShipmentItems: true });
  }
}
