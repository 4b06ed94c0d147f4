// How a sync lives and ends under an orchestrator: the shared rate budget used without 429s (also when
// another app spends part of it), SIGTERM (cancel) with checkpoints kept, and a reader that goes away.
import { afterEach, describe, expect, test } from '@jest/globals';
import { spawn } from 'node:child_process';
import { ENTRY, ofType, parseLines, runCli, traceErrors } from '../helpers/cli.js';
import {
  ALL_STREAMS,
  INCREMENTAL_STREAMS,
  byId,
  configuredCatalog,
  expectedTruth,
  lastStates,
  readArgs,
  recordsOf,
  simulator,
  statusesOf,
  type Simulator,
} from '../helpers/sim.js';

let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

const everything = () =>
  configuredCatalog(
    ALL_STREAMS.map((name) => ({
      name,
      mode: INCREMENTAL_STREAMS.includes(name) ? ('incremental' as const) : ('full_refresh' as const),
    })),
  );

function expectAll(s: Simulator, messages: ReturnType<typeof parseLines>) {
  for (const stream of ALL_STREAMS) {
    const got = byId(recordsOf(messages, stream), stream);
    const want = expectedTruth(s, stream);
    expect({ stream, missing: [...want.keys()].filter((id) => !got.has(id)).length }).toEqual({ stream, missing: 0 });
  }
}

describe('one rate limiter for the whole sync', () => {
  test('100+ pages across streams at 40 requests per 2 s: complete, and no 429', async () => {
    sim = await simulator({
      seed: 31,
      rateLimit: { limit: 40, windowMs: 2000 },
      counts: { orders: 5200, shipments: 3100, fulfillments: 600, customers: 1200, products: 300 },
    });
    const r = await runCli(readArgs(sim, everything(), { config: { page_size: 100 } }), { timeoutMs: 90_000 });
    expect(r.code).toBe(0);
    const stats = sim.stats();
    expect(stats.requests).toBeGreaterThanOrEqual(100);
    expect(stats.rateLimited).toBe(0);
    expectAll(sim, r.messages);
  }, 120_000);

  test('another app spending part of the same key budget: the sync adapts and completes', async () => {
    // Below the default (a window's budget, 40), so that the bound on 429s below says something.
    const IN_FLIGHT = 4;
    sim = await simulator({
      seed: 32,
      rateLimit: { limit: 40, windowMs: 2000 },
      counts: { orders: 3000, shipments: 1500, fulfillments: 300, customers: 500 },
    });
    const other = setInterval(() => sim?.consumeBudget(sim.config.api_key, 3), 250);
    try {
      const r = await runCli(readArgs(sim, everything(), { config: { page_size: 100, max_concurrency: IN_FLIGHT } }), {
        timeoutMs: 90_000,
      });
      expect(r.code).toBe(0);
      expectAll(sim, r.messages);
      // A 429 can only come from the other app's requests landing between our reading of the headers and the
      // server counting ours, and after one the sync sends nothing until the window ends: so at most the requests
      // in flight at once (IN_FLIGHT) in any one window, however the machine schedules the two processes. A sync
      // that ignored both Remaining and 429s sends ~500 into a window (either defence alone holds the bound; the
      // unit tests of rateWindow check each). Counted per window the simulator opened: a span of our requests
      // straddles one window more than its length in windows, which the count by span forgot.
      const { timeline, timelineDropped } = sim.stats();
      expect(timelineDropped).toBe(0);
      const refusedPerWindow = new Map<number, number>();
      for (const e of timeline) {
        if (e.status !== 429) continue;
        expect(e.rateWindow).toBeDefined();
        refusedPerWindow.set(e.rateWindow!, (refusedPerWindow.get(e.rateWindow!) ?? 0) + 1);
      }
      expect(Math.max(0, ...refusedPerWindow.values())).toBeLessThanOrEqual(IN_FLIGHT);
    } finally {
      clearInterval(other);
    }
  }, 120_000);

  test('a long rate-limit wait is announced: RUNNING with a RATE_LIMITED reason whose quota_reset is epoch ms', async () => {
    sim = await simulator({
      seed: 33,
      rateLimit: { limit: 3, windowMs: 3000 },
      counts: { orders: 900, shipments: 10, fulfillments: 10 },
    });
    const started = Date.now();
    const r = await runCli(
      readArgs(sim, configuredCatalog([{ name: 'orders', mode: 'incremental' }]), { config: { page_size: 100 } }),
      { timeoutMs: 60_000 },
    );
    const ended = Date.now();
    expect(r.code).toBe(0);
    const limited = ofType(r.messages, 'TRACE')
      .map(
        (m) =>
          m.trace as {
            stream_status?: {
              status: string;
              reasons?: Array<{ type: string; rate_limited?: { quota_reset: number } }>;
            };
          },
      )
      .filter((t) => t.stream_status?.reasons?.length);
    expect(limited.length).toBeGreaterThan(0);
    const reset = limited[0]!.stream_status!.reasons![0]!;
    expect(reset.type).toBe('RATE_LIMITED');
    // Epoch ms of a window end during the run: not seconds, not a duration.
    expect(reset.rate_limited!.quota_reset).toBeGreaterThan(started);
    expect(reset.rate_limited!.quota_reset).toBeLessThan(ended + 3000 + 1000);
  }, 90_000);
});

