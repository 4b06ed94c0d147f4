// The /products stream: a catalogue fixed at start (order items copy its cores), filtered on createDate by
// startDate/endDate and sorted by SKU (case-insensitive), ModifyDate or CreateDate. Every twelfth product is
// inactive and hidden unless showInactive=true.
import { chronologicalInstants, modifyLagMs, utcAfter } from '../instants.js';
import { formatWall, wallTicksFromUtc } from '../pacificTime.js';
import {
  CARRIER_SERVICES,
  CONFIRMATIONS,
  PACKAGE_CODES,
  PRODUCT_ADJECTIVES,
  PRODUCT_CATEGORIES,
  PRODUCT_NOUNS,
  SKU_PREFIXES,
} from '../pools.js';
import { Rng, hash32, recordRng } from '../random.js';
import type { ApiProduct } from '../records.js';
import { utcTicks } from '../utcTime.js';
import { IdSequence, stringRanks } from './ids.js';
import { TAGS, type GenContext, type Stamp, type StreamParams } from './pagedStream.js';
import { TableStream } from './tableStream.js';
import { someTags } from './tags.js';

// createdAt, modifiedAt: the same instants as UTC ticks (for v2).
type Column = 'createDate' | 'modifyDate' | 'active' | 'skuRank' | 'createdAt' | 'modifiedAt';

/** The product fields order items copy. */
export interface ProductCore {
  readonly productId: number;
  readonly sku: string;
  readonly name: string;
  readonly price: number;
  readonly weightOz: number;
  readonly fulfillmentSku: string | null;
  readonly warehouseLocation: string | null;
  readonly upc: string | null;
}

const PARAMS: StreamParams<Column> = {
  dateRanges: [{ startParam: 'startDate', endParam: 'endDate', column: 'createDate' }],
  sortBy: { SKU: 'skuRank', ModifyDate: 'modifyDate', CreateDate: 'createDate' },
  defaultSort: 'id',
  activeColumn: 'active',
};

/** Every twelfth product (from the sixth) is inactive, so any catalogue of six or more has one. */
function isActive(row: number): boolean {
  return row % 12 !== 5;
}

export class ProductsStream extends TableStream<Column> {
  readonly name = 'products';
  readonly params = PARAMS;
  private readonly cores: ProductCore[] = [];

  constructor(ctx: GenContext, count: number) {
    super(ctx, ['createDate', 'modifyDate', 'active', 'skuRank', 'createdAt', 'modifiedAt'], count);
    const created = chronologicalInstants(
      count,
      ctx.range,
      ctx.pins,
      new Rng(hash32(ctx.seed, TAGS.productDates)),
      0.01,
    );
    const pinned = new Set(ctx.pins);
    const ids = new IdSequence(ctx.seed, TAGS.product, 7_000_000, 900_000);
    for (let row = 0; row < count; row++) {
      const rng = recordRng(ctx.seed, TAGS.productDates, row);
      const createUtc = created[row] as number;
      const id = ids.next();
      const modifyUtc = utcAfter(
        createUtc,
        pinned.has(createUtc) ? rng.int(0, 60_000) : modifyLagMs(rng, createUtc, ctx.range),
        ctx.range,
      );
      this.table.append({
        id,
        createDate: wallTicksFromUtc(createUtc),
        modifyDate: wallTicksFromUtc(modifyUtc),
        active: isActive(row) ? 1 : 0,
        skuRank: 0,
        createdAt: utcTicks(createUtc),
        modifiedAt: utcTicks(modifyUtc),
      });
      this.cores.push(this.coreAt(row, id));
    }
    this.table.col('skuRank').set(stringRanks(this.cores.map((core) => core.sku)));
    this.buildIndexes();
  }

