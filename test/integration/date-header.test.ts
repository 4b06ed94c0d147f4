// A wrong Date header (issue #20 item 1 must hold even then): ShipStation's Date 10 minutes ahead of the clock
// its stamps come from, or 10 minutes behind it, while orders are created, modified and deleted during the sync.
// What a page proves comes from its rows, never from the header, so no order that stays put is lost however the
// pages shift, whatever the header says; the header only decides where the window ends.
//
// The stated assumption, not a bug: a Date header AHEAD of the stamps puts the window's end after changes made
// during the sync (stamped at ShipStation's true time, before the end the header claims). Such a change is
// inside this sync's window; if the sync has already passed the row's new place it is missed, and the next sync
// starts after this window's end, so it is passed by for good (until the row changes again). The settle margin
// covers a header ahead by at most the margin. A header BEHIND the stamps only delays changes to the next sync.
// The simulator's clock stands a day behind this machine's and moves 1 s with every request (time passing during
// the sync), so ShipStation's header is what ends each window.
import { afterEach, describe, expect, test } from '@jest/globals';
import { expectComplete, recordsOf, type Simulator } from '../helpers/sim.js';
import { logsAt, otherWarnings } from '../helpers/fakeClock.js';
import {
  MODES,
  moreSeeds,
  runChangeScenario,
  unchangedLostByFirst,
  type ScenarioRun,
} from '../helpers/changeScenario.js';

const sims: Simulator[] = [];
afterEach(async () => {
  await Promise.all(sims.splice(0).map((s) => s.close()));
});

const TEN_MINUTES = 600_000;

async function scenario(seed: number, dateOffsetMs: number, config: Record<string, unknown>): Promise<ScenarioRun> {
  // The jump past the header's lag: the second window must end after every change of the first sync.
  const r = await runChangeScenario({
    seed,
    lies: { dateOffsetMs },
    config,
    msPerRequest: 1000,
    deletions: true,
    bursts: true,
    jumpMs: TEN_MINUTES + 60_000,
  });
  sims.push(r.sim);
  expect(r.mutations.filter((m) => m.op === 'deleteOrders').length).toBeGreaterThan(0);
  expect(r.mutations.filter((m) => m.op === 'modifyOrders').length).toBeGreaterThan(5);
  return r;
}

/** Exit 0, and every order no change touched arrived in the first sync. */
function expectUnchangedDelivered(r: ScenarioRun): void {
  expect(r.first.code).toBe(0);
  expect(logsAt(r.first.messages, 'WARN')).toHaveLength(1);
  expect(otherWarnings(r.first.messages)).toEqual([]);
  const t = unchangedLostByFirst(r);
  expect(t.expected).toBeGreaterThan(150);
  expect({ missing: t.missing, stale: t.stale }).toEqual({ missing: [], stale: [] });
}

describe.each(MODES)('a wrong Date header, $mode', ({ config }) => {
  test('10 minutes ahead of the stamps: every order never changed arrives in the first sync, exit 0', async () => {
    for (const seed of [1, ...moreSeeds(2, 3, 4)]) expectUnchangedDelivered(await scenario(seed, TEN_MINUTES, config));
  });

  test('10 minutes behind the stamps: every order never changed arrives in the first sync, every changed one by the next', async () => {
    for (const seed of [1, ...moreSeeds(2, 3, 4)]) {
      const r = await scenario(seed, -TEN_MINUTES, config);
      expectUnchangedDelivered(r);
      expect(r.second.code).toBe(0);
      expect(otherWarnings(r.second.messages)).toEqual([]);
      expectComplete(
        r.sim,
        [...recordsOf(r.first.messages, 'orders'), ...recordsOf(r.second.messages, 'orders')],
        'orders',
      );
    }
  });
});