/**
 * After this, every response the simulator has not started sending waits ten minutes: a sync that waited for
 * its requests in flight, or sent more, could not end before runCli's 45 s kill. No assertion on wall time.
 */
const HANG = { rates: { latency: 1 }, latencyMs: 600_000 };
const STOPPED_WITHIN_MS = 45_000;

describe('lifecycle', () => {
  test('SIGTERM: stops without waiting for requests in flight, non-zero, streams INCOMPLETE, last STATE kept; resuming completes', async () => {
    sim = await simulator({
      seed: 34,
      counts: { orders: 3000, shipments: 1000, fulfillments: 200 },
      faults: { rates: { latency: 1 }, latencyMs: 40 },
    });
    const args = readArgs(
      sim,
      configuredCatalog(INCREMENTAL_STREAMS.map((name) => ({ name, mode: 'incremental' as const }))),
      { config: { page_size: 100 } },
    );
    const child = spawn(process.execPath, [ENTRY, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    let out = '';
    let err = '';
    let terminated = false;
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      if (!terminated && out.includes('"type":"STATE"')) {
        terminated = true;
        sim!.setFaults(HANG);
        child.kill('SIGTERM');
      }
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    const kill = setTimeout(() => child.kill('SIGKILL'), STOPPED_WITHIN_MS);
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    clearTimeout(kill);
    expect(code).toBe(1);
    expect(err).not.toMatch(/at .*:\d+:\d+/);
    const messages = parseLines(out);
    for (const name of INCREMENTAL_STREAMS) expect(statusesOf(messages, name).at(-1)).toMatch(/INCOMPLETE|COMPLETE/);
    const errors = traceErrors(messages);
    expect(errors.length).toBeGreaterThanOrEqual(1);
    expect(errors[0]!.failure_type).toBe('transient_error');
    expect(errors[0]!.message).toMatch(/SIGTERM/);
    sim.setFaults({ rates: { latency: 0 } });
    const resumed = await runCli(
      readArgs(sim, configuredCatalog(INCREMENTAL_STREAMS.map((name) => ({ name, mode: 'incremental' as const }))), {
        config: { page_size: 100 },
        state: lastStates(messages),
      }),
    );
    expect(resumed.code).toBe(0);
    for (const stream of INCREMENTAL_STREAMS) {
      const got = byId([...recordsOf(messages, stream), ...recordsOf(resumed.messages, stream)], stream);
      expect(got.size).toBe(expectedTruth(sim, stream).size);
    }
  }, 60_000);

  test('a reader that closes stdout early (EPIPE) ends the sync quietly', async () => {
    sim = await simulator({ seed: 35, counts: { orders: 3000 }, faults: { rates: { latency: 1 }, latencyMs: 20 } });
    const args = readArgs(sim, configuredCatalog([{ name: 'orders', mode: 'incremental' }]), {
      config: { page_size: 100 },
    });
    const child = spawn(process.execPath, [ENTRY, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).not.toBeNull();
    // It learns of the closed pipe at its next write (backpressure keeps it at most a page or two ahead of the
    // reader), and stops there instead of reading the other pages: the whole read is 31 requests.
    expect(sim.stats().requests).toBeLessThan(10);
    expect(err).not.toMatch(/EPIPE|at .*:\d+:\d+/);
  }, 30_000);
});
