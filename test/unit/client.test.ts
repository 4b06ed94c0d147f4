import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { createServer as createNetServer, connect, type AddressInfo } from 'node:net';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { ConfigError, SystemError, TransientError } from '../../src/errors.js';
import type { Logger } from '../../src/protocol/logger.js';
import {
  createShipStationClient,
  validateBaseUrl,
  type RateLimitWaitInfo,
  type ShipStationClient,
  type ShipStationClientOptions,
} from '../../src/shipstation/client.js';
import { RateLimiterRegistry } from '../../src/budget/rateLimiter.js';
import { settleInVirtualTime, useVirtualTime } from '../helpers/virtualTime.js';

const KEY = '0123456789abcdef0123456789abcdef';
const SECRET = 'fedcba9876543210fedcba9876543210';
const BASIC = Buffer.from(`${KEY}:${SECRET}`).toString('base64');

interface Seen {
  url: string;
  headers: IncomingHttpHeaders;
}

/** `handler` gets the 1-based number of the request; `seen` records every request. */
type Handler = (req: IncomingMessage, res: ServerResponse, n: number) => void;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  jest.useRealTimers();
  while (cleanups.length > 0) await cleanups.pop()?.();
});

async function serve(handler: Handler): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    seen.push({ url: req.url ?? '', headers: req.headers });
    handler(req, res, seen.length);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string | number> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

function client(baseUrl: string, overrides: Partial<ShipStationClientOptions> = {}): ShipStationClient {
  const c = createShipStationClient({
    baseUrl,
    apiKey: KEY,
    apiSecret: SECRET,
    requestTimeoutMs: 2_000,
    maxRetryTimeMs: 5_000,
    retryBackoff: { minMs: 10, maxMs: 50 },
    rateLimiters: new RateLimiterRegistry(),
    ...overrides,
  });
  cleanups.push(() => c.close());
  return c;
}

/**
 * A client on virtual time (test/helpers/virtualTime.ts), for assertions on how long it waited: its backoffs,
 * rate-limit waits and timeouts run on the fake clock, which moves only while no request is on the wire (from
 * the attempt's start until the client logs the response's headers). The server answers at once.
 */
function virtualClient(baseUrl: string, overrides: Partial<ShipStationClientOptions> = {}) {
  useVirtualTime();
  let answered = 0;
  const logger: Logger = overrides.logger ?? { debug() {}, info() {}, warn() {}, error() {} };
  const c = client(baseUrl, {
    ...overrides,
    random: () => 0.5,
    logger: { ...logger, debug: (m) => (answered++, logger.debug(m)) },
  });
  const startedAt = Date.now();
  return {
    client: c,
    /** Settles `p` in virtual time; returns it and the virtual ms it took. */
    async settle<T>(p: Promise<T>): Promise<{ result: PromiseSettledResult<T>; elapsed: number }> {
      const settled = Promise.allSettled([p]).then(([r]) => r!);
      const result = await settleInVirtualTime(settled, {
        inTransit: () => c.stats().attempts > answered,
        progress: () => [c.stats(), answered],
      });
      return { result, elapsed: Date.now() - startedAt };
    },
  };
}

async function failure(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    if (err instanceof Error) return err;
    throw new Error(`non-Error thrown: ${String(err)}`);
  }
  throw new Error('expected a rejection');
}

const OK = { orders: [{ orderId: 1 }], total: 1, page: 1, pages: 1 };

describe('ShipStation client: success', () => {
  it('sends Basic auth, Accept and User-Agent, encodes the query and parses JSON', async () => {
    const { url, seen } = await serve((_req, res) => json(res, 200, OK));
    const c = client(`${url}/`);
    const res = await c.getJson('/orders', {
      modifyDateStart: '2024-01-02 03:04:05',
      page: 2,
      includeShipmentItems: true,
      skip: undefined,
    });
    expect(res).toMatchObject({ body: OK, status: 200, requestId: 1 });
    expect(seen[0]?.url).toBe('/orders?modifyDateStart=2024-01-02+03%3A04%3A05&page=2&includeShipmentItems=true');
    expect(seen[0]?.headers.authorization).toBe(`Basic ${BASIC}`);
    expect(seen[0]?.headers.accept).toBe('application/json');
    expect(seen[0]?.headers['user-agent']).toMatch(/^shipstation-source\/\d+\.\d+\.\d+/);
    expect((await c.getJson('/stores')).requestId).toBe(2);
    expect(c.stats()).toMatchObject({ requests: 2, attempts: 2, requestsSent: 2, rateLimited: 0 });
  });

  it('keeps a path prefix of base_url', async () => {
    const { url, seen } = await serve((_req, res) => json(res, 200, []));
    await client(`${url}/api/v1`).getJson('/warehouses');
    expect(seen[0]?.url).toBe('/api/v1/warehouses');
  });
});

