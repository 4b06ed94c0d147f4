// Requests undici refuses before sending (issue #21): a header value with a line break, a path with one. Such a
// refusal is no network failure (not retried) and must give back everything it held: its limiter permit, and the
// pool connection undici's Pool would otherwise never free (on main, the next request then waited for ever).
import { afterEach, describe, expect, it } from '@jest/globals';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConnectorError } from '../../src/errors.js';
import {
  createShipStationClient,
  type ShipStationClient,
  type ShipStationClientOptions,
} from '../../src/shipstation/client.js';
import { RateLimiterRegistry } from '../../src/budget/rateLimiter.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  // Bounded: a client whose pool lost its connections (the bug) would wait for ever to close.
  while (cleanups.length > 0) await within(2_000, cleanups.pop()!()).catch(() => undefined);
});

async function serve(): Promise<{ url: string; paths: string[] }> {
  const paths: string[] = [];
  const server = createServer((req, res: ServerResponse) => {
    paths.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('[]');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, paths };
}

function client(baseUrl: string, overrides: Partial<ShipStationClientOptions> = {}): ShipStationClient {
  const c = createShipStationClient({
    baseUrl,
    apiKey: 'key-0123456789',
    apiSecret: 'secret-0123456789',
    requestTimeoutMs: 1_000,
    maxRetryTimeMs: 3_000,
    retryBackoff: { minMs: 10, maxMs: 20 },
    rateLimiters: new RateLimiterRegistry(),
    ...overrides,
  });
  cleanups.push(() => c.close());
  return c;
}

/** The promise, or a rejection naming the hang: a regression fails with a message instead of the test timeout. */
function within<T>(ms: number, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still pending after ${ms} ms (hung)`)), ms);
  });
  return Promise.race([promise, hang]).finally(() => clearTimeout(timer));
}

async function failureOf(promise: Promise<unknown>): Promise<ConnectorError> {
  const err = await within(2_000, promise).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ConnectorError);
  return err as ConnectorError;
}

describe('a request undici refuses before sending', () => {
  it.each([
    ['a line break', 'pk-VALUE\nrest'],
    ['a carriage return', 'pk-VALUE\rrest'],
    ['a NUL', 'pk-VALUE\u0000rest'],
    ['a character past U+00FF', 'pk-VALUE\u20acrest'],
  ])(
    'a partner key with %s: one attempt, a system_error naming no value, the limiter left with 0 in flight',
    async (_what, partnerKey) => {
      const { url, paths } = await serve();
      const c = client(url, { partnerKey });
      const err = await failureOf(c.getJson('/warehouses'));
      expect(err.failureType).toBe('system_error');
      expect(err.message).toMatch(
        /^The HTTP client refused to send the request for \/warehouses to ShipStation at 127\.0\.0\.1:\d+ \(an invalid header value or path\)/,
      );
      expect(`${err.message} ${err.internal}`).not.toContain('VALUE');
      expect(c.stats().attempts).toBe(1);
      expect(paths).toEqual([]);
      expect(c.capacity()).toMatchObject({ inFlight: 0, queued: 0 });
    },
  );

  it('gives its pool connection back: with one connection, refused requests are followed by one that succeeds', async () => {
    const { url, paths } = await serve();
    const c = client(url, { maxConcurrent: 1 });
    for (let i = 0; i < 3; i++) {
      const err = await failureOf(c.getJson('/bad\npath'));
      expect(err.failureType).toBe('system_error');
    }
    expect(c.capacity()).toMatchObject({ inFlight: 0, queued: 0 });
    const ok = await within(2_000, c.getJson('/warehouses'));
    expect(ok.status).toBe(200);
    expect(paths).toEqual(['/warehouses']);
    expect(c.stats().attempts).toBe(4);
  });

  it('gives its connection back under concurrency: refusals among parallel requests leave every good one to finish', async () => {
    const { url } = await serve();
    const c = client(url, { maxConcurrent: 2 });
    const results = await within(
      3_000,
      Promise.allSettled(
        Array.from({ length: 12 }, (_, i) => c.getJson(i % 3 === 0 ? `/bad path ${i}` : `/warehouses?n=${i}`)),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(
      Array.from({ length: 12 }, (_, i) => (i % 3 === 0 ? 'rejected' : 'fulfilled')),
    );
    expect(c.capacity()).toMatchObject({ inFlight: 0, queued: 0 });
  });
});
