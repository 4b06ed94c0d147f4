// Reading the rate-limit headers strictly and bounding what they can make the connector do. A server (or a proxy
// in front of it) can send anything: `Retry-After: -5`, `0`, `99999999`, `X-Rate-Limit-Reset: 3600`. Unusable
// values never mean "send again at once", and no announced wait may hold the key longer than credible
// (MAX_KEY_WAIT_MS in rateWindow.ts).
import type { IncomingHttpHeaders } from 'node:http';
import { MAX_KEY_WAIT_MS, type RateHeaders } from './rateWindow.js';

/** Headers as the client gets them from undici. */
type Headers = IncomingHttpHeaders;

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** A non-negative decimal integer and nothing else (no sign, fraction, exponent or junk). */
function intHeader(value: string | string[] | undefined): number | undefined {
  const v = firstHeader(value)?.trim();
  return v !== undefined && /^\d{1,15}$/.test(v) ? Number(v) : undefined;
}

export function rateHeaders(h: Headers): RateHeaders {
  return {
    limit: intHeader(h['x-rate-limit-limit']),
    remaining: intHeader(h['x-rate-limit-remaining']),
    resetSeconds: intHeader(h['x-rate-limit-reset']),
  };
}

// RFC 9110 HTTP-date: IMF-fixdate, and the obsolete RFC 850 and asctime forms a recipient must accept.
const IMF_FIXDATE =
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;
const RFC850 =
  /^(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), \d{2}-(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)-\d{2} \d{2}:\d{2}:\d{2} GMT$/;
const ASCTIME =
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ \d]\d \d{2}:\d{2}:\d{2} \d{4}$/;

/**
 * Retry-After in whole seconds from `now`: undefined when the header is absent; 0 when it is present but says
 * nothing usable (junk, a negative number, 0, a date already past), which the rate window turns into its
 * minimum backoff rather than an immediate retry.
 */
export function retryAfterSeconds(h: Headers, now: number): number | undefined {
  const v = firstHeader(h['retry-after'])?.trim();
  if (v === undefined) return undefined;
  if (/^\d{1,15}$/.test(v)) return Number(v);
  if (IMF_FIXDATE.test(v) || RFC850.test(v) || ASCTIME.test(v)) {
    const at = Date.parse(ASCTIME.test(v) ? `${v} GMT` : v);
    if (!Number.isNaN(at)) return Math.max(0, Math.ceil((at - now) / 1000));
  }
  return 0;
}

/**
 * The longest wait one 429 may impose on the key: MAX_KEY_WAIT_MS, and not past one request's whole retry budget
 * (the refused request fails then anyway; the other streams should not wait longer than it would have).
 */
export function maxKeyWaitSeconds(maxRetryTimeMs: number): number {
  return Math.max(1, Math.floor(Math.min(MAX_KEY_WAIT_MS, maxRetryTimeMs) / 1000));
}

/** Rate headers with Reset bounded, as the limiter may act on them. */
export function boundedRateHeaders(rate: RateHeaders, maxWaitS: number): RateHeaders {
  return rate.resetSeconds === undefined || rate.resetSeconds <= maxWaitS ? rate : { ...rate, resetSeconds: maxWaitS };
}
