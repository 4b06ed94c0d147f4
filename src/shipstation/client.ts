// The ShipStation v1 HTTP client: undici keep-alive connections, Basic auth, a total timeout per attempt,
// defensive JSON parsing, the shared header-driven limiter and time-bounded retries. Every failure leaves
// here as a ConnectorError whose words come from httpErrors.ts.
import type { Dispatcher } from 'undici';
import { EnvHttpProxyAgent, Pool } from './undiciCore.js';
import { ConfigError, SystemError, TransientError } from '../errors.js';
import type { Logger } from '../protocol/logger.js';
import { silentLogger } from '../protocol/logger.js';
import { createRedactor } from '../protocol/redact.js';
import { validateBaseUrl } from './baseUrl.js';
import { type ApiVersion, authHeaders, type Credentials } from './credentials.js';
import {
  badBodyMessage,
  errorCode,
  errorForStatus,
  looksLikeHtml,
  networkErrorDetail,
  networkFailure,
  refusedBeforeSending,
  refusedRequestMessage,
  timeoutMessage,
  tooLargeMessage,
  truncatedBodyMessage,
  unreachableMessage,
} from './httpErrors.js';
import {
  DEFAULT_MAX_CONCURRENT,
  sharedRateLimiters,
  type Permit,
  type RateLimiterRegistry,
  type RateLimiterStats,
  type RateLimitWaitInfo,
} from '../budget/rateLimiter.js';
import { MemoryGate, type Release } from './memoryGate.js';
import { boundedRateHeaders, maxKeyWaitSeconds, rateHeaders, retryAfterSeconds } from '../budget/rateHeaders.js';
import type { RateHeaders } from '../budget/rateWindow.js';
import { DEFAULT_RETRY_POLICY, RateLimitedError, withRetry, type RetryPolicy } from './retry.js';
import type { Capacity } from '../budget/capacity.js';
import { packageVersion } from '../version.js';
import { abortable } from '../abortable.js';

export type { RateLimitWaitInfo } from '../budget/rateLimiter.js';
export { validateBaseUrl } from './baseUrl.js';

export const DEFAULT_REQUEST_TIMEOUT_MS = 120_000;
/** Waits shorter than this are routine pacing, not worth a status message. */
const REPORT_WAIT_MS = 1_000;
const LOG_WAIT_EVERY_MS = 30_000;
const DEFAULT_429_WAIT_S = 60;
export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;
/** Of an error response only the server's sentence is used: the rest of a large one is not downloaded. */
const ERROR_BODY_BYTES = 64 * 1024;
const PROXY_ENV = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy'];

export interface ShipStationClientOptions {
  baseUrl: string;
  /** Which ShipStation API the key is for: how requests authenticate and how errors read (default v1). */
  apiVersion?: ApiVersion;
  apiKey: string;
  /** v1 only. */
  apiSecret?: string;
  /** Sent as the x-partner header when set (accounts on a higher API tier). */
  partnerKey?: string;
  /** A body larger than this is abandoned as soon as it passes it; the attempt fails as transient. */
  maxResponseBytes?: number;
  /** Budget assumed before the first response; the X-Rate-Limit headers rule after that. */
  requestsPerMinute?: number;
  /** Requests in flight at once, across every stream sharing the key. */
  maxConcurrent?: number;
  /** Total time for one attempt, headers and body. */
  requestTimeoutMs?: number;
  /** Total time for one request, retries and waits included. */
  maxRetryTimeMs?: number;
  /** Backoff bounds between failed attempts (tests shorten them). */
  retryBackoff?: { minMs?: number; maxMs?: number };
  logger?: Logger;
  onRateLimitWait?: (info: RateLimitWaitInfo) => void;
  signal?: AbortSignal;
  clock?: () => number;
  random?: () => number;
  /** Where limiters are shared; defaults to the process-wide registry (one limiter per key and server). */
  rateLimiters?: RateLimiterRegistry;
  /**
   * Response bodies parsed and held at once: a body waits (as bytes) for a slot until the caller releases the
   * previous one. Unset = no gate (each response's release is a no-op).
   */
  bodiesInMemory?: number;
}

