// The /orders stream: dates, version and shipped flag live in a column table with sorted indexes; every other field
// is re-derived on demand from (seed, row, version), so a million orders stay cheap. An edit bumps the version (new
// status and notes) and the modifyDate; orders can also be created and deleted mid-run. Items reference products;
// orders reference customers, stores and warehouses.
import { chronologicalInstants, modifyLagMs, utcAfter } from '../instants.js';
import { TICKS_PER_DAY, TICKS_PER_MS, formatWall, wallMidnight, wallTicksFromUtc } from '../pacificTime.js';
import {
  CARRIER_SERVICES,
  CONFIRMATIONS,
  CUSTOMER_NOTES,
  INTERNAL_NOTES,
  OPTION_VALUES,
  ORDER_SOURCES,
  PACKAGE_CODES,
  PAYMENT_METHODS,
  TAGS as TAG_POOL,
} from '../pools.js';
import { Rng, hash32, recordRng } from '../random.js';
import type { ApiAddress, ApiCustomsItem, ApiOrder, ApiOrderItem } from '../records.js';
import { utcTicks } from '../utcTime.js';
import { nameOnlyAddress, personName, postalAddress } from './addresses.js';
import type { CustomerCore, CustomersStream } from './customers.js';
import { IdSequence } from './ids.js';
import { TAGS, type GenContext, type Stamp, type StreamParams } from './pagedStream.js';
import type { ProductsStream } from './products.js';
import type { StoresStream } from './stores.js';
import { TableStream } from './tableStream.js';
import type { WarehousesStream } from './warehouses.js';

// createdAt and modifiedAt: the same instants as UTC ticks, which v2 sorts and filters on (wall ticks repeat in the
// fall-back hour).
type Column = 'createDate' | 'orderDate' | 'modifyDate' | 'version' | 'shipped' | 'createdAt' | 'modifiedAt';

export interface OrderRefs {
  readonly products: ProductsStream;
  readonly customers: CustomersStream;
  readonly stores: StoresStream;
  readonly warehouses: WarehousesStream;
}

const PARAMS: StreamParams<Column> = {
  dateRanges: [
    { startParam: 'createDateStart', endParam: 'createDateEnd', column: 'createDate' },
    { startParam: 'modifyDateStart', endParam: 'modifyDateEnd', column: 'modifyDate' },
    { startParam: 'orderDateStart', endParam: 'orderDateEnd', column: 'orderDate' },
  ],
  sortBy: { OrderDate: 'orderDate', ModifyDate: 'modifyDate', CreateDate: 'createDate' },
  defaultSort: 'id',
};

const BASE_STATUSES: readonly [string, number][] = [
  ['awaiting_payment', 0.08],
  ['awaiting_shipment', 0.5],
  ['pending_fulfillment', 0.55],
  ['on_hold', 0.63],
  ['cancelled', 0.75],
  ['shipped', 1],
];
const EDITED_STATUSES = ['awaiting_shipment', 'on_hold', 'shipped', 'cancelled', 'pending_fulfillment'] as const;
const SUB_MS_SHARE = 0.05;

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

function weightedStatus(rng: Rng): string {
  const u = rng.next();
  return (BASE_STATUSES.find(([, upTo]) => u < upTo) ?? BASE_STATUSES[1])[0] as string;
}

export class OrdersStream extends TableStream<Column> {
  readonly name = 'orders';
  readonly params = PARAMS;
  /** UTC creation instants of the generated rows, used to place shipments after their orders. */
  readonly createdUtc: Float64Array;
  private readonly ids: IdSequence;

