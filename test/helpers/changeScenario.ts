// Orders changed while an incremental sync runs, then the next sync, on a simulator clock the test moves: the
// scenario of the clock tests (test/integration/stamp-order.test.ts, date-header.test.ts). The clock stands a day
// behind this machine's, so ShipStation's Date header alone ends each window; between the syncs it jumps past the
// settle margin. Changes are scheduled at request counts, so a seed changes the same orders on every run. With
// `api: 'v2'` the same changes are read as API v2 shipments (dialectHarness.ts).
import type { MutationResult, SimulatorOptions } from '../../src/simulator/index.js';
import { killAfterStates, runCli, type CliResult } from './cli.js';
import { dayBehind, fakeClock, type FakeClock } from './fakeClock.js';
import { configuredCatalog, lastStates, readArgs, recordsOf, type Simulator } from './sim.js';
import { harness, type AnySimulator, type Api, type DialectHarness } from './dialectHarness.js';
import { tally, type StreamTally } from '../faults/matrix.js';

export const ORDERS_INCREMENTAL = configuredCatalog([{ name: 'orders', mode: 'incremental' }]);

/** The two ways of reading a stream: pages fetched at once (the default) and strictly in order. */
export const MODES = [
  { mode: 'pages fetched at once', config: {} },
  { mode: 'strictly in order', config: { max_parallel_slices: 1 } },
] as const;

/** Seeds beyond the first run only with FAULT_MATRIX=full (npm run test:faults). */
export function moreSeeds(...seeds: number[]): number[] {
  return process.env.FAULT_MATRIX === 'full' ? seeds : [];
}

export interface ChangeScenario {
  seed: number;
  /** The API read (default v1): v1 orders, or the same orders as v2 shipments. */
  api?: Api;
  /** The first sync is killed (SIGKILL) after this many STATEs, then resumed from them to its end. */
  killAfterStates?: number;
  /** The server's lies (stamp lag and jitter, Date offset). */
  lies?: Pick<SimulatorOptions, 'stampLagMs' | 'stampJitterMs' | 'dateOffsetMs'>;
  /** The days the generated orders span (default: the simulator's, years before the clock). */
  dateRange?: SimulatorOptions['dateRange'];
  /** Where the simulator's clock starts (default: a day behind this machine's); it must lie in this machine's past. */
  clockStartMs?: number;
  /** Over the simulator's config (which carries the margin its lies need): mode, settle_seconds… */
  config?: Record<string, unknown>;
  /** The clock moves this much with each API request while the syncs run (0: it stands still during a sync). */
  msPerRequest?: number;
  /** How far the clock jumps between the two syncs. */
  jumpMs: number;
  /** Orders modified between the syncs, this far into the jump (a server stamping behind writes them behind the first window's end). */
  between?: { afterMs: number; count: number };
  /** Some of the changes are deletions (pages shift back as well as forward). */
  deletions?: boolean;
  /** Every third request also moves 8 orders at once: pages answered on either side shift by more than a fan's overlap. */
  bursts?: boolean;
}

export interface ScenarioRun {
  /** v1's simulator type, which the v1 suites use; a v2 scenario's is a Simulator<'v2'> (`h` tells). */
  sim: Simulator;
  h: DialectHarness;
  clock: FakeClock;
  /** The simulator's clock when the first sync started. */
  startedAt: number;
  /** The first sync (with `killAfterStates`: the killed run's messages followed by its resumption's). */
  first: CliResult;
  /** With `killAfterStates`: whether the first run was killed. */
  killed?: boolean;
  second: CliResult;
  /** What happened to the data while the first sync ran. */
  mutations: readonly MutationResult[];
  /** Orders created, modified or deleted while the first sync ran (the dialect's ids). */
  changed: Set<unknown>;
  /** Orders modified between the syncs. */
  changedBetween: readonly unknown[];
}

const ORDERS = 300;
const PAGE_SIZE = 25;
/** Changes land just before requests 2…LAST of the first sync (a sync reads 300 orders in 12–20 requests). */
const LAST_CHANGE = 40;