describe('ShipStation client: errors that are not retried', () => {
  it('401 is a ConfigError telling the user to copy the key and secret again, not to regenerate them', async () => {
    const { url, seen } = await serve((_req, res) => json(res, 401, { Message: 'Unauthorized' }));
    const err = await failure(client(url).getJson('/stores'));
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toMatch(/authentication failed/);
    expect(err.message).toMatch(/copy both again/);
    expect(err.message).toMatch(/generating new ones there replaces the pair for every other app/);
    expect(err.message).not.toMatch(/[Rr]egenerate/);
    expect(err.message).toContain('Settings > Account > API Settings');
    expect(err.message).not.toMatch(/v2/);
    expect(seen).toHaveLength(1);
  });

  it('401 with a key not in the v1 form says so, and only that it may be a v2 key', async () => {
    const { url } = await serve((_req, res) => json(res, 401, {}));
    const v2 = 'TEST_k3Jd8sLmQp0aZ7xYvW2nB5cR9tE1uI4oP6gH';
    const err = await failure(client(url, { apiKey: v2, apiSecret: v2 }).getJson('/stores'));
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toMatch(/authentication failed/);
    expect(err.message).toMatch(
      /the key is not a v1 API key \(32 hexadecimal characters\) and may be an API v2 key; set api_version to v2/,
    );
    expect(err.message).not.toMatch(/looks like a ShipStation v2/);
  });

  it('403 is a ConfigError saying ShipStation denied access and why', async () => {
    const { url, seen } = await serve((_req, res) => json(res, 403, {}));
    const err = await failure(client(url).getJson('/stores'));
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toMatch(/denied access/);
    expect(err.message).toMatch(/plan/);
    expect(seen).toHaveLength(1);
  });

  it('404 is a SystemError naming the path and questioning base_url', async () => {
    const { url, seen } = await serve((_req, res) => json(res, 404, {}));
    const err = await failure(client(url).getJson('/fulfillments', { page: 1 }));
    expect(err).toBeInstanceOf(SystemError);
    expect(err.message).toContain('/fulfillments');
    expect(err.message).toContain('base_url');
    expect(seen).toHaveLength(1);
  });

  it("400 is a SystemError carrying the server's message", async () => {
    const { url, seen } = await serve((_req, res) =>
      json(res, 400, { Message: 'The request is invalid.', ExceptionMessage: 'bad sortBy' }),
    );
    const err = await failure(client(url).getJson('/orders', { sortBy: 'Nope' }));
    expect(err).toBeInstanceOf(SystemError);
    expect(err.message).toBe('ShipStation rejected the request /orders (HTTP 400): The request is invalid. bad sortBy');
    expect(seen).toHaveLength(1);
  });
});