  /** New modifyDates (the fields order items copy stay): each moves to its new place in the ModifyDate order. */
  touch(rows: readonly number[], stamps: readonly Stamp[]): void {
    const modify = this.table.col('modifyDate');
    const modifiedAt = this.table.col('modifiedAt');
    rows.forEach((row, k) => {
      const stamp = stamps[k] as Stamp;
      modify[row] = stamp.ticks;
      modifiedAt[row] = utcTicks(stamp.utc);
    });
    this.changed(rows, ['modifyDate', 'modifiedAt']);
  }

  /** Deletes products: they vanish from every query, total and the truth; order items keep their productId. */
  delete(rows: readonly number[]): void {
    this.removeRows(rows);
  }

  /** The cores order items copy, derived once (a modification changes only the modifyDate). */
  core(row: number): ProductCore {
    return this.cores[row] as ProductCore;
  }

  private coreAt(row: number, productId: number): ProductCore {
    const rng = recordRng(this.ctx.seed, TAGS.productCore, row);
    const sku = `${rng.pick(SKU_PREFIXES)}-${1000 + row}`;
    return {
      productId,
      sku,
      name: `${rng.pick(PRODUCT_ADJECTIVES)} ${rng.pick(PRODUCT_NOUNS)}`,
      price: rng.money(4.99, 249.99),
      weightOz: rng.int(1, 120),
      fulfillmentSku: rng.chance(0.6) ? null : `F${sku}`,
      warehouseLocation: rng.chance(0.3) ? null : `Bin ${rng.int(1, 200)}`,
      upc: rng.chance(0.7) ? null : rng.digits(12),
    };
  }

  render(row: number): ApiProduct {
    const core = this.core(row);
    const rng = recordRng(this.ctx.seed, TAGS.product, row);
    const hasDefaults = rng.chance(0.5);
    const domestic = rng.pick(CARRIER_SERVICES);
    const intl = rng.pick(CARRIER_SERVICES);
    const customs = rng.chance(0.3);
    return {
      productId: core.productId,
      sku: core.sku,
      name: core.name,
      price: core.price,
      defaultCost: rng.chance(0.5) ? null : rng.money(1, core.price),
      length: rng.chance(0.2) ? null : rng.int(1, 40),
      width: rng.chance(0.2) ? null : rng.int(1, 30),
      height: rng.chance(0.2) ? null : rng.int(1, 20),
      weightOz: core.weightOz,
      internalNotes: rng.chance(0.85) ? null : 'Fragile: pack with bubble wrap',
      fulfillmentSku: core.fulfillmentSku,
      createDate: formatWall(this.table.col('createDate')[row] as number, 'trimmed'),
      modifyDate: formatWall(this.table.col('modifyDate')[row] as number, 'trimmed'),
      active: this.table.col('active')[row] === 1,
      productCategory: rng.chance(0.35) ? null : { ...rng.pick(PRODUCT_CATEGORIES) },
      productType: null,
      warehouseLocation: core.warehouseLocation,
      defaultCarrierCode: hasDefaults ? domestic.carrierCode : null,
      defaultServiceCode: hasDefaults ? domestic.serviceCode : null,
      defaultPackageCode: hasDefaults ? rng.pick(PACKAGE_CODES) : null,
      defaultIntlCarrierCode: hasDefaults && rng.chance(0.5) ? intl.carrierCode : null,
      defaultIntlServiceCode: hasDefaults && rng.chance(0.5) ? intl.serviceCode : null,
      defaultIntlPackageCode: hasDefaults ? 'package' : null,
      defaultConfirmation: hasDefaults ? rng.pick(CONFIRMATIONS) : null,
      defaultIntlConfirmation: hasDefaults && rng.chance(0.5) ? rng.pick(CONFIRMATIONS) : null,
      customsDescription: customs ? 'customs declaration' : null,
      customsValue: customs ? rng.money(1, 500) : null,
      customsTariffNo: customs ? rng.digits(7) : null,
      customsCountryCode: customs ? 'US' : null,
      noCustoms: rng.chance(0.8) ? null : rng.chance(0.5),
      tags: rng.chance(0.3) ? null : rng.chance(0.3) ? [] : someTags(rng),
    };
  }
}