export interface JsonResponse {
  body: unknown;
  status: number;
  requestId: number;
  /** When the server wrote the response: its Date header as UTC ms, when it sent a valid one. */
  serverTime?: number;
  /** Frees the body's memory slot once the caller is done with it (idempotent). */
  release: Release;
}

/** This client's counts, plus the shared limiter's (which cover every client on the same key). */
export interface ClientStats extends RateLimiterStats {
  requests: number;
  attempts: number;
}

export type Query = Record<string, string | number | boolean | undefined>;

export interface ShipStationClient {
  /** `onSent`: called once, when the limiter lets the first attempt go (a request made, no longer queued). */
  getJson(path: string, query?: Query, onSent?: () => void): Promise<JsonResponse>;
  stats(): ClientStats;
  /** What the key's limiter knows now: budget, window, requests in flight and queued, latency. */
  capacity(): Capacity;
  close(): Promise<void>;
}

export function createShipStationClient(opts: ShipStationClientOptions): ShipStationClient {
  const base = validateBaseUrl(opts.baseUrl);
  const version = opts.apiVersion ?? 'v1';
  if (!opts.apiKey) throw new ConfigError('api_key is required');
  if (version === 'v1' && !opts.apiSecret) throw new ConfigError('api_secret is required for the v1 API');
  const credentials: Credentials = { apiKey: opts.apiKey, apiSecret: opts.apiSecret };
  const origin = base.origin;
  const host = base.host;
  const baseLabel = `${origin}${base.pathname.replace(/\/+$/, '')}`;
  const prefix = base.pathname.replace(/\/+$/, '');
  const clock = opts.clock ?? Date.now;
  const logger = opts.logger ?? silentLogger;
  const timeoutMs = opts.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const maxConcurrent = opts.maxConcurrent ?? DEFAULT_MAX_CONCURRENT;
  const policy: RetryPolicy = {
    maxRetryTimeMs: opts.maxRetryTimeMs ?? DEFAULT_RETRY_POLICY.maxRetryTimeMs,
    minDelayMs: opts.retryBackoff?.minMs ?? DEFAULT_RETRY_POLICY.minDelayMs,
    maxDelayMs: opts.retryBackoff?.maxMs ?? DEFAULT_RETRY_POLICY.maxDelayMs,
  };
  const redact = createRedactor(
    [opts.apiKey, opts.apiSecret, opts.partnerKey].filter((v): v is string => v !== undefined && v !== ''),
  );
  const maxResponseBytes = opts.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const maxKeyWaitS = maxKeyWaitSeconds(policy.maxRetryTimeMs);
  const lease = (opts.rateLimiters ?? sharedRateLimiters).acquire(origin, opts.apiKey, {
    requestsPerMinute: opts.requestsPerMinute,
    maxConcurrent,
    clock,
    random: opts.random,
  });
  const limiter = lease.limiter;
  let dispatcher = createDispatcher(origin, maxConcurrent);
  /** Pools set aside after a refused request (see retire), destroyed at close. */
  const retired = new Set<Dispatcher>();
  const headers: Record<string, string> = {
    ...authHeaders(version, credentials),
    accept: 'application/json',
    'user-agent': USER_AGENT,
    ...(opts.partnerKey ? { 'x-partner': opts.partnerKey } : {}),
  };
  const onWait = createWaitReporter(clock, logger, limiter.window, opts.onRateLimitWait);
  const gate = opts.bodiesInMemory === undefined ? undefined : new MemoryGate(opts.bodiesInMemory);
  let requests = 0;
  let attempts = 0;
  let closed: Promise<void> | undefined;

  /** One attempt under a permit from the limiter: send, then read the body; one timeout covers both. */
  async function exchange(permit: Permit, target: string, path: string): Promise<Answer> {
    attempts++;
    const deadline = startDeadline(timeoutMs, opts.signal);
    try {
      const res = await send(permit, target, path, deadline);
      return await readAnswer(res, path, deadline);
    } finally {
      deadline.clear();
    }
  }

  /**
   * Sending: the request, up to its status and headers. The rate headers go back to the key's limiter through the
   * permit; a 429 ends the attempt here, as a RateLimitedError carrying the wait withRetry keeps before retrying.
   */
  async function send(
    permit: Permit,
    target: string,
    path: string,
    deadline: Deadline,
  ): Promise<Dispatcher.ResponseData> {
    let res: Dispatcher.ResponseData;
    const pool = dispatcher;
    try {
      const { signal } = deadline;
      // undici honours an abort only once a connection has taken the request: one still queued in its Pool
      // ignores it and, when no connection comes free, never settles, holding its permit for ever.
      const request = pool.request({
        origin,
        path: target,
        method: 'GET',
        headers,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        signal,
      });
      res = await abortable(request, signal, (late) => late.body.destroy());
    } catch (err) {
      if (refusedBeforeSending(err)) retire(pool);
      throw failure(err, 'request', path, deadline);
    }
    const receivedAt = clock();
    const rate = rateHeaders(res.headers);
    logger.debug(
      `GET ${target} -> ${res.statusCode} in ${receivedAt - permit.sentAt} ms ` +
        `(rate limit ${rate.remaining ?? '?'}/${rate.limit ?? '?'}, reset ${rate.resetSeconds ?? '?'} s)`,
    );
    if (res.statusCode === 429) return tooManyRequests(permit, res, rate, receivedAt, path);
    permit.observed(rate, receivedAt);
    return res;
  }

  /** A 429: the key's limiter holds every request for a bounded time, and this one is retried after its own wait. */
  async function tooManyRequests(
    permit: Permit,
    res: Dispatcher.ResponseData,
    rate: RateHeaders,
    receivedAt: number,
    path: string,
  ): Promise<never> {
    const retryAfter = retryAfterSeconds(res.headers, receivedAt);
    // The key waits at most maxKeyWaitS; this request's own retry decides on what was announced (withRetry).
    permit.rejected(
      boundedRateHeaders(rate, maxKeyWaitS),
      receivedAt,
      retryAfter === undefined ? undefined : Math.min(retryAfter, maxKeyWaitS),
    );
    await res.body.dump().catch(() => undefined);
    // The retry waits for the later of what was announced and the key's block (the minimum backoff for a 0).
    const waitS = retryAfter ?? rate.resetSeconds ?? DEFAULT_429_WAIT_S;
    const until = Math.max(receivedAt + waitS * 1000, limiter.window.blockedUntil ?? receivedAt);
    throw new RateLimitedError(`ShipStation answered 429 Too Many Requests for ${path}`, until);
  }

  /**
   * Reading the body: within its size limit (all of a success, the start of an error), then, for a success, a
   * memory slot before parsing, so that bodies held at once stay bounded. An error status leaves as its error.
   */
  async function readAnswer(res: Dispatcher.ResponseData, path: string, deadline: Deadline): Promise<Answer> {
    const status = res.statusCode;
    const ok = status >= 200 && status < 300;
    let bytes: Buffer | undefined;
    try {
      bytes = await readBody(
        res.body,
        ok ? maxResponseBytes : ERROR_BODY_BYTES,
        declaredLength(res.headers['content-length']),
        !ok,
      );
    } catch (err) {
      throw failure(err, 'body', path, deadline);
    }
    if (bytes === undefined) throw new TransientError(tooLargeMessage(host, path, maxResponseBytes));
    const contentType = firstHeader(res.headers['content-type']);
    const serverTime = httpDate(firstHeader(res.headers.date));
    if (!ok || !gate)
      return {
        status,
        body: interpret(status, contentType, bytes.toString('utf8'), path),
        release: noRelease,
        serverTime,
      };
    // The body is in; waiting for a memory slot is not the server's time.
    deadline.clear();
    const release = await gate.acquire(opts.signal);
    try {
      // Decoded only now: a body waiting for its slot stays bytes outside the JS heap, which the image caps.
      return { status, body: interpret(status, contentType, bytes.toString('utf8'), path), release, serverTime };
    } catch (err) {
      release();
      throw err;
    }
  }

  /** Why an attempt failed, most telling first: the caller's abort, the timeout, a refused request, the network. */
  function failure(err: unknown, during: 'request' | 'body', path: string, deadline: Deadline): unknown {
    if (opts.signal?.aborted) return opts.signal.reason;
    if (deadline.expired()) return new TransientError(timeoutMessage(host, path, timeoutMs));
    if (during === 'request' && refusedBeforeSending(err))
      return new SystemError(refusedRequestMessage(host, path), { internal: redact(describe(err)) });
    const detail = networkErrorDetail(errorCode(err));
    const message = during === 'body' ? truncatedBodyMessage(host, path, detail) : unreachableMessage(host, detail);
    return networkFailure(err, message, redact);
  }

  /**
   * undici's Pool hands a request to one of its connections; when that connection refuses it (an invalid header),
   * the Pool marks the connection as busy until it says 'drain', which an idle connection never does. Each refusal
   * thus takes one connection out of the pool for good, and once all are gone every request waits in the Pool's
   * queue for ever (the limiter lets exactly as many requests out as the pool has connections). The pool that
   * refused is set aside (its requests in flight finish there) and the next requests get a fresh one.
   */
  function retire(pool: Dispatcher): void {
    if (pool !== dispatcher) return;
    dispatcher = createDispatcher(origin, maxConcurrent);
    retired.add(pool);
    void pool.close().catch(() => undefined);
  }

  function interpret(status: number, contentType: string | undefined, text: string, path: string): unknown {
    if (status < 200 || status >= 300) {
      throw errorForStatus(status, {
        path,
        baseUrl: baseLabel,
        version,
        credentials,
        bodyText: text,
        redact,
      });
    }
    const bytes = Buffer.byteLength(text);
    if (looksLikeHtml(text, contentType)) throw new TransientError(badBodyMessage('html', status, path, bytes));
    try {
      return JSON.parse(text) as unknown;
    } catch {
      // Empty or cut-off bodies land here too: a retry usually gets the whole page.
      throw new TransientError(badBodyMessage('invalid_json', status, path, bytes));
    }
  }

  return {
    async getJson(path: string, query?: Query, onSent?: () => void): Promise<JsonResponse> {
      if (closed) throw new SystemError('the ShipStation client was used after close()');
      const requestId = ++requests;
      const target = buildTarget(prefix, path, query);
      let sent = false;
      const result = await withRetry(
        () =>
          limiter.schedule(
            (permit) => {
              if (!sent) {
                sent = true;
                onSent?.();
              }
              return exchange(permit, target, path);
            },
            { signal: opts.signal, onWait },
          ),
        { policy, what: `GET ${path}`, signal: opts.signal, clock, random: opts.random, logger },
      );
      return { ...result, requestId };
    },
    stats: () => ({ ...limiter.stats(), requests, attempts }),
    capacity: () => limiter.capacity(),
    close(): Promise<void> {
      closed ??= (async () => {
        await lease.release();
        // A retired pool has nothing of ours left in flight: destroyed, it cannot wait on a connection it lost.
        await Promise.all([...retired].map((pool) => pool.destroy().catch(() => undefined)));
        await dispatcher.close();
      })();
      return closed;
    },
  };
}

