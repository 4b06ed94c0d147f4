// The DST fall-back hour (issue #20 item 3): on 2026-11-01 Pacific wall clocks show 01:00–02:00 twice, first in
// PDT (08:00–09:00Z), then in PST (09:00–10:00Z), and ShipStation's stamps do not say which. The simulator's
// clock is set inside that hour and moved by the test; orders are created and modified at chosen instants, so
// the true instant of every stamp is known here (from the clock, not from the connector's rules) and every
// emitted date-time must be it: a version read before a wall time's second occurrence is from the first, one
// read after it and stamped then is from the second. A later version never gets an earlier instant, a stored
// position inside the hour rewinds to its start (logged), and a sync killed inside the hour and resumed loses
// nothing.
import { afterEach, describe, expect, test } from '@jest/globals';
import { killAfterStates, runCli, type CliResult, type Message } from '../helpers/cli.js';
import { expectedRecord, intlPacificWall } from '../helpers/expected.js';
import { fakeClock, logsAt, otherWarnings, type FakeClock } from '../helpers/fakeClock.js';
import { MODES } from '../helpers/changeScenario.js';
import { byId, lastStates, readArgs, recordsOf, simulator, configuredCatalog, type Simulator } from '../helpers/sim.js';
import { expectEqual } from '../helpers/sameValue.js';

const catalog = configuredCatalog([{ name: 'orders', mode: 'incremental' }]);
const at = (iso: string) => Date.parse(iso);
const REWIND_NOTE = /the cursor lies in the DST fall-back hour; re-reading that hour/;
const IN_THE_HOUR = /^2026-11-01T01:/;

let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

/**
 * The instant a stamp in the repeated hour stood for, from when it was written: of the (up to two) instants
 * that show this wall time in Pacific time, the one within the 10 minutes before `writtenAt` (the simulator
 * dates a new order's orderDate up to 10 minutes before its creation).
 */
function trueInstant(wall: string, writtenAt: number): string {
  const seconds = wall.slice(0, 19);
  const fraction = `${wall.slice(20)}000`.slice(0, 3);
  const naive = Date.parse(`${seconds}Z`);
  const candidates = [7, 8]
    .map((h) => naive + h * 3_600_000)
    .filter((t) => intlPacificWall(t) === seconds && t <= writtenAt && t >= writtenAt - 600_000);
  if (candidates.length !== 1)
    throw new Error(
      `no single instant of ${wall} written at ${new Date(writtenAt).toISOString()}: ${candidates.length}`,
    );
  return `${new Date(candidates[0]!).toISOString().slice(0, 19)}.${fraction}Z`;
}

/** When the test created and last modified each order it touched. */
class Stamps {
  readonly created = new Map<unknown, number>();
  readonly modified = new Map<unknown, number>();

  constructor(private readonly clock: FakeClock) {}

  create(s: Simulator, count: number): number[] {
    const ids = s.mutate.createOrders({ count }).ids;
    for (const id of ids) this.created.set(id, this.clock.now());
    return ids;
  }

  modify(s: Simulator, ids: number[]): void {
    s.mutate.modifyOrders({ orderIds: ids });
    for (const id of ids) this.modified.set(id, this.clock.now());
  }

  /** An order as it must arrive: the first-occurrence conversion, but each stamp of the repeated hour at its true instant. */
  expected(raw: Record<string, unknown>): Record<string, unknown> {
    const id = raw.orderId;
    const walk = (value: unknown, converted: unknown, key: string, top: boolean): unknown => {
      if (typeof value === 'string' && IN_THE_HOUR.test(value)) {
        // Only an order's own modifyDate moves with a modification; its items keep their creation stamps.
        const written =
          top && key === 'modifyDate' ? (this.modified.get(id) ?? this.created.get(id)) : this.created.get(id);
        if (written === undefined)
          throw new Error(`order ${String(id)} has ${key} ${value} in the hour but the test never stamped it`);
        return trueInstant(value, written);
      }
      if (Array.isArray(value)) return value.map((v, i) => walk(v, (converted as unknown[])[i], key, false));
      if (value !== null && typeof value === 'object') {
        const c = converted as Record<string, unknown>;
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, c[k], k, false)]));
      }
      return converted;
    };
    const want = expectedRecord(raw);
    return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, walk(v, want[k], k, true)]));
  }
}

/** Every order of the truth, in its current version with true instants, as the latest emission over `runs`. */
function expectAllTrue(s: Simulator, stamps: Stamps, runs: CliResult[]): void {
  const got = byId(
    runs.flatMap((r) => recordsOf(r.messages, 'orders')),
    'orders',
  );
  const truth = [...s.truth('orders')] as unknown as Record<string, unknown>[];
  expect(truth.filter((o) => !got.has(o.orderId)).map((o) => o.orderId)).toEqual([]);
  for (const raw of truth) expectEqual([raw.orderId, got.get(raw.orderId)], [raw.orderId, stamps.expected(raw)]);
}

/** Per order, the modifyDate of each emission in emission order never goes back: no version earlier than its predecessor. */
function expectNoVersionGoesBack(runs: CliResult[]): void {
  const last = new Map<unknown, { version: string; modifyDate: string }>();
  const backwards: string[] = [];
  for (const o of runs.flatMap((r) => recordsOf(r.messages, 'orders'))) {
    const seen = last.get(o.orderId);
    const now = { version: String(o.internalNotes), modifyDate: String(o.modifyDate) };
    if (seen && now.version !== seen.version && now.modifyDate <= seen.modifyDate)
      backwards.push(`${String(o.orderId)}: ${seen.modifyDate} then ${now.modifyDate}`);
    last.set(o.orderId, now);
  }
  expect(backwards).toEqual([]);
}

