import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import type { Simulator } from '../../src/simulator/index.js';
import { apiGet, basicAuth, start } from './helpers.js';

/** What a client observes: the status, or how the exchange broke. */
async function outcome(sim: Simulator, path: string): Promise<string> {
  let response: Response;
  try {
    response = await fetch(`${sim.baseUrl}${path}`, { headers: { Authorization: basicAuth(sim.config) } });
  } catch {
    return 'reset';
  }
  try {
    const text = await response.text();
    return `${response.status}${text.startsWith('<html>') ? ' html' : ''}`;
  } catch {
    return `${response.status} truncated`;
  }
}

describe('targeted fault injection', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await start({ counts: { orders: 300 }, faults: { latencyMs: 300, slowBodyChunks: 4, slowBodyDelayMs: 100 } });
  });
  afterEach(() => sim.clearFailNext());
  afterAll(() => sim.close());

  test('5xx with JSON or HTML bodies', async () => {
    sim.failNext({ kind: 'error500' });
    const e500 = await apiGet<{ Message: string }>(sim, '/orders');
    expect(e500.status).toBe(500);
    expect(e500.body.Message).toBeDefined();

    sim.failNext({ kind: 'error502' });
    const e502 = await apiGet(sim, '/orders');
    expect(e502.status).toBe(502);
    expect(e502.headers.get('content-type')).toMatch(/^text\/html/);
    expect(e502.text).toMatch(/^<html>[\s\S]*502 Bad Gateway/);

    sim.failNext({ kind: 'error503', count: 2, html: false });
    const e503 = await apiGet<{ Message: string }>(sim, '/orders');
    expect(e503.status).toBe(503);
    expect(e503.headers.get('content-type')).toMatch(/json/);
    expect((await apiGet(sim, '/orders')).status).toBe(503);
    expect((await apiGet(sim, '/orders')).status).toBe(200);
  });

  test('a connection reset destroys the socket before any response', async () => {
    sim.failNext({ kind: 'reset' });
    await expect(
      fetch(`${sim.baseUrl}/orders`, { headers: { Authorization: basicAuth(sim.config) } }),
    ).rejects.toThrow();
    expect(await outcome(sim, '/orders')).toBe('200');
  });

  test('a truncated body announces the full Content-Length, sends half, then closes', async () => {
    const full = await apiGet(sim, '/orders', { pageSize: 50 });
    sim.failNext({ kind: 'truncate' });
    const response = await fetch(`${sim.baseUrl}/orders?pageSize=50`, {
      headers: { Authorization: basicAuth(sim.config) },
    });
    expect(response.status).toBe(200);
    expect(Number(response.headers.get('content-length'))).toBe(Buffer.byteLength(full.text));
    await expect(response.text()).rejects.toThrow();
  });

  test('latency delays the response; slow bodies arrive in chunks but intact', async () => {
    const normal = await apiGet(sim, '/orders', { pageSize: 20 });
    sim.failNext({ kind: 'latency' });
    let t = performance.now();
    const delayed = await apiGet(sim, '/orders', { pageSize: 20 });
    expect(performance.now() - t).toBeGreaterThanOrEqual(280);
    expect(delayed.text).toBe(normal.text);

    sim.failNext({ kind: 'slowBody' });
    t = performance.now();
    const slow = await apiGet(sim, '/orders', { pageSize: 20 });
    expect(performance.now() - t).toBeGreaterThanOrEqual(280);
    expect(slow.text).toBe(normal.text);
  });

  test('a path-scoped fault only hits that path', async () => {
    sim.failNext({ kind: 'error500', path: '/shipments' });
    expect(await outcome(sim, '/orders')).toBe('200');
    expect(await outcome(sim, '/shipments?pageSize=1')).toBe('500');
    expect(await outcome(sim, '/shipments?pageSize=1')).toBe('200');
  });

  test('faults are counted by kind; control endpoints are never faulted', async () => {
    sim.resetStats();
    sim.setFaults({ rates: { reset: 1 } });
    try {
      expect(await outcome(sim, '/orders')).toBe('reset');
      const stats = await fetch(`${sim.baseUrl}/__sim/stats`);
      expect(stats.status).toBe(200);
      const body = (await stats.json()) as {
        faults: Record<string, number>;
        byStatus: Record<string, number>;
        timeline: { status: number | null }[];
      };
      expect(body.faults).toEqual({ reset: 1 });
      expect(body.byStatus).toEqual({ reset: 1 });
      expect(body.timeline.map((e) => e.status)).toEqual([null]);
    } finally {
      sim.setFaults({ rates: { reset: 0 } });
    }
    sim.failNext({ kind: 'error502' });
    sim.failNext({ kind: 'truncate' });
    await outcome(sim, '/orders');
    await outcome(sim, '/orders');
    expect(sim.stats().faults).toEqual({ reset: 1, error502: 1, truncate: 1 });
  });

  test('concurrency in flight is tracked', async () => {
    sim.resetStats();
    sim.failNext({ kind: 'latency', count: 6 });
    await Promise.all(Array.from({ length: 6 }, () => apiGet(sim, '/stores')));
    expect(sim.stats().maxInFlight).toBe(6);
    expect(sim.stats().inFlight).toBe(0);
  });
});

describe('random faults', () => {
  const rates = { error500: 0.15, error502: 0.1, error503: 0.1, reset: 0.1, truncate: 0.1 };

  async function sequence(seed: number): Promise<{ outcomes: string[]; faults: Record<string, number> }> {
    const sim = await start({ seed, counts: { orders: 50 }, faults: { rates, htmlShare: 0.5 } });
    try {
      const outcomes: string[] = [];
      for (let i = 0; i < 60; i++) outcomes.push(await outcome(sim, '/orders?pageSize=5'));
      return { outcomes, faults: sim.stats().faults };
    } finally {
      await sim.close();
    }
  }

  test('are deterministic by seed and cover every kind', async () => {
    const a = await sequence(42);
    const b = await sequence(42);
    const c = await sequence(43);
    expect(b.outcomes).toEqual(a.outcomes);
    expect(c.outcomes).not.toEqual(a.outcomes);
    expect(new Set(a.outcomes)).toEqual(
      new Set(['200', '500', '500 html', '502', '502 html', '503', '503 html', 'reset', '200 truncated']),
    );
    const injected = Object.values(a.faults).reduce((sum, n) => sum + n, 0);
    expect(injected).toBe(a.outcomes.filter((o) => o !== '200').length);
  });
});