describe('ShipStation client: transient faults are retried', () => {
  it('500, then success', async () => {
    const { url, seen } = await serve((_req, res, n) =>
      n === 1 ? json(res, 500, { Message: 'oops' }) : json(res, 200, OK),
    );
    await expect(client(url).getJson('/orders')).resolves.toMatchObject({ body: OK, status: 200 });
    expect(seen).toHaveLength(2);
  });

  it('HTML 503 page, then success', async () => {
    const { url, seen } = await serve((_req, res, n) => {
      if (n > 1) return json(res, 200, OK);
      res.writeHead(503, { 'content-type': 'text/html' });
      res.end('<html><body><h1>503 Service Unavailable</h1></body></html>');
    });
    await expect(client(url).getJson('/orders')).resolves.toMatchObject({ body: OK });
    expect(seen).toHaveLength(2);
  });

  it('HTML page with status 200, then success', async () => {
    const { url, seen } = await serve((_req, res, n) => {
      if (n > 1) return json(res, 200, OK);
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!DOCTYPE html><html>maintenance</html>');
    });
    await expect(client(url).getJson('/orders')).resolves.toMatchObject({ body: OK });
    expect(seen).toHaveLength(2);
  });

  it('body cut off mid-JSON with the socket destroyed, then success', async () => {
    const { url, seen } = await serve((req, res, n) => {
      if (n > 1) return json(res, 200, OK);
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': 5_000 });
      res.write('{"orders":[{"orderId":1,"orderNumber":"A-');
      setTimeout(() => req.socket.destroy(), 20);
    });
    await expect(client(url).getJson('/orders')).resolves.toMatchObject({ body: OK });
    expect(seen).toHaveLength(2);
  });

  it('body ending in truncated JSON, then success', async () => {
    const { url, seen } = await serve((_req, res, n) => {
      if (n > 1) return json(res, 200, OK);
      res.writeHead(200, { 'content-type': 'application/json', connection: 'close' });
      res.end('{"orders":[{"orderId":1');
    });
    await expect(client(url).getJson('/orders')).resolves.toMatchObject({ body: OK });
    expect(seen).toHaveLength(2);
  });

  it('connection reset before any response, then success', async () => {
    const { url, seen } = await serve((req, res, n) => (n === 1 ? req.socket.destroy() : json(res, 200, OK)));
    await expect(client(url).getJson('/orders')).resolves.toMatchObject({ body: OK });
    expect(seen).toHaveLength(2);
  });

  it('no answer within requestTimeoutMs, then success', async () => {
    const { url, seen } = await serve((_req, res, n) => {
      if (n > 1) json(res, 200, OK);
    });
    const started = Date.now();
    await expect(client(url, { requestTimeoutMs: 300 }).getJson('/orders')).resolves.toMatchObject({ body: OK });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(seen).toHaveLength(2);
  });

  it('gives up with a TransientError once maxRetryTimeMs is spent', async () => {
    const { url, seen } = await serve((_req, res) => json(res, 502, {}));
    const v = virtualClient(url, { maxRetryTimeMs: 400 });
    const { result, elapsed } = await v.settle(v.client.getJson('/shipments'));
    expect(result.status).toBe('rejected');
    const err = (result as PromiseRejectedResult).reason as Error;
    expect(err).toBeInstanceOf(TransientError);
    expect(err.message).toMatch(
      /^GET \/shipments still failing after \d+ attempt\(s\) over \d+ s: ShipStation answered HTTP 502/,
    );
    // Retries stop at the budget: the last backoff is cut to what is left of it, so the failure comes within a
    // Bottleneck hop of the deadline rather than one more full backoff (up to 50 ms here) after it.
    expect(elapsed).toBeGreaterThanOrEqual(400);
    expect(elapsed).toBeLessThan(410);
    expect(seen.length).toBeGreaterThan(3);
  });

  it('a refused connection ends as a TransientError naming the host', async () => {
    const probe = createNetServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const err = await failure(client(`http://127.0.0.1:${port}`, { maxRetryTimeMs: 200 }).getJson('/stores'));
    expect(err).toBeInstanceOf(TransientError);
    expect(err.message).toContain(`Could not reach ShipStation at 127.0.0.1:${port}: the connection was refused`);
  });
});

describe('ShipStation client: 429', () => {
  it('waits for the announced X-Rate-Limit-Reset, reports the wait, and does not use up a retry', async () => {
    const { url, seen } = await serve((_req, res, n) =>
      n === 1
        ? json(
            res,
            429,
            { Message: 'Too Many Requests' },
            { 'x-rate-limit-limit': 40, 'x-rate-limit-remaining': 0, 'x-rate-limit-reset': 1 },
          )
        : json(res, 200, OK, { 'x-rate-limit-limit': 40, 'x-rate-limit-remaining': 39, 'x-rate-limit-reset': 60 }),
    );
    const waits: RateLimitWaitInfo[] = [];
    const logs: string[] = [];
    const logger: Logger = {
      debug() {},
      info: (m) => logs.push(m),
      warn: (m) => logs.push(m),
      error: (m) => logs.push(m),
    };
    // A backoff of 10 s would show if the 429 were treated as a failed attempt.
    const v = virtualClient(url, {
      retryBackoff: { minMs: 10_000, maxMs: 10_000 },
      onRateLimitWait: (i) => waits.push(i),
      logger,
    });
    const c = v.client;
    const { result, elapsed } = await v.settle(c.getJson('/orders'));
    expect(result).toMatchObject({ status: 'fulfilled', value: { body: OK } });
    // The announced 1 s, the limiter's 20 ms margin and its 0–250 ms jitter (here 125): no 10 s backoff.
    expect(elapsed).toBe(1_000 + 20 + 125);
    expect(seen).toHaveLength(2);
    expect(waits).toHaveLength(1);
    expect(waits[0]?.reason).toBe('http_429');
    expect(waits[0]?.waitMs).toBeGreaterThan(900);
    expect(logs.filter((l) => l.startsWith('Rate limit: waiting'))).toHaveLength(1);
    expect(c.stats()).toMatchObject({ rateLimited: 1, attempts: 2 });
  });

  it('prefers Retry-After to X-Rate-Limit-Reset', async () => {
    const { url } = await serve((_req, res, n) =>
      n === 1 ? json(res, 429, {}, { 'retry-after': 1, 'x-rate-limit-reset': 30 }) : json(res, 200, OK),
    );
    const v = virtualClient(url);
    const { result, elapsed } = await v.settle(v.client.getJson('/orders'));
    expect(result.status).toBe('fulfilled');
    expect(elapsed).toBe(1_000 + 20 + 125);
  });

  it('an aborted signal ends a rate-limit wait at once', async () => {
    const { url } = await serve((_req, res) => json(res, 429, {}, { 'x-rate-limit-reset': 30 }));
    const controller = new AbortController();
    const v = virtualClient(url, { signal: controller.signal, maxRetryTimeMs: 60_000 });
    setTimeout(() => controller.abort(new Error('SIGTERM')), 200);
    const { result, elapsed } = await v.settle(v.client.getJson('/orders'));
    expect(result).toMatchObject({ status: 'rejected', reason: new Error('SIGTERM') });
    expect(elapsed).toBe(200);
  });
});

