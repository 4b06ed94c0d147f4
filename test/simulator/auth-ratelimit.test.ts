import { afterAll, afterEach, beforeAll, describe, expect, jest, test } from '@jest/globals';
import type { Simulator } from '../../src/simulator/index.js';
import { useVirtualTime } from '../helpers/virtualTime.js';
import { FakeClock, apiGet, start } from './helpers.js';

function rateHeaders(headers: Headers): [string | null, string | null, string | null] {
  return [headers.get('x-rate-limit-limit'), headers.get('x-rate-limit-remaining'), headers.get('x-rate-limit-reset')];
}

describe('authentication', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await start({ rateLimit: { limit: 1000, windowMs: 60_000 } });
  });
  afterAll(() => sim.close());

  test('valid credentials get data', async () => {
    expect(sim.config).toEqual({
      api_key: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
      api_secret: '5ec12e75ec12e75ec12e75ec12e75ec1',
      base_url: sim.baseUrl,
      settle_seconds: 0,
    });
    expect((await apiGet(sim, '/stores')).status).toBe(200);
  });

  test('missing credentials → 401 with a plain body, wrong ones → 401 with JSON; both carry rate-limit headers', async () => {
    const missing = await apiGet(sim, '/orders', {}, null);
    expect(missing.status).toBe(401);
    expect(missing.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(missing.text).toBe('401 Unauthorized');
    expect(rateHeaders(missing.headers)[0]).toBe('1000');

    const wrong = await apiGet<{ Message: string }>(sim, '/orders', {}, { ...sim.config, api_secret: 'nope' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.Message).toMatch(/denied/);
    expect(rateHeaders(wrong.headers)[1]).not.toBeNull();

    const unknownKey = await apiGet(sim, '/orders', {}, { ...sim.config, api_key: 'other' });
    expect(unknownKey.status).toBe(401);
  });

  test('the no-API-access account gets 403 with a JSON message', async () => {
    expect(sim.noAccessConfig).toMatchObject({
      api_key: '0bad0bad0bad0bad0bad0bad0bad0bad',
      api_secret: 'dead0baddead0baddead0baddead0bad',
    });
    const response = await apiGet<{ Message: string }>(sim, '/stores', {}, sim.noAccessConfig);
    expect(response.status).toBe(403);
    expect(response.body.Message).toMatch(/API access/);
    expect(rateHeaders(response.headers)[2]).not.toBeNull();
  });

  test('credentials are overridable', async () => {
    const custom = await start({ credentials: { apiKey: 'k', apiSecret: 's' }, noAccessCredentials: { apiKey: 'nk' } });
    try {
      expect((await apiGet(custom, '/stores', {}, { ...custom.config })).status).toBe(200);
      expect(
        (
          await apiGet(
            custom,
            '/stores',
            {},
            {
              api_key: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
              api_secret: '5ec12e75ec12e75ec12e75ec12e75ec1',
              base_url: '',
              settle_seconds: 0,
            },
          )
        ).status,
      ).toBe(401);
      expect((await apiGet(custom, '/stores', {}, custom.noAccessConfig)).status).toBe(403);
      expect(custom.noAccessConfig.api_secret).toBe('dead0baddead0baddead0baddead0bad');
    } finally {
      await custom.close();
    }
  });
});

