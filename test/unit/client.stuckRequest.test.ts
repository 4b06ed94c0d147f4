// A request undici never settles (one queued in its Pool behind a connection it lost, issue #21) must still end at
// request_timeout_seconds and give its limiter permit back: undici honours an abort only once a connection has
// taken the request. The pool is replaced by one that takes every request and never answers.
import { describe, expect, it, jest } from '@jest/globals';

let requests = 0;
class SilentPool {
  request(): Promise<never> {
    requests++;
    return new Promise<never>(() => {});
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
  destroy(): Promise<void> {
    return Promise.resolve();
  }
}

jest.unstable_mockModule('../../src/shipstation/undiciCore.js', () => ({
  Pool: SilentPool,
  EnvHttpProxyAgent: SilentPool,
}));
const { createShipStationClient } = await import('../../src/shipstation/client.js');
const { RateLimiterRegistry } = await import('../../src/budget/rateLimiter.js');
const { ConnectorError } = await import('../../src/errors.js');

describe('a request that undici never settles', () => {
  it('times out, is retried within the budget, and leaves the limiter with 0 in flight', async () => {
    const c = createShipStationClient({
      baseUrl: 'http://127.0.0.1:9',
      apiKey: 'key-0123456789',
      apiSecret: 'secret-0123456789',
      maxConcurrent: 1,
      requestTimeoutMs: 100,
      maxRetryTimeMs: 400,
      retryBackoff: { minMs: 10, maxMs: 20 },
      rateLimiters: new RateLimiterRegistry(),
    });
    let timer: NodeJS.Timeout | undefined;
    const hang = new Promise<string>((resolve) => {
      timer = setTimeout(() => resolve('hung'), 3_000);
    });
    const outcome = await Promise.race([
      c.getJson('/warehouses').then(
        () => 'answered',
        (err: unknown) => err,
      ),
      hang,
    ]);
    clearTimeout(timer);
    expect(outcome).toBeInstanceOf(ConnectorError);
    expect((outcome as InstanceType<typeof ConnectorError>).failureType).toBe('transient_error');
    expect((outcome as Error).message).toMatch(/did not answer \/warehouses within/);
    expect(requests).toBeGreaterThan(1);
    expect(c.capacity()).toMatchObject({ inFlight: 0, queued: 0 });
    await c.close();
  });
});
