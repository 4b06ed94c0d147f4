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
  configuredCatalog(ALL_STREAMS.map((name) => ({ name, mode: INCREMENTAL_STREAMS.includes(name) ? ('incremental' as const) : ('full_refresh' as const) })));

function expectAll(s: Simulator, messages: ReturnType<typeof parseLines>) {
  for (const stream of ALL_STREAMS) {
    const got = byId(recordsOf(messages, stream), stream);
    const want = expectedTruth(s, stream);
    expect({ stream, missing: [...want.keys()].filter((id) => !got.has(id)).length }).toEqual({ stream, missing: 0 });
  }
}

describe('one rate limiter for the whole sync', () => {
  test('100+ pages across streams at 40 requests per 2 s: complete, and no 429', async () => {
    sim = await simulator({ seed: 31, rateLimit: { limit: 40, windowMs: 2000 }, counts: { orders: 5200, shipments: 3100, fulfillments: 600, customers: 1200, products: 300 } });
    const r = await runCli(readArgs(sim, everything(), { config: { page_size: 100 } }), { timeoutMs: 90_000 });
    expect(r.code).toBe(0);
    const stats = sim.stats();
    expect(stats.requests).toBeGreaterThanOrEqual(100);
    expect(stats.rateLimited).toBe(0);
    expectAll(sim, r.messages);
  }, 120_000);

  test('another app spending part of the same key budget: the sync adapts and completes', async () => {
    sim = await simulator({ seed: 32, rateLimit: { limit: 40, windowMs: 2000 }, counts: { orders: 3000, shipments: 1500, fulfillments: 300, customers: 500 } });
    const other = setInterval(() => sim?.consumeBudget(sim.config.api_key, 3), 250);
    try {
      const r = await runCli(readArgs(sim, everything(), { config: { page_size: 100 } }), { timeoutMs: 90_000 });
      expect(r.code).toBe(0);
      expectAll(sim, r.messages);
      // A 429 can only come from the other app's requests landing between our reading of the headers and our send.
      expect(sim.stats().rateLimited).toBeLessThanOrEqual(Math.ceil(sim.stats().requests / 40));
    } finally {
      clearInterval(other);
    }
  }, 120_000);

  test('a long rate-limit wait is announced: RUNNING with a RATE_LIMITED reason whose quota_reset is epoch ms', async () => {
    sim = await simulator({ seed: 33, rateLimit: { limit: 3, windowMs: 3000 }, counts: { orders: 900, shipments: 10, fulfillments: 10 } });
    const r = await runCli(readArgs(sim, configuredCatalog([{ name: 'orders', mode: 'incremental' }]), { config: { page_size: 100 } }), { timeoutMs: 60_000 });
    expect(r.code).toBe(0);
    const limited = ofType(r.messages, 'TRACE')
      .map((m) => m.trace as { stream_status?: { status: string; reasons?: Array<{ type: string; rate_limited?: { quota_reset: number } }> } })
      .filter((t) => t.stream_status?.reasons?.length);
    expect(limited.length).toBeGreaterThan(0);
    const reset = limited[0]!.stream_status!.reasons![0]!;
    expect(reset.type).toBe('RATE_LIMITED');
    expect(reset.rate_limited!.quota_reset).toBeGreaterThan(Date.now() - 120_000);
    expect(reset.rate_limited!.quota_reset).toBeLessThan(Date.now() + 60_000);
  }, 90_000);
});

describe('lifecycle', () => {
  test('SIGTERM: stops promptly, non-zero, streams INCOMPLETE, last STATE kept; resuming completes', async () => {
    sim = await simulator({ seed: 34, counts: { orders: 3000, shipments: 1000, fulfillments: 200 }, faults: { rates: { latency: 1 }, latencyMs: 40 } });
    const args = readArgs(sim, configuredCatalog(INCREMENTAL_STREAMS.map((name) => ({ name, mode: 'incremental' as const }))), { config: { page_size: 100 } });
    const child = spawn(process.execPath, [ENTRY, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_OPTIONS: '' } });
    let out = '';
    let err = '';
    let termAt = 0;
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      if (!termAt && out.includes('"type":"STATE"')) {
        termAt = Date.now();
        child.kill('SIGTERM');
      }
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(Date.now() - termAt).toBeLessThan(5000);
    expect(code).toBe(1);
    expect(err).not.toMatch(/at .*:\d+:\d+/);
    const messages = parseLines(out);
    for (const name of INCREMENTAL_STREAMS) expect(statusesOf(messages, name).at(-1)).toMatch(/INCOMPLETE|COMPLETE/);
    const errors = traceErrors(messages);
    expect(errors.length).toBeGreaterThanOrEqual(1);
    expect(errors[0]!.failure_type).toBe('transient_error');
    expect(errors[0]!.message).toMatch(/SIGTERM/);
    const resumed = await runCli(readArgs(sim, configuredCatalog(INCREMENTAL_STREAMS.map((name) => ({ name, mode: 'incremental' as const }))), { config: { page_size: 100 }, state: lastStates(messages) }));
    expect(resumed.code).toBe(0);
    for (const stream of INCREMENTAL_STREAMS) {
      const got = byId([...recordsOf(messages, stream), ...recordsOf(resumed.messages, stream)], stream);
      expect(got.size).toBe(expectedTruth(sim, stream).size);
    }
  }, 60_000);

  test('a reader that closes stdout early (EPIPE) ends the sync quietly', async () => {
    sim = await simulator({ seed: 35, counts: { orders: 3000 }, faults: { rates: { latency: 1 }, latencyMs: 20 } });
    const args = readArgs(sim, configuredCatalog([{ name: 'orders', mode: 'incremental' }]), { config: { page_size: 100 } });
    const child = spawn(process.execPath, [ENTRY, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_OPTIONS: '' } });
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.stdout.once('data', () => child.stdout.destroy());
    const started = Date.now();
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(code).not.toBeNull();
    expect(err).not.toMatch(/EPIPE|at .*:\d+:\d+/);
  }, 30_000);
});
