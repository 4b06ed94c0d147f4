// Stamps ShipStation writes behind its own clock (issue #20 item 2): changes stamped out of commit order (a
// later change carrying an earlier stamp) and a server stamping an hour behind (standard time in summer), with
// orders created and modified while a sync runs. Each sync's window ends the settle margin before ShipStation's
// Date header, so every change made during a sync lies after that end and is read by the next sync; with no
// margin, a change stamped behind a row the sync has already passed is lost (the mutant cases below prove the
// scenario can fail). The simulator's clock stands a day behind this machine's and is moved by the test.
import { afterEach, describe, expect, test } from '@jest/globals';
import { recordsOf, expectComplete, type Simulator } from '../helpers/sim.js';
import { logsAt, otherWarnings } from '../helpers/fakeClock.js';
import {
  lostOverBoth,
  MODES,
  moreSeeds,
  runChangeScenario,
  stampsOutOfOrder,
  type ScenarioRun,
} from '../helpers/changeScenario.js';

const sims: Simulator[] = [];
afterEach(async () => {
  await Promise.all(sims.splice(0).map((s) => s.close()));
});

const run = async (...args: Parameters<typeof runChangeScenario>): Promise<ScenarioRun> => {
  const r = await runChangeScenario(...args);
  sims.push(r.sim);
  return r;
};

/** Both syncs ended well, each saying only that ShipStation's clock is behind this machine's. */
function expectCleanRuns(r: ScenarioRun): void {
  for (const sync of [r.first, r.second]) {
    expect(sync.code).toBe(0);
    expect(logsAt(sync.messages, 'WARN')).toHaveLength(1);
    expect(otherWarnings(sync.messages)).toEqual([]);
  }
}

const JITTER = { stampLagMs: 2000, stampJitterMs: 2000 };
/** Seeds whose changes, without the margin, land behind rows the first sync has already passed (found by trying seeds 1–6). */
const LOSES_WITHOUT_MARGIN = { 'pages fetched at once': 1, 'strictly in order': 1 } as const;

describe.each(MODES)('stamps behind the clock, $mode', ({ mode, config }) => {
  test('stamps out of commit order (2 s lag + up to 2 s jitter): both syncs together hold every order in its current version', async () => {
    for (const seed of [LOSES_WITHOUT_MARGIN[mode], ...moreSeeds(2, 3, 4, 5, 6)]) {
      const r = await run({ seed, lies: JITTER, config, jumpMs: 7_000 });
      // The simulator's config carries the margin its lies need: lag + jitter, rounded up, plus a second.
      expect(r.sim.config.settle_seconds).toBe(5);
      expect(r.mutations.length).toBeGreaterThan(8);
      expect(stampsOutOfOrder(r.mutations)).toBe(true);
      expectCleanRuns(r);
      // Every change lies after the first window's end (the clock stood still during the first sync, so its
      // Date header read startedAt): the first sync delivers no version stamped later than that end.
      const windowEnd = new Date(r.startedAt - 5_000).toISOString();
      expect(recordsOf(r.first.messages, 'orders').filter((o) => String(o.modifyDate) >= windowEnd)).toEqual([]);
      expectComplete(
        r.sim,
        [...recordsOf(r.first.messages, 'orders'), ...recordsOf(r.second.messages, 'orders')],
        'orders',
      );
    }
  });

  test('mutant: the same scenario with settle_seconds 0 loses or leaves stale at least one order', async () => {
    const r = await run({
      seed: LOSES_WITHOUT_MARGIN[mode],
      lies: JITTER,
      config: { ...config, settle_seconds: 0 },
      jumpMs: 7_000,
    });
    expect(stampsOutOfOrder(r.mutations)).toBe(true);
    expect(lostOverBoth(r).lost).toBeGreaterThan(0);
  });

  test('ShipStation stamping an hour behind (standard time in summer) after rows stamped on time, its clock far behind ours: nothing missing once the clock has moved on', async () => {
    // Orders of 2026-07-15 stamped on time, up to midnight; from 00:30 PDT on, changes are stamped an hour behind
    // (standard time in summer), back among those rows. A window ending at the Date header would read the rows up
    // to midnight and pass by the changes stamped behind them; ending the margin (3601 s) before it, it stops
    // before them and leaves them, and the rows after them, to a sync an hour later. The clock moves 250 ms a
    // request while the syncs run, and orders are also modified between the syncs.
    const r = await run({
      seed: 2,
      lies: { stampLagMs: 3_600_000 },
      dateRange: { start: '2026-07-15', end: '2026-07-15' },
      clockStartMs: Date.parse('2026-07-16T07:30:00Z'),
      config,
      msPerRequest: 250,
      jumpMs: 7_200_000,
      between: { afterMs: 5_000, count: 8 },
    });
    expect(r.sim.config.settle_seconds).toBe(3601);
    expect(r.mutations.length).toBeGreaterThan(8);
    expect(r.changedBetween).toHaveLength(8);
    expectCleanRuns(r);
    // The first sync stops an hour and a second before ShipStation's clock: at 23:29:58 PDT, before every change.
    expect(
      recordsOf(r.first.messages, 'orders')
        .map((o) => String(o.modifyDate))
        .filter((d) => d >= '2026-07-16T06:30:00.000Z'),
    ).toEqual([]);
    expectComplete(
      r.sim,
      [...recordsOf(r.first.messages, 'orders'), ...recordsOf(r.second.messages, 'orders')],
      'orders',
    );
  });
});
