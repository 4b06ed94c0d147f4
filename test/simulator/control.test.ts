import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { Simulator, StatsSnapshot } from '../../src/simulator/index.js';
import { apiGet, start, truthOf } from './helpers.js';

async function control<T = unknown>(
  sim: Simulator,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T; headers: Headers }> {
  const response = await fetch(`${sim.baseUrl}/__sim/${path}`, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: (text.startsWith('{') || text.startsWith('[') ? JSON.parse(text) : text) as T,
  };
}

describe('control endpoints', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await start({
      counts: { orders: 800, shipments: 300 },
      rateLimit: { limit: 40, windowMs: 60_000 },
      timelineLimit: 5,
    });
  });
  afterAll(() => sim.close());

  test('config mirrors the TypeScript API', async () => {
    const { body } = await control(sim, 'GET', 'config');
    expect(body).toEqual({ base_url: sim.baseUrl, config: sim.config, no_access_config: sim.noAccessConfig });
  });

  test('truth is served as JSON lines, equal to the generator, with the count in a header', async () => {
    for (const stream of ['orders', 'stores'] as const) {
      const response = await fetch(`${sim.baseUrl}/__sim/truth/${stream}`);
      expect(response.headers.get('content-type')).toMatch(/ndjson/);
      expect(response.headers.get('x-total-count')).toBe(String(sim.truthCount(stream)));
      const lines = (await response.text())
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line) as unknown);
      expect(lines).toEqual(truthOf(sim, stream));
    }
    expect((await control(sim, 'GET', 'truth/parcels')).status).toBe(404);
  });

  test('stats count API requests by path and status with a bounded timeline; control calls are not counted', async () => {
    await control(sim, 'POST', 'stats/reset');
    await apiGet(sim, '/orders', { pageSize: 3 });
    await apiGet(sim, '/orders', {}, null);
    await apiGet(sim, '/nowhere');
    for (let i = 0; i < 5; i++) await apiGet(sim, '/stores');
    const { body: stats, headers } = await control<StatsSnapshot>(sim, 'GET', 'stats');
    expect(headers.get('x-rate-limit-limit')).toBeNull();
    expect(stats.requests).toBe(8);
    expect(stats.byPath).toEqual({ '/orders': 2, '/nowhere': 1, '/stores': 5 });
    expect(stats.byStatus).toEqual({ '200': 6, '401': 1, '404': 1 });
    expect(stats.byPathStatus['/orders']).toEqual({ '200': 1, '401': 1 });
    expect(stats.timeline).toHaveLength(5);
    expect(stats.timelineDropped).toBe(3);
    expect(
      stats.timeline.every(
        (e) =>
          e.path === '/stores' &&
          e.status === 200 &&
          e.key === 'a1b2c3d4e5f60718293a4b5c6d7e8f90' &&
          typeof e.t === 'number',
      ),
    ).toBe(true);
    sim.resetStats();
    await apiGet(sim, '/orders', { pageSize: 3, sortBy: 'ModifyDate' }, null);
    expect(sim.stats().timeline).toEqual([
      {
        t: expect.any(Number),
        path: '/orders',
        query: 'pageSize=3&sortBy=ModifyDate',
        status: 401,
        key: null,
        rateWindow: expect.any(Number),
      },
    ]);
  });

  test('faults, fail-next and consume-budget can be driven over HTTP', async () => {
    expect((await control(sim, 'POST', 'faults', { rates: { error500: 1 } })).status).toBe(200);
    expect((await apiGet(sim, '/stores')).status).toBe(500);
    await control(sim, 'POST', 'faults', { rates: { error500: 0 } });
    expect((await apiGet(sim, '/stores')).status).toBe(200);
    expect((await control(sim, 'POST', 'faults', { rates: { error500: 2 } })).status).toBe(400);
    expect((await control(sim, 'POST', 'faults', { rates: { meteor: 0.1 } })).status).toBe(400);

    expect((await control(sim, 'POST', 'fail-next', { kind: 'error503', path: '/stores' })).status).toBe(200);
    expect((await apiGet(sim, '/stores')).status).toBe(503);
    expect((await control(sim, 'POST', 'fail-next', { kind: 'lightning' })).status).toBe(400);

    expect((await control(sim, 'POST', 'consume-budget', { units: 1000 })).status).toBe(200);
    const limited = await apiGet(sim, '/stores');
    expect(limited.status).toBe(429);
    expect((await control(sim, 'GET', 'stats')).status).toBe(200);
  });

  test('unknown control endpoints and malformed bodies are rejected with JSON', async () => {
    expect((await control<{ Message: string }>(sim, 'GET', 'nothing')).status).toBe(404);
    const response = await fetch(`${sim.baseUrl}/__sim/mutate`, { method: 'POST', body: '{not json' });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { Message: string }).Message).toMatch(/JSON/);
  });
});
