// API v2 shipments changed while an incremental sync runs, on a simulator clock the test moves
// (helpers/changeScenario.ts, the v1 clock tests' scenario read through v2): shipments created and modified
// throughout the sync, deletions and bursts that shift pages by more than a fan's overlap, the sync killed with -9
// and resumed, and stamps written out of commit order behind the clock. Both syncs together hold every shipment in
// its final version. npm test runs one seed of each, read the default way; FAULT_MATRIX=full adds seeds and reads
// strictly in order too.
import { afterEach, describe, expect, test } from '@jest/globals';
import { recordsOf, type Simulator } from '../helpers/sim.js';
import {
  lostOverBoth,
  MODES,
  moreSeeds,
  runChangeScenario,
  stampsOutOfOrder,
  type ChangeScenario,
  type ScenarioRun,
} from '../helpers/changeScenario.js';

const sims: Simulator[] = [];
afterEach(async () => {
  await Promise.all(sims.splice(0).map((s) => s.close()));
});

const run = async (scenario: Omit<ChangeScenario, 'api'>): Promise<ScenarioRun> => {
  const r = await runChangeScenario({ ...scenario, api: 'v2' });
  sims.push(r.sim);
  return r;
};

/** Both syncs exited 0 and nothing is missing or stale over them. */
function expectNothingLost(r: ScenarioRun): void {
  expect([r.first.code, r.second.code]).toEqual([0, 0]);
  const t = lostOverBoth(r);
  expect({ missing: t.missing.slice(0, 5), stale: t.stale.slice(0, 5), lost: t.lost }).toEqual({
    missing: [],
    stale: [],
    lost: 0,
  });
}

/** npm test reads the default way (pages fetched at once); FAULT_MATRIX=full strictly in order as well. */
const modes = process.env.FAULT_MATRIX === 'full' ? MODES : MODES.slice(0, 1);

describe.each(modes)('API v2 shipments under change, $mode', ({ config }) => {
  test('created, modified, deleted and moved in bursts while the sync runs: both syncs hold every final version', async () => {
    for (const seed of [1, ...moreSeeds(2, 3)]) {
      const r = await run({ seed, config, msPerRequest: 1000, jumpMs: 120_000, deletions: true, bursts: true });
      expect(r.mutations.some((m) => m.op === 'deleteOrders')).toBe(true);
      expect(r.mutations.length).toBeGreaterThan(10);
      // Deleted shipments read before they went are the only ids the truth does not know.
      const deleted = new Set(r.mutations.filter((m) => m.op === 'deleteOrders').flatMap((m) => m.v2Ids ?? []));
      expect(lostOverBoth(r).extra.filter((id) => !deleted.has(id as string))).toEqual([]);
      expectNothingLost(r);
    }
  });

  test('killed with -9 after its second STATE and resumed while changes go on: nothing lost', async () => {
    for (const seed of [4, ...moreSeeds(5, 6)]) {
      const r = await run({ seed, config, msPerRequest: 1000, jumpMs: 120_000, killAfterStates: 2 });
      expect(r.killed).toBe(true);
      expect(r.mutations.length).toBeGreaterThan(10);
      expectNothingLost(r);
    }
  });

  test('stamps out of commit order (2 s lag + up to 2 s jitter): both syncs hold every final version', async () => {
    for (const seed of [1, ...moreSeeds(2, 3, 4)]) {
      const r = await run({ seed, config, lies: { stampLagMs: 2000, stampJitterMs: 2000 }, jumpMs: 7_000 });
      expect(r.sim.config.settle_seconds).toBe(5);
      expect(stampsOutOfOrder(r.mutations)).toBe(true);
      // The clock stood still during the first sync: it delivers no version stamped after its window's end.
      const windowEnd = new Date(r.startedAt - 5_000).toISOString();
      expect(recordsOf(r.first.messages, 'shipments').filter((s) => String(s.modified_at) >= windowEnd)).toEqual([]);
      expectNothingLost(r);
    }
  });

  test('mutant: the same stamps with settle_seconds 0 lose or leave stale at least one shipment', async () => {
    const r = await run({
      seed: 1,
      config: { ...config, settle_seconds: 0 },
      lies: { stampLagMs: 2000, stampJitterMs: 2000 },
      jumpMs: 7_000,
    });
    expect(stampsOutOfOrder(r.mutations)).toBe(true);
    expect(lostOverBoth(r).lost).toBeGreaterThan(0);
  });
});
