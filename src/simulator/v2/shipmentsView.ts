// GET /v2/shipments: each v1 order is a v2 shipment (`se-<orderId>`, orderNumber → shipment_number, orderKey →
// external_shipment_id), rendered from the order itself, so an order's modification, creation or deletion is the
// shipment's too. Sorted and filtered on the order's UTC created_at and modified_at.
import type { ResultView, StreamQuery } from '../query.js';
import { recordRng } from '../random.js';
import type { ApiOrder, ApiOrderItem } from '../records.js';
import type { OrdersStream } from '../streams/orders.js';
import { seId, shippingAddress, usd, V2_TAGS, type V2Context } from './context.js';
import { COMMON_PARAMS, liveRowsOf, type V2ListParams, type V2PagedView } from './endpoint.js';
import type { V2Shipment, V2ShipmentItem, V2ShipmentPackage, V2ShipmentStatus } from './records.js';

const PARAMS: V2ListParams = {
  ...COMMON_PARAMS,
  dateRanges: [
    { start: 'created_at_start', end: 'created_at_end', column: 'createdAt' },
    { start: 'modified_at_start', end: 'modified_at_end', column: 'modifiedAt' },
  ],
  sortBy: { modified_at: 'modifiedAt', created_at: 'createdAt' },
  defaultSort: 'createdAt',
};

/** v1 order statuses as v2 shipment statuses (v2 has four). */
const STATUS: Readonly<Record<string, V2ShipmentStatus>> = {
  awaiting_payment: 'pending',
  awaiting_shipment: 'pending',
  on_hold: 'pending',
  pending_fulfillment: 'processing',
  shipped: 'label_purchased',
  cancelled: 'cancelled',
};

/** v1 order sources as v2 `order_source_name` values (phone orders have none). */
const ORDER_SOURCES: Readonly<Record<string, string>> = {
  Webstore: 'woo_commerce',
  Amazon: 'amazon_us',
  eBay: 'ebay',
  Etsy: 'etsy',
};

const PACKAGE_NAMES: Readonly<Record<string, string>> = {
  package: 'Package',
  flat_rate_envelope: 'Flat Rate Envelope',
  medium_flat_rate_box: 'Medium Flat Rate Box',
  large_envelope_or_flat: 'Large Envelope or Flat',
};

/** The v2 name of a v1 package code (every code v1 records use is named). */
export function packageName(code: string): string {
  return PACKAGE_NAMES[code] as string;
}

export class V2ShipmentsView implements V2PagedView {
  readonly name = 'shipments';
  readonly params = PARAMS;
  private readonly orders: OrdersStream;

  constructor(private readonly ctx: V2Context) {
    this.orders = ctx.data.orders;
    this.orders.addIndex('createdAt');
    this.orders.addIndex('modifiedAt');
  }

  get count(): number {
    return this.orders.count;
  }

  run(query: StreamQuery<string>): ResultView {
    return this.orders.engine.run(query as Parameters<OrdersStream['engine']['run']>[0]);
  }

  liveRows(): Iterable<number> {
    return liveRowsOf(this.orders.table);
  }

  /** Whether the order came from a sales channel (then its ids are the channel's). */
  static external(order: ApiOrder): string | null {
    return order.advancedOptions.source === null ? null : order.orderNumber;
  }

