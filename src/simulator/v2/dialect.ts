// ShipStation API v2 (api.shipstation.com) as the request pipeline sees it: the `API-Key` header (a v1 Basic header
// or a wrong key is a 401, the no-access account's key a 403), no rate-limit headers but `Retry-After` on a 429, v2
// error bodies (and optionally empty 5xx bodies), and the /v2/ routes.
import type { ApiResult } from '../apiRoutes.js';
import { reportServeError, sharedErrorBody, injectedStatus, type ApiDialect } from '../dialect.js';
import type { ResolvedOptions } from '../options.js';
import { V2Error, RequestIds, errorResult } from './errors.js';
import { isKnownV2Path, serveV2, type V2RouteSettings } from './routes.js';
import type { V2Data } from './v2Data.js';

const INJECTED_MESSAGES = {
  error500: 'An unexpected error occurred.',
  error502: 'The server received an invalid response from an upstream server.',
  error503: 'The service is temporarily unavailable.',
} as const;

/** The key a request presents in its `API-Key` header (any case), or null. */
function apiKeyOf(headers: Readonly<Record<string, string | string[] | undefined>>): string | null {
  const value = headers['api-key'];
  return typeof value === 'string' && value !== '' ? value : null;
}

function authError(headers: Readonly<Record<string, string | string[] | undefined>>, key: string | null): V2Error {
  if (key !== null) return new V2Error(401, 'security', 'unauthorized', 'The API key is invalid.');
  const basic = /^Basic\s/i.test(String(headers.authorization ?? ''));
  return new V2Error(
    401,
    'security',
    'unauthorized',
    basic
      ? 'Basic authentication (a v1 API key and secret) is not accepted: send a v2 key in the API-Key header.'
      : 'The API-Key header is missing.',
  );
}

export function v2Dialect(data: V2Data, options: ResolvedOptions, settings: V2RouteSettings): ApiDialect {
  const requestIds = new RequestIds(options.seed);
  const nextId = (): string => requestIds.next();
  const refuse = (error: V2Error): ApiResult => errorResult(nextId(), error);
  return {
    presentedKey: (req) => apiKeyOf(req.headers),
    // v2 documents no X-Rate-Limit-* headers.
    rateHeaders: () => ({}),
    tooManyRequests: (window) => ({
      result: refuse(
        new V2Error(429, 'system', 'rate_limit_exceeded', 'You have exceeded the rate limit. Please try again later.'),
      ),
      // Without a limiter (a targeted storm only) the wait is a second.
      headers: { 'Retry-After': String(window?.resetSeconds ?? 1) },
    }),
    injectedError: (kind, body) =>
      sharedErrorBody(kind, body) ??
      refuse(new V2Error(injectedStatus(kind).status, 'system', 'unspecified', INJECTED_MESSAGES[kind])),
    serve: (req, path, search, plan) => {
      const key = apiKeyOf(req.headers);
      if (key === options.v2Keys.noAccessKey)
        return refuse(
          new V2Error(
            403,
            'account_status',
            'invalid_billing_plan',
            'Your ShipStation plan does not include API access.',
          ),
        );
      if (key !== options.v2Keys.apiKey) return refuse(authError(req.headers, key));
      if (req.method !== 'GET' && isKnownV2Path(path))
        return refuse(
          new V2Error(405, 'validation', 'unspecified', `${req.method ?? ''} is not supported on ${path}.`),
        );
      try {
        return serveV2(data, settings, path, search, plan, nextId);
      } catch (error) {
        if (error instanceof V2Error) return refuse(error);
        reportServeError(path, error);
        // A v2 500 has an empty body, as the OpenAPI file's ServerError response says.
        return { status: 500, body: Buffer.alloc(0), contentType: 'application/json; charset=utf-8' };
      }
    },
  };
}
