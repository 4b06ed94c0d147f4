// Starts the simulator: builds the dataset and wires options, faults, rate limiter, paging lies, stats and
// scheduler into one HTTP server on 127.0.0.1 speaking v1 or v2 (the `api` option picks the dialect; v2 serves views
// of the same dataset), and returns the Simulator handle tests drive in process (the same operations the /__sim/
// control endpoints offer over HTTP), with connector configs whose settle margin covers the lag.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ArrivalQueue, handleApiRequest, type ApiDeps } from './apiPipeline.js';
import { CONTROL_PREFIX, handleControlRequest } from './controlRoutes.js';
import { Dataset } from './dataset.js';
import { v1Dialect, type ApiDialect } from './dialect.js';
import { FaultInjector, type FailNextSpec } from './faults.js';
import { Mutator, type MutationResult, type MutationSpec, type ResultDecorator } from './mutations.js';
import {
  resolveOptions,
  type ApiVersion,
  type FaultOptions,
  type PagingOptions,
  type ResolvedOptions,
  type ResolvedPaging,
  type SimulatorOptions,
} from './options.js';
import { PagingControl } from './pagingControl.js';
import { FixedWindowLimiter } from './fixedWindowLimiter.js';
import type { ApiRecord } from './records.js';
import { PendingTimers } from './responses.js';
import { Scheduler, type ScheduleTrigger, type ScheduledMutation } from './scheduler.js';
import { Stats, type StatsSnapshot } from './stats.js';
import { STREAM_NAMES, type StreamName } from './streams/pagedStream.js';
import { formatUtc, utcTicks } from './utcTime.js';
import { seId } from './v2/context.js';
import { v2Dialect } from './v2/dialect.js';
import { V2_STREAM_NAMES, type V2StreamName } from './v2/endpoint.js';
import type { V2Record } from './v2/records.js';
import { V2Data } from './v2/v2Data.js';

export const HOST = '127.0.0.1';

/**
 * Connector configuration pointing at the simulator, in the connector's spec field names. Its settle margin
 * covers how far behind the clock the simulator stamps changes (stampLagMs + stampJitterMs): none by default,
 * where a change is stamped with the very clock its Date header shows.
 */
export interface ConnectorConfig {
  readonly api_key: string;
  readonly api_secret: string;
  readonly base_url: string;
  readonly settle_seconds: number;
}

/** The connector's configuration for v2: one key, no secret, and the dialect named. */
export interface V2ConnectorConfig {
  readonly api_key: string;
  readonly base_url: string;
  readonly api_version: 'v2';
  readonly settle_seconds: number;
}

/** What differs in the handle between the dialects: its configs, stream names and records. */
export interface DialectTypes {
  readonly v1: { readonly config: ConnectorConfig; readonly stream: StreamName; readonly record: ApiRecord };
  readonly v2: { readonly config: V2ConnectorConfig; readonly stream: V2StreamName; readonly record: V2Record };
}

/** The options of one mutation kind (its spec without `op`). */
type SpecOf<Op extends MutationSpec['op']> = Omit<Extract<MutationSpec, { op: Op }>, 'op'>;

export interface MutateApi {
  modifyOrders(spec?: SpecOf<'modifyOrders'>): MutationResult;
  createOrders(spec?: SpecOf<'createOrders'>): MutationResult;
  bulkEditOrders(spec?: SpecOf<'bulkEditOrders'>): MutationResult;
  voidShipments(spec?: SpecOf<'voidShipments'>): MutationResult;
  createShipments(spec?: SpecOf<'createShipments'>): MutationResult;
  /** Deleted (or merged) orders vanish from every query, total and the truth; their ids are never served again. */
  deleteOrders(spec?: SpecOf<'deleteOrders'>): MutationResult;
  /** Deleted customers vanish likewise; orders keep their customerId. */
  deleteCustomers(spec?: SpecOf<'deleteCustomers'>): MutationResult;
  createCustomers(spec?: SpecOf<'createCustomers'>): MutationResult;
  /** Customers and products given a new modifyDate: they move to the top of the ModifyDate order. */
  modifyCustomers(spec?: SpecOf<'modifyCustomers'>): MutationResult;
  modifyProducts(spec?: SpecOf<'modifyProducts'>): MutationResult;
  /** Deleted products vanish from every query, total and the truth; order items keep their productId. */
  deleteProducts(spec?: SpecOf<'deleteProducts'>): MutationResult;
  /** Any of the above, described as data (what POST /__sim/mutate takes). */
  apply(spec: MutationSpec): MutationResult;
}

