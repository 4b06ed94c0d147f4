import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { RateLimiter, RateLimiterRegistry, type Permit, type RateLimitWaitInfo } from '../../src/budget/rateLimiter.js';
import { DEFAULT_SAFETY_MARGIN_MS, type RateHeaders } from '../../src/budget/rateWindow.js';
import { Pacer } from '../../src/engine/read/pacer.js';

const T0 = 1_700_000_000_000;
const MARGIN = DEFAULT_SAFETY_MARGIN_MS;

/** A server-side fixed window in simulated time: opens at the first request after the previous one ended. */
function fixedWindowServer(limit: number, windowMs: number) {
  let end = Number.NEGATIVE_INFINITY;
  let remaining = 0;
  const state = { accepted: 0, rejected: 0 };
  return {
    state,
    /** `ours` false: another app on the same key, not counted in `state`. */
    hit(now: number, ours = true): { status: number; headers: RateHeaders } {
      if (now >= end) {
        end = now + windowMs;
        remaining = limit;
      }
      const resetSeconds = Math.ceil((end - now) / 1000);
      if (remaining === 0) {
        if (ours) state.rejected++;
        return { status: 429, headers: { limit, remaining: 0, resetSeconds } };
      }
      remaining--;
      if (ours) state.accepted++;
      return { status: 200, headers: { limit, remaining, resetSeconds } };
    },
  };
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** Bottleneck hops through zero-delay timers: step the fake clock until the promise settles. */
async function settle<T>(promise: Promise<T>, maxMs = 120_000, stepMs = 10): Promise<T> {
  let done = false;
  promise.then(
    () => (done = true),
    () => (done = true),
  );
  for (let waited = 0; !done && waited < maxMs; waited += stepMs) await jest.advanceTimersByTimeAsync(stepMs);
  return promise;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A job with network latency: the server counts it halfway through the round trip. */
function latentJob(server: ReturnType<typeof fixedWindowServer>, oneWayMs: number, finished: number[]) {
  return async (permit: Permit): Promise<number> => {
    await sleep(oneWayMs);
    const res = server.hit(Date.now());
    await sleep(oneWayMs);
    if (res.status === 429) permit.rejected(res.headers, Date.now());
    else permit.observed(res.headers, Date.now());
    finished.push(Date.now());
    return res.status;
  };
}

let limiters: RateLimiter[] = [];
function newLimiter(opts: ConstructorParameters<typeof RateLimiter>[0] = {}): RateLimiter {
  const l = new RateLimiter({ clock: Date.now, ...opts });
  limiters.push(l);
  return l;
}

beforeEach(() => {
  jest.useFakeTimers({ now: T0 });
});

afterEach(async () => {
  await settle(Promise.all(limiters.map((l) => l.stop())));
  limiters = [];
  jest.useRealTimers();
});

describe('RateLimiter', () => {
  it('never runs more than maxConcurrent jobs at once', async () => {
    const limiter = newLimiter({ maxConcurrent: 2 });
    const gates = Array.from({ length: 5 }, () => deferred());
    let running = 0;
    let maxRunning = 0;
    const jobs = gates.map((g) =>
      limiter.schedule(async (permit) => {
        running++;
        maxRunning = Math.max(maxRunning, running);
        permit.observed({ limit: 40, remaining: 30, resetSeconds: 60 }, Date.now());
        await g.promise;
        running--;
      }),
    );
    await jest.advanceTimersByTimeAsync(10);
    expect(running).toBe(2);
    gates.forEach((g) => g.resolve());
    await jest.advanceTimersByTimeAsync(10);
    await Promise.all(jobs);
    expect(maxRunning).toBe(2);
    expect(limiter.stats()).toMatchObject({ requestsSent: 5, maxInFlight: 2 });
  });

  it('holds jobs at the window end the headers announce, and reports the wait', async () => {
    const server = fixedWindowServer(3, 10_000);
    const limiter = newLimiter({ maxConcurrent: 4 });
    const waits: RateLimitWaitInfo[] = [];
    const done: number[] = [];
    const job = async (permit: Permit): Promise<void> => {
      const res = server.hit(Date.now());
      permit.observed(res.headers, Date.now());
      done.push(Date.now() - T0);
    };
    const jobs = Array.from({ length: 7 }, () => limiter.schedule(job, { onWait: (i) => waits.push(i) }));
    await settle(Promise.all(jobs));
    expect(server.state).toEqual({ accepted: 7, rejected: 0 });
    // Bottleneck's zero-delay hops make the first send happen a few fake ms after T0.
    const first = done[0] ?? 0;
    const rel = done.map((t) => t - first);
    expect(rel.filter((t) => t < 10_000)).toHaveLength(3);
    expect(rel.filter((t) => t >= 10_000 && t < 20_000)).toHaveLength(3);
    // The next window is used one margin after the announced end (here exact: our request opened the window).
    expect(Math.min(...rel.filter((t) => t >= 10_000))).toBe(10_000 + MARGIN);
    expect(waits[0]).toMatchObject({ untilEpochMs: T0 + first + 10_000 + MARGIN, reason: 'window_exhausted' });
    expect(limiter.stats().waitedMs).toBeGreaterThanOrEqual(20_000);
  });

  it('after a 429 waits for the announced reset plus jitter, reason http_429', async () => {
    const limiter = newLimiter({ random: () => 0.5 });
    const waits: RateLimitWaitInfo[] = [];
    let rejectedAt = 0;
    await expect(
      settle(
        limiter.schedule(async (permit) => {
          rejectedAt = Date.now();
          permit.rejected({ limit: 40, remaining: 0, resetSeconds: 5 }, rejectedAt);
          throw new Error('429');
        }),
      ),
    ).rejects.toThrow('429');
    let sentAt = 0;
    const retry = limiter.schedule(
      async (permit) => {
        sentAt = permit.sentAt;
        permit.observed({ limit: 40, remaining: 39, resetSeconds: 60 }, Date.now());
      },
      { onWait: (i) => waits.push(i) },
    );
    await settle(retry);
    expect(sentAt - rejectedAt).toBe(5_000 + MARGIN + 125);
    expect(waits[0]?.reason).toBe('http_429');
    expect(limiter.stats().rateLimited).toBe(1);
  });

  it('counts a job that failed without a response against the window', async () => {
    const limiter = newLimiter();
    await settle(
      limiter.schedule(async (permit) => permit.observed({ limit: 40, remaining: 1, resetSeconds: 30 }, Date.now())),
    );
    await expect(settle(limiter.schedule(async () => Promise.reject(new Error('ECONNRESET'))))).rejects.toThrow(
      'ECONNRESET',
    );
    expect(limiter.window.available(Date.now())).toBe(0);
  });

  it('rejects a waiting job as soon as its signal aborts', async () => {
    const limiter = newLimiter();
    await settle(
      limiter.schedule(async (permit) => permit.observed({ limit: 40, remaining: 0, resetSeconds: 60 }, Date.now())),
    );
    const controller = new AbortController();
    const waiting = limiter.schedule(async () => 'sent', { signal: controller.signal });
    const outcome = waiting.then(
      () => 'sent',
      (err: unknown) => err,
    );
    await jest.advanceTimersByTimeAsync(1_000);
    controller.abort(new Error('SIGTERM'));
    await jest.advanceTimersByTimeAsync(0);
    expect(await outcome).toEqual(new Error('SIGTERM'));
    expect(limiter.stats().requestsSent).toBe(1);
  });

  it('stop() rejects jobs that wait for budget', async () => {
    const limiter = newLimiter();
    await settle(
      limiter.schedule(async (permit) => permit.observed({ limit: 40, remaining: 0, resetSeconds: 60 }, Date.now())),
    );
    const waiting = limiter.schedule(async () => 'sent');
    const outcome = waiting.then(
      () => 'sent',
      (err: unknown) => (err instanceof Error ? err.message : String(err)),
    );
    await jest.advanceTimersByTimeAsync(100);
    await settle(limiter.stop());
    expect(await outcome).toMatch(/stopped/);
  });
});

describe('RateLimiter against a simulated 40-per-minute window (fake time)', () => {
  it('uses at least 97 % of the budget with no 429s', async () => {
    const server = fixedWindowServer(40, 60_000);
    const limiter = newLimiter({ maxConcurrent: 4 });
    const finished: number[] = [];
    const n = 200;
    const jobs = Array.from({ length: n }, () => limiter.schedule(latentJob(server, 150, finished)));
    const start = Date.now();
    await settle(Promise.all(jobs), 600_000, 100);
    const elapsed = Math.max(...finished) - start;
    const minimum = (Math.ceil(n / 40) - 1) * 60_000;
    expect(server.state).toEqual({ accepted: n, rejected: 0 });
    expect(minimum / elapsed).toBeGreaterThanOrEqual(0.97);
  });

  it('adapts when another app spends part of the budget', async () => {
    const server = fixedWindowServer(40, 60_000);
    let othersServed = 0;
    // Another app on the same key, polling every 700 ms: it competes with our burst at each window start.
    const other = setInterval(() => {
      if (server.hit(Date.now(), false).status === 200) othersServed++;
    }, 700);
    const limiter = newLimiter({ maxConcurrent: 4 });
    const finished: number[] = [];
    const n = 100;
    const jobs = Array.from({ length: n }, async () => {
      while ((await limiter.schedule(latentJob(server, 150, finished))) === 429);
    });
    const start = Date.now();
    await settle(Promise.all(jobs), 900_000, 100);
    clearInterval(other);
    const windows = Math.ceil((Math.max(...finished) - start) / 60_000);
    expect(server.state.accepted).toBe(n);
    expect(othersServed).toBeGreaterThan(0);
    expect(limiter.stats().rateLimited).toBe(server.state.rejected);
    // Each window our share is what the other app leaves; the odd 429 at a window's end is tolerated.
    expect(windows).toBeLessThanOrEqual(Math.ceil(n / 30));
    expect(server.state.rejected).toBeLessThanOrEqual(2 * windows);
  });
});

describe('the last window without rate-limit headers (API v2, fake time)', () => {
  /** v2's answer: no X-Rate-Limit-* headers; the server's fixed window still counts every request. */
  function headerlessJob(server: ReturnType<typeof fixedWindowServer>, sent: number[]) {
    return async (permit: Permit): Promise<void> => {
      sent.push(permit.sentAt);
      const res = server.hit(Date.now());
      await sleep(2500);
      if (res.status === 429) permit.rejected({}, Date.now(), 60);
      else permit.observed({}, Date.now());
    };
  }

  it('queues every request the next window carries while this one is spent, and sends them all when it opens', async () => {
    const server = fixedWindowServer(10, 60_000);
    const limiter = newLimiter({ requestsPerMinute: 10, maxConcurrent: 20 });
    const pacer = new Pacer(() => limiter.capacity());
    const first: number[] = [];
    await settle(Promise.all(Array.from({ length: 10 }, () => limiter.schedule(headerlessJob(server, first)))));
    // A slow process: paced to it, ⌈2500 / 1000⌉ + 1 = 4 requests in flight at most.
    pacer.processed(2000);
    pacer.report('shipments', 30);
    expect(pacer.spare()).toBe(4);
    // The rest fits in the next window: all of it waits for the reset, holding no page until it is sent.
    pacer.report('shipments', 8);
    expect(pacer.spare()).toBe(8);
    const last: number[] = [];
    await settle(Promise.all(Array.from({ length: 8 }, () => limiter.schedule(headerlessJob(server, last)))));
    expect(server.state).toEqual({ accepted: 18, rejected: 0 });
    expect(new Set(last).size).toBe(1);
    expect(last[0]).toBeGreaterThanOrEqual(first[0]! + 60_000);
  });
});

describe('RateLimiterRegistry', () => {
  it('shares one limiter per key and server, and stops it when the last holder releases it', async () => {
    const registry = new RateLimiterRegistry();
    const a = registry.acquire('https://ssapi.shipstation.com', 'key-1');
    const b = registry.acquire('https://ssapi.shipstation.com', 'key-1');
    const other = registry.acquire('https://ssapi.shipstation.com', 'key-2');
    const local = registry.acquire('http://127.0.0.1:8080', 'key-1');
    expect(b.limiter).toBe(a.limiter);
    expect(other.limiter).not.toBe(a.limiter);
    expect(local.limiter).not.toBe(a.limiter);
    await settle(a.release());
    await expect(settle(b.limiter.schedule(async () => 'ok'))).resolves.toBe('ok');
    await settle(b.release());
    await expect(b.limiter.schedule(async () => 'ok')).rejects.toThrow(/stopped/);
    expect(registry.acquire('https://ssapi.shipstation.com', 'key-1').limiter).not.toBe(a.limiter);
    await settle(Promise.all([other.release(), local.release()]));
  });
});
