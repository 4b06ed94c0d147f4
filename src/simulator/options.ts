// Every simulator option: its type, its default, and the validation (a RangeError naming the option) that turns
// SimulatorOptions into ResolvedOptions. The lies that break a connector's assumptions (stamp lag and jitter, Date
// offset, page and total settings) are described here field by field; README.md has the same table.
import { MAX_PAGE_SIZE, type PagesQuirk } from './paging.js';
import { SUPPORTED_YEARS, utcOfPacificMidnight } from './pacificTime.js';
import { COUNTED_STREAMS, PAGED_STREAMS, type CountedStreamName, type PagedStreamName } from './streams/pagedStream.js';
import { V2_DATE_SUFFIXES, type V2DateSuffix } from './v2/context.js';

/** Which ShipStation API the simulator speaks: v1 (ssapi.shipstation.com) or v2 (api.shipstation.com/v2). */
export const API_VERSIONS = ['v1', 'v2'] as const;
export type ApiVersion = (typeof API_VERSIONS)[number];

export type StreamCounts = Record<CountedStreamName, number>;

export interface Credentials {
  readonly apiKey: string;
  readonly apiSecret: string;
}

/** v2 keys (sent alone in the `API-Key` header): the account with data, and an account without API access. */
export interface V2Keys {
  readonly apiKey: string;
  readonly noAccessKey: string;
}

/** Fixed window: `limit` requests per key per `windowMs`. */
export interface RateLimitOptions {
  readonly limit: number;
  readonly windowMs: number;
}

/** Per-request probabilities (0–1). The first five are exclusive (their sum must be ≤ 1); latency and slowBody combine with anything. */
export interface FaultRates {
  readonly error500: number;
  readonly error502: number;
  readonly error503: number;
  readonly reset: number;
  readonly truncate: number;
  readonly latency: number;
  readonly slowBody: number;
}

export interface FaultOptions {
  readonly rates?: Partial<FaultRates>;
  /** Share of injected 5xx responses sent as HTML (text/html) instead of JSON. */
  readonly htmlShare?: number;
  /** Share of the other (non-HTML) injected 5xx sent with an empty body, as v2 documents its 500s. */
  readonly emptyBodyShare?: number;
  /** Delay added before responding when a latency fault hits. */
  readonly latencyMs?: number;
  /** A slow body is sent in this many chunks… */
  readonly slowBodyChunks?: number;
  /** …with this delay before each chunk. */
  readonly slowBodyDelayMs?: number;
}

export type ResolvedFaultOptions = Required<Omit<FaultOptions, 'rates'>> & { readonly rates: FaultRates };

/**
 * How the `…DateStart`/`…DateEnd` filters bound a value. ShipStation documents orders' filters as "after" /
 * "before" and nobody has published whether they are inclusive, exclusive, or compare whole seconds:
 * inclusive: start ≤ v ≤ end; exclusive: start < v < end; the `Seconds` forms compare v truncated to the second.
 */
export const FILTER_BOUNDS = ['inclusive', 'exclusive', 'inclusiveSeconds', 'exclusiveSeconds'] as const;
export type FilterBounds = (typeof FILTER_BOUNDS)[number];

/** Every API response waits `baseMs` plus `perRecordMs` per record it holds (a real 500-order page takes seconds). */
export interface LatencyModel {
  readonly baseMs: number;
  readonly perRecordMs: number;
}

/**
 * How list pages and totals are answered: each setting breaks one assumption about pages or totals. Settable at
 * start (as top-level options) and at run time (`sim.setPaging`, `POST /__sim/paging`).
 */
