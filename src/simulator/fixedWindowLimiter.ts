// The API rate limit: a fixed window per API key with the X-Rate-Limit-Limit/-Remaining/-Reset headers
// ShipStation sends (default 40 requests a minute, the standard plan's budget). consume() stands in for the other
// applications that share a key's budget.
import type { RateLimitOptions } from './options.js';

export interface RateLimitVerdict {
  readonly allowed: boolean;
  readonly headers: Readonly<Record<string, string>>;
}

interface Window {
  readonly start: number;
  used: number;
}

/**
 * Fixed window per API key, the counter ASP.NET rate-limit middleware uses (ShipStation's header names match):
 * a window opens at the first request after the previous one expired and lasts exactly `windowMs`; each allowed
 * request uses one unit; a rejected (429) request uses none. `X-Rate-Limit-Reset` is the whole seconds left in
 * the window, rounded up.
 */
export class FixedWindowLimiter {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly options: RateLimitOptions,
    private readonly clock: () => number,
  ) {}

  take(key: string): RateLimitVerdict {
    const now = this.clock();
    const window = this.current(key, now);
    const allowed = window.used < this.options.limit;
    if (allowed) window.used++;
    return { allowed, headers: this.headers(window, now, allowed ? this.options.limit - window.used : 0) };
  }

  /** Headers for a response that did not go through `take` (an injected 429): reports no budget left. */
  peekExhausted(key: string): Readonly<Record<string, string>> {
    const now = this.clock();
    return this.headers(this.current(key, now), now, 0);
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

  private headers(window: Window, now: number, remaining: number): Record<string, string> {
    return {
      'X-Rate-Limit-Limit': String(this.options.limit),
      'X-Rate-Limit-Remaining': String(remaining),
      'X-Rate-Limit-Reset': String(Math.ceil((window.start + this.options.windowMs - now) / 1000)),
    };
  }
}