  constructor(
    ctx: GenContext,
    count: number,
    private readonly refs: OrderRefs,
  ) {
    super(ctx, ['createDate', 'orderDate', 'modifyDate', 'version', 'shipped', 'createdAt', 'modifiedAt'], count);
    this.createdUtc = chronologicalInstants(
      count,
      ctx.range,
      ctx.pins,
      new Rng(hash32(ctx.seed, TAGS.orderDates)),
      0.015,
    );
    const pinned = new Set(ctx.pins);
    this.ids = new IdSequence(ctx.seed, TAGS.order, 100_000_000, 9_000_000);
    for (let row = 0; row < count; row++) {
      const rng = recordRng(ctx.seed, TAGS.orderDates, row);
      const createUtc = this.createdUtc[row] as number;
      const isPin = pinned.has(createUtc);
      // Marketplace order dates are whole seconds and precede the import into ShipStation.
      const orderLag = isPin
        ? rng.int(0, 300_000)
        : rng.chance(0.7)
          ? rng.int(0, 7_200_000)
          : rng.int(0, 3 * 86_400_000);
      const orderUtc = Math.floor((createUtc - orderLag) / 1000) * 1000;
      const id = this.ids.next();
      const createSub = !isPin && rng.chance(SUB_MS_SHARE) ? rng.int(1, 9_999) : 0;
      const modifyLag = isPin ? rng.int(0, 60_000) : modifyLagMs(rng, createUtc, ctx.range);
      const modifySub = !isPin && rng.chance(SUB_MS_SHARE) ? rng.int(1, 9_999) : 0;
      const modifyUtc = modifyLag === 0 ? createUtc : utcAfter(createUtc, modifyLag, ctx.range);
      const modifySubTicks = modifyLag === 0 ? createSub : modifySub;
      this.table.append({
        id,
        createDate: wallTicksFromUtc(createUtc, createSub),
        orderDate: wallTicksFromUtc(orderUtc),
        modifyDate: wallTicksFromUtc(modifyUtc, modifySubTicks),
        version: 0,
        shipped: 0,
        createdAt: utcTicks(createUtc, createSub),
        modifiedAt: utcTicks(modifyUtc, modifySubTicks),
      });
    }
    this.buildIndexes();
  }

  /** Marks generated orders that have a (non-voided) shipment, which fixes their status to shipped. */
  markShipped(rows: readonly number[]): void {
    const shipped = this.table.col('shipped');
    for (const row of rows) shipped[row] = 1;
    this.changed(rows, ['shipped']);
  }

  /** Gives the rows new modifyDates (one stamp per row) and bumps their version (which re-derives status and notes). */
  touch(rows: readonly number[], stamps: readonly Stamp[]): void {
    const version = this.table.col('version');
    const modify = this.table.col('modifyDate');
    const modifiedAt = this.table.col('modifiedAt');
    rows.forEach((row, k) => {
      const stamp = stamps[k] as Stamp;
      version[row] = (version[row] as number) + 1;
      modify[row] = stamp.ticks;
      modifiedAt[row] = utcTicks(stamp.utc);
    });
    this.changed(rows, ['version', 'modifyDate', 'modifiedAt']);
  }

  /** Appends one new order per stamp (its createDate and modifyDate) and returns their rows. */
  create(stamps: readonly Stamp[]): number[] {
    const rows: number[] = [];
    for (const stamp of stamps) {
      const row = this.table.size;
      const rng = recordRng(this.ctx.seed, TAGS.orderDates, row);
      rows.push(
        this.table.append({
          id: this.ids.next(),
          createDate: stamp.ticks,
          orderDate: wallTicksFromUtc(Math.floor((stamp.utc - rng.int(0, 600_000)) / 1000) * 1000),
          modifyDate: stamp.ticks,
          version: 0,
          shipped: 0,
          createdAt: utcTicks(stamp.utc),
          modifiedAt: utcTicks(stamp.utc),
        }),
      );
    }
    this.appended();
    return rows;
  }

  /** Deletes orders (deleted, or merged into another): they vanish from every query and from the truth. */
  delete(rows: readonly number[]): void {
    this.removeRows(rows);
  }

  orderNumber(row: number): string {
    const rng = recordRng(this.ctx.seed, TAGS.order, row, -1);
    switch (rng.int(0, 3)) {
      case 0:
        return `#${1000 + row}`;
      case 1:
        return `${100000 + row}-${rng.int(1, 3)}`;
      case 2:
        return `${rng.int(111, 114)}-${rng.digits(7)}-${rng.digits(7)}`;
      default:
        return String(100000 + row);
    }
  }

  address(row: number): ApiAddress {
    const rng = recordRng(this.ctx.seed, TAGS.orderAddress, row);
    return postalAddress(rng, personName(rng));
  }

  /** The customer of an order, or null for a guest checkout. */
  customer(row: number): CustomerCore | null {
    const customers = this.refs.customers;
    const h = hash32(this.ctx.seed, TAGS.order, row, -2);
    // Over the generated customers only, so creating or deleting customers never re-assigns an order's customer.
    const generated = customers.generatedCount;
    return generated === 0 || h % 10 === 0 ? null : customers.core((h >>> 4) % generated);
  }

