// What every v2 view shares: the account's v1 data it is derived from, how dates are printed (UTC, the fraction's
// length varying, `Z` or `+00:00`), `se-` ids, money, addresses in v2's field names, and lookups from v1 codes and
// ids to v2 ones (carrier ids, warehouse addresses, tag names).
import type { Dataset } from '../dataset.js';
import { hash32 } from '../random.js';
import type { ApiAddress, ApiWarehouseAddress } from '../records.js';
import { formatUtc, utcMidnight, type UtcSuffix } from '../utcTime.js';
import type { V2Address, V2Money, V2ShippingAddress } from './records.js';

/** How v2 dates end: always `Z`, always `+00:00`, or either, per record (seeded). */
export const V2_DATE_SUFFIXES = ['Z', '+00:00', 'mixed'] as const;
export type V2DateSuffix = (typeof V2_DATE_SUFFIXES)[number];

/** Random tags of the v2-only derivations, apart from v1's so v1 data never move. */
export const V2_TAGS = {
  shipment: 1101,
  label: 1102,
  fulfillment: 1103,
  product: 1104,
  user: 1105,
  account: 1106,
  batch: 1107,
  manifest: 1108,
  pickup: 1109,
  inventory: 1110,
  suffix: 1111,
  requestId: 1112,
} as const;

/** A ShipStation resource id: `se-` and the number. */
export function seId(id: number): string {
  return `se-${id}`;
}

/** The number of an `se-…` id, or null when the value is not one. */
export function seNumber(value: string): number | null {
  const match = /^se-(\d{1,15})$/.exec(value);
  return match ? Number(match[1]) : null;
}

export function usd(amount: number): V2Money {
  return { currency: 'usd', amount };
}

function residential(value: boolean | null | ''): V2Address['address_residential_indicator'] {
  return value === true ? 'yes' : value === false ? 'no' : 'unknown';
}

/** A blank v1 field ("" or null) is null in v2's nullable fields. */
function orNull(value: string | null | undefined): string | null {
  return value === null || value === undefined || value === '' ? null : value;
}

/** A v1 order address as a v2 `shipping_address_to` (phone, required there, is "" when v1 has none). */
export function shippingAddress(address: ApiAddress, email: string | null = null): V2ShippingAddress {
  return {
    name: address.name ?? '',
    phone: address.phone ?? '',
    email,
    company_name: orNull(address.company),
    address_line1: address.street1 ?? '',
    address_line2: orNull(address.street2),
    address_line3: orNull(address.street3),
    city_locality: address.city ?? '',
    state_province: address.state ?? '',
    postal_code: address.postalCode ?? '',
    country_code: address.country ?? '',
    address_residential_indicator: residential(address.residential),
    instructions: null,
  };
}

/** A v1 warehouse address as a v2 `address`. */
export function warehouseAddress(address: ApiWarehouseAddress): V2Address {
  return {
    name: address.name ?? '',
    phone: address.phone ?? '',
    email: null,
    company_name: orNull(address.company),
    address_line1: (address.street1 ?? '').trim(),
    address_line2: orNull(address.street2),
    address_line3: orNull(address.street3),
    city_locality: address.city ?? '',
    state_province: address.state ?? '',
    postal_code: address.postalCode ?? '',
    country_code: address.country ?? '',
    address_residential_indicator: residential(address.residential),
  };
}

/** The address shipments use when the account has no warehouse. */
const NO_WAREHOUSE: V2Address = {
  name: 'Shipping Department',
  phone: '5125550100',
  email: null,
  company_name: null,
  address_line1: '4009 Marathon Blvd',
  address_line2: null,
  address_line3: null,
  city_locality: 'Austin',
  state_province: 'TX',
  postal_code: '78756',
  country_code: 'US',
  address_residential_indicator: 'no',
};

/** Every code and id records use is one the account lists; a miss is a bug in the generators. */
function known<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`simulator: ${what} is not in the account's lists`);
  return value;
}

export class V2Context {
  private readonly carrierIds = new Map<string, string>();
  private readonly tagNames = new Map<number, string>();
  private readonly tagColors = new Map<number, string>();

  constructor(
    readonly data: Dataset,
    readonly seed: number,
    /** The dataset's time span (UTC ms, end exclusive). */
    readonly range: { readonly startUtc: number; readonly endUtc: number },
    private readonly suffixMode: V2DateSuffix,
  ) {
    for (const carrier of data.carriers.list()) this.carrierIds.set(carrier.code, seId(carrier.shippingProviderId));
    for (const tag of data.tags.list()) {
      this.tagNames.set(tag.tagId, tag.name);
      this.tagColors.set(tag.tagId, tag.color);
    }
  }

  /** The suffix of one record's dates: fixed, or drawn per (stream tag, row) when mixed. */
  suffix(tag: number, row: number): UtcSuffix {
    if (this.suffixMode !== 'mixed') return this.suffixMode;
    return (hash32(this.seed, V2_TAGS.suffix, tag, row) & 1) === 0 ? 'Z' : '+00:00';
  }

  instant(ticks: number, suffix: UtcSuffix): string {
    return formatUtc(ticks, suffix);
  }

  instantOrNull(ticks: number, suffix: UtcSuffix): string | null {
    return Number.isNaN(ticks) ? null : formatUtc(ticks, suffix);
  }

  /** A v2 `date`: the calendar day (`YYYY-MM-DD…`) at midnight UTC, with `.000` when `withMs` (as some examples). */
  day(day: string, suffix: UtcSuffix, withMs = false): string {
    return utcMidnight(day.slice(0, 10), suffix, withMs);
  }

  /** The v2 carrier id of a v1 carrier code (every code orders and shipments use is connected, once). */
  carrierId(code: string): string {
    return known(this.carrierIds.get(code), `carrier ${code}`);
  }

  tagName(tagId: number): string {
    return known(this.tagNames.get(tagId), `tag ${tagId}`);
  }

  tagColor(tagId: number): string {
    return known(this.tagColors.get(tagId), `tag ${tagId}`);
  }

  /** Origin and return addresses of a v1 warehouse id (the default ones when it is null or unknown). */
  warehouseAddresses(warehouseId: number | null): { origin: V2Address; returns: V2Address } {
    const warehouses = this.data.warehouses.list();
    const warehouse = warehouses.find((w) => w.warehouseId === warehouseId) ?? warehouses[0];
    if (!warehouse) return { origin: NO_WAREHOUSE, returns: NO_WAREHOUSE };
    return { origin: warehouseAddress(warehouse.originAddress), returns: warehouseAddress(warehouse.returnAddress) };
  }
}