export interface PagingOptions {
  /** The server's own page size limit (1–500, default 500): a larger pageSize is served as this, offsets included. */
  readonly maxPageSize?: number;
  /** Probability (per request, seeded) that a page with ≥ 2 rows is cut to a shorter non-empty length; its offset and the total stay. */
  readonly shortPageRate?: number;
  /** The reported `total` never exceeds this (null: no cap). */
  readonly totalCap?: number | null;
  /** Added to the reported `total` (clamped at 0). */
  readonly totalOffset?: number;
  /** The reported `total` grows by this on every API request (counted from when it was set). */
  readonly totalDrift?: number;
  /** Rows with equal sort keys come back in a seeded order that changes from request to request. */
  readonly unstableTies?: boolean;
  /** `sortBy` and `sortDir` are ignored: every list comes in the endpoint's default order (by id). */
  readonly ignoreSort?: boolean;
}

export type ResolvedPaging = { readonly [K in keyof PagingOptions]-?: Exclude<PagingOptions[K], undefined> };

export interface SimulatorOptions<A extends ApiVersion = 'v1'> extends PagingOptions {
  /** The API spoken (default v1). One simulator speaks one: v1 paths are unknown to v2 and the other way round. */
  readonly api?: A;
  /** v2 only: the keys of the account with data and of the one without API access. */
  readonly v2Keys?: Partial<V2Keys>;
  /** v2 only: how dates end: `Z` (default), `+00:00`, or either per record (`mixed`). */
  readonly v2DateSuffix?: V2DateSuffix;
  /** v2 only: how `pages` is reported (default off: ceil(total/page_size), so 0 only when empty). */
  readonly v2PagesQuirk?: PagesQuirk;
  /** Seeds the data, the fault draws and the mutation choices. Same seed + options → identical responses. */
  readonly seed?: number;
  readonly counts?: Partial<StreamCounts>;
  /** Pacific calendar days, inclusive: `{ start: '2023-01-01', end: '2025-06-30' }`. */
  readonly dateRange?: { readonly start: string; readonly end: string };
  /** null disables rate limiting (and its headers). Default 40 a minute in v1, 200 in v2. */
  readonly rateLimit?: RateLimitOptions | null;
  readonly faults?: FaultOptions;
  readonly credentials?: Partial<Credentials>;
  /** An account whose key/secret are valid but whose plan has no API access (403). */
  readonly noAccessCredentials?: Partial<Credentials>;
  /** Milliseconds since the epoch; drives "now" for mutations and the rate-limit windows. */
  readonly clock?: () => number;
  readonly pagesZeroQuirk?: Partial<Record<PagedStreamName, PagesQuirk>>;
  /** 0 picks a free port. The host is always 127.0.0.1. */
  readonly port?: number;
  /** Most recent request-timeline entries kept in stats. */
  readonly timelineLimit?: number;
  /** Reading of the date filters' bounds (default inclusive). */
  readonly filterBounds?: FilterBounds;
  /** Response time of every API request (default none: as fast as the machine). */
  readonly latency?: LatencyModel;
  /**
   * Mutations stamp their new dates (modifyDate, createDate, voidDate) this many ms before `clock()`, while the
   * change is visible at once: ShipStation's clock behind ours, or rows that become visible late with an earlier
   * stamp (replication lag). 3,600,000 is a server stamping Pacific standard time all year, in summer.
   */
  readonly stampLagMs?: number;
  /**
   * Each changed record's stamp also moves back by a seeded uniform draw in [0, stampJitterMs], so a later change
   * can carry an earlier stamp (stamps out of commit order). A bulk edit draws once: its rows share one stamp.
   */
  readonly stampJitterMs?: number;
  /** Every API response's HTTP Date header reads `clock() + dateOffsetMs` (may be negative). */
  readonly dateOffsetMs?: number;
}

