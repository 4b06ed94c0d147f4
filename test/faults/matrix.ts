// The fault matrix: each row runs the real CLI (dist/shipstation-source.js) against the in-process simulator under one kind
// of trouble (or all of them), then compares what came out with the simulator's ground truth. Every row runs
// against API v1 and, as `v2: <row>`, against the simulator's v2 mode (test/helpers/dialectHarness.ts): the same
// data, faults and changes seen through v2's streams (v1 orders are v2 shipments, v1 shipments v2 labels).
//
// What counts as complete:
// - incremental streams (v1 orders, shipments, fulfillments; v2 shipments, labels, fulfillments): the union of every run of the row, in order, the
//   latest emission per id winning (SIGKILL row: every killed run plus the resumed one; mutation rows: the
//   sync plus one following incremental sync);
// - full-refresh streams (v1 products, customers, stores, warehouses; v2 products, users, warehouses): the row's
//   last run alone, since every
//   full refresh must be a whole snapshot.
// "lost" = ids missing from that output + ids whose latest emitted version differs from the final truth.
import { isDeepStrictEqual } from 'node:util';
import type {
  FailNextSpec,
  FaultOptions,
  FilterBounds,
  LatencyModel,
  RateLimitOptions,
  SimulatorOptions,
  StreamCounts,
} from '../../src/simulator/index.js';
import { killAfterStates, runCli, traceErrors, type CliResult, type Message } from '../helpers/cli.js';
import { DAY_MS } from '../helpers/fakeClock.js';
import { lastStates, readArgs, recordsOf, statusesOf } from '../helpers/sim.js';
import { harness, type AnySimulator, type Api, type DialectHarness } from '../helpers/dialectHarness.js';
import { STREAMS } from '../../src/streams/definitions.js';

export type Scale = 'small' | 'full';

/** The streams every row syncs (a fixed list, so streams added later do not change what the matrix measures). */
export const INCREMENTAL_STREAMS = ['orders', 'shipments', 'fulfillments'];
export const FULL_REFRESH_STREAMS = ['products', 'customers', 'stores', 'warehouses'];
export const MATRIX_STREAMS = [...INCREMENTAL_STREAMS, ...FULL_REFRESH_STREAMS];

/** The streams a row syncs in each dialect: v2 has no customers or stores; its users list is paged. */
export const DIALECT_STREAMS: Record<Api, { incremental: string[]; fullRefresh: string[] }> = {
  v1: { incremental: INCREMENTAL_STREAMS, fullRefresh: FULL_REFRESH_STREAMS },
  v2: { incremental: ['shipments', 'labels', 'fulfillments'], fullRefresh: ['products', 'users', 'warehouses'] },
};
const streamsOf = (api: Api) => [...DIALECT_STREAMS[api].incremental, ...DIALECT_STREAMS[api].fullRefresh];

/** Where a row's targeted faults land in v2: the v2 endpoint serving the v1 one's data (or, for v1's lists v2
 * lacks, a v2 endpoint of the same kind: customers' paged products, stores' whole-list warehouses). */
const V2_PATHS: Record<string, string> = {
  '/orders': '/v2/shipments',
  '/shipments': '/v2/labels',
  '/fulfillments': '/v2/fulfillments',
  '/customers': '/v2/products',
  '/stores': '/v2/warehouses',
  '/warehouses': '/v2/warehouses',
};
const pathIn = (api: Api, path: string | undefined) => (api === 'v1' || path === undefined ? path : V2_PATHS[path]);
type Data = Record<string, unknown>;

// ---------------------------------------------------------------------------------------------------------
// Counting what was lost

export interface StreamTally {
  stream: string;
  expected: number;
  emitted: number;
  /** Ids in the truth that never arrived. */
  missing: unknown[];
  /** Ids whose latest emitted version is not the final one. */
  stale: unknown[];
  /** Emitted ids the truth does not know. */
  extra: unknown[];
  /** Emissions beyond one per id. */
  duplicates: number;
  lost: number;
}

const PK: Record<string, string> = Object.fromEntries(STREAMS.map((s) => [s.name, s.primaryKey[0]!]));