  items(row: number): ApiOrderItem[] {
    const rng = recordRng(this.ctx.seed, TAGS.orderItems, row);
    const createTicks = this.table.col('createDate')[row] as number;
    // Item dates are stored at millisecond precision and printed without trailing zeros ("…14.78").
    const itemDate = formatWall(Math.floor(createTicks / TICKS_PER_MS) * TICKS_PER_MS, 'trimmed');
    const products = this.refs.products;
    const count = rng.chance(0.1) ? 4 : rng.int(1, 3);
    const items: ApiOrderItem[] = [];
    let subtotal = 0;
    for (let k = 0; k < count; k++) {
      const product = products.count > 0 ? products.core(rng.int(0, products.count - 1)) : null;
      const quantity = rng.int(1, 3);
      const unitPrice = product ? product.price : rng.money(1, 99);
      subtotal += quantity * unitPrice;
      const sku = product ? product.sku : `MISC-${rng.digits(4)}`;
      items.push({
        orderItemId: 200_000_000 + row * 8 + k,
        lineItemKey: rng.chance(0.5) ? null : `${rng.hex(4)}-${rng.hex(6)}`,
        sku,
        name: product ? product.name : 'Miscellaneous item',
        imageUrl: rng.chance(0.7) ? null : `https://cdn.example.com/img/${encodeURIComponent(sku)}.jpg`,
        weight: { value: product ? product.weightOz : rng.int(1, 40), units: 'ounces' },
        quantity,
        unitPrice,
        taxAmount: rng.chance(0.7) ? null : round2(unitPrice * 0.08),
        shippingAmount: rng.chance(0.8) ? null : rng.money(0, 10),
        warehouseLocation: product ? product.warehouseLocation : null,
        options: rng.chance(0.7) ? [] : [{ ...rng.pick(OPTION_VALUES) }],
        productId: product ? product.productId : null,
        fulfillmentSku: product ? product.fulfillmentSku : null,
        adjustment: false,
        upc: product ? product.upc : null,
        createDate: itemDate,
        modifyDate: itemDate,
      });
    }
    if (rng.chance(0.08)) {
      items.push({
        orderItemId: 200_000_000 + row * 8 + count,
        lineItemKey: null,
        sku: 'DISCOUNT CODE',
        name: '10% OFF',
        imageUrl: null,
        weight: { value: 0, units: 'ounces' },
        quantity: 1,
        unitPrice: -round2(subtotal * 0.1),
        taxAmount: null,
        shippingAmount: null,
        warehouseLocation: null,
        options: [],
        productId: null,
        fulfillmentSku: null,
        adjustment: true,
        upc: null,
        createDate: itemDate,
        modifyDate: itemDate,
      });
    }
    return items;
  }

