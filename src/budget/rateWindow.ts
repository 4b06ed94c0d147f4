// A pure model of ShipStation's fixed rate-limit window, fed by the X-Rate-Limit-* headers. No timers and no
// I/O: every method takes the current time, so the logic is unit-tested with plain numbers. The limiter
// (rateLimiter.ts) asks it whether a request may start and when to try again.
//
// What the headers tell us, per response: Limit = requests per window; Remaining = what is left after this
// request; Reset = whole seconds (rounded up) until the window ends, computed at some server instant between
// our send and our receipt. So each response bounds the window's end to
//   [sentAt + (reset - 1) * 1000, receivedAt + reset * 1000]
// and intersecting those bounds across responses tightens the estimate. A response with Remaining == Limit - 1
// was the first request of its window (ShipStation-style fixed windows open at the first request after the
// previous one ended), so that window ends within one round trip of sentAt + Reset * 1000.

export interface RateHeaders {
  limit?: number;
  remaining?: number;
  resetSeconds?: number;
}

export interface RateObservation extends RateHeaders {
  /** Local time the request was sent. */
  sentAt: number;
  /** Local time the response headers arrived. */
  receivedAt: number;
}

export type SendTicket = number;

export type WaitReason = 'window_exhausted' | 'http_429';

export interface Interval {
  lo: number;
  hi: number;
}

export interface RateWindowOptions {
  /** Requests per window assumed until a response carries X-Rate-Limit-Limit. */
  startLimit?: number;
  /** Window length assumed until a window-opening response reveals it. */
  assumedWindowMs?: number;
  /** Added after the latest possible window end before sending again: absorbs timer and clock granularity. */
  safetyMarginMs?: number;
  /** How long a 429 without Retry-After or Reset blocks sending. */
  default429WaitMs?: number;
}

/**
 * The longest one response can make the whole key wait: two of ShipStation's 60-second windows. A longer
 * announcement (a broken header: `Retry-After: 99999999`, `X-Rate-Limit-Reset: 3600`) is taken as this long; if
 * the server still refuses then, each refused request fails on its own instead of every stream stalling.
 */
export const MAX_KEY_WAIT_MS = 120_000;
/** The first wait after a 429 that announces 0 (or junk, read as 0); doubled per such 429 that follows a wait. */
export const MIN_429_BACKOFF_MS = 1_000;

interface WindowState extends Interval {
  /** False for a window we assumed locally because no response carried a Reset header yet. */
  fromHeaders: boolean;
  /** Lowest Remaining seen in this window, i.e. the server's latest count we know of. */
  remaining?: number;
  /** When the response carrying `remaining` arrived. */
  remainingSeenAt?: number;
  /** Our responses counted in this window: the budget's only measure when Remaining is absent. */
  answered: number;
  /** Our requests that failed without a response: the server may have counted them. */
  lost: number;
  /** When the request whose answer carried `remaining` was sent: the server's count is from after that. */
  remainingSentAt?: number;
  /** Requests of other apps the server had counted in this window by then, at least (used − every one of ours). */
  foreign?: number;
  /** The first such count in this window and when its request was sent: their difference gives the other apps' pace. */
  firstForeign?: { units: number; at: number };
}

export const DEFAULT_START_LIMIT = 40;
export const DEFAULT_WINDOW_MS = 60_000;
export const DEFAULT_SAFETY_MARGIN_MS = 20;
/** Shortest stretch between two counts of other apps' requests from which their pace is estimated. */
const MIN_PACE_SPAN_MS = 100;

export class RateWindow {
  private limitValue: number;
  private windowMsValue: number;
  private readonly margin: number;
  private readonly default429WaitMs: number;
  private current: WindowState | undefined;
  private previous: Interval | undefined;
  private readonly pending = new Map<SendTicket, number>();
  private nextTicket = 1;
  private blockedUntilMs: number | undefined;
  /** 429s announcing 0 in a row, each for a request sent after the previous one's wait: the backoff doubles with them. */
  private strikes = 0;
  private lastBlockEnd: number | undefined;

  constructor(options: RateWindowOptions = {}) {
    this.limitValue = positiveInt(options.startLimit) ?? DEFAULT_START_LIMIT;
    this.windowMsValue = options.assumedWindowMs ?? DEFAULT_WINDOW_MS;
    this.margin = options.safetyMarginMs ?? DEFAULT_SAFETY_MARGIN_MS;
    this.default429WaitMs = options.default429WaitMs ?? DEFAULT_WINDOW_MS;
  }

  /** Requests per window: the server's figure once seen, never clamped to the configured start. */
  get limit(): number {
    return this.limitValue;
  }

  /** Window length: learnt from window-opening responses, else assumed. */
  get windowMs(): number {
    return this.windowMsValue;
  }

  /** Bounds of the current window's end, if a window is believed open. */
  get windowEnd(): Interval | undefined {
    return this.current && { lo: this.current.lo, hi: this.current.hi };
  }

