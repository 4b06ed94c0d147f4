// The /shipments stream: labels for earlier orders; generating a non-voided one marks its order shipped. Shipments
// have no modifyDate, so a void mid-run shows only through voided and voidDate, and a shipment created mid-run leaves
// its order as it is. Items (the order's, adjustments left out) come only with includeShipmentItems=true.
import { chronologicalInstants, lastAtOrBefore, utcAfter } from '../instants.js';
import { TICKS_PER_DAY, formatWall, formatWallOrNull, wallMidnight, wallTicksFromUtc } from '../pacificTime.js';
import { CARRIER_SERVICES, CONFIRMATIONS, PACKAGE_CODES, type CarrierService } from '../pools.js';
import { Rng, hash32, recordRng } from '../random.js';
import type { ApiShipment, ApiShipmentAddress, ApiShipmentItem } from '../records.js';
import { utcTicks } from '../utcTime.js';
import { IdSequence } from './ids.js';
import type { OrdersStream } from './orders.js';
import { TAGS, type GenContext, type RenderOptions, type Stamp, type StreamParams } from './pagedStream.js';
import type { StoresStream } from './stores.js';
import { TableStream } from './tableStream.js';
import type { WarehousesStream } from './warehouses.js';

// createdAt, voidedAt: the same instants as UTC ticks (for v2); modifiedAt: the last change, creation or void.
type Column =
  | 'createDate'
  | 'shipDate'
  | 'voidDate'
  | 'voided'
  | 'orderRow'
  | 'orderId'
  | 'createdAt'
  | 'voidedAt'
  | 'modifiedAt';

export interface ShipmentRefs {
  readonly orders: OrdersStream;
  readonly stores: StoresStream;
  readonly warehouses: WarehousesStream;
}

const PARAMS: StreamParams<Column> = {
  dateRanges: [
    { startParam: 'createDateStart', endParam: 'createDateEnd', column: 'createDate' },
    { startParam: 'shipDateStart', endParam: 'shipDateEnd', column: 'shipDate' },
    { startParam: 'voidDateStart', endParam: 'voidDateEnd', column: 'voidDate' },
  ],
  sortBy: { ShipDate: 'shipDate', CreateDate: 'createDate' },
  defaultSort: 'createDate',
  orderIdColumn: 'orderId',
  includeShipmentItems: true,
};

export function trackingNumber(rng: Rng, carrier: CarrierService): string {
  if (carrier.carrierCode === 'stamps_com') return `9400${rng.digits(18)}`;
  if (carrier.carrierCode.startsWith('ups')) return `1Z${rng.hex(6).toUpperCase()}${rng.digits(10)}`;
  return rng.digits(12);
}

export class ShipmentsStream extends TableStream<Column> {
  readonly name = 'shipments';
  readonly params = PARAMS;
  private readonly ids: IdSequence;

  constructor(
    ctx: GenContext,
    count: number,
    private readonly refs: ShipmentRefs,
  ) {
    super(
      ctx,
      ['createDate', 'shipDate', 'voidDate', 'voided', 'orderRow', 'orderId', 'createdAt', 'voidedAt', 'modifiedAt'],
      count,
    );
    const created = chronologicalInstants(
      count,
      ctx.range,
      ctx.pins,
      new Rng(hash32(ctx.seed, TAGS.shipmentDates)),
      0.01,
    );
    const pinned = new Set(ctx.pins);
    const orders = refs.orders;
    const orderIds = orders.table.col('id');
    this.ids = new IdSequence(ctx.seed, TAGS.shipment, 30_000_000, 9_000_000);
    const shippedOrders: number[] = [];
    for (let row = 0; row < count; row++) {
      const rng = recordRng(ctx.seed, TAGS.shipmentDates, row);
      const createUtc = created[row] as number;
      // Ship an order created between ten minutes and three days earlier (or the first order, if none is).
      const orderRow = Math.max(
        0,
        lastAtOrBefore(orders.createdUtc, createUtc - rng.int(600_000, 3 * 86_400_000)) - rng.int(0, 3),
      );
      const createSub = !pinned.has(createUtc) && rng.chance(0.05) ? rng.int(1, 9_999) : 0;
      const createDate = wallTicksFromUtc(createUtc, createSub);
      const voided = rng.chance(0.04);
      const id = this.ids.next();
      // Drawn in this order (next day, then the void delay) so the data match what it always was.
      const nextDay = rng.chance(0.3);
      const voidUtc = voided ? utcAfter(createUtc, rng.int(3_600_000, 5 * 86_400_000), ctx.range) : NaN;
      const createdAt = utcTicks(createUtc, createSub);
      this.table.append({
        id,
        createDate,
        shipDate: wallMidnight(createDate) + (nextDay ? TICKS_PER_DAY : 0),
        voidDate: voided ? wallTicksFromUtc(voidUtc) : NaN,
        voided: voided ? 1 : 0,
        orderRow,
        orderId: orderIds[orderRow] as number,
        createdAt,
        voidedAt: voided ? utcTicks(voidUtc) : NaN,
        modifiedAt: voided ? utcTicks(voidUtc) : createdAt,
      });
      if (!voided) shippedOrders.push(orderRow);
    }
    orders.markShipped(shippedOrders);
    this.buildIndexes();
  }

