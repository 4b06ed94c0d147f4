// One API request from arrival to response, in the order the real service is assumed to check things (README.md,
// Assumption 8): scheduled mutations, page plan, fault draw, 429 storm, rate limiter, injected faults, auth, routing.
// Requests are stamped on arrival and handled one per event-loop turn in arrival order (ArrivalQueue).
// What the two APIs answer differently (keys, headers, error bodies, routes) is asked of the dialect.
// Every request advances the scheduler, the page plan and the fault PRNG before anything can reject it, so one seed
// and one request sequence replay the same faults, lies and mutations.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { canonicalPath, type ApiResult } from './apiRoutes.js';
import type { ApiDialect, ErrorBody } from './dialect.js';
import type { FaultInjector, FaultPlan } from './faults.js';
import type { ResolvedOptions } from './options.js';
import type { PagingControl } from './pagingControl.js';
import type { FixedWindowLimiter } from './fixedWindowLimiter.js';
import { NORMAL_DELIVERY, deliver, type Delivery, type PendingTimers } from './responses.js';
import type { Scheduler } from './scheduler.js';
import type { Stats } from './stats.js';

export interface ApiDeps {
  readonly dialect: ApiDialect;
  readonly options: ResolvedOptions;
  readonly limiter: FixedWindowLimiter | null;
  readonly faults: FaultInjector;
  readonly paging: PagingControl;
  readonly stats: Stats;
  readonly scheduler: Scheduler;
  readonly timers: PendingTimers;
}

/**
 * One API request, in this order: scheduled mutations due now; this request's page plan (its number seeds
 * short pages and tie order; totalDrift grows); the fault draw; a targeted 429 storm; the rate
 * limiter (a 429 uses no budget); injected faults; auth; routing. Every response carries the dialect's
 * rate-limit headers (when limiting is on) and a Date header from the simulator's clock plus `dateOffsetMs`.
 * `arrived`: when the request reached the server (ArrivalQueue), from which the rate window and latency count.
 */
export function handleApiRequest(req: IncomingMessage, res: ServerResponse, deps: ApiDeps, arrived: number): void {
  const { stats, faults, limiter, options, dialect } = deps;
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const path = canonicalPath(url.pathname);
  stats.started();
  // A client that left while the request waited in the queue: its close has been emitted already.
  if (res.closed) stats.finished();
  else res.on('close', () => stats.finished());
  deps.scheduler.beforeApiRequest();
  const plan = deps.paging.nextRequest();
  const draw = faults.draw();
  const presentedKey = dialect.presentedKey(req);
  const rateKey = presentedKey ?? '';
  let rateWindow: number | undefined;
  const record = (status: number | null, delayMs = 0, retryAfter?: string): void => {
    stats.record({
      t: options.clock(),
      path,
      query: url.search.slice(1),
      status,
      key: presentedKey,
      ...(delayMs > 0 ? { delayMs } : {}),
      ...(retryAfter !== undefined ? { retryAfterS: Number(retryAfter) } : {}),
      ...(rateWindow !== undefined ? { rateWindow } : {}),
    });
  };
  const serverTime = (): number => options.clock() + options.dateOffsetMs;
  const respond = (
    result: ApiResult,
    headers: Readonly<Record<string, string>>,
    delivery: Delivery = NORMAL_DELIVERY,
  ): void => {
    record(result.status, delivery.latencyMs, headers['Retry-After']);
    deliver(res, result, headers, delivery, deps.timers, serverTime);
  };

  if (faults.takeStorm(path)) {
    stats.fault('rateLimit');
    const answer = dialect.tooManyRequests(limiter ? limiter.peekExhausted(rateKey) : null);
    respond(answer.result, answer.headers);
    return;
  }
  let headers: Readonly<Record<string, string>> = dialect.rateHeaders(null);
  if (limiter) {
    const verdict = limiter.take(rateKey, arrived);
    rateWindow = verdict.windowStart;
    if (!verdict.allowed) {
      const answer = dialect.tooManyRequests(verdict);
      respond(answer.result, answer.headers);
      return;
    }
    headers = dialect.rateHeaders(verdict);
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
    const body: ErrorBody = fault.html ? 'html' : fault.empty ? 'empty' : 'json';
    respond(dialect.injectedError(fault.replace, body), headers, delivery);
    return;
  }
  if (fault.replace === 'truncate') stats.fault('truncate');
  const result = dialect.serve(req, path, url.searchParams, plan);
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

/**
 * Requests in the order they arrived, handled one per turn of the event loop. A real server stamps a request when
 * it arrives and renders many at once; this single thread renders one page after another, so a request that came
 * while others were rendered is stamped on receipt (between two renders the loop reads the sockets), and its
 * modelled latency and rate window run from then, not from when the thread got round to it. Handling stays strictly
 * in arrival order, so scheduled mutations, page plans and fault draws replay as before.
 */
export class ArrivalQueue {
  private readonly jobs: Array<() => void> = [];
  private draining = false;

  constructor(private readonly clock: () => number) {}

  push(handle: (arrived: number) => void): void {
    const arrived = this.clock();
    this.jobs.push(() => handle(arrived));
    if (!this.draining) {
      this.draining = true;
      setImmediate(this.drain);
    }
  }

  private readonly drain = (): void => {
    this.jobs.shift()?.();
    if (this.jobs.length > 0) setImmediate(this.drain);
    else this.draining = false;
  };
}