  /** The server's latest Remaining for the current window, if known. */
  get remaining(): number | undefined {
    return this.current?.remaining;
  }

  get inFlight(): number {
    return this.pending.size;
  }

  get blockedUntil(): number | undefined {
    return this.blockedUntilMs;
  }

  onSend(now: number): SendTicket {
    this.roll(now);
    // Without headers yet, assume our request opens a window of the assumed length.
    this.current ??= {
      lo: now + this.windowMsValue,
      hi: now + this.windowMsValue,
      fromHeaders: false,
      answered: 0,
      lost: 0,
    };
    const ticket = this.nextTicket++;
    this.pending.set(ticket, now);
    return ticket;
  }

  onResponse(ticket: SendTicket, obs: RateObservation): void {
    this.pending.delete(ticket);
    this.strikes = 0;
    this.observe(obs, false);
  }

  /** The request failed without a response (reset, timeout): count it as spent for this window. */
  onLost(ticket: SendTicket, now: number): void {
    if (!this.pending.delete(ticket)) return;
    this.roll(now);
    if (this.current) this.current.lost++;
  }

  /**
   * A 429: nothing more until the announced reset (Retry-After if given, else Reset, else the default), plus
   * the safety margin and the caller's jitter. An announcement of 0 (or junk the caller read as 0) gets the
   * minimum backoff, doubling while 429s keep coming after each wait, so a broken server gets no storm; no
   * announcement blocks the key longer than MAX_KEY_WAIT_MS.
   */
  on429(ticket: SendTicket, obs: RateObservation, opts: { retryAfterSeconds?: number; jitterMs?: number } = {}): void {
    this.pending.delete(ticket);
    this.observe({ ...obs, remaining: 0 }, true);
    const announcedS = opts.retryAfterSeconds ?? obs.resetSeconds;
    let waitMs: number;
    if (announcedS === undefined || !(announcedS >= 0)) {
      waitMs = this.default429WaitMs;
    } else if (announcedS > 0) {
      waitMs = announcedS * 1000;
    } else {
      // "Retry now" from a server that just refused: back off, longer each time a retry after a wait is refused.
      if (this.lastBlockEnd === undefined || obs.sentAt >= this.lastBlockEnd) this.strikes++;
      waitMs = Math.min(this.default429WaitMs, MIN_429_BACKOFF_MS * 2 ** Math.max(0, this.strikes - 1));
    }
    const until = obs.receivedAt + Math.min(waitMs, MAX_KEY_WAIT_MS);
    if (opts.retryAfterSeconds !== undefined) {
      // The server named the moment explicitly: it is the current window's end from now on.
      if (this.current) this.previous = { lo: this.current.lo, hi: this.current.hi };
      this.current = {
        lo: until,
        hi: until,
        fromHeaders: true,
        remaining: 0,
        remainingSeenAt: obs.receivedAt,
        answered: 1,
        lost: 0,
      };
    }
    const blocked = until + this.margin + (opts.jitterMs ?? 0);
    this.blockedUntilMs = Math.max(this.blockedUntilMs ?? 0, blocked);
    this.lastBlockEnd = this.blockedUntilMs;
  }

  /** How many more requests may start now. */
  available(now: number): number {
    this.roll(now);
    if (this.blockedUntilMs !== undefined && now < this.blockedUntilMs) return 0;
    const w = this.current;
    if (!w) return Math.max(0, this.limitValue - this.pending.size);
    const base = w.remaining ?? this.limitValue - w.answered;
    return Math.max(0, base - this.pending.size - w.lost - this.foreignSince(w, now));
  }

  /**
   * Units other apps on the key have probably spent since the server counted the Remaining we hold, at the
   * rate they spent them in this window: requests of ours sent on that older figure would collide with theirs.
   * Zero when nobody else uses the key.
   */
  private foreignSince(w: WindowState, now: number): number {
    const first = w.firstForeign;
    if (w.foreign === undefined || first === undefined || w.remainingSentAt === undefined) return 0;
    const span = w.remainingSentAt - first.at;
    // Their pace needs two counts some time apart; what they spent before our first answer says nothing of it.
    if (span < MIN_PACE_SPAN_MS || w.foreign <= first.units) return 0;
    const rate = (w.foreign - first.units) / span;
    return Math.floor(rate * Math.max(0, now - w.remainingSentAt));
  }

  canSend(now: number): boolean {
    return this.available(now) > 0;
  }

  /**
   * Epoch ms when sending may be allowed again: `now` if it is already, the latest possible window end plus
   * the margin when the window is spent, and Infinity when only in-flight responses can free budget.
   */
  nextOpportunity(now: number): number {
    if (this.canSend(now)) return now;
    const blocked = this.blockedUntilMs !== undefined && now < this.blockedUntilMs ? this.blockedUntilMs : undefined;
    const windowOpens = this.current ? this.current.hi + this.margin : undefined;
    if (blocked === undefined && windowOpens === undefined) return Number.POSITIVE_INFINITY;
    return Math.max(blocked ?? 0, windowOpens ?? 0);
  }

