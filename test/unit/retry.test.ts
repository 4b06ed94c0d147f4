import { describe, expect, it } from '@jest/globals';
import { ConfigError, SystemError, TransientError } from '../../src/errors.js';
import { backoffDelayMs, RateLimitedError, withRetry, type RetryPolicy } from '../../src/shipstation/retry.js';

const FAST: RetryPolicy = { maxRetryTimeMs: 2_000, minDelayMs: 5, maxDelayMs: 20 };

/** An operation that fails with the given errors, in order, then returns 'ok'. */
function failing(...errors: Error[]): { op: () => Promise<string>; calls: () => number } {
  let calls = 0;
  return {
    op: async () => {
      const err = errors[calls++];
      if (err) throw err;
      return 'ok';
    },
    calls: () => calls,
  };
}

describe('backoffDelayMs', () => {
  const policy: RetryPolicy = { maxRetryTimeMs: 600_000, minDelayMs: 1_000, maxDelayMs: 30_000 };

  it('doubles per retry between half and all of the capped delay', () => {
    expect(backoffDelayMs(0, policy, () => 0)).toBe(500);
    expect(backoffDelayMs(0, policy, () => 1)).toBe(1_000);
    expect(backoffDelayMs(3, policy, () => 0.5)).toBe(6_000);
  });

  it('keeps jitter at the cap', () => {
    expect(backoffDelayMs(20, policy, () => 0)).toBe(15_000);
    expect(backoffDelayMs(20, policy, () => 1)).toBe(30_000);
  });
});

describe('withRetry', () => {
  it('retries transient errors until one attempt succeeds', async () => {
    const f = failing(new TransientError('HTTP 503'), new TransientError('ECONNRESET'));
    await expect(withRetry(f.op, { policy: FAST, what: 'GET /orders' })).resolves.toBe('ok');
    expect(f.calls()).toBe(3);
  });

  it('does not retry config or system errors', async () => {
    for (const err of [new ConfigError('authentication failed'), new SystemError('HTTP 404')]) {
      const f = failing(err);
      await expect(withRetry(f.op, { policy: FAST, what: 'GET /orders' })).rejects.toBe(err);
      expect(f.calls()).toBe(1);
    }
  });

  it('retries a 429 at once, without backoff and without using up an attempt', async () => {
    const slow: RetryPolicy = { maxRetryTimeMs: 60_000, minDelayMs: 10_000, maxDelayMs: 10_000 };
    const f = failing(...Array.from({ length: 5 }, () => new RateLimitedError('429', Date.now())));
    const started = Date.now();
    await expect(withRetry(f.op, { policy: slow, what: 'GET /orders' })).resolves.toBe('ok');
    expect(f.calls()).toBe(6);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('gives up on a 429 whose reset lies beyond the time budget', async () => {
    const f = failing(new RateLimitedError('429', Date.now() + 60_000));
    const err = await withRetry(f.op, { policy: FAST, what: 'GET /orders' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransientError);
    expect(f.calls()).toBe(1);
  });

  it('throws TransientError naming the request once the total retry time is spent', async () => {
    const started = Date.now();
    const policy: RetryPolicy = { maxRetryTimeMs: 300, minDelayMs: 20, maxDelayMs: 50 };
    const err = await withRetry(
      async () => {
        throw new TransientError('ShipStation answered HTTP 500');
      },
      { policy, what: 'GET /shipments' },
    ).catch((e: unknown) => e);
    const elapsed = Date.now() - started;
    expect(err).toBeInstanceOf(TransientError);
    expect((err as Error).message).toMatch(/^GET \/shipments still failing after \d+ attempt\(s\) over \d+ s: ShipStation answered HTTP 500$/);
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(600);
  });

  it('stops waiting as soon as the signal aborts', async () => {
    const controller = new AbortController();
    const policy: RetryPolicy = { maxRetryTimeMs: 60_000, minDelayMs: 10_000, maxDelayMs: 10_000 };
    const started = Date.now();
    const pending = withRetry(
      async () => {
        throw new TransientError('HTTP 503');
      },
      { policy, what: 'GET /orders', signal: controller.signal },
    );
    setTimeout(() => controller.abort(new Error('SIGTERM')), 50);
    await expect(pending).rejects.toThrow('SIGTERM');
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