  render(row: number): ApiOrder {
    const table = this.table;
    const rng = recordRng(this.ctx.seed, TAGS.order, row);
    const version = table.col('version')[row] as number;
    const createTicks = table.col('createDate')[row] as number;
    const orderTicks = table.col('orderDate')[row] as number;
    const orderNumber = this.orderNumber(row);
    const shipTo = this.address(row);
    const items = this.items(row);
    const customer = this.customer(row);

    const baseStatus = table.col('shipped')[row] === 1 ? 'shipped' : weightedStatus(rng);
    const edit = version > 0 ? recordRng(this.ctx.seed, TAGS.orderVersion, row, version) : null;
    const orderStatus = edit ? edit.pick(EDITED_STATUSES) : baseStatus;

    const subtotal = items.reduce((sum, item) => sum + item.quantity * item.unitPrice, 0);
    const taxAmount = rng.chance(0.3) ? 0 : round2(subtotal * 0.0825);
    const shippingAmount = rng.chance(0.2) ? 0 : rng.money(3, 35);
    const orderTotal = round2(subtotal + taxAmount + shippingAmount);
    const international = shipTo.country !== 'US';
    const carrier = rng.chance(0.25) ? null : rng.pick(CARRIER_SERVICES);
    const gift = rng.chance(0.1);
    const dayOfCreate = wallMidnight(createTicks);
    const stores = this.refs.stores;
    const warehouses = this.refs.warehouses;
    const externallyFulfilled = rng.chance(0.03);
    // Drawn even when an edit overrides it, so an edit never shifts the other fields' draws.
    const baseNotes = rng.chance(0.8) ? null : rng.pick(INTERNAL_NOTES);

    return {
      orderId: table.col('id')[row] as number,
      orderNumber,
      orderKey: rng.chance(0.4) ? orderNumber : rng.uuid(),
      orderDate: formatWall(orderTicks, 'fixed7'),
      createDate: formatWall(createTicks, 'fixed7'),
      modifyDate: formatWall(table.col('modifyDate')[row] as number, 'fixed7'),
      paymentDate: baseStatus === 'awaiting_payment' ? null : formatWall(orderTicks, 'fixed7'),
      shipByDate: rng.chance(0.5)
        ? null
        : formatWall(wallMidnight(orderTicks) + rng.int(2, 7) * TICKS_PER_DAY, 'fixed7'),
      orderStatus,
      customerId: customer ? customer.customerId : null,
      customerUsername: customer ? customer.email : null,
      customerEmail: customer ? customer.email : rng.chance(0.5) ? null : `guest${row}@example.com`,
      billTo: rng.chance(0.85) ? nameOnlyAddress(shipTo.name ?? '') : { ...shipTo },
      shipTo,
      items,
      orderTotal,
      amountPaid: baseStatus === 'awaiting_payment' ? 0 : orderTotal,
      taxAmount,
      shippingAmount,
      customerNotes: rng.chance(0.7) ? null : rng.pick(CUSTOMER_NOTES),
      internalNotes: edit ? `Edited by simulator (v${version})` : baseNotes,
      gift,
      giftMessage: gift ? 'Thank you!' : null,
      paymentMethod: rng.chance(0.2) ? null : rng.pick(PAYMENT_METHODS),
      requestedShippingService: carrier ? carrier.requested : null,
      carrierCode: carrier ? carrier.carrierCode : null,
      serviceCode: carrier ? carrier.serviceCode : null,
      packageCode: carrier ? rng.pick(PACKAGE_CODES) : null,
      confirmation: carrier ? rng.pick(CONFIRMATIONS) : null,
      shipDate:
        baseStatus === 'shipped' || rng.chance(0.2)
          ? formatWall(dayOfCreate + rng.int(0, 3) * TICKS_PER_DAY, 'date')
          : null,
      holdUntilDate:
        baseStatus === 'on_hold' ? formatWall(dayOfCreate + rng.int(3, 14) * TICKS_PER_DAY, 'fixed7') : null,
      weight: { value: items.reduce((sum, item) => sum + item.weight.value * item.quantity, 0), units: 'ounces' },
      dimensions: rng.chance(0.4)
        ? null
        : { units: 'inches', length: rng.int(4, 40), width: rng.int(3, 20), height: rng.int(1, 12) },
      insuranceOptions: rng.chance(0.8)
        ? { provider: null, insureShipment: false, insuredValue: 0 }
        : {
            provider: rng.chance(0.5) ? 'carrier' : 'shipsurance',
            insureShipment: true,
            insuredValue: round2(orderTotal),
          },
      internationalOptions: international
        ? { contents: 'merchandise', customsItems: this.customsItems(row, items, rng), nonDelivery: 'return_to_sender' }
        : { contents: null, customsItems: null, nonDelivery: null },
      advancedOptions: {
        warehouseId: warehouses.count > 0 ? warehouses.idAt(row % warehouses.count) : null,
        nonMachinable: rng.chance(0.03),
        saturdayDelivery: rng.chance(0.02),
        containsAlcohol: rng.chance(0.02),
        mergedOrSplit: false,
        mergedIds: [],
        parentId: null,
        storeId: stores.count > 0 ? stores.idAt(row % stores.count) : null,
        customField1: rng.chance(0.7) ? null : `SKU: ${items[0]?.sku ?? ''} x ${items[0]?.quantity ?? 0}`,
        customField2: rng.chance(0.9) ? null : 'Per UI settings, this can appear on labels',
        customField3: rng.chance(0.95) ? null : 'https://help.shipstation.com/hc/en-us/articles/206639957',
        source: rng.chance(0.4) ? null : rng.pick(ORDER_SOURCES),
        billToParty: null,
        billToAccount: null,
        billToPostalCode: null,
        billToCountryCode: null,
      },
      tagIds: rng.chance(0.8) ? null : [rng.pick(TAG_POOL).tagId],
      userId: rng.chance(0.6) ? null : rng.uuid(),
      externallyFulfilled,
      externallyFulfilledBy: externallyFulfilled ? 'Amazon FBA' : null,
      externallyFulfilledById: externallyFulfilled ? 12345 : null,
      externallyFulfilledByName: externallyFulfilled ? 'Example Fulfillment Provider Name' : null,
    };
  }

  private customsItems(row: number, items: readonly ApiOrderItem[], rng: Rng): ApiCustomsItem[] {
    return items
      .filter((item) => !item.adjustment)
      .map((item, k) => ({
        customsItemId: 11_000_000 + row * 8 + k,
        description: item.name,
        quantity: item.quantity,
        value: item.unitPrice,
        harmonizedTariffCode: rng.chance(0.7) ? null : rng.digits(6),
        countryOfOrigin: 'US',
      }));
  }
}
