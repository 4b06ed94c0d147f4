// GET /v2/products: the v1 catalogue in v2's fields (price and weight as objects, tags with their colour), in
// product_id order, pages of 100 at most (the OpenAPI file's default and maximum). `active` filters; sku and name are
// accepted and ignored. No date filter or sort exists.
import type { ResultView, StreamQuery } from '../query.js';
import type { ProductsStream } from '../streams/products.js';
import { V2_TAGS, type V2Context } from './context.js';
import { COMMON_PARAMS, liveRowsOf, type V2ListParams, type V2PagedView } from './endpoint.js';
import type { V2Product } from './records.js';

/** `true`/`false` (any case) as 1/0; anything else is rejected. */
export function parseBoolean(value: string): number | null {
  const lower = value.toLowerCase();
  return lower === 'true' ? 1 : lower === 'false' ? 0 : null;
}

const PARAMS: V2ListParams = {
  ...COMMON_PARAMS,
  defaultSort: 'id',
  sortDir: false,
  matches: [{ param: 'active', column: 'active', parse: parseBoolean }],
  pageSize: { default: 100, max: 100 },
};

export class V2ProductsView implements V2PagedView {
  readonly name = 'products';
  readonly params = PARAMS;
  private readonly products: ProductsStream;

  constructor(private readonly ctx: V2Context) {
    this.products = ctx.data.products;
  }

  get count(): number {
    return this.products.count;
  }

  run(query: StreamQuery<string>): ResultView {
    return this.products.engine.run(query as Parameters<ProductsStream['engine']['run']>[0]);
  }

  liveRows(): Iterable<number> {
    return liveRowsOf(this.products.table);
  }

  render(row: number): V2Product {
    const ctx = this.ctx;
    const table = this.products.table;
    const product = this.products.render(row);
    const suffix = ctx.suffix(V2_TAGS.product, row);
    const { length, width, height } = product;
    return {
      product_id: product.productId,
      sku: product.sku,
      name: product.name,
      upc: this.products.core(row).upc,
      thumbnail_url: null,
      price: { currency: 'usd', amount: product.price },
      dimensions: length === null || width === null || height === null ? null : { unit: 'inch', length, width, height },
      weight: { value: product.weightOz ?? 0, unit: 'ounce' },
      internal_notes: product.internalNotes,
      fulfillment_sku: product.fulfillmentSku,
      create_date: ctx.instant(table.col('createdAt')[row] as number, suffix),
      modify_date: ctx.instant(table.col('modifiedAt')[row] as number, suffix),
      active: product.active,
      product_category:
        product.productCategory === null
          ? null
          : { product_category_id: product.productCategory.categoryId, name: product.productCategory.name },
      preset_group: null,
      warehouse_location: product.warehouseLocation,
      default_carrier_code: product.defaultCarrierCode,
      default_service_code: product.defaultServiceCode,
      default_package_code: product.defaultPackageCode,
      default_intl_carrier_code: product.defaultIntlCarrierCode,
      default_intl_service_code: product.defaultIntlServiceCode,
      default_intl_package_code: product.defaultIntlPackageCode,
      default_confirmation: product.defaultConfirmation,
      default_intl_confirmation: product.defaultIntlConfirmation,
      customs_description: product.customsDescription,
      customs_value: product.customsValue,
      customs_tariff_no: product.customsTariffNo,
      customs_country_code: product.customsCountryCode,
      no_customs: product.noCustoms ?? false,
      tags:
        product.tags === null
          ? null
          : product.tags.map((tag) => ({ tag_id: tag.tagId, name: tag.name, color: ctx.tagColor(tag.tagId) })),
      aliases: null,
      product_type: null,
      is_returnable: false,
      should_override_name: null,
      is_bundle: false,
      bundle_components: null,
      auto_split_option: 'do_not_split',
      auto_split_custom_quantity: null,
    };
  }
}