export interface ResolvedOptions extends ResolvedPaging {
  readonly api: ApiVersion;
  readonly v2Keys: V2Keys;
  readonly v2DateSuffix: V2DateSuffix;
  readonly v2PagesQuirk: PagesQuirk;
  readonly seed: number;
  readonly counts: StreamCounts;
  readonly range: { readonly startUtc: number; readonly endUtc: number };
  readonly rateLimit: RateLimitOptions | null;
  readonly faults: ResolvedFaultOptions;
  readonly credentials: Credentials;
  readonly noAccessCredentials: Credentials;
  readonly clock: () => number;
  readonly pagesZeroQuirk: Record<PagedStreamName, PagesQuirk>;
  readonly port: number;
  readonly timelineLimit: number;
  readonly filterBounds: FilterBounds;
  readonly latency: LatencyModel;
  readonly stampLagMs: number;
  readonly stampJitterMs: number;
  readonly dateOffsetMs: number;
}

export const DEFAULT_COUNTS: StreamCounts = {
  orders: 2000,
  shipments: 1500,
  fulfillments: 300,
  products: 250,
  customers: 500,
  stores: 5,
  warehouses: 3,
  users: 4,
  webhooks: 3,
};
export const DEFAULT_DATE_RANGE = { start: '2023-01-01', end: '2025-06-30' } as const;
export const DEFAULT_RATE_LIMIT: RateLimitOptions = { limit: 40, windowMs: 60_000 };
/** v2's documented default: 200 requests a minute. */
export const DEFAULT_V2_RATE_LIMIT: RateLimitOptions = { limit: 200, windowMs: 60_000 };
/** 32 characters, like a real v2 key, and unlike v1's key and secret. */
export const DEFAULT_V2_KEYS: V2Keys = {
  apiKey: 'simV2k8Qm3Tz7Wc1Lp5Xr9Hd2Jn6Bf4Y',
  noAccessKey: 'simV2noAccess4Kq8Zr2Mt6Wy1Pb5Hx9',
};
/** 32 hexadecimal characters each, the shape of real v1 credentials (the connector refuses any other for v1). */
export const DEFAULT_CREDENTIALS: Credentials = {
  apiKey: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
  apiSecret: '5ec12e75ec12e75ec12e75ec12e75ec1',
};
export const DEFAULT_NO_ACCESS_CREDENTIALS: Credentials = {
  apiKey: '0bad0bad0bad0bad0bad0bad0bad0bad',
  apiSecret: 'dead0baddead0baddead0baddead0bad',
};
export const DEFAULT_PAGES_ZERO_QUIRK: Record<PagedStreamName, PagesQuirk> = {
  orders: 'off',
  shipments: 'singlePage',
  fulfillments: 'singlePage',
  products: 'singlePage',
  customers: 'off',
};
export const DEFAULT_PAGING: ResolvedPaging = {
  maxPageSize: MAX_PAGE_SIZE,
  shortPageRate: 0,
  totalCap: null,
  totalOffset: 0,
  totalDrift: 0,
  unstableTies: false,
  ignoreSort: false,
};
export const NO_FAULTS: FaultRates = {
  error500: 0,
  error502: 0,
  error503: 0,
  reset: 0,
  truncate: 0,
  latency: 0,
  slowBody: 0,
};
export const DEFAULT_FAULTS: ResolvedFaultOptions = {
  rates: NO_FAULTS,
  htmlShare: 0.5,
  emptyBodyShare: 0,
  latencyMs: 1000,
  slowBodyChunks: 5,
  slowBodyDelayMs: 200,
};
const PAGES_QUIRKS: readonly PagesQuirk[] = ['off', 'singlePage', 'always'];
const MAX_ORDERS = 5_000_000;
/** Bound of the clock lies (stamp lag, jitter, Date offset): a year either way. */
const YEAR_MS = 366 * 86_400_000;

function requireInt(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max)
    throw new RangeError(`${name} must be an integer in [${min}, ${max}], got ${value}`);
  return value;
}

function requireRate(name: string, value: number): number {
  if (!(value >= 0 && value <= 1)) throw new RangeError(`${name} must be between 0 and 1, got ${value}`);
  return value;
}