export interface Simulator<A extends ApiVersion = 'v1'> {
  /** The dialect spoken. */
  readonly api: A;
  /** `http://127.0.0.1:<port>` */
  readonly baseUrl: string;
  readonly port: number;
  readonly options: ResolvedOptions;
  /** Default account: valid key and secret (v2: the key). */
  readonly config: DialectTypes[A]['config'];
  /** Valid credentials of an account without API access (every API call → 403). */
  readonly noAccessConfig: DialectTypes[A]['config'];
  /** The stream names `truth` takes in this dialect. */
  readonly streams: readonly DialectTypes[A]['stream'][];
  stats(): StatsSnapshot;
  resetStats(): void;
  /**
   * Current records in API form, in id order; deleted ones are gone. v1: includeShipmentItems=true,
   * showInactive=true. v2: the v2 streams as the API prints them (before any date normalisation by a connector).
   */
  truth(stream: DialectTypes[A]['stream']): Generator<DialectTypes[A]['record'], void, undefined>;
  truthCount(stream: DialectTypes[A]['stream']): number;
  readonly mutate: MutateApi;
  /** Every mutation applied so far, in order. */
  mutationLog(): readonly MutationResult[];
  schedule(trigger: ScheduleTrigger, spec: MutationSpec): ScheduledMutation;
  /** Merges new fault settings into the current ones. */
  setFaults(update: FaultOptions): void;
  /** Merges new page and total settings (maxPageSize, shortPageRate, totalCap, totalOffset, totalDrift, unstableTies) into the current ones. */
  setPaging(update: PagingOptions): ResolvedPaging;
  /** The page and total settings in force. */
  paging(): ResolvedPaging;
  /** Queues a targeted fault for the next matching API request(s). */
  failNext(spec: FailNextSpec): void;
  clearFailNext(): void;
  /** Simulates another application using `units` of the key's current rate-limit window. No-op when limiting is off. */
  consumeBudget(apiKey: string, units: number): void;
  close(): Promise<void>;
}

/** v2's view of a mutation result: the v2 ids changed and the stamps in UTC. */
const v2Decorator: ResultDecorator = (result, shared, stamps) => {
  // v2 has no customers, and names products by the v1 productId.
  const v2Ids = result.op.endsWith('Customers')
    ? []
    : result.op.endsWith('Products')
      ? result.ids.map(String)
      : result.ids.map(seId);
  const utc = (utcMs: number): string => formatUtc(utcTicks(utcMs));
  return {
    ...result,
    v2Ids,
    atUtc: utc(shared.utc),
    ...(result.stamps && stamps ? { stampsUtc: stamps.map((stamp) => utc(stamp.utc)) } : {}),
  };
};