export async function runChangeScenario(s: ChangeScenario): Promise<ScenarioRun> {
  const h = harness(s.api ?? 'v1');
  const catalog = h.api === 'v1' ? ORDERS_INCREMENTAL : h.catalog([{ name: h.orders, mode: 'incremental' }]);
  const clock = s.clockStartMs === undefined ? dayBehind() : fakeClock(s.clockStartMs);
  const sim = await h.simulator({
    seed: s.seed,
    counts: { orders: ORDERS, shipments: 5, fulfillments: 5 },
    clock: clock.now,
    ...s.lies,
    ...(s.dateRange ? { dateRange: s.dateRange } : {}),
  });
  if (s.msPerRequest) clock.tick(s.msPerRequest, () => sim.stats().requests);
  try {
    const handles = [];
    for (let k = 2; k <= LAST_CHANGE; k++) {
      const op = k % 5 === 0 ? 'createOrders' : s.deletions && k % 7 === 0 ? 'deleteOrders' : 'modifyOrders';
      handles.push(sim.schedule({ atRequest: k }, { op, count: op === 'deleteOrders' ? 1 : 2 }));
      if (s.bursts && k % 3 === 0)
        handles.push(sim.schedule({ atRequest: k }, { op: k % 2 === 0 ? 'deleteOrders' : 'modifyOrders', count: 8 }));
    }
    const config = { page_size: PAGE_SIZE, ...s.config };
    const startedAt = clock.now();
    let first = await runCli(readArgs(sim, catalog, { config }), {
      ...(s.killAfterStates ? { onStdout: killAfterStates(s.killAfterStates) } : {}),
    });
    const killed = first.signal === 'SIGKILL';
    if (s.killAfterStates) {
      // The resumed run is the rest of the first sync: changes go on landing during it.
      const resumed = await runCli(readArgs(sim, catalog, { config, state: lastStates(first.messages) }));
      first = { ...resumed, messages: [...first.messages, ...resumed.messages] };
    }
    // Changes still scheduled would land during the next sync: this scenario changes data during the first only.
    for (const h of handles) h.cancel();
    const mutations = [...sim.mutationLog()];
    clock.advance(s.between?.afterMs ?? 0);
    if (s.between) sim.mutate.modifyOrders({ count: s.between.count });
    clock.advance(s.jumpMs - (s.between?.afterMs ?? 0));
    const second = await runCli(readArgs(sim, catalog, { config, state: lastStates(first.messages) }));
    return {
      sim: sim as Simulator,
      h,
      clock,
      startedAt,
      first,
      ...(s.killAfterStates ? { killed } : {}),
      second,
      mutations,
      changed: new Set(mutations.flatMap((m) => h.changedIds(m))),
      changedBetween: sim
        .mutationLog()
        .slice(mutations.length)
        .flatMap((m) => h.changedIds(m)),
    };
  } catch (err) {
    await sim.close();
    throw err;
  }
}

/** The truth of the changed stream (v1 orders, v2 shipments) and a record's key in it. */
function ordersOf(run: ScenarioRun) {
  const { h } = run;
  return {
    truth: h.truth(run.sim as AnySimulator, h.orders),
    keyOf: (record: Record<string, unknown>) => h.keyOf(record, h.orders),
  };
}

/** Orders missing or stale in the latest emission over both syncs (against the final truth). */
export function lostOverBoth(run: ScenarioRun): StreamTally {
  const { truth, keyOf } = ordersOf(run);
  const name = run.h.orders;
  return tally(name, truth, [...recordsOf(run.first.messages, name), ...recordsOf(run.second.messages, name)], keyOf);
}

/** Orders no change touched that the first sync did not deliver in their (only) version. */
export function unchangedLostByFirst(run: ScenarioRun): StreamTally {
  const { truth, keyOf } = ordersOf(run);
  const unchanged = new Map([...truth].filter(([id]) => !run.changed.has(id)));
  return tally(run.h.orders, unchanged, recordsOf(run.first.messages, run.h.orders), keyOf);
}

/** True when some change carries an earlier stamp than a change made before it (stamps out of commit order). */
export function stampsOutOfOrder(mutations: readonly MutationResult[]): boolean {
  const stamps = mutations.flatMap((m) => m.stamps ?? (m.op === 'deleteOrders' ? [] : [m.at]));
  return stamps.some((stamp, i) => i > 0 && stamp < stamps[i - 1]!);
}