  waitReason(now: number): WaitReason {
    return this.blockedUntilMs !== undefined && now < this.blockedUntilMs ? 'http_429' : 'window_exhausted';
  }

  /** Once the latest possible end of the window has passed, a fresh window is assumed. */
  private roll(now: number): void {
    if (this.current && now >= this.current.hi + this.margin) {
      this.previous = { lo: this.current.lo, hi: this.current.hi };
      this.current = undefined;
    }
    if (this.blockedUntilMs !== undefined && now >= this.blockedUntilMs) this.blockedUntilMs = undefined;
  }

  private observe(observation: RateObservation, rejected: boolean): void {
    // No window is credibly longer than the longest wait we accept (a Reset of 3600 would stall the key an hour).
    const capS = MAX_KEY_WAIT_MS / 1000;
    const o =
      observation.resetSeconds !== undefined && observation.resetSeconds > capS
        ? { ...observation, resetSeconds: capS }
        : observation;
    const limit = positiveInt(o.limit);
    if (limit !== undefined) this.limitValue = limit;
    const remaining = nonNegativeInt(o.remaining);
    const reset = nonNegativeInt(o.resetSeconds);
    const c = reset === undefined ? undefined : { lo: o.sentAt + (reset - 1) * 1000, hi: o.receivedAt + reset * 1000 };
    this.roll(o.receivedAt);
    const w = this.current;

    if (!c) {
      // No Reset: assume the response belongs to the window we are in.
      if (w) this.count(w, remaining, o);
      return;
    }
    if (this.isStale(c, o)) return;
    if (!w?.fromHeaders || this.opensNewWindow(w, c, remaining, o)) {
      if (w?.fromHeaders) this.previous = { lo: w.lo, hi: w.hi };
      this.current = this.openWindow(c, o, remaining, rejected, w && !w.fromHeaders ? w.lost : 0);
      return;
    }
    // Same window: tighten the estimate; if the server contradicts it, the fresher constraint wins.
    const both = intersect(w, c) ?? c;
    w.lo = both.lo;
    w.hi = both.hi;
    this.count(w, remaining, o);
  }

  private count(w: WindowState, remaining: number | undefined, o: RateObservation): void {
    w.answered++;
    if (remaining !== undefined && (w.remaining === undefined || remaining <= w.remaining)) {
      w.remaining = remaining;
      w.remainingSeenAt = o.receivedAt;
      w.remainingSentAt = o.sentAt;
      const foreign = Math.max(0, this.limitValue - remaining - w.answered - this.pending.size - w.lost);
      w.foreign = Math.max(w.foreign ?? 0, foreign);
      w.firstForeign ??= { units: foreign, at: o.sentAt };
    }
  }

  /**
   * A new window has begun if this response's window ends after the current one can, or if Remaining went
   * up for a request sent after we saw the lower figure (within a window it only goes down).
   */
  private opensNewWindow(w: WindowState, c: Interval, remaining: number | undefined, o: RateObservation): boolean {
    if (c.lo > w.hi) return true;
    return (
      remaining !== undefined &&
      w.remaining !== undefined &&
      w.remainingSeenAt !== undefined &&
      remaining > w.remaining &&
      o.sentAt >= w.remainingSeenAt
    );
  }

  /** A late response from the previous window: sent before it ended and consistent with its end. */
  private isStale(c: Interval, o: RateObservation): boolean {
    const p = this.previous;
    if (!p || o.sentAt >= p.hi) return false;
    if (this.current && intersect(this.current, c)) return false;
    return intersect(p, c) !== undefined;
  }

  private openWindow(
    c: Interval,
    o: RateObservation,
    remaining: number | undefined,
    rejected: boolean,
    lost: number,
  ): WindowState {
    let bounds: Interval = c;
    if (!rejected && remaining !== undefined && remaining === this.limitValue - 1 && o.resetSeconds !== undefined) {
      // Our request opened this window, so Reset is the window's full length and it began within our round trip.
      this.windowMsValue = o.resetSeconds * 1000;
      bounds = intersect(c, { lo: o.sentAt + this.windowMsValue, hi: o.receivedAt + this.windowMsValue }) ?? c;
    }
    const w: WindowState = { lo: bounds.lo, hi: bounds.hi, fromHeaders: true, answered: 0, lost };
    this.count(w, remaining, o);
    return w;
  }
}

function intersect(a: Interval, b: Interval): Interval | undefined {
  const lo = Math.max(a.lo, b.lo);
  const hi = Math.min(a.hi, b.hi);
  return lo <= hi ? { lo, hi } : undefined;
}

function nonNegativeInt(v: number | undefined): number | undefined {
  return v !== undefined && Number.isInteger(v) && v >= 0 ? v : undefined;
}

function positiveInt(v: number | undefined): number | undefined {
  return v !== undefined && Number.isInteger(v) && v > 0 ? v : undefined;
}
