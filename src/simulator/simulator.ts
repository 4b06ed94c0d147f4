// Starts the simulator: builds the dataset and wires options, faults, rate limiter, paging lies, stats and
// scheduler into one HTTP server on 127.0.0.1, and returns the Simulator handle tests drive in process (the same
// operations the /__sim/ control endpoints offer over HTTP), with connector configs whose settle margin covers the lag.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleApiRequest, type ApiDeps } from './apiPipeline.js';
import { CONTROL_PREFIX, handleControlRequest } from './controlRoutes.js';
import { Dataset } from './dataset.js';
import { v1Dialect } from './dialect.js';
import { FaultInjector, type FailNextSpec } from './faults.js';
import { Mutator, type MutationResult, type MutationSpec } from './mutations.js';
import {
  resolveOptions,
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
import type { StreamName } from './streams/pagedStream.js';

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
  /** Any of the above, described as data (what POST /__sim/mutate takes). */
  apply(spec: MutationSpec): MutationResult;
}

export interface Simulator {
  /** `http://127.0.0.1:<port>` */
  readonly baseUrl: string;
  readonly port: number;
  readonly options: ResolvedOptions;
  /** Default account: valid key and secret. */
  readonly config: ConnectorConfig;
  /** Valid key and secret of an account without API access (every API call → 403). */
  readonly noAccessConfig: ConnectorConfig;
  stats(): StatsSnapshot;
  resetStats(): void;
  /** Current records in API form (includeShipmentItems=true, showInactive=true), in id order; deleted ones are gone. */
  truth(stream: StreamName): Generator<ApiRecord, void, undefined>;
  truthCount(stream: StreamName): number;
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

export async function startSimulator(input: SimulatorOptions = {}): Promise<Simulator> {
  const options = resolveOptions(input);
  const dataset = new Dataset(options);
  const mutator = new Mutator(dataset, options.clock, options.seed, {
    lagMs: options.stampLagMs,
    jitterMs: options.stampJitterMs,
  });
  const faults = new FaultInjector(options.faults, options.seed);
  const deps: ApiDeps = {
    dialect: v1Dialect(dataset, options),
    options,
    limiter: options.rateLimit ? new FixedWindowLimiter(options.rateLimit, options.clock) : null,
    faults,
    paging: new PagingControl(options, options.seed),
    stats: new Stats(options.timelineLimit),
    scheduler: new Scheduler(mutator),
    timers: new PendingTimers(),
  };

  // Assigned before the first request can arrive (listening resolves before any connection is handled).
  let simulator!: Simulator;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if ((req.url ?? '').startsWith(CONTROL_PREFIX)) void handleControlRequest(req, res, simulator);
    else handleApiRequest(req, res, deps);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const baseUrl = `http://${HOST}:${port}`;
  const apply = (spec: MutationSpec): MutationResult => mutator.apply(spec);
  const lag = options.stampLagMs + options.stampJitterMs;
  const settleSeconds = lag === 0 ? 0 : Math.ceil(lag / 1000) + 1;
  let closing: Promise<void> | null = null;

  simulator = {
    baseUrl,
    port,
    options,
    config: {
      api_key: options.credentials.apiKey,
      api_secret: options.credentials.apiSecret,
      base_url: baseUrl,
      settle_seconds: settleSeconds,
    },
    noAccessConfig: {
      api_key: options.noAccessCredentials.apiKey,
      api_secret: options.noAccessCredentials.apiSecret,
      base_url: baseUrl,
      settle_seconds: settleSeconds,
    },
    stats: () => deps.stats.snapshot(),
    resetStats: () => deps.stats.reset(),
    truth: (stream) => dataset.truth(stream),
    truthCount: (stream) => dataset.count(stream),
    mutate: {
      modifyOrders: (spec = {}) => apply({ op: 'modifyOrders', ...spec }),
      createOrders: (spec = {}) => apply({ op: 'createOrders', ...spec }),
      bulkEditOrders: (spec = {}) => apply({ op: 'bulkEditOrders', ...spec }),
      voidShipments: (spec = {}) => apply({ op: 'voidShipments', ...spec }),
      createShipments: (spec = {}) => apply({ op: 'createShipments', ...spec }),
      deleteOrders: (spec = {}) => apply({ op: 'deleteOrders', ...spec }),
      deleteCustomers: (spec = {}) => apply({ op: 'deleteCustomers', ...spec }),
      createCustomers: (spec = {}) => apply({ op: 'createCustomers', ...spec }),
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
