import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { ConfigError, SystemError, TransientError } from '../../src/errors.js';
import { backoffDelayMs, RateLimitedError, withRetry, type RetryPolicy } from '../../src/shipstation/retry.js';

const FAST: RetryPolicy = { maxRetryTimeMs: 2_000, minDelayMs: 5, maxDelayMs: 20 };

/** Settles `p` on jest's fake clock (no I/O here): how long it took is then exact, whatever the machine's load. */
async function timed<T>(p: Promise<T>): Promise<{ result: PromiseSettledResult<T>; elapsed: number }> {
  const started = Date.now();
  let done = false;
  const settled = Promise.allSettled([p]).then(([r]) => ((done = true), r!));
  while (!done) await jest.advanceTimersToNextTimerAsync();
  return { result: await settled, elapsed: Date.now() - started };
}

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
  afterEach(() => {
    jest.useRealTimers();
  });

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
    jest.useFakeTimers();
    const f = failing(...Array.from({ length: 5 }, () => new RateLimitedError('429', Date.now())));
    const { result, elapsed } = await timed(withRetry(f.op, { policy: slow, what: 'GET /orders' }));
    expect(result).toEqual({ status: 'fulfilled', value: 'ok' });
    expect(f.calls()).toBe(6);
    expect(elapsed).toBe(0);
  });

  it('gives up on a 429 whose reset lies beyond the time budget', async () => {
    const f = failing(new RateLimitedError('429', Date.now() + 60_000));
    const err = await withRetry(f.op, { policy: FAST, what: 'GET /orders' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransientError);
    expect(f.calls()).toBe(1);
  });

  it('throws TransientError naming the request once the total retry time is spent', async () => {
    jest.useFakeTimers();
    const policy: RetryPolicy = { maxRetryTimeMs: 300, minDelayMs: 20, maxDelayMs: 50 };
    const { result, elapsed } = await timed(
      withRetry(
        async () => {
          throw new TransientError('ShipStation answered HTTP 500');
        },
        { policy, what: 'GET /shipments' },
      ),
    );
    const err = (result as PromiseRejectedResult).reason as Error;
    expect(err).toBeInstanceOf(TransientError);
    expect(err.message).toMatch(
      /^GET \/shipments still failing after \d+ attempt\(s\) over \d+ s: ShipStation answered HTTP 500$/,
    );
    // The last backoff is cut to the budget: it ends exactly then, not a backoff later.
    expect(elapsed).toBe(300);
  });

  it('stops waiting as soon as the signal aborts', async () => {
    const controller = new AbortController();
    const policy: RetryPolicy = { maxRetryTimeMs: 60_000, minDelayMs: 10_000, maxDelayMs: 10_000 };
    jest.useFakeTimers();
    const pending = withRetry(
      async () => {
        throw new TransientError('HTTP 503');
      },
      { policy, what: 'GET /orders', signal: controller.signal },
    );
    setTimeout(() => controller.abort(new Error('SIGTERM')), 50);
    const { result, elapsed } = await timed(pending);
    expect(result).toMatchObject({ status: 'rejected', reason: new Error('SIGTERM') });
    expect(elapsed).toBe(50);
  });

  it('a cancelled attempt is not announced as a retry that will not happen', async () => {
    const controller = new AbortController();
    const logs: string[] = [];
    const logger = { debug() {}, info() {}, warn: (m: string) => logs.push(m), error() {} };
    const cancelled = new TransientError('sync cancelled by SIGINT');
    const err = await withRetry(
      async () => {
        controller.abort(cancelled);
        throw cancelled;
      },
      { policy: FAST, what: 'GET /orders', signal: controller.signal, logger },
    ).catch((e: unknown) => e);
    expect(err).toBe(cancelled);
    expect(logs).toEqual([]);
  });
});
