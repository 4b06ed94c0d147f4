// GET /v2/labels: each v1 shipment is a v2 label (`se-<shipmentId>`, for shipment `se-<orderId>`), so a v1 void
// is the label's status `voided` with its `voided_at`. Filtered on created_at and on label_status (the statuses
// it is in now); sort_by modified_at orders by the label's last change (creation or void), a date the record does
// not print.
import type { ResultView, StreamQuery } from '../query.js';
import { recordRng } from '../random.js';
import type { ShipmentsStream } from '../streams/shipments.js';
import { seId, seNumber, shippingAddress, usd, V2_TAGS, type V2Context } from './context.js';
import { COMMON_PARAMS, liveRowsOf, type V2ListParams, type V2PagedView } from './endpoint.js';
import type { V2Label } from './records.js';
import { V2ShipmentsView } from './shipmentsView.js';

const PARAMS: V2ListParams = {
  ...COMMON_PARAMS,
  dateRanges: [{ start: 'created_at_start', end: 'created_at_end', column: 'createdAt' }],
  sortBy: { modified_at: 'modifiedAt', created_at: 'createdAt' },
  defaultSort: 'createdAt',
  matches: [
    { param: 'shipment_id', column: 'orderId', parse: seNumber },
    { param: 'label_status', column: 'voided', parse: labelStatus },
  ],
};

/** The OpenAPI file's label statuses as the `voided` column's values; the simulator's labels are never in processing or error. */
function labelStatus(value: string): number | null {
  const status = value.toLowerCase();
  if (status === 'voided') return 1;
  if (status === 'completed') return 0;
  return status === 'processing' || status === 'error' ? -1 : null;
}

const TRACKING_URLS: Readonly<Record<string, string>> = {
  stamps_com: 'https://tools.usps.com/go/TrackConfirmAction.action?tLabels=',
  fedex: 'https://www.fedex.com/fedextrack/?action=track&trackingnumber=',
  ups: 'https://www.ups.com/track?tracknum=',
  ups_walleted: 'https://www.ups.com/track?tracknum=',
};

/** Which batch (by index) a generated label belongs to, if any; labels created later belong to none. */
export interface BatchMembership {
  batchIdOf(row: number): number | null;
}

export class V2LabelsView implements V2PagedView {
  readonly name = 'labels';
  readonly params = PARAMS;
  private readonly shipments: ShipmentsStream;

  constructor(
    private readonly ctx: V2Context,
    private readonly batches: BatchMembership,
  ) {
    this.shipments = ctx.data.shipments;
    this.shipments.addIndex('createdAt');
    this.shipments.addIndex('modifiedAt');
  }

  get count(): number {
    return this.shipments.count;
  }

  run(query: StreamQuery<string>): ResultView {
    return this.shipments.engine.run(query as Parameters<ShipmentsStream['engine']['run']>[0]);
  }

  liveRows(): Iterable<number> {
    return liveRowsOf(this.shipments.table);
  }

  render(row: number): V2Label {
    const ctx = this.ctx;
    const table = this.shipments.table;
    const shipment = this.shipments.render(row, { includeShipmentItems: false });
    // The label repeats its shipment's external ids; a deleted order's row is still there to read them from.
    const order = ctx.data.orders.render(table.col('orderRow')[row] as number);
    const suffix = ctx.suffix(V2_TAGS.label, row);
    const rng = recordRng(ctx.seed, V2_TAGS.label, row);
    const labelId = seId(shipment.shipmentId);
    const download = `https://api.shipstation.com/v2/downloads/10/${rng.hex(22)}/label-${shipment.shipmentId}`;
    const delivered = rng.chance(0.7);
    const batchId = this.batches.batchIdOf(row);
    const dimensions = shipment.dimensions;
    const packageDimensions = {
      unit: 'inch' as const,
      length: dimensions?.length ?? 0,
      width: dimensions?.width ?? 0,
      height: dimensions?.height ?? 0,
    };
    return {
      label_id: labelId,
      status: shipment.voided ? 'voided' : 'completed',
      shipment_id: seId(shipment.orderId),
      external_shipment_id: order.orderKey,
      external_order_id: V2ShipmentsView.external(order),
      ship_date: ctx.day(shipment.shipDate, suffix),
      created_at: ctx.instant(table.col('createdAt')[row] as number, suffix),
      shipment_cost: usd(shipment.shipmentCost),
      insurance_cost: usd(shipment.insuranceCost),
      tracking_number: shipment.trackingNumber,
      is_return_label: shipment.isReturnLabel,
      rma_number: null,
      is_international: shipment.shipTo.country !== 'US',
      batch_id: batchId === null ? null : seId(batchId),
      carrier_id: ctx.carrierId(shipment.carrierCode),
      charge_event: 'carrier_default',
      service_code: shipment.serviceCode,
      package_code: shipment.packageCode,
      voided: shipment.voided,
      voided_at: ctx.instantOrNull(table.col('voidedAt')[row] as number, suffix),
      label_format: 'pdf',
      display_scheme: 'label',
      label_layout: '4x6',
      trackable: true,
      label_image_id: null,
      carrier_code: shipment.carrierCode,
      confirmation: shipment.confirmation,
      tracking_status: shipment.voided ? 'unknown' : delivered ? 'delivered' : 'in_transit',
      label_download: {
        href: `${download}.pdf`,
        pdf: `${download}.pdf`,
        png: `${download}.png`,
        zpl: `${download}.zpl`,
      },
      form_download: null,
      qr_code_download: null,
      paperless_download: null,
      insurance_claim: null,
      packages: [
        {
          package_id: 1_000_000 + row,
          package_code: shipment.packageCode,
          weight: { value: shipment.weight.value, unit: 'ounce' },
          dimensions: packageDimensions,
          insured_value: usd(shipment.insuranceOptions.insuredValue),
          tracking_number: shipment.trackingNumber,
          label_messages: { reference1: null, reference2: null, reference3: null },
          external_package_id: null,
          content_description: null,
          sequence: 1,
          has_label_documents: true,
          has_form_documents: false,
          has_qr_code_documents: false,
          has_paperless_label_documents: false,
          alternative_identifiers: null,
        },
      ],
      alternative_identifiers: null,
      rate_details: [
        {
          rate_detail_type: 'shipping',
          carrier_description: 'Shipping',
          carrier_billing_code: 'BaseServiceCharge',
          carrier_memo: null,
          amount: usd(shipment.shipmentCost),
          billing_source: 'carrier',
        },
      ],
      tracking_url: `${TRACKING_URLS[shipment.carrierCode] as string}${shipment.trackingNumber}`,
      ship_to: shippingAddress({ ...shipment.shipTo, addressVerified: null }),
    };
  }
}