  render(row: number): V2Shipment {
    const ctx = this.ctx;
    const order = this.orders.render(row);
    const table = this.orders.table;
    const suffix = ctx.suffix(V2_TAGS.shipment, row);
    const rng = recordRng(ctx.seed, V2_TAGS.shipment, row);
    const warehouseId = order.advancedOptions.warehouseId;
    const { origin, returns } = ctx.warehouseAddresses(warehouseId);
    const international = order.shipTo.country !== 'US';
    const options = order.advancedOptions;
    return {
      shipment_id: seId(order.orderId),
      carrier_id: order.carrierCode === null ? null : ctx.carrierId(order.carrierCode),
      service_code: order.serviceCode,
      requested_shipment_service: order.requestedShippingService,
      shipping_rule_id: null,
      external_order_id: V2ShipmentsView.external(order),
      hold_until_date: order.holdUntilDate === null ? null : ctx.day(order.holdUntilDate, suffix, true),
      ship_by_date: order.shipByDate === null ? null : ctx.day(order.shipByDate, suffix, true),
      retail_rate: null,
      store_id: options.storeId === null ? null : seId(options.storeId),
      items: this.items(order, rng.chance(0.7), rng.chance(0.9)),
      notes_from_buyer: order.customerNotes,
      notes_for_gift: order.giftMessage,
      is_gift: order.gift,
      assigned_user: order.userId,
      amount_paid: usd(order.amountPaid),
      shipping_paid: usd(order.shippingAmount),
      tax_paid: usd(order.taxAmount),
      zone: null,
      display_scheme: null,
      tax_identifiers: null,
      external_shipment_id: order.orderKey,
      shipment_number: order.orderNumber,
      ship_date: order.shipDate === null ? null : ctx.day(order.shipDate, suffix),
      created_at: ctx.instant(table.col('createdAt')[row] as number, suffix),
      modified_at: ctx.instant(table.col('modifiedAt')[row] as number, suffix),
      shipment_status: STATUS[order.orderStatus] as V2ShipmentStatus,
      ship_to: shippingAddress(order.shipTo, order.customerEmail),
      ship_from: { ...origin, instructions: null },
      warehouse_id: warehouseId === null ? null : seId(warehouseId),
      return_to: { ...returns, instructions: null },
      is_return: false,
      confirmation: order.confirmation ?? 'none',
      customs: international
        ? {
            contents: 'merchandise',
            non_delivery: 'return_to_sender',
            customs_items: (order.internationalOptions.customsItems ?? []).map((item) => ({
              description: item.description,
              quantity: item.quantity,
              value: usd(item.value),
              harmonized_tariff_code: item.harmonizedTariffCode,
              country_of_origin: item.countryOfOrigin,
              sku: null,
            })),
          }
        : null,
      advanced_options: {
        bill_to_account: options.billToAccount,
        bill_to_country_code: options.billToCountryCode,
        bill_to_party: options.billToParty,
        bill_to_postal_code: options.billToPostalCode,
        contains_alcohol: options.containsAlcohol,
        delivered_duty_paid: false,
        dry_ice: false,
        dry_ice_weight: null,
        non_machinable: options.nonMachinable,
        saturday_delivery: options.saturdayDelivery,
        custom_field1: options.customField1,
        custom_field2: options.customField2,
        custom_field3: options.customField3,
      },
      insurance_provider: (order.insuranceOptions.provider ?? 'none') as V2Shipment['insurance_provider'],
      tags: (order.tagIds ?? []).map((tagId) => ({ name: ctx.tagName(tagId) })),
      order_source_code: options.source === null ? null : (ORDER_SOURCES[options.source] ?? null),
      packages: [this.shipmentPackage(order)],
      total_weight: { value: order.weight.value, unit: 'ounce' },
      comparison_rate_type: null,
    };
  }

  /**
   * Items without the v1 discount lines (v2 prices are ≥ 0). `item_id` is null on ~30 % of shipments and the
   * sales-order ids on ~10 %, so no item key can be assumed.
   */
  private items(order: ApiOrder, withItemIds: boolean, withSalesOrder: boolean): V2ShipmentItem[] {
    const external = V2ShipmentsView.external(order);
    return order.items
      .filter((item) => !item.adjustment)
      .map((item: ApiOrderItem) => ({
        name: item.name,
        sales_order_id: withSalesOrder ? String(order.orderId) : null,
        sales_order_item_id: withSalesOrder ? String(item.orderItemId) : null,
        quantity: item.quantity,
        sku: item.sku,
        bundle_sku: null,
        external_order_id: external,
        external_order_item_id: item.lineItemKey,
        asin: null,
        order_source_code: null,
        item_id: withItemIds ? String(1_400_000_000_000 + item.orderItemId) : null,
        allocation_status: null,
        image_url: item.imageUrl,
        weight: { value: item.weight.value, unit: 'ounce' },
        unit_price: item.unitPrice,
        tax_amount: item.taxAmount,
        shipping_amount: item.shippingAmount,
        inventory_location: item.warehouseLocation,
        options: item.options.map((option) => ({ ...option })),
        product_id: item.productId === null ? null : String(item.productId),
        fullfilment_sku: item.fulfillmentSku,
        upc: item.upc,
      }));
  }

  private shipmentPackage(order: ApiOrder): V2ShipmentPackage {
    const code = order.packageCode ?? 'package';
    const dimensions = order.dimensions;
    return {
      shipment_package_id: seId(order.orderId * 10 + 1),
      package_id: null,
      package_code: code,
      package_name: packageName(code),
      weight: { value: order.weight.value, unit: 'ounce' },
      dimensions: {
        unit: 'inch',
        length: dimensions?.length ?? 0,
        width: dimensions?.width ?? 0,
        height: dimensions?.height ?? 0,
      },
      insured_value: usd(order.insuranceOptions.insuredValue),
      label_messages: { reference1: null, reference2: null, reference3: null },
      external_package_id: null,
      content_description: null,
      products: [],
    };
  }
}
