// Retries with p-retry, bounded by a total time per request rather than an attempt count: a few minutes of
// 5xx or 429 storm is survived, then the request fails as transient and the engine ends the stream INCOMPLETE.
import pRetry from 'p-retry';
import { ConnectorError, TransientError } from '../errors.js';
import type { Logger } from '../protocol/logger.js';
import { silentLogger } from '../protocol/logger.js';

export interface RetryPolicy {
  /** Total time one request may spend, waits and attempts included, before giving up. */
  maxRetryTimeMs: number;
  /** Backoff before the first retry; doubles per retry. */
  minDelayMs: number;
  /** Backoff cap. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxRetryTimeMs: 600_000, minDelayMs: 1_000, maxDelayMs: 30_000 };

/**
 * The server refused for rate reasons. Retried without consuming an attempt or backing off: the limiter
 * already holds the next attempt until the announced reset.
 */
export class RateLimitedError extends TransientError {
  constructor(
    message: string,
    readonly untilEpochMs: number,
  ) {
    super(message);
  }
}

/** Exponential backoff with "equal jitter": half the capped delay is fixed, half random, so retries spread. */
export function backoffDelayMs(retriesConsumed: number, policy: RetryPolicy, random: () => number): number {
  const capped = Math.min(policy.maxDelayMs, policy.minDelayMs * 2 ** retriesConsumed);
  return Math.round(capped / 2 + (random() * capped) / 2);
}

export function isRetriable(err: unknown): boolean {
  return err instanceof ConnectorError && err.failureType === 'transient_error';
}

export interface RetryOptions {
  policy: RetryPolicy;
  /** What is being attempted, for log lines and the final error ("GET /orders"). */
  what: string;
  signal?: AbortSignal;
  clock?: () => number;
  random?: () => number;
  logger?: Logger;
}

export async function withRetry<T>(operation: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const { policy, what, signal } = options;
  const clock = options.clock ?? Date.now;
  const random = options.random ?? Math.random;
  const logger = options.logger ?? silentLogger;
  const startedAt = clock();
  const deadline = startedAt + policy.maxRetryTimeMs;
  let attempts = 0;
  try {
    return await pRetry(
      (attempt) => {
        attempts = attempt;
        return operation(attempt);
      },
      {
        retries: Number.POSITIVE_INFINITY,
        // p-retry's own delay is off (minTimeout 0): ours is jittered at the cap too and uses the injected clock.
        minTimeout: 0,
        signal,
        shouldConsumeRetry: ({ error }) => !(error instanceof RateLimitedError),
        shouldRetry: async ({ error, retriesConsumed }) => {
          if (!isRetriable(error) || signal?.aborted) return false;
          const now = clock();
          if (error instanceof RateLimitedError) return error.untilEpochMs <= deadline;
          if (now >= deadline) return false;
          const delay = Math.min(backoffDelayMs(retriesConsumed, policy, random), deadline - now);
          logger.warn(
            `${what}: attempt ${attempts} failed (${error.message}); retrying in ${(delay / 1000).toFixed(1)} s`,
          );
          await sleep(delay, signal);
          return true;
        },
      },
    );
  } catch (err) {
    if (signal?.aborted || !isRetriable(err)) throw err;
    if (err instanceof RateLimitedError && err.untilEpochMs > deadline) {
      const waitS = Math.max(1, Math.ceil((err.untilEpochMs - clock()) / 1000));
      throw new TransientError(
        `${what}: ShipStation answered 429 and asks to wait ${waitS} s, more than is left of this request's retry budget ` +
          '(max_retry_seconds); stopping this stream, the next sync resumes from its last checkpoint',
        { cause: err },
      );
    }
    const seconds = Math.round((clock() - startedAt) / 1000);
    const last = err instanceof Error ? err.message : String(err);
    throw new TransientError(`${what} still failing after ${attempts} attempt(s) over ${seconds} s: ${last}`, {
      cause: err,
    });
  }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
