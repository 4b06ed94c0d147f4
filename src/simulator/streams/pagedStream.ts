// The stream catalogue and the contract every paged stream implements: stream names (paged, whole lists,
// reference lists, counted), the query parameters an endpoint understands, and the seed tags that keep the random
// draws of each record part independent of the others.
import type { QueryEngine } from '../query.js';
import type { ApiRecord } from '../records.js';
import type { Table } from '../table.js';

export const PAGED_STREAMS = ['orders', 'shipments', 'fulfillments', 'products', 'customers'] as const;
export const LIST_STREAMS = ['stores', 'warehouses'] as const;
/** One-request account settings: carriers, marketplaces, users, webhooks and tags. */
export const REFERENCE_STREAMS = ['carriers', 'marketplaces', 'users', 'webhooks', 'tags'] as const;
export const STREAM_NAMES = [...PAGED_STREAMS, ...LIST_STREAMS, ...REFERENCE_STREAMS] as const;
/** Streams whose size is an option; carriers, marketplaces and tags are fixed lists the other streams refer to. */
export const COUNTED_STREAMS = [...PAGED_STREAMS, ...LIST_STREAMS, 'users', 'webhooks'] as const;

export type PagedStreamName = (typeof PAGED_STREAMS)[number];
export type StreamName = (typeof STREAM_NAMES)[number];
export type CountedStreamName = (typeof COUNTED_STREAMS)[number];

/** A pair of `…Start`/`…End` query parameters filtering one date column. */
export interface DateRangeParam<C extends string> {
  readonly startParam: string;
  readonly endParam: string;
  readonly column: C;
}

/** The query parameters one list endpoint understands. */
export interface StreamParams<C extends string> {
  readonly dateRanges: readonly DateRangeParam<C>[];
  /** sortBy values as documented (matched case-insensitively) → sort column. */
  readonly sortBy: Readonly<Record<string, C | 'id'>>;
  readonly defaultSort: C | 'id';
  /** Column matched by the `orderId` parameter, if supported. */
  readonly orderIdColumn?: C;
  /** Column (1 = active) hidden unless `showInactive=true`, if supported. */
  readonly activeColumn?: C;
  readonly includeShipmentItems?: boolean;
}

/** The date a mutation gives a record: the UTC instant and its Pacific wall ticks as stored. */
export interface Stamp {
  readonly utc: number;
  readonly ticks: number;
}

export interface RenderOptions {
  readonly includeShipmentItems: boolean;
}

export interface PagedStream<C extends string = string> {
  readonly name: PagedStreamName;
  readonly table: Table<C>;
  readonly engine: QueryEngine<C>;
  readonly params: StreamParams<C>;
  render(row: number, options: RenderOptions): ApiRecord;
}

/** What every generator needs: the seed and the dataset's time span. */
export interface GenContext {
  readonly seed: number;
  readonly range: { readonly startUtc: number; readonly endUtc: number };
  readonly pins: readonly number[];
}

/** Random tags separating the derivation streams of different record parts. */
export const TAGS = {
  orderDates: 101,
  order: 102,
  orderItems: 103,
  orderAddress: 104,
  orderVersion: 105,
  shipmentDates: 201,
  shipment: 202,
  fulfillmentDates: 301,
  fulfillment: 302,
  productDates: 401,
  productCore: 402,
  product: 403,
  customerDates: 501,
  customerCore: 502,
  customer: 503,
  store: 601,
  warehouse: 701,
  carrier: 801,
  user: 802,
  webhook: 803,
  accountTag: 804,
  ids: 900,
} as const;
