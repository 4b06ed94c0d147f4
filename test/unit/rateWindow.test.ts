import { describe, expect, it } from '@jest/globals';
import {
  DEFAULT_SAFETY_MARGIN_MS,
  MAX_KEY_WAIT_MS,
  MIN_429_BACKOFF_MS,
  RateWindow,
} from '../../src/budget/rateWindow.js';

const T0 = 1_000_000;
const MARGIN = DEFAULT_SAFETY_MARGIN_MS;

/** Send at `sentAt`, answer at `receivedAt` with the given headers. */
function exchange(
  w: RateWindow,
  sentAt: number,
  receivedAt: number,
  headers: { limit?: number; remaining?: number; resetSeconds?: number },
): void {
  const t = w.onSend(sentAt);
  w.onResponse(t, { sentAt, receivedAt, ...headers });
}

describe('RateWindow before any header', () => {
  it('allows the configured start budget per assumed 60 s window', () => {
    const w = new RateWindow({ startLimit: 3 });
    const tickets = [0, 1, 2].map((i) => {
      expect(w.canSend(T0 + i)).toBe(true);
      return w.onSend(T0 + i);
    });
    expect(w.canSend(T0 + 10)).toBe(false);
    expect(w.nextOpportunity(T0 + 10)).toBe(T0 + 60_000 + MARGIN);
    tickets.forEach((t, i) => w.onResponse(t, { sentAt: T0 + i, receivedAt: T0 + 100 }));
    expect(w.canSend(T0 + 200)).toBe(false);
    expect(w.canSend(T0 + 60_000 + MARGIN)).toBe(true);
  });

  it('counts requests still in flight against the next window too, since they may land in it', () => {
    const w = new RateWindow({ startLimit: 1 });
    w.onSend(T0);
    expect(w.canSend(T0 + 60_000 + MARGIN)).toBe(false);
    expect(w.nextOpportunity(T0 + 60_000 + MARGIN)).toBe(Number.POSITIVE_INFINITY);
  });

  it('counts answered requests without headers against the assumed window', () => {
    const w = new RateWindow({ startLimit: 2 });
    exchange(w, T0, T0 + 10, {});
    expect(w.available(T0 + 20)).toBe(1);
    exchange(w, T0 + 20, T0 + 30, {});
    expect(w.canSend(T0 + 40)).toBe(false);
  });
});