export function startSimulator(input: SimulatorOptions<'v2'> & { readonly api: 'v2' }): Promise<Simulator<'v2'>>;
export function startSimulator(input?: SimulatorOptions<'v1'>): Promise<Simulator<'v1'>>;
export function startSimulator(input: SimulatorOptions<ApiVersion>): Promise<Simulator<ApiVersion>>;
export async function startSimulator(input: SimulatorOptions<ApiVersion> = {}): Promise<Simulator<ApiVersion>> {
  const options = resolveOptions(input);
  const dataset = new Dataset(options);
  const v2 = options.api === 'v2';
  const mutator = new Mutator(
    dataset,
    options.clock,
    options.seed,
    { lagMs: options.stampLagMs, jitterMs: options.stampJitterMs },
    v2 ? v2Decorator : null,
  );
  const faults = new FaultInjector(options.faults, options.seed);
  // Links in v2 bodies name the server's own address, known once it listens.
  let baseUrl = '';
  const v2Data = v2 ? new V2Data(dataset, options.seed, options.range, options.v2DateSuffix) : null;
  const dialect: ApiDialect = v2Data
    ? v2Dialect(v2Data, options, {
        baseUrl: () => baseUrl,
        pagesQuirk: options.v2PagesQuirk,
        filterBounds: options.filterBounds,
      })
    : v1Dialect(dataset, options);
  const deps: ApiDeps = {
    dialect,
    options,
    limiter: options.rateLimit ? new FixedWindowLimiter(options.rateLimit, options.clock) : null,
    faults,
    paging: new PagingControl(options, options.seed),
    stats: new Stats(options.timelineLimit),
    scheduler: new Scheduler(mutator),
    timers: new PendingTimers(),
  };

  const arrivals = new ArrivalQueue(options.clock);
  // Assigned before the first request can arrive (listening resolves before any connection is handled).
  let simulator!: Simulator<ApiVersion>;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if ((req.url ?? '').startsWith(CONTROL_PREFIX)) void handleControlRequest(req, res, simulator);
    else arrivals.push((arrived) => handleApiRequest(req, res, deps, arrived));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  baseUrl = `http://${HOST}:${port}`;
  const apply = (spec: MutationSpec): MutationResult => mutator.apply(spec);
  const lag = options.stampLagMs + options.stampJitterMs;
  const settleSeconds = lag === 0 ? 0 : Math.ceil(lag / 1000) + 1;
  let closing: Promise<void> | null = null;

  const v2Config = (apiKey: string): V2ConnectorConfig => ({
    api_key: apiKey,
    base_url: baseUrl,
    api_version: 'v2',
    settle_seconds: settleSeconds,
  });
  const v1Config = (credentials: ResolvedOptions['credentials']): ConnectorConfig => ({
    api_key: credentials.apiKey,
    api_secret: credentials.apiSecret,
    base_url: baseUrl,
    settle_seconds: settleSeconds,
  });
  const streams: readonly string[] = v2Data ? V2_STREAM_NAMES : STREAM_NAMES;
  // The names a caller may pass depend on the dialect; a wrong one is a RangeError, not an empty stream.
  const checked = (stream: string): string => {
    if (!streams.includes(stream)) throw new RangeError(`unknown ${options.api} stream ${stream}`);
    return stream;
  };

  simulator = {
    api: options.api,
    baseUrl,
    port,
    options,
    config: v2Data ? v2Config(options.v2Keys.apiKey) : v1Config(options.credentials),
    noAccessConfig: v2Data ? v2Config(options.v2Keys.noAccessKey) : v1Config(options.noAccessCredentials),
    streams: streams as Simulator<ApiVersion>['streams'],
    stats: () => deps.stats.snapshot(),
    resetStats: () => deps.stats.reset(),
    truth: (stream) =>
      v2Data ? v2Data.truth(checked(stream) as V2StreamName) : dataset.truth(checked(stream) as StreamName),
    truthCount: (stream) =>
      v2Data ? v2Data.count(checked(stream) as V2StreamName) : dataset.count(checked(stream) as StreamName),
    mutate: {
      modifyOrders: (spec = {}) => apply({ op: 'modifyOrders', ...spec }),
      createOrders: (spec = {}) => apply({ op: 'createOrders', ...spec }),
      bulkEditOrders: (spec = {}) => apply({ op: 'bulkEditOrders', ...spec }),
      voidShipments: (spec = {}) => apply({ op: 'voidShipments', ...spec }),
      createShipments: (spec = {}) => apply({ op: 'createShipments', ...spec }),
      deleteOrders: (spec = {}) => apply({ op: 'deleteOrders', ...spec }),
      deleteCustomers: (spec = {}) => apply({ op: 'deleteCustomers', ...spec }),
      createCustomers: (spec = {}) => apply({ op: 'createCustomers', ...spec }),
      modifyCustomers: (spec = {}) => apply({ op: 'modifyCustomers', ...spec }),
      modifyProducts: (spec = {}) => apply({ op: 'modifyProducts', ...spec }),
      deleteProducts: (spec = {}) => apply({ op: 'deleteProducts', ...spec }),
      apply,
    },
    mutationLog: () => mutator.log(),
    schedule: (trigger, spec) => deps.scheduler.schedule(trigger, spec),
    setFaults: (update) => faults.configure(update),
    setPaging: (update) => deps.paging.configure(update),
    paging: () => deps.paging.settings,
    failNext: (spec) => faults.failNext(spec),
    clearFailNext: () => faults.clearPending(),
    consumeBudget: (apiKey, units) => {
      if (!Number.isInteger(units) || units < 0)
        throw new RangeError(`units must be a non-negative integer, got ${units}`);
      deps.limiter?.consume(apiKey, units);
    },
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        deps.scheduler.close();
        deps.timers.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
  return simulator;
}
