// Public entry point of the ShipStation simulator (API v1, or v2 with `api: 'v2'`). See README.md in this folder.
export {
  startSimulator,
  HOST,
  type Simulator,
  type ConnectorConfig,
  type V2ConnectorConfig,
  type DialectTypes,
  type MutateApi,
} from './simulator.js';
export {
  API_VERSIONS,
  DEFAULT_V2_KEYS,
  DEFAULT_V2_RATE_LIMIT,
  type ApiVersion,
  type V2Keys,
  DEFAULT_COUNTS,
  DEFAULT_CREDENTIALS,
  DEFAULT_DATE_RANGE,
  DEFAULT_NO_ACCESS_CREDENTIALS,
  DEFAULT_PAGES_ZERO_QUIRK,
  DEFAULT_PAGING,
  DEFAULT_RATE_LIMIT,
  FILTER_BOUNDS,
  type Credentials,
  type FilterBounds,
  type LatencyModel,
  type PagingOptions,
  type ResolvedPaging,
  type FaultOptions,
  type FaultRates,
  type RateLimitOptions,
  type ResolvedOptions,
  type SimulatorOptions,
  type StreamCounts,
} from './options.js';
export { FAULT_KINDS, type FailNextSpec, type FaultKind } from './faults.js';
export type { MutationResult, MutationSpec } from './mutations.js';
export type { ScheduleTrigger, ScheduledMutation } from './scheduler.js';
export type { StatsSnapshot, TimelineEntry } from './stats.js';
export type { PagesQuirk } from './paging.js';
export { CONTROL_PREFIX } from './controlRoutes.js';
export {
  STREAM_NAMES,
  PAGED_STREAMS,
  REFERENCE_STREAMS,
  COUNTED_STREAMS,
  type StreamName,
  type PagedStreamName,
  type CountedStreamName,
} from './streams/pagedStream.js';
export type * from './records.js';
export {
  V2_STREAM_NAMES,
  V2_PAGED_STREAMS,
  V2_LIST_STREAMS,
  v2Path,
  type V2StreamName,
  type V2PagedStreamName,
  type V2ListStreamName,
} from './v2/endpoint.js';
export { V2_DATE_SUFFIXES, type V2DateSuffix } from './v2/context.js';
export type * from './v2/records.js';
