// What the two APIs answer differently, behind one interface the request pipeline calls: which key a request
// presents, the rate-limit headers and 429s, the bodies of injected 5xx, and authentication and routing. The v1
// dialect (ssapi.shipstation.com: Basic auth, X-Rate-Limit-* headers, ASP.NET bodies) lives here; v2 in v2/dialect.ts.
import type { IncomingMessage } from 'node:http';
import { isKnownApiPath, jsonResult, serveApi, type ApiResult } from './apiRoutes.js';
import { authorize, parseBasicAuth } from './auth.js';
import type { Dataset } from './dataset.js';
import type { RateLimitWindow } from './fixedWindowLimiter.js';
import type { ResolvedOptions } from './options.js';
import type { PagePlan } from './pagingControl.js';
import { htmlErrorPage } from './responses.js';

export type InjectedError = 'error500' | 'error502' | 'error503';
export type ErrorBody = 'json' | 'html' | 'empty';

/** A response and the headers it goes out with. */
export interface Answer {
  readonly result: ApiResult;
  readonly headers: Readonly<Record<string, string>>;
}

export interface ApiDialect {
  /** The API key a request presents: its rate-limit bucket and its key in stats (null: none presented). */
  presentedKey(req: IncomingMessage): string | null;
  /** Headers every response that passed the rate limiter carries (null window: limiting is off). */
  rateHeaders(window: RateLimitWindow | null): Readonly<Record<string, string>>;
  /** A 429, from the limiter or a targeted storm (null window: limiting is off). */
  tooManyRequests(window: RateLimitWindow | null): Answer;
  /** The body of an injected 5xx. */
  injectedError(kind: InjectedError, body: ErrorBody): ApiResult;
  /** An authenticated request's answer: auth, method, routing. */
  serve(req: IncomingMessage, path: string, search: URLSearchParams, plan: PagePlan): ApiResult;
}

const TOO_MANY_REQUESTS = { Message: 'Too Many Requests. The rate limit for this API key has been exceeded.' };
const INJECTED_ERRORS = {
  error500: { status: 500, reason: 'Internal Server Error', json: { Message: 'An error has occurred.' } },
  error502: { status: 502, reason: 'Bad Gateway', json: { Message: 'Bad Gateway' } },
  error503: {
    status: 503,
    reason: 'Service Temporarily Unavailable',
    json: { Message: 'The service is unavailable.' },
  },
} as const;

/** A 5xx status with its reason phrase, for the HTML page an nginx in front of either API would send. */
export function injectedStatus(kind: InjectedError): { readonly status: number; readonly reason: string } {
  return INJECTED_ERRORS[kind];
}

/** The nginx-style HTML page or an empty body; null for the dialect's own JSON. */
export function sharedErrorBody(kind: InjectedError, body: ErrorBody): ApiResult | null {
  const { status, reason } = INJECTED_ERRORS[kind];
  if (body === 'html') return { status, body: Buffer.from(htmlErrorPage(status, reason)), contentType: 'text/html' };
  if (body === 'empty') return { status, body: Buffer.alloc(0), contentType: 'application/json; charset=utf-8' };
  return null;
}

function v1RateHeaders(window: RateLimitWindow): Record<string, string> {
  return {
    'X-Rate-Limit-Limit': String(window.limit),
    'X-Rate-Limit-Remaining': String(window.remaining),
    'X-Rate-Limit-Reset': String(window.resetSeconds),
  };
}

/** ShipStation v1: Basic auth, X-Rate-Limit-* headers on every response, no Retry-After, ASP.NET error bodies. */
export function v1Dialect(dataset: Dataset, options: ResolvedOptions): ApiDialect {
  return {
    presentedKey: (req) => parseBasicAuth(req.headers.authorization)?.key ?? null,
    rateHeaders: (window) => (window ? v1RateHeaders(window) : {}),
    tooManyRequests: (window) => ({
      result: jsonResult(429, TOO_MANY_REQUESTS),
      headers: window ? v1RateHeaders(window) : {},
    }),
    injectedError: (kind, body) =>
      sharedErrorBody(kind, body) ?? jsonResult(INJECTED_ERRORS[kind].status, INJECTED_ERRORS[kind].json),
    serve: (req, path, search, plan) => {
      const presented = parseBasicAuth(req.headers.authorization);
      switch (authorize(presented, options.credentials, options.noAccessCredentials)) {
        case 'missing':
          // Without credentials the real API answers with a bare text body; with wrong ones, with JSON.
          return { status: 401, body: Buffer.from('401 Unauthorized'), contentType: 'text/plain; charset=utf-8' };
        case 'invalid':
          return jsonResult(401, { Message: 'Authorization has been denied for this request.' });
        case 'noApiAccess':
          return jsonResult(403, { Message: 'Access denied. Your ShipStation plan does not include API access.' });
        case 'ok':
          break;
      }
      if (req.method !== 'GET' && isKnownApiPath(path))
        return jsonResult(405, {
          Message: `The requested resource does not support http method '${req.method ?? ''}'.`,
        });
      try {
        return serveApi(dataset, options.pagesZeroQuirk, path, search, options.filterBounds, plan);
      } catch (error) {
        reportServeError(path, error);
        return jsonResult(500, { Message: 'An error has occurred.' });
      }
    },
  };
}

/** A bug while serving is answered as a 500 and told on stderr, so a test sees it instead of a hang. */
export function reportServeError(path: string, error: unknown): void {
  process.stderr.write(
    `simulator: error serving ${path}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
}