/** What one attempt gives getJson: the response but for its request id, which is per request, not per attempt. */
type Answer = Omit<JsonResponse, 'requestId'>;

const noRelease: Release = () => {};

/** One attempt's time limit (headers and body), joined with the caller's signal into the one undici is given. */
interface Deadline {
  readonly signal: AbortSignal;
  /** True once the attempt's own time ran out (not the caller's abort). */
  expired(): boolean;
  /** Stops the clock (idempotent): at the end of the attempt, or once only waiting of ours is left. */
  clear(): void;
}

function startDeadline(timeoutMs: number, outer: AbortSignal | undefined): Deadline {
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), timeoutMs);
  return {
    signal: outer ? AbortSignal.any([outer, timeout.signal]) : timeout.signal,
    expired: () => timeout.signal.aborted,
    clear: () => clearTimeout(timer),
  };
}

function describe(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

/**
 * A keep-alive Pool per base URL; through a proxy when the standard proxy variables are set (NO_PROXY
 * included). Certificate checks are pinned on, so NODE_TLS_REJECT_UNAUTHORIZED=0 cannot turn them off.
 */
function createDispatcher(origin: string, connections: number): Dispatcher {
  const tls = { rejectUnauthorized: true };
  if (PROXY_ENV.some((name) => process.env[name]))
    return new EnvHttpProxyAgent({ connect: tls, requestTls: tls, proxyTls: tls });
  return new Pool(origin, { connections, connect: tls });
}

function buildTarget(prefix: string, path: string, query: Query | undefined): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) if (value !== undefined) params.append(key, String(value));
  const qs = params.toString();
  return `${prefix}${path.startsWith('/') ? path : `/${path}`}${qs ? `?${qs}` : ''}`;
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** An HTTP Date header (IMF-fixdate, or the obsolete forms Date.parse reads) as UTC ms; undefined when absent or not a date. */
export function httpDate(value: string | undefined): number | undefined {
  if (value === undefined || value.length > 64) return undefined;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : undefined;
}