/** Every string reachable from an error: message, stack, internal, cause chain, own properties. */
function everything(value: unknown, seen = new Set<unknown>()): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'object') return String(value);
  if (seen.has(value)) return '';
  seen.add(value);
  const parts: string[] = [];
  for (const name of Object.getOwnPropertyNames(value)) {
    parts.push(name, everything((value as Record<string, unknown>)[name], seen));
  }
  if (value instanceof Error) parts.push(value.message, value.stack ?? '', everything(value.cause, seen));
  return parts.join('\n');
}

describe('ShipStation client: secrets', () => {
  it('never puts the key, the secret or the Basic token in an error or a log line', async () => {
    const echo: Handler = (req, res) =>
      json(res, 400, { Message: `bad request, you sent ${req.headers.authorization ?? ''}` });
    const echo500: Handler = (req, res) => json(res, 500, { Message: `oops ${req.headers.authorization ?? ''}` });
    const logs: string[] = [];
    const logger: Logger = {
      debug: (m) => logs.push(m),
      info: (m) => logs.push(m),
      warn: (m) => logs.push(m),
      error: (m) => logs.push(m),
    };
    const errors: Error[] = [];
    for (const handler of [
      echo,
      echo500,
      (_q: IncomingMessage, res: ServerResponse) => json(res, 401, {}),
      (q: IncomingMessage) => q.socket.destroy(),
    ]) {
      const { url } = await serve(handler);
      errors.push(await failure(client(url, { maxRetryTimeMs: 150, logger }).getJson('/orders')));
    }
    const { url: silent } = await serve(() => undefined);
    errors.push(
      await failure(client(silent, { maxRetryTimeMs: 100, requestTimeoutMs: 100, logger }).getJson('/orders')),
    );
    errors.push(await failure(client('http://127.0.0.1:1', { maxRetryTimeMs: 100, logger }).getJson('/orders')));
    const text = errors.map((e) => everything(e)).join('\n') + logs.join('\n');
    expect(text).toContain('bad request, you sent Basic');
    for (const secret of [KEY, SECRET, BASIC]) expect(text).not.toContain(secret);
  });
});