describe('rate limiting (fixed window per key, injected clock)', () => {
  const clock = new FakeClock(Date.UTC(2025, 0, 1, 12));
  let sim: Simulator;
  beforeAll(async () => {
    sim = await start({ rateLimit: { limit: 5, windowMs: 2_500 }, clock: clock.read });
  });
  afterAll(() => sim.close());

  test('remaining counts down, reset is whole seconds left rounded up, the excess request gets 429', async () => {
    const seen: [string | null, string | null, string | null][] = [];
    for (let i = 0; i < 5; i++) {
      const response = await apiGet(sim, '/stores');
      expect(response.status).toBe(200);
      seen.push(rateHeaders(response.headers));
      clock.advance(400);
    }
    // Window opened at t0 and lasts 2.5 s: at t0+1.6 s 0.9 s are left → "1".
    expect(seen).toEqual([
      ['5', '4', '3'],
      ['5', '3', '3'],
      ['5', '2', '2'],
      ['5', '1', '2'],
      ['5', '0', '1'],
    ]);
    const limited = await apiGet<{ Message: string }>(sim, '/orders');
    expect(limited.status).toBe(429);
    expect(limited.body.Message).toMatch(/Too Many Requests/);
    expect(rateHeaders(limited.headers)).toEqual(['5', '0', '1']);
    expect(limited.headers.get('retry-after')).toBeNull();
    expect(sim.stats().rateLimited).toBe(1);
  });

  test('429s use no budget and the next window opens at the first request after expiry', async () => {
    clock.advance(800); // t0+2.8 s: the first window has ended
    clock.advance(5_000); // nothing happens while idle: windows open on demand
    const first = await apiGet(sim, '/stores');
    expect(rateHeaders(first.headers)).toEqual(['5', '4', '3']);
    clock.advance(2_499);
    expect(rateHeaders((await apiGet(sim, '/stores')).headers)).toEqual(['5', '3', '1']);
    clock.advance(1);
    expect(rateHeaders((await apiGet(sim, '/stores')).headers)).toEqual(['5', '4', '3']);
  });

  test('budgets are per API key: wrong and missing credentials do not touch the account', async () => {
    clock.advance(10_000);
    for (let i = 0; i < 5; i++) expect((await apiGet(sim, '/stores', {}, null)).status).toBe(401);
    expect((await apiGet(sim, '/stores', {}, null)).status).toBe(429);
    expect(rateHeaders((await apiGet(sim, '/stores')).headers)[1]).toBe('4');
  });

  test('consumeBudget simulates another app on the same key', async () => {
    clock.advance(10_000);
    sim.consumeBudget('a1b2c3d4e5f60718293a4b5c6d7e8f90', 3);
    expect(rateHeaders((await apiGet(sim, '/stores')).headers)[1]).toBe('1');
    sim.consumeBudget('a1b2c3d4e5f60718293a4b5c6d7e8f90', 10);
    expect((await apiGet(sim, '/stores')).status).toBe(429);
  });

  test('a 429 storm answers 429 regardless of budget and uses none', async () => {
    clock.advance(10_000);
    sim.failNext({ kind: 'rateLimit', count: 3 });
    for (let i = 0; i < 3; i++) {
      const response = await apiGet(sim, '/orders');
      expect(response.status).toBe(429);
      expect(rateHeaders(response.headers)[1]).toBe('0');
    }
    const after = await apiGet(sim, '/orders');
    expect(after.status).toBe(200);
    expect(rateHeaders(after.headers)[1]).toBe('4');
    expect(sim.stats().faults.rateLimit).toBe(3);
  });
});

describe('rate limiting on the default clock (Date.now)', () => {
  // Date.now is jest's fake clock here, so a loaded machine cannot end the window between the 41 requests.
  afterEach(() => {
    jest.useRealTimers();
  });

  test('40 per 2 s: the 41st request is limited until the window ends', async () => {
    useVirtualTime();
    const sim = await start({ rateLimit: { limit: 40, windowMs: 2_000 } });
    try {
      const statuses = await Promise.all(
        Array.from({ length: 41 }, () => apiGet(sim, '/warehouses').then((r) => r.status)),
      );
      expect(statuses.filter((s) => s === 200)).toHaveLength(40);
      expect(statuses.filter((s) => s === 429)).toHaveLength(1);
      const limited = await apiGet(sim, '/warehouses');
      const reset = Number(limited.headers.get('x-rate-limit-reset'));
      expect(limited.status).toBe(429);
      expect(reset).toBeGreaterThanOrEqual(1);
      expect(reset).toBeLessThanOrEqual(2);
      jest.advanceTimersByTime(reset * 1000 + 50);
      const next = await apiGet(sim, '/warehouses');
      expect(next.status).toBe(200);
      expect(next.headers.get('x-rate-limit-remaining')).toBe('39');
    } finally {
      await sim.close();
    }
  });

  test('rate limiting can be disabled: no headers, no 429', async () => {
    const sim = await start({ rateLimit: null });
    try {
      const statuses = await Promise.all(Array.from({ length: 60 }, () => apiGet(sim, '/warehouses')));
      expect(statuses.every((r) => r.status === 200 && r.headers.get('x-rate-limit-limit') === null)).toBe(true);
    } finally {
      await sim.close();
    }
  });
});