function parseDay(name: string, value: string): [number, number, number] {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const [year, month, day] = match ? match.slice(1).map(Number) : [NaN, NaN, NaN];
  if (
    year === undefined ||
    month === undefined ||
    day === undefined ||
    Number.isNaN(year) ||
    new Date(Date.UTC(year, month - 1, day)).getUTCDate() !== day
  ) {
    throw new RangeError(`${name} must be a date YYYY-MM-DD, got ${value}`);
  }
  if (year < SUPPORTED_YEARS.first || year > SUPPORTED_YEARS.last)
    throw new RangeError(`${name} must be within ${SUPPORTED_YEARS.first}–${SUPPORTED_YEARS.last}`);
  return [year, month, day];
}

export function resolveFaults(base: ResolvedFaultOptions, update: FaultOptions): ResolvedFaultOptions {
  const rates = { ...base.rates, ...update.rates };
  for (const [name, rate] of Object.entries(rates)) requireRate(`faults.rates.${name}`, rate);
  if (rates.error500 + rates.error502 + rates.error503 + rates.reset + rates.truncate > 1)
    throw new RangeError('the exclusive fault rates (5xx, reset, truncate) must sum to at most 1');
  return {
    rates,
    htmlShare: requireRate('faults.htmlShare', update.htmlShare ?? base.htmlShare),
    emptyBodyShare: requireRate('faults.emptyBodyShare', update.emptyBodyShare ?? base.emptyBodyShare),
    latencyMs: requireInt('faults.latencyMs', update.latencyMs ?? base.latencyMs, 0, 600_000),
    slowBodyChunks: requireInt('faults.slowBodyChunks', update.slowBodyChunks ?? base.slowBodyChunks, 2, 10_000),
    slowBodyDelayMs: requireInt('faults.slowBodyDelayMs', update.slowBodyDelayMs ?? base.slowBodyDelayMs, 0, 600_000),
  };
}

export function resolvePaging(base: ResolvedPaging, update: PagingOptions): ResolvedPaging {
  const unstableTies = update.unstableTies ?? base.unstableTies;
  if (typeof unstableTies !== 'boolean')
    throw new RangeError(`unstableTies must be a boolean, got ${String(unstableTies)}`);
  const ignoreSort = update.ignoreSort ?? base.ignoreSort;
  if (typeof ignoreSort !== 'boolean') throw new RangeError(`ignoreSort must be a boolean, got ${String(ignoreSort)}`);
  const totalCap = update.totalCap === undefined ? base.totalCap : update.totalCap;
  return {
    maxPageSize: requireInt('maxPageSize', update.maxPageSize ?? base.maxPageSize, 1, MAX_PAGE_SIZE),
    shortPageRate: requireRate('shortPageRate', update.shortPageRate ?? base.shortPageRate),
    totalCap: totalCap === null ? null : requireInt('totalCap', totalCap, 0, Number.MAX_SAFE_INTEGER),
    totalOffset: requireInt('totalOffset', update.totalOffset ?? base.totalOffset, -1_000_000_000, 1_000_000_000),
    totalDrift: requireInt('totalDrift', update.totalDrift ?? base.totalDrift, 0, 1_000_000),
    unstableTies,
    ignoreSort,
  };
}