/** JSON form with sorted keys: what a destination would store, independent of key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Data).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/**
 * Compares emissions (in emission order) with the truth (id → record in the form the connector must emit);
 * `keyOf` gives a record's id (default: v1's one-field primary key).
 */
export function tally(
  stream: string,
  truth: Map<unknown, Data>,
  emissions: Data[],
  keyOf: (record: Data) => unknown = (record) => record[PK[stream] ?? 'id'],
): StreamTally {
  const latest = new Map<unknown, Data>();
  for (const record of emissions) latest.set(keyOf(record), record);
  const missing: unknown[] = [];
  const stale: unknown[] = [];
  for (const [id, want] of truth) {
    const got = latest.get(id);
    if (got === undefined) missing.push(id);
    else if (!isDeepStrictEqual(got, want) && canonical(got) !== canonical(want)) stale.push(id);
  }
  const extra = [...latest.keys()].filter((id) => !truth.has(id));
  return {
    stream,
    expected: truth.size,
    emitted: emissions.length,
    missing,
    stale,
    extra,
    duplicates: emissions.length - latest.size,
    lost: missing.length + stale.length,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Rows

/** What the server can lie about (src/simulator/README.md, "Server lies"). */
export type ServerLies = Pick<
  SimulatorOptions,
  'stampLagMs' | 'stampJitterMs' | 'dateOffsetMs' | 'unstableTies' | 'maxPageSize' | 'shortPageRate' | 'totalCap'
>;

export interface Row {
  name: string;
  /** The API read (default v1). */
  api?: Api;
  /** Runs in the small (npm test) matrix too. */
  small: boolean;
  /** Seeds in the full matrix (the small one runs the first). */
  seeds: number;
  sim?: {
    faults?: FaultOptions;
    rateLimit?: RateLimitOptions;
    filterBounds?: FilterBounds;
    latency?: LatencyModel;
  } & ServerLies;
  config?: Record<string, unknown>;
  /** Targeted faults queued before the first run, so even a short run meets each kind. */
  targeted?: FailNextSpec[];
  /** Bursts of `count` 429s during every run, `gapMs` apart (counted from the end of the previous burst). */
  storms?: { gapMs: number; count: number };
  /** Another application spending the key's budget on a timer. */
  otherApp?: { everyMs: number; units: number };
  /** Orders modified/created/bulk-edited and shipments voided/created while the sync runs; then a follow-up sync. */
  mutations?: boolean;
  /**
   * Orders and customers deleted while the sync runs: pages shift back. Alone (without `mutations`) nothing is
   * stamped, so the one sync must deliver every record left.
   */
  deletions?: boolean;
  /** SIGKILL this many runs (at most 3 in the small matrix) at random moments, each resuming from the previous STATEs; then one run to the end. */
  kills?: number;
  /** After `afterRequests` orders requests, /orders answers 503 until the first run gives up (exit 1); then resume. */
  outage?: { afterRequests: number };
}

const FIVE_XX: FaultOptions = { rates: { error500: 0.03, error502: 0.03, error503: 0.02 }, htmlShare: 0.5 };

/**
 * The server's lies (issue #20), each read all at once and strictly in order, with changes during the sync and a
 * follow-up sync (the simulator's config carries the settle margin its stamp lies need). A Date header ahead of
 * the stamps puts changes made during the sync inside its window, where one the sync has passed is passed by for
 * good (the stated cost, test/integration/date-header.test.ts): that row deletes only, which stamps nothing. The
 * full matrix runs them all; `npm test` runs only the row of all lies at once, one seed.
 */
function lieRows(): Row[] {
  const lies: Array<{ name: string; sim: ServerLies; changes: Pick<Row, 'mutations' | 'deletions'> }> = [
    { name: 'stamps 2 s behind', sim: { stampLagMs: 2000 }, changes: { mutations: true } },
    {
      name: 'stamps out of commit order (2 s lag + 2 s jitter)',
      sim: { stampLagMs: 2000, stampJitterMs: 2000 },
      changes: { mutations: true },
    },
    { name: 'Date header 10 min behind', sim: { dateOffsetMs: -600_000 }, changes: { mutations: true } },
    { name: 'Date header 10 min ahead, deletions', sim: { dateOffsetMs: 600_000 }, changes: { deletions: true } },
    { name: 'unstable ties', sim: { unstableTies: true }, changes: { mutations: true } },
    { name: 'deletions', sim: {}, changes: { mutations: true, deletions: true } },
    { name: 'short pages 30%', sim: { shortPageRate: 0.3 }, changes: { mutations: true } },
    // Above the bulk edit's second (150 orders, with the others changed in the same second about 200): a second
    // holding more rows than the total shows cannot be counted, and the reader stops there rather than guess.
    { name: 'total capped at 300', sim: { totalCap: 300 }, changes: { mutations: true } },
  ];
  const modes = [
    { suffix: '', config: {} },
    { suffix: ', read strictly in order', config: { max_parallel_slices: 1 } },
  ];
  return lies.flatMap(({ name, sim, changes }) =>
    modes.map(({ suffix, config }) => ({
      name: `lie: ${name}${suffix}`,
      small: false,
      seeds: 3,
      sim,
      ...changes,
      config,
    })),
  );
}

export const ROWS: Row[] = [
  { name: 'baseline (no faults)', small: true, seeds: 2 },
  {
    name: '5xx 8% (500/502/503, half HTML)',
    small: true,
    seeds: 5,
    sim: { faults: FIVE_XX },
    targeted: [
      { kind: 'error500', path: '/orders' },
      { kind: 'error502', path: '/shipments', html: true },
      { kind: 'error503', path: '/customers', html: false },
    ],
  },
  {
    name: '5xx burst: 3 in a row on /orders',
    small: false,
    seeds: 3,
    targeted: [{ kind: 'error502', count: 3, path: '/orders', html: true }],
  },
  {
    name: 'connection resets 10%',
    small: true,
    seeds: 5,
    sim: { faults: { rates: { reset: 0.1 } } },
    targeted: [
      { kind: 'reset', path: '/orders' },
      { kind: 'reset', path: '/warehouses' },
    ],
  },
  {
    name: 'truncated bodies 10%',
    small: true,
    seeds: 5,
    sim: { faults: { rates: { truncate: 0.1 } } },
    targeted: [
      { kind: 'truncate', path: '/orders' },
      { kind: 'truncate', path: '/fulfillments' },
      { kind: 'truncate', path: '/stores' },
    ],
  },
  {
    name: '429 storms (10 at start, bursts of 4)',
    small: true,
    seeds: 3,
    targeted: [{ kind: 'rateLimit', count: 10 }],
    storms: { gapMs: 2000, count: 4 },
  },
  {
    name: 'tight budget 15/2s + other app',
    small: false,
    seeds: 3,
    sim: { rateLimit: { limit: 15, windowMs: 2000 } },
    otherApp: { everyMs: 400, units: 2 },
  },
  {
    name: 'slow bodies 30% + latency 20%',
    small: true,
    seeds: 3,
    sim: { faults: { rates: { slowBody: 0.3, latency: 0.2 }, slowBodyChunks: 5, slowBodyDelayMs: 80, latencyMs: 300 } },
  },
  {
    name: 'slow body > 5 s timeout 4%',
    small: false,
    seeds: 3,
    config: { request_timeout_seconds: 5 },
    sim: { faults: { rates: { slowBody: 0.04 }, slowBodyChunks: 4, slowBodyDelayMs: 2000 } },
    targeted: [{ kind: 'slowBody', path: '/orders' }],
  },
  { name: 'mutations during the sync', small: true, seeds: 5, mutations: true },
  {
    name: 'mutations, read strictly in order',
    // npm test holds this way under mutations in test/integration/incremental-change.test.ts.
    small: false,
    seeds: 3,
    mutations: true,
    config: { max_parallel_slices: 1 },
  },
  {
    name: 'mutations, exclusive whole-second filters',
    // npm test holds this way under mutations in test/integration/incremental-change.test.ts.
    small: false,
    seeds: 3,
    mutations: true,
    sim: { filterBounds: 'exclusiveSeconds' },
  },
  {
    name: 'SIGKILL + resume',
    small: true,
    seeds: 3,
    kills: 5,
    // Every response 25 ms late: runs last long enough to be killed at varied points.
    sim: { faults: { rates: { latency: 1 }, latencyMs: 25 } },
  },
  {
    name: 'SIGKILL + resume, read strictly in order',
    small: false,
    seeds: 2,
    kills: 5,
    config: { max_parallel_slices: 1 },
    sim: { faults: { rates: { latency: 1 }, latencyMs: 25 } },
  },
  {
    name: 'SIGKILL + resume, pages of 150–400 ms',
    small: false,
    seeds: 2,
    kills: 5,
    // Responses that take as long as a real page, scaled down: many requests in flight at each kill.
    sim: { latency: { baseMs: 150, perRecordMs: 2 }, filterBounds: 'exclusive' },
  },
  {
    name: 'outage > max_retry_seconds, resume',
    small: false,
    seeds: 2,
    outage: { afterRequests: 4 },
    // The row expects the first run to fail: a short retry budget keeps it quick.
    config: { max_retry_seconds: 10 },
  },
  {
    name: 'everything (+ mutations)',
    small: true,
    seeds: 5,
    sim: {
      faults: {
        rates: { error500: 0.02, error502: 0.015, error503: 0.015, reset: 0.02, truncate: 0.01 },
        htmlShare: 0.5,
      },
    },
    targeted: [
      { kind: 'rateLimit', count: 4 },
      { kind: 'error503', path: '/orders', html: true },
      { kind: 'reset', path: '/shipments' },
      { kind: 'truncate', path: '/customers' },
    ],
    storms: { gapMs: 2500, count: 4 },
    mutations: true,
  },
  // Appended after the rows above, so their seeds (derived from a row's index) stay what they were.
  ...lieRows(),
  {
    // npm test's one cheap seed of the lies. Short pages are left to their own rows (full matrix only): a short
    // page holding only rows already read ends a keyset range early (reported with the rows).
    name: 'lies at once: stamps out of order, Date behind, unstable ties, capped total, deletions (+ mutations)',
    small: true,
    seeds: 5,
    sim: { stampLagMs: 1000, stampJitterMs: 2000, dateOffsetMs: -120_000, unstableTies: true, totalCap: 300 },
    mutations: true,
    deletions: true,
  },
];

/**
 * The v1 rows that `npm test` also runs against v2 (one seed each): changes during the sync, kill -9 and resume,
 * and the lies at once, where the two APIs' readers differ. 5xx and 429s take the same client path in both (v2's
 * 429s and Retry-After are held in test/integration/v2.test.ts); every row runs for both dialects under
 * FAULT_MATRIX=full.
 */
const V2_SMALL = new Set([
  'mutations during the sync',
  'SIGKILL + resume',
  'lies at once: stamps out of order, Date behind, unstable ties, capped total, deletions (+ mutations)',
]);

/** Every row again against API v2, named so the printed matrix shows the dialect. */
export const V2_ROWS: Row[] = ROWS.map((row) => ({
  ...row,
  api: 'v2',
  name: `v2: ${row.name}`,
  small: V2_SMALL.has(row.name),
  ...(row.targeted ? { targeted: row.targeted.map((t) => ({ ...t, path: pathIn('v2', t.path) })) } : {}),
}));

export interface ScaleSettings {
  counts: Partial<StreamCounts>;
  pageSize: number;
  /** Seeds run at once (runs mostly wait on backoff timers). */
  parallel: number;
}

export const SCALES: Record<Scale, ScaleSettings> = {
  small: {
    counts: { orders: 500, shipments: 300, fulfillments: 100, products: 60, customers: 80, stores: 3, warehouses: 2 },
    pageSize: 50,
    parallel: 1,
  },
  full: {
    counts: {
      orders: 2500,
      shipments: 1200,
      fulfillments: 300,
      products: 200,
      customers: 400,
      stores: 5,
      warehouses: 3,
    },
    pageSize: 100,
    parallel: 2,
  },
};

export function rowsFor(scale: Scale): Row[] {
  const all = [...ROWS, ...V2_ROWS];
  return scale === 'full' ? all : all.filter((r) => r.small);
}

export function seedsFor(row: Row, scale: Scale): number[] {
  const n = scale === 'full' ? row.seeds : 1;
  // A v2 row takes its v1 row's seeds: the same data and draws, seen through the other API.
  const index = row.api === 'v2' ? V2_ROWS.indexOf(row) : ROWS.indexOf(row);
  const base = 1 + index * 100;
  return Array.from({ length: n }, (_, i) => base + i);
}

// ---------------------------------------------------------------------------------------------------------
// Running one row with one seed

export interface RunResult {
  row: string;
  seed: number;
  /** Exit code of each CLI run in order (null = killed). */
  exits: Array<number | null>;
  finalExit: number | null;
  kills: number;
  lost: number;
  missing: number;
  stale: number;
  extra: number;
  /** Duplicate emissions in the compared output (incremental union + last full refresh). */
  duplicates: number;
  /** Records in the truth (all streams). */
  records: number;
  requests: number;
  /** Injected faults (5xx, resets, truncations, slow bodies, latency, 429 storms). */
  faults: number;
  /** Every 429 sent (storms and the limiter). */
  rateLimited: number;
  mutations: number;
  /** Sum of the CLI runs' durations. */
  wallMs: number;
  /** What went wrong beyond the numbers above (expected exit codes, statuses…); empty when fine. */
  problems: string[];
  tallies: StreamTally[];
}

const catalogOf = (h: DialectHarness) =>
  h.catalog(
    streamsOf(h.api).map((name) => ({
      name,
      mode: DIALECT_STREAMS[h.api].incremental.includes(name) ? ('incremental' as const) : ('full_refresh' as const),
    })),
  );
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Previous STATEs overlaid with a run's latest ones (a killed run may not have checkpointed every stream). */
function mergeStates(previous: unknown[], messages: Message[]): unknown[] {
  const name = (s: unknown) => (s as { stream: { stream_descriptor: { name: string } } }).stream.stream_descriptor.name;
  const merged = new Map(previous.map((s) => [name(s), s]));
  for (const s of lastStates(messages)) merged.set(name(s), s);
  return [...merged.values()];
}

/** Mutations spread over the first ~70 % of a sync's requests (`requests` = a fault-free sync's count). */
function scheduleMutations(sim: AnySimulator, requests: number) {
  const at = (share: number, spec: Parameters<AnySimulator['schedule']>[1]) =>
    sim.schedule({ atRequest: Math.max(1, Math.round(share * requests)) }, spec);
  return [
    at(0.05, { op: 'modifyOrders', count: 12 }),
    at(0.12, { op: 'createOrders', count: 6 }),
    at(0.2, { op: 'modifyOrders', count: 12 }),
    at(0.25, { op: 'voidShipments', count: 5 }),
    at(0.3, { op: 'createShipments', count: 5 }),
    at(0.4, { op: 'bulkEditOrders', count: 150 }),
    at(0.5, { op: 'modifyOrders', count: 12 }),
    at(0.6, { op: 'voidShipments', count: 4 }),
    at(0.7, { op: 'modifyOrders', count: 12 }),
  ];
}

/** Orders and customers deleted over the same stretch of the sync as the other changes. */
function scheduleDeletions(sim: AnySimulator, requests: number) {
  const at = (share: number, spec: Parameters<AnySimulator['schedule']>[1]) =>
    sim.schedule({ atRequest: Math.max(1, Math.round(share * requests)) }, spec);
  return [
    at(0.08, { op: 'deleteOrders', count: 3 }),
    at(0.22, { op: 'deleteCustomers', count: 2 }),
    at(0.45, { op: 'deleteOrders', count: 4 }),
    at(0.55, { op: 'deleteCustomers', count: 3 }),
    at(0.65, { op: 'deleteOrders', count: 3 }),
  ];
}

/**
 * Requests of a fault-free sync of v1's MATRIX_STREAMS: one per page, plus the empty page after an exact multiple.
 * A v2 sync reads the same data in about as many (v2's streams are views of the same counts), so changes are
 * scheduled at the same request numbers.
 */
function syncRequests(settings: ScaleSettings): number {
  return MATRIX_STREAMS.reduce((n, s) => {
    const count = settings.counts[s as keyof StreamCounts] ?? 0;
    return n + (['stores', 'warehouses'].includes(s) ? 1 : Math.floor(count / settings.pageSize) + 1);
  }, 0);
}

export async function runRow(row: Row, seed: number, scale: Scale): Promise<RunResult> {
  const settings = SCALES[scale];
  // A row whose server stamps or dates behind the clock runs on a clock a day behind this machine's, so its
  // Date header alone ends each window, and moves it past the margin before the follow-up sync (no sleeping).
  const clockLies = Boolean(row.sim?.stampLagMs || row.sim?.stampJitterMs || row.sim?.dateOffsetMs);
  let jumped = 0;
  const clock = clockLies ? { clock: () => Date.now() - DAY_MS + jumped } : {};
  const h = harness(row.api ?? 'v1');
  const streams = streamsOf(h.api);
  const incremental = DIALECT_STREAMS[h.api].incremental;
  const ordersPath = h.path(h.orders);
  const sim = await h.simulator({ seed, counts: settings.counts, ...row.sim, ...clock });
  const timers: NodeJS.Timeout[] = [];
  const problems: string[] = [];
  const runs: CliResult[] = [];
  let wallMs = 0;
  let kills = 0;
  const config = { page_size: settings.pageSize, ...row.config };
  const run = async (state: unknown[] | undefined, onStdout?: (chunk: string, pid: number) => void) => {
    const started = Date.now();
    const r = await runCli(readArgs(sim, catalogOf(h), { config, ...(state ? { state } : {}) }), {
      timeoutMs: scale === 'full' ? 240_000 : 50_000,
      ...(onStdout ? { onStdout } : {}),
    });
    wallMs += Date.now() - started;
    runs.push(r);
    return r;
  };
  try {
    // v2 rows' targeted paths are v2's already (V2_ROWS).
    for (const spec of row.targeted ?? []) sim.failNext(spec);
    if (row.storms) {
      // Bursts, not an endless storm: the next burst is queued only `gapMs` after the previous one was served
      // (queued 429s would otherwise pile up as fast as a client held back by them can drain them).
      const { gapMs, count } = row.storms;
      let queued = (row.targeted ?? []).filter((t) => t.kind === 'rateLimit').reduce((n, t) => n + (t.count ?? 1), 0);
      let drainedAt: number | undefined;
      timers.push(
        setInterval(() => {
          if ((sim.stats().faults.rateLimit ?? 0) < queued) return;
          drainedAt ??= Date.now();
          if (Date.now() - drainedAt < gapMs) return;
          sim.failNext({ kind: 'rateLimit', count });
          queued += count;
          drainedAt = undefined;
        }, 20),
      );
    }
    if (row.otherApp) {
      const { everyMs, units } = row.otherApp;
      timers.push(setInterval(() => sim.consumeBudget(sim.config.api_key, units), everyMs));
    }

    if (row.kills) {
      const target = scale === 'full' ? row.kills : Math.min(3, row.kills);
      let state: unknown[] = [];
      let x = seed;
      const rand = () => (x = (x * 48271) % 2147483647) / 2147483647;
      // Each run is killed after a random number (1–4) of its STATE messages, with pages still in flight.
      for (let attempt = 0; attempt < 40 && kills < target; attempt++) {
        const r = await run(state, killAfterStates(1 + Math.floor(rand() * 4)));
        state = mergeStates(state, r.messages);
        if (r.signal === 'SIGKILL') kills++;
        else if (r.code !== 0) problems.push(`a run before the kills ended exited ${r.code}`);
      }
      if (kills < target) problems.push(`only ${kills} of ${target} runs could be killed`);
      const last = await run(state);
      if (last.code !== 0)
        problems.push(
          `resumed run exited ${last.code}: ${traceErrors(last.messages)
            .map((e) => e.message)
            .join('; ')}`,
        );
    } else if (row.outage) {
      const { afterRequests } = row.outage;
      const poll = setInterval(() => {
        if ((sim.stats().byPath[ordersPath] ?? 0) >= afterRequests) {
          sim.failNext({ kind: 'error503', count: 1_000_000, path: ordersPath });
          clearInterval(poll);
        }
      }, 5);
      timers.push(poll);
      const first = await run(undefined);
      clearInterval(poll);
      sim.clearFailNext();
      if (first.code !== 1) problems.push(`run during the outage exited ${first.code}, expected 1`);
      if (statusesOf(first.messages, h.orders).at(-1) !== 'INCOMPLETE')
        problems.push(`${h.orders} not INCOMPLETE during the outage`);
      for (const s of streams.filter((n) => n !== h.orders)) {
        if (statusesOf(first.messages, s).at(-1) !== 'COMPLETE')
          problems.push(`${s} not COMPLETE while only ${ordersPath} was down`);
      }
      const errors = traceErrors(first.messages);
      if (!errors.some((e) => e.failure_type === 'transient_error'))
        problems.push('no transient_error TRACE for the outage');
      const second = await run(lastStates(first.messages));
      if (second.code !== 0) problems.push(`resumed run exited ${second.code}`);
      // Resuming continues from the checkpoint: at most one page read again.
      const before = new Set(recordsOf(first.messages, h.orders).map((o) => h.keyOf(o, h.orders)));
      const reread = recordsOf(second.messages, h.orders).filter((o) => before.has(h.keyOf(o, h.orders))).length;
      if (reread > settings.pageSize) problems.push(`resume re-read ${reread} ${h.orders} (> one page)`);
      if (before.size === 0) problems.push(`the outage began before any ${h.orders} were read`);
    } else {
      const requests = syncRequests(settings);
      const handles = [
        ...(row.mutations ? scheduleMutations(sim, requests) : []),
        ...(row.deletions ? scheduleDeletions(sim, requests) : []),
      ];
      const first = await run(undefined);
      if (first.code !== 0)
        problems.push(
          `sync exited ${first.code}: ${traceErrors(first.messages)
            .map((e) => e.message)
            .join('; ')}`,
        );
      for (const h of handles) h.cancel();
      if (row.mutations) {
        // Changes made during the sync must precede the next sync's window end (one-second resolution), which
        // lies the settle margin, and a Date header's lag, before ShipStation's clock.
        const margin = sim.config.settle_seconds * 1000 + Math.max(0, -(row.sim?.dateOffsetMs ?? 0));
        if (clockLies) jumped += margin + 1100;
        else await sleep(margin + 1100);
        const second = await run(lastStates(first.messages));
        if (second.code !== 0)
          problems.push(
            `follow-up sync exited ${second.code}: ${traceErrors(second.messages)
              .map((e) => e.message)
              .join('; ')}`,
          );
      }
    }
  } finally {
    for (const t of timers) clearInterval(t);
  }

  const last = runs.at(-1)!;
  // A record deleted after it was read was emitted while it existed: not an unknown id (a deletion is invisible
  // to an incremental sync, and a full refresh may have read it before it went).
  const deletedBy = (op: string) =>
    new Set(
      sim
        .mutationLog()
        .filter((m) => m.op === op)
        .flatMap((m) => h.changedIds(m)),
    );
  const deleted = new Map<string, Set<unknown>>([
    [h.orders, deletedBy('deleteOrders')],
    ['customers', h.api === 'v1' ? deletedBy('deleteCustomers') : new Set()],
  ]);
  const tallies = streams.map((stream) => {
    const emissions = incremental.includes(stream)
      ? runs.flatMap((r) => recordsOf(r.messages, stream))
      : recordsOf(last.messages, stream);
    const truth = h.truth(sim, stream);
    const t = tally(stream, truth, emissions, (record) => h.keyOf(record, stream));
    return { ...t, extra: t.extra.filter((id) => !deleted.get(stream)?.has(id)) };
  });
  const stats = sim.stats();
  const mutations = sim.mutationLog().length;
  if ((row.mutations || row.deletions) && mutations === 0) problems.push('no mutation fired during the sync');
  const sum = (f: (t: StreamTally) => number) => tallies.reduce((n, t) => n + f(t), 0);
  await sim.close();
  return {
    row: row.name,
    seed,
    exits: runs.map((r) => r.code),
    finalExit: last.code,
    kills,
    lost: sum((t) => t.lost),
    missing: sum((t) => t.missing.length),
    stale: sum((t) => t.stale.length),
    extra: sum((t) => t.extra.length),
    duplicates: sum((t) => t.duplicates),
    records: sum((t) => t.expected),
    requests: stats.requests,
    faults: Object.values(stats.faults).reduce((n, v) => n + v, 0),
    rateLimited: stats.rateLimited,
    mutations,
    wallMs,
    problems,
    tallies,
  };
}

/** Runs `jobs` with at most `parallel` at once, results in job order. */
export async function pool<T>(jobs: Array<() => Promise<T>>, parallel: number): Promise<T[]> {
  const results: T[] = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await jobs[i]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, jobs.length) }, worker));
  return results;
}

