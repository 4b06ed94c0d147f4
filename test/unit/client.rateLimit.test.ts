// The limiter end to end over real HTTP, in real time, against a small fixed-window server (short windows
// keep it quick): full use of the budget without 429s, and adaptation when another app shares the key.
import { afterEach, describe, expect, it } from '@jest/globals';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createShipStationClient, type ShipStationClient } from '../../src/shipstation/client.js';
import { RateLimiterRegistry } from '../../src/shipstation/rateLimiter.js';

const LIMIT = 40;
const WINDOW_MS = 2_000;

/** ShipStation-style fixed window: it opens at the first request after the previous one ended. */
async function fixedWindowServer() {
  let end = 0;
  let remaining = 0;
  const counts = { ok: 0, rejected: 0, other: 0 };
  /** Requests served in each window opened, in order. */
  const windows: number[] = [];
  const take = (now: number): { ok: boolean; reset: number } => {
    if (now >= end) {
      end = now + WINDOW_MS;
      remaining = LIMIT;
      windows.push(0);
    }
    if (remaining > 0) windows[windows.length - 1]!++;
    const ok = remaining > 0;
    if (ok) remaining--;
    return { ok, reset: Math.ceil((end - now) / 1000) };
  };
  const server = createServer((_req, res: ServerResponse) => {
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
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    counts,
    windows,
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
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

async function setup(): Promise<{ server: Awaited<ReturnType<typeof fixedWindowServer>>; client: ShipStationClient }> {
  const server = await fixedWindowServer();
  const client = createShipStationClient({
    baseUrl: server.url,
    apiKey: '0123456789abcdef0123456789abcdef',
    apiSecret: 'fedcba9876543210fedcba9876543210',
    maxConcurrent: 4,
    rateLimiters: new RateLimiterRegistry(),
  });
  cleanups.push(server.close, () => client.close());
  return { server, client };
}

describe('rate limiting against a 40-per-2-s fixed window', () => {
  // Budget use in time (ratio to the minimum) is measured by `npm run bench`; here, structurally: no 429,
  // and every window the sync opens is used in full, so no window is wasted.
  it('runs 120 requests with no 429, filling every window it opens', async () => {
    const { server, client } = await setup();
    const n = 120;
    await Promise.all(Array.from({ length: n }, (_, i) => client.getJson('/orders', { page: i + 1 })));
    expect(server.counts).toEqual({ ok: n, rejected: 0, other: 0 });
    expect(client.stats()).toMatchObject({ requestsSent: n, rateLimited: 0, maxInFlight: 4 });
    expect(server.windows).toEqual([LIMIT, LIMIT, LIMIT]);
  });

  it('completes with few 429s while another app spends part of the budget', async () => {
    const { server, client } = await setup();
    // The other app opened the window and spent 15 before we start, then keeps polling.
    for (let i = 0; i < 15; i++) server.otherApp();
    const other = setInterval(() => server.otherApp(), 100);
    cleanups.push(async () => clearInterval(other));
    const n = 50;
    await Promise.all(Array.from({ length: n }, (_, i) => client.getJson('/orders', { page: i + 1 })));
    expect(server.counts.ok).toBe(n);
    expect(server.counts.other).toBeGreaterThan(15);
    expect(server.counts.rejected).toBeLessThanOrEqual(3);
    expect(client.stats().rateLimited).toBe(server.counts.rejected);
  });
});
