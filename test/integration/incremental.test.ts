// Incremental sync against the simulator: completeness under change, per-page checkpoints, resume after
// SIGKILL, bulk edits, and the CAT-style checks (two sequential reads, future state, monotonic cursors).
import { afterEach, describe, expect, test } from '@jest/globals';
import { killAfterStates, ofType, runCli, traceErrors } from '../helpers/cli.js';
import { invalidMessages } from '../helpers/protocol.js';
import { expectedRecord } from '../helpers/expected.js';
import {
  byId,
  expectComplete,
  configuredCatalog,
  expectCheckpointCounts,
  expectedTruth,
  INCREMENTAL_STREAMS,
  lastStates,
  readArgs,
  recordsOf,
  simulator,
  statesOf,
  type Simulator,
} from '../helpers/sim.js';
import { expectEqual } from '../helpers/sameValue.js';

let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

const incremental = (names: string[] = INCREMENTAL_STREAMS, cursor?: string) =>
  configuredCatalog(
    names.map((name) => ({ name, mode: 'incremental' as const, ...(cursor && name === 'orders' ? { cursor } : {}) })),
  );

describe('incremental sync', () => {
  test('first sync: every record, a STATE after every page covering exactly what preceded it', async () => {
    sim = await simulator({ seed: 11, counts: { orders: 1300, shipments: 900, fulfillments: 260 } });
    const r = await runCli(readArgs(sim, incremental()));
    expect(r.code).toBe(0);
    expect(invalidMessages(r.messages)).toEqual([]);
    for (const stream of INCREMENTAL_STREAMS) {
      expectComplete(sim, recordsOf(r.messages, stream), stream);
      const states = statesOf(r.messages, stream);
      expect(states.length).toBeGreaterThanOrEqual(Math.ceil(expectedTruth(sim, stream).size / 500));
      expect(states.reduce((n, s) => n + s.sourceStats.recordCount, 0)).toBe(recordsOf(r.messages, stream).length);
      const last = states.at(-1)!.stream.stream_state;
      expect(last).toMatchObject({ version: 1, cursor_field: stream === 'orders' ? 'modifyDate' : 'createDate' });
      expect(String(last.cursor)).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    }
    // Each STATE follows the records it counts: the records between two states of a stream equal its count.
    expectCheckpointCounts(r.messages, (got, want) => expect(got).toBe(want));
  });

  test('with max_parallel_slices 1 each stream is read strictly in cursor order (CAT’s monotonic check)', async () => {
    sim = await simulator({ seed: 11, counts: { orders: 1300, shipments: 900, fulfillments: 260 } });
    const r = await runCli(readArgs(sim, incremental(), { config: { max_parallel_slices: 1 } }));
    expect(r.code).toBe(0);
    for (const stream of INCREMENTAL_STREAMS) {
      expectComplete(sim, recordsOf(r.messages, stream), stream);
      const field = stream === 'orders' ? 'modifyDate' : 'createDate';
      const values = recordsOf(r.messages, stream).map((x) => String(x[field]));
      expect(values).toEqual([...values].sort());
      // Ordered reading never leaves ranges open: every checkpoint is the one-position form.
      expect(statesOf(r.messages, stream).every((s) => s.stream.stream_state.version === 1)).toBe(true);
    }
  });

  test('a second sync with no changes returns nothing, in one request per stream plus the void pass', async () => {
    sim = await simulator({ seed: 12, counts: { orders: 700, shipments: 400, fulfillments: 100 } });
    const first = await runCli(readArgs(sim, incremental()));
    sim.resetStats();
    const second = await runCli(readArgs(sim, incremental(), { state: lastStates(first.messages) }));
    expect(second.code).toBe(0);
    expect(ofType(second.messages, 'RECORD')).toHaveLength(0);
    // Shipments read their voids by voidDate after the main read: an empty window is one more request.
    for (const stream of INCREMENTAL_STREAMS)
      expect([stream, sim.stats().byPath[`/${stream}`]]).toEqual([stream, stream === 'shipments' ? 2 : 1]);
    // The state still moves forward (is re-emitted) so the platform keeps it.
    expect(lastStates(second.messages)).toHaveLength(3);
  });

  test('changes between syncs: exactly the modified and created orders come back', async () => {
    sim = await simulator({ seed: 13, counts: { orders: 900, shipments: 300, fulfillments: 50 } });
    const first = await runCli(readArgs(sim, incremental(['orders'])));
    const modified = sim.mutate.modifyOrders({ count: 25 }).ids;
    const created = sim.mutate.createOrders({ count: 10 }).ids;
    await new Promise((resolve) => setTimeout(resolve, 1100)); // the changes must precede the next window's end
    const second = await runCli(readArgs(sim, incremental(['orders']), { state: lastStates(first.messages) }));
    expect(second.code).toBe(0);
    const ids = recordsOf(second.messages, 'orders').map((o) => o.orderId);
    expect(new Set(ids)).toEqual(new Set([...modified, ...created]));
    expectComplete(sim, [...recordsOf(first.messages, 'orders'), ...recordsOf(second.messages, 'orders')], 'orders');
  });

  test('a far-future state reads nothing and makes no request; no error', async () => {
    sim = await simulator({ seed: 14, counts: { orders: 300, shipments: 100, fulfillments: 30 } });
    const future = INCREMENTAL_STREAMS.map((name) => ({
      type: 'STREAM',
      stream: {
        stream_descriptor: { name },
        stream_state: {
          version: 1,
          cursor_field: name === 'orders' ? 'modifyDate' : 'createDate',
          cursor: '2099-01-01T00:00:00.000Z',
        },
      },
    }));
    const r = await runCli(readArgs(sim, incremental(), { state: future }));
    expect(r.code).toBe(0);
    expect(ofType(r.messages, 'RECORD')).toHaveLength(0);
    expect(traceErrors(r.messages)).toEqual([]);
    expect(sim.stats().requests).toBe(0);
  });

  test('the orders cursor can be createDate; switching cursors re-reads cleanly, saying so', async () => {
    sim = await simulator({ seed: 16, counts: { orders: 600, shipments: 10, fulfillments: 10 } });
    const byCreate = await runCli(readArgs(sim, incremental(['orders'], 'createDate')));
    expect(byCreate.code).toBe(0);
    expectComplete(sim, recordsOf(byCreate.messages, 'orders'), 'orders');
    expect(statesOf(byCreate.messages, 'orders').at(-1)!.stream.stream_state.cursor_field).toBe('createDate');
    const switched = await runCli(
      readArgs(sim, incremental(['orders'], 'modifyDate'), { state: lastStates(byCreate.messages) }),
    );
    expect(switched.code).toBe(0);
    expectComplete(sim, recordsOf(switched.messages, 'orders'), 'orders');
    const warnings = ofType(switched.messages, 'LOG').map((m) => (m.log as { message: string }).message);
    expect(warnings.some((w) => /cursor changed from createDate to modifyDate/.test(w))).toBe(true);
  });

  test('killed with SIGKILL at random points and resumed from the last STATEs: nothing lost, re-reads bounded', async () => {
    const pageSize = 100;
    sim = await simulator({
      seed: 17,
      counts: { orders: 2500, shipments: 1200, fulfillments: 400 },
      faults: { rates: { latency: 1 }, latencyMs: 15 },
    });
    const emitted = new Map<string, Array<Record<string, unknown>>>(INCREMENTAL_STREAMS.map((s) => [s, []]));
    let state: unknown[] = [];
    let kills = 0;
    let seed = 99;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    // Kill each run after a random number (1–4) of its STATE messages until 12 runs died; a run that ends first
    // has read everything.
    let finished = false;
    for (let run = 0; run < 60 && !finished; run++) {
      const killAfter = 1 + Math.floor(rand() * 4);
      const r = await runCli(
        readArgs(sim, incremental(), { config: { page_size: pageSize }, state }),
        kills < 12 ? { onStdout: killAfterStates(killAfter) } : {},
      );
      for (const stream of INCREMENTAL_STREAMS) emitted.get(stream)!.push(...recordsOf(r.messages, stream));
      const merged = new Map(
        (state as Array<{ stream: { stream_descriptor: { name: string } } }>).map((s) => [
          s.stream.stream_descriptor.name,
          s,
        ]),
      );
      for (const s of lastStates(r.messages) as Array<{ stream: { stream_descriptor: { name: string } } }>)
        merged.set(s.stream.stream_descriptor.name, s);
      state = [...merged.values()];
      if (r.signal === 'SIGKILL') kills++;
      else {
        expect(r.code).toBe(0);
        finished = true;
      }
    }
    expect(finished).toBe(true);
    expect(kills).toBeGreaterThanOrEqual(10);
    for (const stream of INCREMENTAL_STREAMS) {
      const records = emitted.get(stream)!;
      expectComplete(sim, records, stream);
      const duplicates = records.length - new Set(records.map((r) => JSON.stringify(r))).size;
      expect({ stream, withinBound: duplicates <= kills * pageSize }).toEqual({ stream, withinBound: true });
    }
  }, 240_000);

  test('records in the DST fall-back hour and around the spring-forward gap all arrive in UTC', async () => {
    sim = await simulator({ seed: 18, counts: { orders: 1500, shipments: 10, fulfillments: 10 } });
    const r = await runCli(readArgs(sim, incremental(['orders'])));
    const orders = [...sim.truth('orders')] as unknown as Array<Record<string, unknown>>;
    const inFallBack = orders.filter((o) => /^(2023-11-05|2024-11-03)T01:/.test(String(o.modifyDate)));
    expect(inFallBack.length).toBeGreaterThan(0);
    const got = byId(recordsOf(r.messages, 'orders'), 'orders');
    for (const o of inFallBack) expectEqual(got.get(o.orderId), expectedRecord(o));
  });

  test('end_date bounds a backfill; start_date skips older history', async () => {
    sim = await simulator({ seed: 19, counts: { orders: 1200, shipments: 10, fulfillments: 10 } });
    const r = await runCli(
      readArgs(sim, incremental(['orders']), {
        config: { start_date: '2023-06-01', end_date: '2024-01-01T00:00:00Z' },
      }),
    );
    expect(r.code).toBe(0);
    const want = [...expectedTruth(sim, 'orders').values()].filter(
      (o) => String(o.modifyDate) >= '2023-06-01T00:00:00.000Z' && String(o.modifyDate) <= '2024-01-01T00:00:00.000Z',
    );
    const got = recordsOf(r.messages, 'orders');
    expect(want.length).toBeGreaterThan(100);
    expect(new Set(got.map((o) => o.orderId))).toEqual(new Set(want.map((o) => o.orderId)));
  });

  test('shipments voided after they were read come back by the sync after, without a re-scan window', async () => {
    sim = await simulator({ seed: 20, counts: { orders: 400, shipments: 600, fulfillments: 10 } });
    const first = await runCli(readArgs(sim, incremental(['shipments'])));
    const voided = sim.mutate.voidShipments({ count: 5 }).ids;
    await new Promise((resolve) => setTimeout(resolve, 1100));
    sim.resetStats();
    const next = await runCli(readArgs(sim, incremental(['shipments']), { state: lastStates(first.messages) }));
    expect(next.code).toBe(0);
    const back = byId(recordsOf(next.messages, 'shipments'), 'shipments');
    for (const id of voided) expect(back.get(id)).toMatchObject({ voided: true });
    expect(back.size).toBe(voided.length);
    // The main read's one page, and the void window's.
    expect(sim.stats().byPath['/shipments']).toBe(2);
    expect(statesOf(next.messages, 'shipments').at(-1)!.stream.stream_state.voids_through).toMatch(/Z$/);
  });

  test('the void pass reads on past short pages: every void comes back', async () => {
    sim = await simulator({ seed: 21, counts: { orders: 400, shipments: 600, fulfillments: 10 } });
    const first = await runCli(readArgs(sim, incremental(['shipments'])));
    const voided = sim.mutate.voidShipments({ count: 120 }).ids;
    await new Promise((resolve) => setTimeout(resolve, 1100));
    sim.setPaging({ shortPageRate: 0.5 });
    const next = await runCli(
      readArgs(sim, incremental(['shipments']), { state: lastStates(first.messages), config: { page_size: 20 } }),
    );
    expect(next.code).toBe(0);
    const back = byId(recordsOf(next.messages, 'shipments'), 'shipments');
    expect(voided.filter((id) => back.get(id)?.voided !== true)).toEqual([]);
  });

  test('a state written before voids were read by date reads every void since start_date once, then its window', async () => {
    sim = await simulator({ seed: 22, counts: { orders: 400, shipments: 600, fulfillments: 10 } });
    const first = await runCli(readArgs(sim, incremental(['shipments'])));
    const voided = sim.mutate.voidShipments({ count: 7 }).ids;
    await new Promise((resolve) => setTimeout(resolve, 1100));
    // The state an older version wrote: the same position without voids_through.
    const older = lastStates(first.messages).map((m) => {
      const msg = m as { stream: { stream_state: Record<string, unknown> } };
      const { voids_through: _dropped, ...state } = msg.stream.stream_state;
      return { ...msg, stream: { ...msg.stream, stream_state: state } };
    });
    const next = await runCli(readArgs(sim, incremental(['shipments']), { state: older }));
    expect(next.code).toBe(0);
    const back = byId(recordsOf(next.messages, 'shipments'), 'shipments');
    for (const id of voided) expect(back.get(id)).toMatchObject({ voided: true });
    // Every void of the account's history came back, not only the new ones.
    const all = [...expectedTruth(sim, 'shipments').values()].filter((s) => (s as { voided: boolean }).voided);
    expect(back.size).toBe(all.length);
  });
});