describe('RateWindow from headers', () => {
  it('takes the server limit as is, never clamped to the configured start', () => {
    const w = new RateWindow({ startLimit: 10 });
    exchange(w, T0, T0 + 100, { limit: 40, remaining: 39, resetSeconds: 60 });
    expect(w.limit).toBe(40);
    expect(w.available(T0 + 100)).toBe(39);
  });

  it('pins the window end to one round trip for a window-opening response and learns the window length', () => {
    const w = new RateWindow({ assumedWindowMs: 60_000 });
    exchange(w, T0, T0 + 120, { limit: 40, remaining: 39, resetSeconds: 2 });
    expect(w.windowMs).toBe(2_000);
    expect(w.windowEnd).toEqual({ lo: T0 + 2_000, hi: T0 + 2_120 });
  });

  it('intersects the bounds of later responses in the same window', () => {
    const w = new RateWindow();
    // Not an opening response (another app opened the window): end in [T0 + 29 s, T0 + 100 + 30 s].
    exchange(w, T0, T0 + 100, { limit: 40, remaining: 30, resetSeconds: 30 });
    expect(w.windowEnd).toEqual({ lo: T0 + 29_000, hi: T0 + 30_100 });
    // 500 ms later the server said 29 s (rounded up): end in [T0 + 28.5 s, T0 + 29.6 s].
    exchange(w, T0 + 500, T0 + 600, { limit: 40, remaining: 29, resetSeconds: 29 });
    expect(w.windowEnd).toEqual({ lo: T0 + 29_000, hi: T0 + 29_600 });
    expect(w.remaining).toBe(29);
  });

  it('subtracts requests in flight from the latest Remaining', () => {
    const w = new RateWindow();
    exchange(w, T0, T0 + 50, { limit: 40, remaining: 5, resetSeconds: 30 });
    w.onSend(T0 + 60);
    w.onSend(T0 + 61);
    expect(w.available(T0 + 62)).toBe(3);
    expect(w.inFlight).toBe(2);
  });

  it('keeps the lowest Remaining when responses arrive out of order', () => {
    const w = new RateWindow();
    const a = w.onSend(T0);
    const b = w.onSend(T0 + 1);
    // b was processed after a (lower Remaining) but its response arrives first.
    w.onResponse(b, { sentAt: T0 + 1, receivedAt: T0 + 50, limit: 40, remaining: 8, resetSeconds: 30 });
    w.onResponse(a, { sentAt: T0, receivedAt: T0 + 60, limit: 40, remaining: 9, resetSeconds: 30 });
    expect(w.remaining).toBe(8);
    expect(w.available(T0 + 70)).toBe(8);
  });

  it('slows down when another app spends the shared budget', () => {
    const w = new RateWindow();
    exchange(w, T0, T0 + 50, { limit: 40, remaining: 20, resetSeconds: 30 });
    exchange(w, T0 + 100, T0 + 150, { limit: 40, remaining: 2, resetSeconds: 30 });
    // Right after their count: what they left.
    expect(w.available(T0 + 100)).toBe(2);
    // They spent 17 in 100 ms: 60 ms on, at that pace, nothing is left for us.
    expect(w.available(T0 + 160)).toBe(0);
  });

  it('forecasts another app’s pace between our answers, and nothing from what it spent before them', () => {
    const w = new RateWindow();
    // 19 spent by others before our first answer: no pace can be told from one count.
    exchange(w, T0, T0 + 50, { limit: 40, remaining: 20, resetSeconds: 30 });
    expect(w.available(T0 + 5_000)).toBe(20);
    // 10 more of theirs in the next second: 1 per 100 ms; 450 ms after that count, 4 of what is left are theirs.
    exchange(w, T0 + 1000, T0 + 1050, { limit: 40, remaining: 9, resetSeconds: 29 });
    expect(w.available(T0 + 1450)).toBe(5);
  });

  it('waits for the latest possible window end plus the margin once the budget is spent, then uses the new window', () => {
    const w = new RateWindow();
    exchange(w, T0, T0 + 100, { limit: 40, remaining: 39, resetSeconds: 2 });
    exchange(w, T0 + 200, T0 + 300, { limit: 40, remaining: 0, resetSeconds: 2 });
    expect(w.canSend(T0 + 400)).toBe(false);
    expect(w.waitReason(T0 + 400)).toBe('window_exhausted');
    const at = w.nextOpportunity(T0 + 400);
    expect(at).toBe(T0 + 2_100 + MARGIN);
    expect(w.canSend(at - 1)).toBe(false);
    expect(w.available(at)).toBe(40);
  });

  it('detects a new window when Remaining goes up for a request sent after the lower figure', () => {
    const w = new RateWindow();
    exchange(w, T0, T0 + 100, { limit: 40, remaining: 3, resetSeconds: 2 });
    // The estimate is [T0 + 1 s, T0 + 2.1 s]; a window-opening response in a fresh window.
    exchange(w, T0 + 2_000, T0 + 2_050, { limit: 40, remaining: 39, resetSeconds: 2 });
    expect(w.remaining).toBe(39);
    expect(w.windowEnd).toEqual({ lo: T0 + 4_000, hi: T0 + 4_050 });
  });

  it('detects a new window from the bounds when other apps already spent it', () => {
    const w = new RateWindow();
    exchange(w, T0, T0 + 100, { limit: 40, remaining: 5, resetSeconds: 2 });
    expect(w.windowEnd).toEqual({ lo: T0 + 1_000, hi: T0 + 2_100 });
    // Remaining is lower than before, but the window this response describes ends after the current one can.
    exchange(w, T0 + 2_100, T0 + 2_150, { limit: 40, remaining: 1, resetSeconds: 60 });
    expect(w.windowEnd).toEqual({ lo: T0 + 61_100, hi: T0 + 62_150 });
    expect(w.remaining).toBe(1);
  });

  it('ignores a late response from the previous window', () => {
    const w = new RateWindow();
    const late = w.onSend(T0 + 1_900);
    exchange(w, T0, T0 + 100, { limit: 40, remaining: 10, resetSeconds: 2 });
    // The estimate of the first window ends by T0 + 2.1 s; the next window opens with our request.
    exchange(w, T0 + 2_200, T0 + 2_250, { limit: 40, remaining: 39, resetSeconds: 2 });
    w.onResponse(late, { sentAt: T0 + 1_900, receivedAt: T0 + 2_300, limit: 40, remaining: 0, resetSeconds: 1 });
    expect(w.remaining).toBe(39);
    expect(w.windowEnd).toEqual({ lo: T0 + 4_200, hi: T0 + 4_250 });
    expect(w.inFlight).toBe(0);
  });

  it('trusts the freshest response when the estimate turns out inconsistent', () => {
    const w = new RateWindow();
    exchange(w, T0, T0 + 100, { limit: 40, remaining: 20, resetSeconds: 30 });
    // Same window (Remaining went down) but a much earlier end than estimated.
    exchange(w, T0 + 200, T0 + 300, { limit: 40, remaining: 19, resetSeconds: 5 });
    expect(w.windowEnd).toEqual({ lo: T0 + 4_200, hi: T0 + 5_300 });
    expect(w.remaining).toBe(19);
  });

  it('counts a request that failed without a response as spent until the window ends', () => {
    const w = new RateWindow();
    exchange(w, T0, T0 + 100, { limit: 40, remaining: 2, resetSeconds: 2 });
    const t = w.onSend(T0 + 200);
    w.onLost(t, T0 + 300);
    expect(w.inFlight).toBe(0);
    expect(w.available(T0 + 300)).toBe(1);
    expect(w.available(T0 + 2_100 + MARGIN)).toBe(40);
  });
});

