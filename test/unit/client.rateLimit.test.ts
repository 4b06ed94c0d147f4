// The limiter end to end over real HTTP against a small fixed-window server: full use of the budget without
// 429s, and adaptation when another app shares the key. Time is virtual (test/helpers/virtualTime.ts): the
// server's windows, the client's clock and its waits all run on jest's fake clock, which moves only while no
// request is in transit, so a loaded machine cannot stretch a window and the assertions can be exact.
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createShipStationClient, type ShipStationClient } from '../../src/shipstation/client.js';
import { RateLimiterRegistry } from '../../src/budget/rateLimiter.js';
import { settleInVirtualTime, useVirtualTime } from '../helpers/virtualTime.js';

const LIMIT = 40;
const WINDOW_MS = 2_000;

/**
 * ShipStation-style fixed window: it opens at the first request after the previous one ended. `latencyMs`
 * (virtual) passes between a request's arrival and the server counting and answering it.
 */
async function fixedWindowServer(latencyMs = 0) {
  /** Requests arrived and waiting out their latency: not on the wire. */
  let held = 0;
  let end = 0;
  let remaining = 0;
  const counts = { ok: 0, rejected: 0, other: 0 };
  /** Requests served in each window opened, in order, and when each opened. */
  const windows: number[] = [];
  const opened: number[] = [];
  const take = (now: number): { ok: boolean; reset: number } => {
    if (now >= end) {
      end = now + WINDOW_MS;
      remaining = LIMIT;
      windows.push(0);
      opened.push(now);
    }
    if (remaining > 0) windows[windows.length - 1]!++;
    const ok = remaining > 0;
    if (ok) remaining--;
    return { ok, reset: Math.ceil((end - now) / 1000) };
  };
  const answer = (res: ServerResponse): void => {
    const { ok, reset } = take(Date.now());
    if (ok) counts.ok++;
    else counts.rejected++;
    const body = JSON.stringify(ok ? { orders: [], total: 0, page: 1, pages: 0 } : { Message: 'Too Many Requests' });
    res.writeHead(ok ? 200 : 429, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
      'x-rate-limit-limit': LIMIT,
      'x-rate-limit-remaining': remaining,
      'x-rate-limit-reset': reset,
    });
    res.end(body);
  };
  const server = createServer((_req, res: ServerResponse) => {
    if (latencyMs === 0) return answer(res);
    held++;
    setTimeout(() => {
      held--;
      answer(res);
    }, latencyMs);
  });
  // Idle connections stay open: the server's keep-alive timeout runs on the real clock, the client's on the fake one.
  server.keepAliveTimeout = 0;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    counts,
    windows,
    opened,
    held: () => held,
    /** A request by another app on the same key. */
    otherApp(): void {
      if (take(Date.now()).ok) counts.other++;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const cleanups: (() => Promise<void>)[] = [];
beforeEach(() => useVirtualTime());
afterEach(async () => {
  // Closing the client hops through Bottleneck's timers: on the real clock.
  jest.useRealTimers();
  while (cleanups.length > 0) await cleanups.pop()?.();
});

/**
 * Runs `n` requests to completion in virtual time. An attempt is on the wire from its start until the client
 * has read the response headers; the server sends each small body with its headers, so what follows is work
 * in this process.
 */
async function run({ server, client, answered }: Setup, n: number): Promise<void> {
  let completed = 0;
  const all = Promise.all(
    Array.from({ length: n }, (_, i) => client.getJson('/orders', { page: i + 1 }).then(() => completed++)),
  );
  await settleInVirtualTime(all, {
    inTransit: () => client.stats().attempts > answered() + server.held(),
    progress: () => [server.counts, server.windows, client.stats().attempts, answered(), completed],
  });
}

interface Setup {
  server: Awaited<ReturnType<typeof fixedWindowServer>>;
  client: ShipStationClient;
  /** Responses whose headers the client has read. */
  answered: () => number;
}

async function setup(latencyMs = 0): Promise<Setup> {
  const server = await fixedWindowServer(latencyMs);
  let answered = 0;
  const client = createShipStationClient({
    baseUrl: server.url,
    apiKey: '0123456789abcdef0123456789abcdef',
    apiSecret: 'fedcba9876543210fedcba9876543210',
    maxConcurrent: 4,
    rateLimiters: new RateLimiterRegistry(),
    // The client logs every response's headers at debug level: the end of an exchange on the wire.
    logger: { debug: () => answered++, info() {}, warn() {}, error() {} },
  });
  cleanups.push(server.close, () => client.close());
  return { server, client, answered: () => answered };
}

describe('rate limiting against a 40-per-2-s fixed window', () => {
  // Budget use in time (ratio to the minimum) is measured by `npm run bench`; here, structurally: no 429,
  // and every window the sync opens is used in full, so no window is wasted. A limiter that waits while budget
  // is left (or waits past the window it could use) leaves a window short or needs a fourth one, and fails
  // the last assertion whatever the machine's load.
  it('runs 120 requests with no 429, filling every window it opens', async () => {
    const setupDone = await setup();
    const { server, client } = setupDone;
    const n = 120;
    await run(setupDone, n);
    expect(server.counts).toEqual({ ok: n, rejected: 0, other: 0 });
    expect(client.stats()).toMatchObject({ requestsSent: n, rateLimited: 0, maxInFlight: 4 });
    expect(server.windows).toEqual([LIMIT, LIMIT, LIMIT]);
    // Each new window is used as soon as the previous one ends (plus the limiter's 20 ms margin).
    expect(server.opened.slice(1).map((t, i) => t - server.opened[i]!)).toEqual([WINDOW_MS + 20, WINDOW_MS + 20]);
  });

  it('completes with few 429s while another app spends part of the budget', async () => {
    // With 50 ms per request the other app's polls land between ours.
    const setupDone = await setup(50);
    const { server, client } = setupDone;
    // The other app opened the window and spent 15 before we start, then keeps polling.
    for (let i = 0; i < 15; i++) server.otherApp();
    const other = setInterval(() => server.otherApp(), 100);
    cleanups.push(async () => clearInterval(other));
    const n = 50;
    await run(setupDone, n);
    expect(server.counts.ok).toBe(n);
    expect(server.counts.other).toBeGreaterThan(15);
    expect(server.counts.rejected).toBeLessThanOrEqual(3);
    expect(client.stats().rateLimited).toBe(server.counts.rejected);
  });
});
