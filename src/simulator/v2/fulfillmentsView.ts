// GET /v2/fulfillments: each v1 fulfillment (an order marked shipped without a label) as v2 lists it. Its record
// schema is not in the OpenAPI file: the fields follow the docs' response field list (README.md, v2 assumptions).
// Filtered on create_date_start/_end and ship_date_start/_end (inclusive, per the docs); sorted by created_at.
import { FULFILLMENT_PROVIDERS } from '../pools.js';
import type { ResultView, StreamQuery } from '../query.js';
import type { FulfillmentsStream } from '../streams/fulfillments.js';
import { utcTicks } from '../utcTime.js';
import { seId, seNumber, shippingAddress, usd, V2_TAGS, type V2Context } from './context.js';
import { COMMON_PARAMS, liveRowsOf, type V2ListParams, type V2PagedView } from './endpoint.js';
import type { V2Fulfillment } from './records.js';

const PARAMS: V2ListParams = {
  ...COMMON_PARAMS,
  dateRanges: [
    { start: 'create_date_start', end: 'create_date_end', column: 'createdAt' },
    { start: 'ship_date_start', end: 'ship_date_end', column: 'shipDate' },
  ],
  // Fulfillments never change here, so modified_at is their creation.
  sortBy: { created_at: 'createdAt', modified_at: 'createdAt', shipped_at: 'shipDate' },
  defaultSort: 'createdAt',
  matches: [
    { param: 'shipment_id', column: 'orderId', parse: seNumber },
    { param: 'fulfillment_id', column: 'id', parse: seNumber },
  ],
  pagingOrder: 'page-first',
};

const PROVIDER_NAMES: Readonly<Record<(typeof FULFILLMENT_PROVIDERS)[number], string>> = {
  amazon_fba: 'Fulfillment by Amazon',
  shipbob: 'ShipBob',
  rakuten_super_logistics: 'Rakuten Super Logistics',
};

export class V2FulfillmentsView implements V2PagedView {
  readonly name = 'fulfillments';
  readonly params = PARAMS;
  private readonly fulfillments: FulfillmentsStream;

  constructor(private readonly ctx: V2Context) {
    this.fulfillments = ctx.data.fulfillments;
    this.fulfillments.addIndex('createdAt');
  }

  get count(): number {
    return this.fulfillments.count;
  }

  run(query: StreamQuery<string>): ResultView {
    return this.fulfillments.engine.run(query as Parameters<FulfillmentsStream['engine']['run']>[0]);
  }

  liveRows(): Iterable<number> {
    return liveRowsOf(this.fulfillments.table);
  }

  render(row: number): V2Fulfillment {
    const ctx = this.ctx;
    const table = this.fulfillments.table;
    const { record, voidUtc, deliveryUtc } = this.fulfillments.derive(row);
    const suffix = ctx.suffix(V2_TAGS.fulfillment, row);
    const provider = record.fulfillmentProviderCode as (typeof FULFILLMENT_PROVIDERS)[number] | null;
    return {
      fulfillment_id: seId(record.fulfillmentId),
      shipment_id: seId(record.orderId),
      shipment_number: record.orderNumber,
      user_id: record.userId,
      tracking_number: record.trackingNumber,
      created_at: ctx.instant(table.col('createdAt')[row] as number, suffix),
      ship_date: ctx.day(record.shipDate, suffix),
      voided_at: voidUtc === null ? null : ctx.instant(utcTicks(voidUtc), suffix),
      delivered_at: deliveryUtc === null ? null : ctx.instant(utcTicks(deliveryUtc), suffix),
      fulfillment_carrier_friendly_name: record.carrierCode,
      fulfillment_provider_id: provider === null ? null : seId(FULFILLMENT_PROVIDERS.indexOf(provider) + 1),
      fulfillment_provider_friendly_name: provider === null ? null : PROVIDER_NAMES[provider],
      fulfillment_provider_code: provider,
      fulfillment_service_code: record.fulfillmentServiceCode,
      fulfillment_fee: usd(record.fulfillmentFee),
      void_requested: record.voidRequested,
      voided: record.voided,
      order_source_notified: record.marketplaceNotified,
      notification_error_message: record.notifyErrorMessage,
      ship_to: shippingAddress(record.shipTo, record.customerEmail),
    };
  }
}