/** One line per stream that lost something, for failure messages. */
export function lossDetails(result: RunResult): string[] {
  return result.tallies
    .filter((t) => t.lost > 0 || t.extra.length > 0)
    .map(
      (t) =>
        `${t.stream}: missing ${t.missing.length} ${JSON.stringify(t.missing.slice(0, 5))}, stale ${t.stale.length} ${JSON.stringify(t.stale.slice(0, 5))}, extra ${t.extra.length}`,
    );
}

// ---------------------------------------------------------------------------------------------------------
// The printed matrix

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? 0 : s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const range = (xs: number[], fmt: (n: number) => string = String) => {
  const lo = Math.min(...xs);
  const hi = Math.max(...xs);
  return lo === hi ? fmt(lo) : `${fmt(lo)}-${fmt(hi)}`;
};

export function formatMatrix(results: RunResult[], scale: Scale): string {
  const settings = SCALES[scale];
  const byRow = new Map<string, RunResult[]>();
  for (const r of results) byRow.set(r.row, [...(byRow.get(r.row) ?? []), r]);
  const header = [
    'row',
    'seeds',
    'exit',
    'lost',
    'dup',
    'records',
    'requests',
    'faults',
    '429s',
    'mut',
    'wall s (med/max)',
    'ok',
  ];
  const lines = [...byRow.entries()].map(([row, rs]) => [
    row,
    String(rs.length),
    [...new Set(rs.map((r) => (r.kills ? `${r.kills}k>${r.finalExit}` : r.exits.join('>'))))].join(','),
    String(rs.reduce((n, r) => n + r.lost, 0)),
    range(rs.map((r) => r.duplicates)),
    range(rs.map((r) => r.records)),
    range(rs.map((r) => r.requests)),
    range(rs.map((r) => r.faults)),
    range(rs.map((r) => r.rateLimited)),
    range(rs.map((r) => r.mutations)),
    `${(median(rs.map((r) => r.wallMs)) / 1000).toFixed(1)}/${(Math.max(...rs.map((r) => r.wallMs)) / 1000).toFixed(1)}`,
    rs.every((r) => r.lost === 0 && r.finalExit === 0 && r.problems.length === 0) ? 'PASS' : 'FAIL',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const counts = Object.entries(settings.counts)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  const problems = results
    .filter((r) => r.problems.length || r.lost)
    .map((r) => `  ${r.row} seed ${r.seed}: ${[...r.problems, ...lossDetails(r)].join(' | ')}`);
  return [
    '',
    `fault matrix (${scale}): ${counts}; page_size ${settings.pageSize}; v1: incremental orders/shipments/fulfillments + full-refresh products/customers/stores/warehouses; v2 (rows "v2: …", the same data): incremental shipments/labels/fulfillments + full-refresh products/users/warehouses`,
    'exit = exit codes of the runs in order (Nk>E = N runs SIGKILLed, then the exit of the resumed run); lost = missing or stale records over all seeds; voids of shipments and labels of any age count as lost when missed (no re-scan window is set: the void pass reads them); dup = duplicate emissions per seed',
    fmt(header),
    fmt(widths.map((w) => '-'.repeat(w))),
    ...lines.map(fmt),
    ...(problems.length ? ['problems:', ...problems] : []),
    '',
  ].join('\n');
}
