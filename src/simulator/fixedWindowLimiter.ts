// The API rate limit: a fixed window per API key (default 40 requests a minute in v1, the standard plan's budget;
// 200 in v2). It reports what is left of the window; each dialect turns that into its own headers (v1's
// X-Rate-Limit-*, v2's Retry-After on a 429). consume() stands in for the other applications sharing a key's budget.
import type { RateLimitOptions } from './options.js';

/** Where a key's window stands after a request. */
export interface RateLimitWindow {
  readonly limit: number;
  /** Units left in the window after this request. */
  readonly remaining: number;
  /** Whole seconds until the window ends, rounded up (at least 1). */
  readonly resetSeconds: number;
}

export interface RateLimitVerdict extends RateLimitWindow {
  readonly allowed: boolean;
  /** When the window this request was counted in opened (simulator clock, ms): tests group 429s by it. */
  readonly windowStart: number;
}

interface Window {
  readonly start: number;
  used: number;
}

/**
 * Fixed window per API key, the counter ASP.NET rate-limit middleware uses (ShipStation's header names match):
 * a window opens at the first request after the previous one expired and lasts exactly `windowMs`; each allowed
 * request uses one unit; a rejected (429) request uses none.
 */
export class FixedWindowLimiter {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly options: RateLimitOptions,
    private readonly clock: () => number,
  ) {}

  /** `now`: when the request arrived (requests are counted in arrival order). */
  take(key: string, now = this.clock()): RateLimitVerdict {
    const window = this.current(key, now);
    const allowed = window.used < this.options.limit;
    if (allowed) window.used++;
    return {
      allowed,
      windowStart: window.start,
      ...this.state(window, now, allowed ? this.options.limit - window.used : 0),
    };
  }

  /** The window of a response that did not go through `take` (an injected 429): reports no budget left. */
  peekExhausted(key: string): RateLimitWindow {
    const now = this.clock();
    return this.state(this.current(key, now), now, 0);
  }

  /** Simulates another application spending `units` of this key's current window. */
  consume(key: string, units: number): void {
    const window = this.current(key, this.clock());
    window.used = Math.min(this.options.limit, window.used + units);
  }

  private current(key: string, now: number): Window {
    let window = this.windows.get(key);
    if (!window || now >= window.start + this.options.windowMs) {
      window = { start: now, used: 0 };
      this.windows.set(key, window);
    }
    return window;
  }

  private state(window: Window, now: number, remaining: number): RateLimitWindow {
    return {
      limit: this.options.limit,
      remaining,
      resetSeconds: Math.ceil((window.start + this.options.windowMs - now) / 1000),
    };
  }
}