describe('ShipStation client: bounds', () => {
  it('sends the partner key as x-partner only when one is configured', async () => {
    const { url, seen } = await serve((_req, res) => json(res, 200, OK));
    await client(url).getJson('/orders');
    await client(url, { partnerKey: 'partner-0123' }).getJson('/orders');
    expect(seen.map((s) => s.headers['x-partner'])).toEqual([undefined, 'partner-0123']);
  });

  it('a body past maxResponseBytes is abandoned (declared or streamed without end) and fails as transient', async () => {
    let aborted = 0;
    const { url: declared } = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': 5_000_000 });
      res.write('{"orders":[');
    });
    const { url: endless } = await serve((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"orders":[');
      const chunk = `${'{"orderId":1},'.repeat(4_000)}`;
      const pump = () => {
        if (res.destroyed || req.socket.destroyed) return void aborted++;
        res.write(chunk, () => setImmediate(pump));
      };
      pump();
    });
    for (const url of [declared, endless]) {
      const err = await failure(client(url, { maxResponseBytes: 1_000_000, maxRetryTimeMs: 300 }).getJson('/orders'));
      expect(err).toBeInstanceOf(TransientError);
      expect(err.message).toMatch(/passed max_response_mb \(1 MB\) and was abandoned/);
    }
    expect(aborted).toBeGreaterThanOrEqual(1);
  });

  it("a 429 asking for longer than the request's retry budget fails at once as transient, saying so", async () => {
    const { url, seen } = await serve((_req, res) => json(res, 429, {}, { 'retry-after': 99_999_999 }));
    const err = await failure(client(url, { maxRetryTimeMs: 60_000 }).getJson('/orders'));
    expect(err).toBeInstanceOf(TransientError);
    expect(err.message).toMatch(/asks to wait 99999999 s, more than is left of this request's retry budget/);
    expect(seen).toHaveLength(1);
  });

  it('Retry-After: 0 (or junk) on every answer: backoff, not a storm', async () => {
    const attempts = await Promise.all(
      ['0', '-5', 'soon'].map(async (value) => {
        const { url, seen } = await serve((_req, res) => json(res, 429, {}, { 'retry-after': value }));
        const err = await failure(client(url, { maxRetryTimeMs: 1_500 }).getJson('/orders'));
        expect(err).toBeInstanceOf(TransientError);
        return seen.length;
      }),
    );
    // A 1 s minimum backoff, then 2 s: at most two attempts fit a 1.5 s budget (the old behaviour sent hundreds).
    for (const n of attempts) expect(n).toBeLessThanOrEqual(2);
  });
});

describe('ShipStation client: proxy', () => {
  const saved = process.env.HTTP_PROXY;
  afterEach(() => {
    if (saved === undefined) delete process.env.HTTP_PROXY;
    else process.env.HTTP_PROXY = saved;
  });

  it('goes through HTTP_PROXY when it is set', async () => {
    const { url, seen } = await serve((_req, res) => json(res, 200, OK));
    const tunnels: string[] = [];
    const proxy = createServer((_req, res) => {
      res.writeHead(502);
      res.end();
    });
    proxy.on('connect', (req: IncomingMessage, socket, head: Buffer) => {
      tunnels.push(req.url ?? '');
      const [host, port] = (req.url ?? '').split(':');
      const upstream = connect(Number(port), host, () => {
        socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(socket);
        socket.pipe(upstream);
      });
      upstream.on('error', () => socket.destroy());
      socket.on('error', () => upstream.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    cleanups.push(async () => {
      proxy.closeAllConnections();
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
    });
    process.env.HTTP_PROXY = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    await expect(client(url).getJson('/orders')).resolves.toMatchObject({ body: OK });
    expect(tunnels).toEqual([new URL(url).host]);
    expect(seen).toHaveLength(1);
  });
});

describe('validateBaseUrl', () => {
  it('accepts https anywhere and plain http on loopback only', () => {
    expect(validateBaseUrl('https://ssapi.shipstation.com').host).toBe('ssapi.shipstation.com');
    expect(validateBaseUrl('http://127.0.0.1:8080').port).toBe('8080');
    expect(validateBaseUrl('http://127.5.6.7').hostname).toBe('127.5.6.7');
    expect(validateBaseUrl('http://localhost:3000/api').pathname).toBe('/api');
    expect(validateBaseUrl('http://[::1]:9000').hostname).toBe('[::1]');
  });

  it.each([
    ['http://example.com', /base_url.*plain http/],
    ['http://10.0.0.1:8080', /base_url.*plain http/],
    ['http://localhost.example.com', /base_url.*plain http/],
    ['ftp://ssapi.shipstation.com', /base_url must start with https/],
    ['not a url', /base_url is not a valid/],
    ['https://user:pw@ssapi.shipstation.com', /base_url must not contain a user name/],
  ])('rejects %s', (raw, pattern) => {
    expect(() => validateBaseUrl(raw)).toThrow(ConfigError);
    expect(() => validateBaseUrl(raw)).toThrow(pattern);
  });

  it('is applied when the client is created', () => {
    expect(() => createShipStationClient({ baseUrl: 'http://example.com', apiKey: KEY, apiSecret: SECRET })).toThrow(
      /base_url/,
    );
  });
});
