// The /fulfillments stream: orders marked shipped outside ShipStation labels, each for an earlier order (the first
// one when none is earlier), never changed by mutations. Filters on createDate, shipDate and orderId; shipDate
// prints as a midnight datetime, unlike the date-only shipDate of shipments.
import { chronologicalInstants, lastAtOrBefore, utcAfter } from '../instants.js';
import { formatWall, wallMidnight, wallTicksFromUtc } from '../pacificTime.js';
import { FULFILLMENT_PROVIDERS } from '../pools.js';
import { Rng, hash32, recordRng } from '../random.js';
import type { ApiFulfillment } from '../records.js';
import { utcTicks } from '../utcTime.js';
import { IdSequence } from './ids.js';
import type { OrdersStream } from './orders.js';
import { TAGS, type GenContext, type StreamParams } from './pagedStream.js';
import { TableStream } from './tableStream.js';

// createdAt: createUtc as UTC ticks (for v2). shipDate, a wall midnight, is numerically the UTC ticks of that
// day's UTC midnight, which is how v2 prints ship dates.
type Column = 'createDate' | 'createUtc' | 'shipDate' | 'orderRow' | 'orderId' | 'createdAt';

const PARAMS: StreamParams<Column> = {
  dateRanges: [
    { startParam: 'createDateStart', endParam: 'createDateEnd', column: 'createDate' },
    { startParam: 'shipDateStart', endParam: 'shipDateEnd', column: 'shipDate' },
  ],
  sortBy: { ShipDate: 'shipDate', CreateDate: 'createDate' },
  defaultSort: 'createDate',
  orderIdColumn: 'orderId',
};

const CARRIERS = ['USPS', 'FedEx', 'UPS', 'DHL'] as const;
const DAY_MS = 86_400_000;

/** Orders marked as shipped outside ShipStation labels (UI or API), as the fulfillments endpoint lists them. */
export class FulfillmentsStream extends TableStream<Column> {
  readonly name = 'fulfillments';
  readonly params = PARAMS;

  constructor(
    ctx: GenContext,
    count: number,
    private readonly orders: OrdersStream,
  ) {
    super(ctx, ['createDate', 'createUtc', 'shipDate', 'orderRow', 'orderId', 'createdAt'], count);
    const created = chronologicalInstants(
      count,
      ctx.range,
      ctx.pins,
      new Rng(hash32(ctx.seed, TAGS.fulfillmentDates)),
      0.01,
    );
    const orderIds = orders.table.col('id');
    const ids = new IdSequence(ctx.seed, TAGS.fulfillment, 5_000_000, 900_000);
    for (let row = 0; row < count; row++) {
      const rng = recordRng(ctx.seed, TAGS.fulfillmentDates, row);
      const createUtc = created[row] as number;
      const orderRow = Math.max(
        0,
        lastAtOrBefore(orders.createdUtc, createUtc - rng.int(600_000, 5 * DAY_MS)) - rng.int(0, 3),
      );
      const createDate = wallTicksFromUtc(createUtc);
      this.table.append({
        id: ids.next(),
        createDate,
        createUtc,
        shipDate: wallMidnight(createDate),
        orderRow,
        orderId: orderIds[orderRow] as number,
        createdAt: utcTicks(createUtc),
      });
    }
    this.buildIndexes();
  }

  render(row: number): ApiFulfillment {
    return this.derive(row).record;
  }

  /** The record with the UTC instants of its void and delivery dates (v2 prints those, v1 their Pacific wall time). */
  derive(row: number): { record: ApiFulfillment; voidUtc: number | null; deliveryUtc: number | null } {
    const table = this.table;
    const rng = recordRng(this.ctx.seed, TAGS.fulfillment, row);
    const orderRow = table.col('orderRow')[row] as number;
    const createUtc = table.col('createUtc')[row] as number;
    const voided = rng.chance(0.03);
    const provider = rng.chance(0.8) ? null : rng.pick(FULFILLMENT_PROVIDERS);
    const notified = rng.chance(0.9);
    const range = this.ctx.range;
    // Drawn in the order the fields are listed, so every record stays what it always was.
    const userId = rng.uuid();
    const trackingNumber = rng.digits(12);
    const voidUtc = voided ? utcAfter(createUtc, rng.int(3_600_000, 3 * DAY_MS), range) : null;
    const deliveryUtc = rng.chance(0.6) ? null : utcAfter(createUtc, rng.int(DAY_MS, 6 * DAY_MS), range);
    const carrierCode = rng.pick(CARRIERS);
    const fulfillmentFee = provider ? rng.money(1, 6) : 0;
    const record: ApiFulfillment = {
      fulfillmentId: table.col('id')[row] as number,
      orderId: table.col('orderId')[row] as number,
      orderNumber: this.orders.orderNumber(orderRow),
      userId,
      customerEmail: this.orders.customer(orderRow)?.email ?? null,
      trackingNumber,
      createDate: formatWall(table.col('createDate')[row] as number, 'fixed7'),
      // Unlike shipments, fulfillments print shipDate as a midnight datetime ("…T00:00:00.0000000").
      shipDate: formatWall(table.col('shipDate')[row] as number, 'fixed7'),
      voidDate: voidUtc === null ? null : formatWall(wallTicksFromUtc(voidUtc), 'fixed7'),
      deliveryDate: deliveryUtc === null ? null : formatWall(wallTicksFromUtc(deliveryUtc), 'fixed7'),
      carrierCode,
      fulfillmentProviderCode: provider,
      fulfillmentServiceCode: provider ? 'standard' : null,
      fulfillmentFee,
      voidRequested: voided,
      voided,
      marketplaceNotified: notified,
      notifyErrorMessage: notified || rng.chance(0.5) ? null : 'Order not found on marketplace',
      shipTo: this.orders.address(orderRow),
    };
    return { record, voidUtc, deliveryUtc };
  }
}
