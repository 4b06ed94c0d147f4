// What differs between ShipStation's APIs, behind one object chosen from the config: the streams, the server's
// clock and how its dates are written, the words of a list query and the request `check` makes. How a request
// authenticates is shipstation/credentials.ts's, by the same api_version. The engine, the state, the server
// checks and the destination ask a dialect; none asks which one it is.
import type { StreamSet } from '../streams/streamSet.js';
import type { WallClockZone } from '../time/zone.js';

export interface DateRange {
  startParam: string;
  endParam: string;
  from?: number;
  to?: number;
}

/** A list request as the engine plans it (dates in the dialect's wall ms), before the dialect words it. */
export interface ListRequest {
  /** Fixed parameters of the stream. */
  params?: Record<string, string>;
  /** Date filters, each on one field: its parameters and bounds (wall ms, whole seconds), either side optional. */
  ranges?: DateRange[];
  sort?: { by: string; dir: 'ASC' | 'DESC' };
  page: number;
  pageSize: number;
}

/** How the server writes and reads date-times. */
export interface ServerDates {
  /** A record's date-time as wall ms in the dialect's zone (fraction truncated to ms), or null. */
  parse(value: unknown): number | null;
  /** A date filter's value for a wall ms. */
  formatFilter(wallMs: number): string;
  /** A record's date-time as UTC with `Z`, or null when it is none; `asOfUtc` is when the server wrote it. */
  toUtc(value: string, asOfUtc?: number): string | null;
}

export interface Dialect {
  /** The `api_version` naming it. */
  name: 'v1' | 'v2';
  streams: StreamSet;
  /** The clock the server sorts and filters by. */
  zone: WallClockZone;
  dates: ServerDates;
  /** The query string of a list request. */
  listQuery(request: ListRequest): Record<string, string | number>;
  /** A cheap request that needs valid credentials: what `check` asks. */
  checkPath: string;
}