describe('RateWindow on 429', () => {
  it('blocks until the announced Reset plus margin and jitter, reason http_429', () => {
    const w = new RateWindow();
    const t = w.onSend(T0);
    w.on429(t, { sentAt: T0, receivedAt: T0 + 100, limit: 40, remaining: 0, resetSeconds: 7 }, { jitterMs: 120 });
    expect(w.canSend(T0 + 200)).toBe(false);
    expect(w.waitReason(T0 + 200)).toBe('http_429');
    const at = w.nextOpportunity(T0 + 200);
    expect(at).toBe(T0 + 7_100 + MARGIN + 120);
    expect(w.canSend(at - 1)).toBe(false);
    expect(w.canSend(at)).toBe(true);
  });

  it('prefers Retry-After to Reset', () => {
    const w = new RateWindow();
    exchange(w, T0, T0 + 100, { limit: 40, remaining: 10, resetSeconds: 30 });
    const t = w.onSend(T0 + 200);
    w.on429(
      t,
      { sentAt: T0 + 200, receivedAt: T0 + 300, limit: 40, remaining: 0, resetSeconds: 30 },
      { retryAfterSeconds: 3 },
    );
    expect(w.nextOpportunity(T0 + 400)).toBe(T0 + 3_300 + MARGIN);
    expect(w.available(T0 + 3_300 + MARGIN)).toBe(40);
  });

  it('waits 60 s when a 429 announces nothing', () => {
    const w = new RateWindow();
    const t = w.onSend(T0);
    w.on429(t, { sentAt: T0, receivedAt: T0 + 100 });
    expect(w.nextOpportunity(T0 + 100)).toBe(T0 + 60_100 + MARGIN);
  });

  it('a 429 announcing 0 backs off 1 s, doubling while retries after each wait meet 429 again; a success resets it', () => {
    const w = new RateWindow();
    let now = T0;
    const waits: number[] = [];
    for (let i = 0; i < 8; i++) {
      const t = w.onSend(now);
      w.on429(t, { sentAt: now, receivedAt: now + 10, resetSeconds: 0 }, { retryAfterSeconds: 0 });
      const next = w.nextOpportunity(now + 10);
      waits.push(next - (now + 10) - MARGIN);
      now = next;
    }
    expect(waits).toEqual([1, 2, 4, 8, 16, 32, 60, 60].map((s) => s * MIN_429_BACKOFF_MS));
    exchange(w, now, now + 10, { limit: 40, remaining: 39, resetSeconds: 60 });
    const t = w.onSend(now + 20);
    w.on429(t, { sentAt: now + 20, receivedAt: now + 30 }, { retryAfterSeconds: 0 });
    expect(w.nextOpportunity(now + 30)).toBe(now + 30 + MIN_429_BACKOFF_MS + MARGIN);
  });

  it('requests already in flight when a 429 came do not double the backoff', () => {
    const w = new RateWindow();
    const tickets = [0, 1, 2, 3].map((i) => w.onSend(T0 + i));
    tickets.forEach((t, i) => w.on429(t, { sentAt: T0 + i, receivedAt: T0 + 100 + i }, { retryAfterSeconds: 0 }));
    expect(w.nextOpportunity(T0 + 200)).toBe(T0 + 103 + MIN_429_BACKOFF_MS + MARGIN);
  });

  it('an absurd Retry-After or Reset blocks the key at most MAX_KEY_WAIT_MS (within the timer range)', () => {
    const w = new RateWindow();
    const t = w.onSend(T0);
    w.on429(t, { sentAt: T0, receivedAt: T0 + 100, resetSeconds: 3600 }, { retryAfterSeconds: 99_999_999 });
    expect(w.nextOpportunity(T0 + 100)).toBe(T0 + 100 + MAX_KEY_WAIT_MS + MARGIN);
    const v = new RateWindow();
    exchange(v, T0, T0 + 100, { limit: 40, remaining: 0, resetSeconds: 3600 });
    expect(v.nextOpportunity(T0 + 200)).toBe(T0 + 100 + MAX_KEY_WAIT_MS + MARGIN);
    expect(MAX_KEY_WAIT_MS).toBeLessThan(2 ** 31 - 1);
  });
});
