// One API request from arrival to response, in the order the real service is assumed to check things (README.md,
// Assumption 8): scheduled mutations, page plan, fault draw, 429 storm, rate limiter, injected faults, auth, routing.
// Every request advances the scheduler, the page plan and the fault PRNG before anything can reject it, so one seed
// and one request sequence replay the same faults, lies and mutations.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { canonicalPath, isKnownApiPath, jsonResult, serveApi, type ApiResult } from './apiRoutes.js';
import { authorize, parseBasicAuth } from './auth.js';
import type { Dataset } from './dataset.js';
import type { FaultInjector, FaultPlan } from './faults.js';
import type { ResolvedOptions } from './options.js';
import type { PagePlan, PagingControl } from './pagingControl.js';
import type { FixedWindowLimiter } from './fixedWindowLimiter.js';
import { NORMAL_DELIVERY, deliver, htmlErrorPage, type Delivery, type PendingTimers } from './responses.js';
import type { Scheduler } from './scheduler.js';
import type { Stats } from './stats.js';

export interface ApiDeps {
  readonly dataset: Dataset;
  readonly options: ResolvedOptions;
  readonly limiter: FixedWindowLimiter | null;
  readonly faults: FaultInjector;
  readonly paging: PagingControl;
  readonly stats: Stats;
  readonly scheduler: Scheduler;
  readonly timers: PendingTimers;
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

/**
 * One API request, in this order: scheduled mutations due now; this request's page plan (its number seeds
 * short pages and tie order; totalDrift grows); the fault draw; a targeted 429 storm; the rate
 * limiter (a 429 uses no budget); injected faults; Basic auth; routing. Every response carries the
 * rate-limit headers (when limiting is on) and a Date header from the simulator's clock plus `dateOffsetMs`.
 */
export function handleApiRequest(req: IncomingMessage, res: ServerResponse, deps: ApiDeps): void {
  const { stats, faults, limiter, options } = deps;
  const arrived = options.clock();
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const path = canonicalPath(url.pathname);
  stats.started();
  res.on('close', () => stats.finished());
  deps.scheduler.beforeApiRequest();
  const plan = deps.paging.nextRequest();
  const draw = faults.draw();
  const presented = parseBasicAuth(req.headers.authorization);
  const rateKey = presented?.key ?? '';
  const record = (status: number | null, delayMs = 0): void => {
    stats.record({
      t: options.clock(),
      path,
      query: url.search.slice(1),
      status,
      key: presented?.key ?? null,
      ...(delayMs > 0 ? { delayMs } : {}),
    });
  };
  const serverTime = (): number => options.clock() + options.dateOffsetMs;
  const respond = (
    result: ApiResult,
    headers: Readonly<Record<string, string>>,
    delivery: Delivery = NORMAL_DELIVERY,
  ): void => {
    record(result.status, delivery.latencyMs);
    deliver(res, result, headers, delivery, deps.timers, serverTime);
  };

  if (faults.takeStorm(path)) {
    stats.fault('rateLimit');
    respond(jsonResult(429, TOO_MANY_REQUESTS), limiter ? limiter.peekExhausted(rateKey) : {});
    return;
  }
  let headers: Readonly<Record<string, string>> = {};
  if (limiter) {
    const verdict = limiter.take(rateKey);
    headers = verdict.headers;
    if (!verdict.allowed) {
      respond(jsonResult(429, TOO_MANY_REQUESTS), headers);
      return;
    }
  }

  const fault = faults.plan(path, draw);
  const delivery = deliveryFor(fault, deps);
  if (fault.replace === 'reset') {
    stats.fault('reset');
    record(null);
    req.socket.resetAndDestroy();
    return;
  }
  if (fault.replace !== null && fault.replace !== 'truncate') {
    stats.fault(fault.replace);
    const error = INJECTED_ERRORS[fault.replace];
    const result: ApiResult = fault.html
      ? { status: error.status, body: Buffer.from(htmlErrorPage(error.status, error.reason)), contentType: 'text/html' }
      : jsonResult(error.status, error.json);
    respond(result, headers, delivery);
    return;
  }
  if (fault.replace === 'truncate') stats.fault('truncate');
  const result = authenticatedResult(req, path, url.searchParams, presented, deps, plan);
  // A real server answers many requests at once: the model's time runs from arrival, not from when this
  // single-threaded simulator got round to rendering the page.
  const modelled = Math.max(0, arrived + modelLatency(options.latency, result) - options.clock());
  respond(result, headers, { ...delivery, latencyMs: delivery.latencyMs + modelled });
}

/** The latency model's delay for a response: a fixed part plus a part per record it carries. */
function modelLatency(model: ResolvedOptions['latency'], result: ApiResult): number {
  return Math.round(model.baseMs + model.perRecordMs * (result.records ?? 0));
}

function deliveryFor(plan: FaultPlan, deps: ApiDeps): Delivery {
  const settings = deps.faults.settings;
  if (plan.latency) deps.stats.fault('latency');
  if (plan.slowBody) deps.stats.fault('slowBody');
  return {
    latencyMs: plan.latency ? settings.latencyMs : 0,
    slowBody: plan.slowBody ? { chunks: settings.slowBodyChunks, delayMs: settings.slowBodyDelayMs } : null,
    truncate: plan.replace === 'truncate',
  };
}

function authenticatedResult(
  req: IncomingMessage,
  path: string,
  search: URLSearchParams,
  presented: ReturnType<typeof parseBasicAuth>,
  deps: ApiDeps,
  plan: PagePlan,
): ApiResult {
  const { options } = deps;
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
    return jsonResult(405, { Message: `The requested resource does not support http method '${req.method ?? ''}'.` });
  try {
    return serveApi(deps.dataset, options.pagesZeroQuirk, path, search, options.filterBounds, plan);
  } catch (error) {
    process.stderr.write(
      `simulator: error serving ${path}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return jsonResult(500, { Message: 'An error has occurred.' });
  }
}