function declaredLength(value: string | string[] | undefined): number | undefined {
  const v = firstHeader(value)?.trim();
  return v !== undefined && /^\d{1,15}$/.test(v) ? Number(v) : undefined;
}

/**
 * The body's bytes, or undefined when a success body passes `limit` (abandoned at once: an endless body must not
 * fill memory). An error body is only cut at `limit`: its first sentence is all that is used.
 */
async function readBody(
  body: Dispatcher.ResponseData['body'],
  limit: number,
  declared: number | undefined,
  truncate = false,
): Promise<Buffer | undefined> {
  if (declared !== undefined && declared > limit && !truncate) {
    body.destroy();
    return undefined;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      body.destroy();
      if (!truncate) return undefined;
      chunks.push(chunk.subarray(0, chunk.length - (size - limit)));
      size = limit;
      break;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

/**
 * Several queued requests wait for the same reset: report each distinct wait once to the engine, and log
 * at most every 30 s.
 */
function createWaitReporter(
  clock: () => number,
  logger: Logger,
  window: { limit: number; windowMs: number },
  callback: ((info: RateLimitWaitInfo) => void) | undefined,
): (info: RateLimitWaitInfo) => void {
  let reportedUntil: number | undefined;
  let loggedAt: number | undefined;
  return (info) => {
    if (info.waitMs < REPORT_WAIT_MS) return;
    const now = clock();
    if (
      reportedUntil !== undefined &&
      now < reportedUntil &&
      Math.abs(info.untilEpochMs - reportedUntil) < REPORT_WAIT_MS
    )
      return;
    reportedUntil = info.untilEpochMs;
    callback?.(info);
    if (loggedAt === undefined || now - loggedAt >= LOG_WAIT_EVERY_MS) {
      loggedAt = now;
      const why =
        info.reason === 'http_429'
          ? 'ShipStation answered 429 Too Many Requests'
          : `the key's budget of ${window.limit} requests per ${Math.round(window.windowMs / 1000)} s is used up`;
      logger.info(
        `Rate limit: waiting ${Math.ceil(info.waitMs / 1000)} s (until ${new Date(info.untilEpochMs).toISOString()}) because ${why}`,
      );
    }
  };
}

const USER_AGENT = `shipstation-source/${packageVersion()}`;
