// Injected faults: random ones drawn per API request from a seeded PRNG (5xx with a JSON or nginx HTML body,
// connection resets, truncated bodies, latency, slow bodies) and a queue of targeted ones for tests (failNext, 429
// storms included). Always four draws per request, whatever the rates, so a seed faults the same requests every run.
import { canonicalPath } from './apiRoutes.js';
import { resolveFaults, type FaultOptions, type ResolvedFaultOptions } from './options.js';
import { Rng, hash32 } from './random.js';

/** Faults that replace the response (at most one per request). */
export const EXCLUSIVE_FAULTS = ['error500', 'error502', 'error503', 'reset', 'truncate'] as const;
/** Faults that alter how the response is delivered. */
export const DELIVERY_FAULTS = ['latency', 'slowBody'] as const;
/** `rateLimit` is the targeted 429 storm. */
export const FAULT_KINDS = [...EXCLUSIVE_FAULTS, ...DELIVERY_FAULTS, 'rateLimit'] as const;

export type ExclusiveFault = (typeof EXCLUSIVE_FAULTS)[number];
export type FaultKind = (typeof FAULT_KINDS)[number];

export function isFaultKind(value: string): value is FaultKind {
  return (FAULT_KINDS as readonly string[]).includes(value);
}

/** What happens to one request. */
export interface FaultPlan {
  readonly replace: ExclusiveFault | null;
  /** For injected 5xx: send an HTML body instead of JSON. */
  readonly html: boolean;
  /** For injected 5xx that are not HTML: send an empty body (as v2 documents its 500s). */
  readonly empty: boolean;
  readonly latency: boolean;
  readonly slowBody: boolean;
}

export interface FailNextSpec {
  readonly kind: FaultKind;
  /** How many matching requests it applies to (default 1). */
  readonly count?: number;
  /** Only requests to this API path (e.g. '/orders'); any path when absent. */
  readonly path?: string;
  /** For 5xx kinds: HTML body (default: true for 502/503, false for 500). */
  readonly html?: boolean;
  /** For 5xx kinds that are not HTML: an empty body (default false). */
  readonly empty?: boolean;
}

interface Pending {
  readonly kind: FaultKind;
  remaining: number;
  readonly path: string | null;
  readonly html: boolean;
  readonly empty: boolean;
}

const FAULT_SEED_TAG = 0xfa17;

/**
 * Random faults drawn from a seeded PRNG, exactly four draws per API request in arrival order (so the sequence
 * only depends on the seed and the number of requests), plus a queue of targeted faults for tests.
 */
export class FaultInjector {
  private readonly rng: Rng;
  private pending: Pending[] = [];

  constructor(
    private current: ResolvedFaultOptions,
    seed: number,
  ) {
    this.rng = new Rng(hash32(seed, FAULT_SEED_TAG));
  }

  get settings(): ResolvedFaultOptions {
    return this.current;
  }

  configure(update: FaultOptions): void {
    this.current = resolveFaults(this.current, update);
  }

  failNext(spec: FailNextSpec): void {
    const count = spec.count ?? 1;
    if (!Number.isInteger(count) || count < 1)
      throw new RangeError(`failNext count must be a positive integer, got ${count}`);
    this.pending.push({
      kind: spec.kind,
      remaining: count,
      path: spec.path === undefined ? null : canonicalPath(spec.path),
      html: spec.html ?? (spec.kind === 'error502' || spec.kind === 'error503'),
      empty: spec.empty ?? false,
    });
  }

  clearPending(): void {
    this.pending = [];
  }

  /** Consumes one pending 429-storm entry for this path, if any. Checked before the rate limiter. */
  takeStorm(path: string): boolean {
    return this.take(path, (kind) => kind === 'rateLimit') !== null;
  }

  /** The plan for a request that passed the rate limiter: the random draw, overridden by a pending targeted fault. */
  plan(path: string, draw: FaultPlan): FaultPlan {
    const targeted = this.take(path, (kind) => kind !== 'rateLimit');
    if (!targeted) return draw;
    switch (targeted.kind) {
      case 'latency':
        return { ...draw, latency: true };
      case 'slowBody':
        return { ...draw, slowBody: true };
      default:
        return { ...draw, replace: targeted.kind as ExclusiveFault, html: targeted.html, empty: targeted.empty };
    }
  }

  /** The random part of a request's plan. Always makes four draws. */
  draw(): FaultPlan {
    const { rates, htmlShare, emptyBodyShare } = this.current;
    const u = this.rng.next();
    // One draw decides the body: HTML below htmlShare; above it, empty for the emptyBodyShare of the rest.
    const bodyDraw = this.rng.next();
    const html = bodyDraw < htmlShare;
    const empty = !html && (bodyDraw - htmlShare) / (1 - htmlShare) < emptyBodyShare;
    const latency = this.rng.next() < rates.latency;
    const slowBody = this.rng.next() < rates.slowBody;
    let cumulative = 0;
    let replace: ExclusiveFault | null = null;
    for (const kind of EXCLUSIVE_FAULTS) {
      cumulative += rates[kind];
      if (u < cumulative) {
        replace = kind;
        break;
      }
    }
    return { replace, html, empty, latency, slowBody };
  }

  private take(path: string, accepts: (kind: FaultKind) => boolean): Pending | null {
    const index = this.pending.findIndex((p) => accepts(p.kind) && (p.path === null || p.path === path));
    if (index < 0) return null;
    const entry = this.pending[index] as Pending;
    entry.remaining--;
    if (entry.remaining === 0) this.pending.splice(index, 1);
    return entry;
  }
}