  /** Rows of shipments that are not voided yet. */
  liveRows(): number[] {
    const voided = this.table.col('voided');
    const rows: number[] = [];
    for (let row = 0; row < this.table.size; row++) if (voided[row] === 0) rows.push(row);
    return rows;
  }

  /** Voids the rows, each with its voidDate (one stamp per row). */
  void(rows: readonly number[], stamps: readonly Stamp[]): void {
    const voided = this.table.col('voided');
    const voidDate = this.table.col('voidDate');
    const voidedAt = this.table.col('voidedAt');
    const modifiedAt = this.table.col('modifiedAt');
    rows.forEach((row, k) => {
      const stamp = stamps[k] as Stamp;
      voided[row] = 1;
      voidDate[row] = stamp.ticks;
      voidedAt[row] = modifiedAt[row] = utcTicks(stamp.utc);
    });
    this.changed(rows, ['voided', 'voidDate', 'voidedAt', 'modifiedAt']);
  }

  /** Appends one shipment per order row, created at the matching stamp, and returns their rows. */
  create(orderRows: readonly number[], stamps: readonly Stamp[]): number[] {
    const orderIds = this.refs.orders.table.col('id');
    const rows = orderRows.map((orderRow, k) => {
      const stamp = stamps[k] as Stamp;
      return this.table.append({
        id: this.ids.next(),
        createDate: stamp.ticks,
        shipDate: wallMidnight(stamp.ticks),
        voidDate: NaN,
        voided: 0,
        orderRow,
        orderId: orderIds[orderRow] as number,
        createdAt: utcTicks(stamp.utc),
        voidedAt: NaN,
        modifiedAt: utcTicks(stamp.utc),
      });
    });
    this.appended();
    return rows;
  }

  render(row: number, options: RenderOptions): ApiShipment {
    const table = this.table;
    const rng = recordRng(this.ctx.seed, TAGS.shipment, row);
    const orderRow = table.col('orderRow')[row] as number;
    const orders = this.refs.orders;
    const carrier = rng.pick(CARRIER_SERVICES);
    const { addressVerified: _verified, ...shipTo } = orders.address(orderRow);
    const warehouses = this.refs.warehouses;
    const stores = this.refs.stores;
    const notified = rng.chance(0.85);
    return {
      shipmentId: table.col('id')[row] as number,
      orderId: table.col('orderId')[row] as number,
      userId: rng.chance(0.1) ? null : rng.uuid(),
      orderNumber: orders.orderNumber(orderRow),
      createDate: formatWall(table.col('createDate')[row] as number, 'fixed7'),
      shipDate: formatWall(table.col('shipDate')[row] as number, 'date'),
      shipmentCost: rng.money(1.5, 45),
      insuranceCost: rng.chance(0.9) ? 0 : rng.money(1, 5),
      trackingNumber: trackingNumber(rng, carrier),
      isReturnLabel: rng.chance(0.02),
      batchNumber: rng.chance(0.5) ? null : String(100000 + rng.int(0, 99999)),
      carrierCode: carrier.carrierCode,
      serviceCode: carrier.serviceCode,
      packageCode: rng.pick(PACKAGE_CODES),
      confirmation: rng.pick(CONFIRMATIONS),
      warehouseId: warehouses.count > 0 ? warehouses.idAt(orderRow % warehouses.count) : null,
      voided: table.col('voided')[row] === 1,
      voidDate: formatWallOrNull(table.col('voidDate')[row] as number, 'fixed7'),
      marketplaceNotified: notified,
      notifyErrorMessage: notified || rng.chance(0.5) ? null : 'Marketplace rejected the tracking number',
      shipTo: { ...shipTo, residential: rng.chance(0.7) ? null : shipTo.residential } satisfies ApiShipmentAddress,
      weight: { value: rng.int(1, 160), units: 'ounces' },
      dimensions: rng.chance(0.6)
        ? null
        : { units: 'inches', length: rng.int(4, 30), width: rng.int(3, 20), height: rng.int(1, 12) },
      insuranceOptions: { provider: null, insureShipment: false, insuredValue: 0 },
      advancedOptions: rng.chance(0.6)
        ? null
        : {
            billToParty: null,
            billToAccount: null,
            billToPostalCode: null,
            billToCountryCode: null,
            storeId: stores.count > 0 ? stores.idAt(orderRow % stores.count) : null,
          },
      shipmentItems: options.includeShipmentItems ? this.items(row, orderRow) : null,
      labelData: null,
      formData: null,
    };
  }

  private items(row: number, orderRow: number): ApiShipmentItem[] {
    // A separate generator, so asking for items never shifts the other fields.
    const rng = recordRng(this.ctx.seed, TAGS.shipment, row, 1);
    return this.refs.orders
      .items(orderRow)
      .filter((item) => !item.adjustment)
      .map((item) => ({
        orderItemId: item.orderItemId,
        lineItemKey: item.lineItemKey,
        sku: item.sku,
        name: item.name,
        imageUrl: item.imageUrl,
        weight: rng.chance(0.5) ? null : item.weight,
        quantity: item.quantity,
        unitPrice: item.unitPrice,
        warehouseLocation: item.warehouseLocation,
        options: item.options.length > 0 ? item.options : null,
        productId: item.productId,
        fulfillmentSku: item.fulfillmentSku,
      }));
  }
}