const warnings = (messages: Message[]) => ({ all: logsAt(messages, 'WARN').length, other: otherWarnings(messages) });

describe.each(MODES)('the fall-back hour, $mode', ({ config }) => {
  test('an order modified in the first pass, then again in the second at an earlier wall time: v2 gets the later instant, the hour is re-read', async () => {
    const clock = fakeClock(at('2026-11-01T08:40:00Z')); // 01:40 PDT
    sim = await simulator({ seed: 4, counts: { orders: 60, shipments: 3, fulfillments: 3 }, clock: clock.now });
    const stamps = new Stamps(clock);
    stamps.create(sim, 3);
    const x = (sim.truth('orders').next().value as { orderId: number }).orderId;

    clock.set(at('2026-11-01T08:41:00Z'));
    const first = await runCli(readArgs(sim, catalog, { config }));
    expect(first.code).toBe(0);
    expect(warnings(first.messages)).toEqual({ all: 1, other: [] });

    clock.set(at('2026-11-01T08:45:00Z')); // 01:45 PDT
    stamps.modify(sim, [x]);
    clock.set(at('2026-11-01T08:46:00Z'));
    const second = await runCli(readArgs(sim, catalog, { config, state: lastStates(first.messages) }));
    expect(second.code).toBe(0);
    expect(warnings(second.messages)).toEqual({ all: 2, other: [expect.stringMatching(REWIND_NOTE)] });
    const v1 = byId(recordsOf(second.messages, 'orders'), 'orders').get(x)!;
    expect(v1).toMatchObject({
      modifyDate: '2026-11-01T08:45:00.000Z',
      internalNotes: expect.stringContaining('(v1)'),
    });

    clock.set(at('2026-11-01T09:05:00Z')); // 01:05 PST, the second pass: a wall time 40 minutes before v1's
    stamps.modify(sim, [x]);
    expect((sim.truth('orders').next().value as { modifyDate: string }).modifyDate).toMatch(/^2026-11-01T01:05:00/);
    clock.set(at('2026-11-01T09:06:00Z'));
    const third = await runCli(readArgs(sim, catalog, { config, state: lastStates(second.messages) }));
    expect(third.code).toBe(0);
    expect(warnings(third.messages)).toEqual({ all: 2, other: [expect.stringMatching(REWIND_NOTE)] });
    const v2 = byId(recordsOf(third.messages, 'orders'), 'orders').get(x)!;
    expect(v2).toMatchObject({
      modifyDate: '2026-11-01T09:05:00.000Z',
      internalNotes: expect.stringContaining('(v2)'),
    });
    expect(String(v2.modifyDate) > String(v1.modifyDate)).toBe(true);

    expectNoVersionGoesBack([first, second, third]);
    expectAllTrue(sim, stamps, [first, second, third]);
  });

  test('killed after a STATE inside the hour and resumed: nothing lost, every stamp at its true instant', async () => {
    const clock = fakeClock(at('2026-11-01T08:10:00Z'));
    sim = await simulator({ seed: 5, counts: { orders: 40, shipments: 3, fulfillments: 3 }, clock: clock.now });
    const stamps = new Stamps(clock);
    const firstPass: number[][] = [];
    for (const minute of [10, 20, 30, 40, 50]) {
      clock.set(at(`2026-11-01T08:${minute}:00Z`)); // 01:10 … 01:50 PDT
      firstPass.push(stamps.create(sim, 4));
    }
    clock.set(at('2026-11-01T08:55:00Z'));
    const small = { ...config, page_size: 5 };
    const before = await runCli(readArgs(sim, catalog, { config: small }));
    expect(before.code).toBe(0);

    // The second pass: new orders at 01:01, 01:03 and 01:07 PST, and first-pass orders modified at 01:05 PST.
    clock.set(at('2026-11-01T09:01:00Z'));
    stamps.create(sim, 4);
    clock.set(at('2026-11-01T09:03:00Z'));
    stamps.create(sim, 4);
    clock.set(at('2026-11-01T09:05:00Z'));
    stamps.modify(sim, [...firstPass[3]!.slice(0, 2), firstPass[4]![0]!]);
    clock.set(at('2026-11-01T09:07:00Z'));
    stamps.create(sim, 4);

    clock.set(at('2026-11-01T09:09:00Z'));
    const killed = await runCli(readArgs(sim, catalog, { config: small, state: lastStates(before.messages) }), {
      onStdout: killAfterStates(2),
    });
    expect(killed.signal).toBe('SIGKILL');
    expect(otherWarnings(killed.messages)).toEqual([expect.stringMatching(REWIND_NOTE)]);
    // The killed run's last checkpoint lies inside the hour: resuming from it rewinds to the hour's start again.
    clock.set(at('2026-11-01T09:09:30Z'));
    const resumed = await runCli(
      readArgs(sim, catalog, { config: small, state: lastStates([...before.messages, ...killed.messages]) }),
    );
    expect(resumed.code).toBe(0);
    expect(warnings(resumed.messages)).toEqual({ all: 2, other: [expect.stringMatching(REWIND_NOTE)] });

    // Second-pass stamps did arrive as second-pass instants (09:0x Z), not an hour early.
    const created = recordsOf(resumed.messages, 'orders').map((o) => String(o.createDate));
    expect(created.filter((d) => d.startsWith('2026-11-01T09:0')).length).toBeGreaterThanOrEqual(12);
    expectNoVersionGoesBack([before, killed, resumed]);
    expectAllTrue(sim, stamps, [before, killed, resumed]);
  });
});