export function resolveOptions(options: SimulatorOptions<ApiVersion> = {}): ResolvedOptions {
  const counts = { ...DEFAULT_COUNTS, ...options.counts };
  for (const name of COUNTED_STREAMS)
    requireInt(`counts.${name}`, counts[name], 0, name === 'orders' || name === 'shipments' ? MAX_ORDERS : 1_000_000);
  if ((counts.shipments > 0 || counts.fulfillments > 0) && counts.orders === 0)
    throw new RangeError('shipments and fulfillments need at least one order');

  const dateRange = options.dateRange ?? DEFAULT_DATE_RANGE;
  const [sy, sm, sd] = parseDay('dateRange.start', dateRange.start);
  const [ey, em, ed] = parseDay('dateRange.end', dateRange.end);
  const range = { startUtc: utcOfPacificMidnight(sy, sm, sd), endUtc: utcOfPacificMidnight(ey, em, ed + 1) };
  if (range.endUtc <= range.startUtc) throw new RangeError('dateRange.end must not be before dateRange.start');

  const api = requireChoice('api', options.api ?? 'v1', API_VERSIONS);
  const rateLimit =
    options.rateLimit === undefined ? (api === 'v2' ? DEFAULT_V2_RATE_LIMIT : DEFAULT_RATE_LIMIT) : options.rateLimit;
  if (rateLimit) {
    requireInt('rateLimit.limit', rateLimit.limit, 1, 1_000_000);
    requireInt('rateLimit.windowMs', rateLimit.windowMs, 1, 86_400_000);
  }

  const pagesZeroQuirk = { ...DEFAULT_PAGES_ZERO_QUIRK, ...options.pagesZeroQuirk };
  for (const name of PAGED_STREAMS) {
    if (!PAGES_QUIRKS.includes(pagesZeroQuirk[name]))
      throw new RangeError(`pagesZeroQuirk.${name} must be one of ${PAGES_QUIRKS.join(', ')}`);
  }

  const credentials = { ...DEFAULT_CREDENTIALS, ...options.credentials };
  const noAccessCredentials = { ...DEFAULT_NO_ACCESS_CREDENTIALS, ...options.noAccessCredentials };
  if (credentials.apiKey === noAccessCredentials.apiKey)
    throw new RangeError('the default and no-access accounts need different API keys');
  const v2Keys = { ...DEFAULT_V2_KEYS, ...options.v2Keys };
  if (v2Keys.apiKey === '' || v2Keys.apiKey === v2Keys.noAccessKey)
    throw new RangeError('v2Keys.apiKey must be non-empty and differ from v2Keys.noAccessKey');

  return {
    ...resolvePaging(DEFAULT_PAGING, options),
    api,
    v2Keys,
    v2DateSuffix: requireChoice('v2DateSuffix', options.v2DateSuffix ?? 'Z', V2_DATE_SUFFIXES),
    v2PagesQuirk: requireChoice('v2PagesQuirk', options.v2PagesQuirk ?? 'off', PAGES_QUIRKS),
    seed: requireInt('seed', options.seed ?? 1, 0, 0xffffffff),
    counts,
    range,
    rateLimit,
    faults: resolveFaults(DEFAULT_FAULTS, options.faults ?? {}),
    credentials,
    noAccessCredentials,
    clock: options.clock ?? Date.now,
    pagesZeroQuirk,
    port: requireInt('port', options.port ?? 0, 0, 65_535),
    timelineLimit: requireInt('timelineLimit', options.timelineLimit ?? 10_000, 0, 10_000_000),
    filterBounds: requireChoice('filterBounds', options.filterBounds ?? 'inclusive', FILTER_BOUNDS),
    latency: {
      baseMs: requireNumber('latency.baseMs', options.latency?.baseMs ?? 0, 0, 600_000),
      perRecordMs: requireNumber('latency.perRecordMs', options.latency?.perRecordMs ?? 0, 0, 1000),
    },
    stampLagMs: requireInt('stampLagMs', options.stampLagMs ?? 0, 0, YEAR_MS),
    stampJitterMs: requireInt('stampJitterMs', options.stampJitterMs ?? 0, 0, YEAR_MS),
    dateOffsetMs: requireInt('dateOffsetMs', options.dateOffsetMs ?? 0, -YEAR_MS, YEAR_MS),
  };
}

function requireChoice<T extends string>(name: string, value: T, choices: readonly T[]): T {
  if (!choices.includes(value)) throw new RangeError(`${name} must be one of ${choices.join(', ')}, got ${value}`);
  return value;
}

function requireNumber(name: string, value: number, min: number, max: number): number {
  if (!(Number.isFinite(value) && value >= min && value <= max))
    throw new RangeError(`${name} must be a number in [${min}, ${max}], got ${value}`);
  return value;
}
