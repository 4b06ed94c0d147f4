// The end of a sync's window (plan/windowEnd.ts, applied by read/syncWindow.ts): fixed by the first response's
// Date header less the settle margin, never later than this machine's clock, end_date or the provisional end,
// with a WARN whenever the two clocks disagree by more than two minutes or the header is missing.
import { describe, expect, test } from '@jest/globals';
import { SyncWindow, type SyncWindowOptions } from '../../src/engine/read/syncWindow.js';
import { pacificZone } from '../../src/time/pacificZone.js';
import type { WallClockZone } from '../../src/time/zone.js';
import type { Logger } from '../../src/protocol/logger.js';

/** Wall ms = UTC ms: the arithmetic is the window's own, not the zone's. */
const UTC: WallClockZone = { wallToUtc: (ms) => ms, utcToWall: (ms) => ms, isAmbiguous: () => false };

const T = Date.parse('2026-06-15T12:00:00.000Z');
const S = 1000;
const MIN = 60 * S;

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    debug: () => {},
    info: () => {},
    warn: (m) => lines.push(`WARN ${m}`),
    error: (m) => lines.push(`ERROR ${m}`),
  };
}

function window(opts: Partial<SyncWindowOptions> = {}) {
  const logger = recordingLogger();
  const w = new SyncWindow({ startedAt: T, settleMs: 60 * S, zone: UTC, logger, ...opts });
  return { w, logger };
}

/** The window's last second, as an ISO instant (UTC zone: wall = UTC). */
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

describe('SyncWindow', () => {
  test('before any response: unsettled, provisionally the last whole second before this machine’s clock', () => {
    const { w } = window({ startedAt: T + 400 });
    expect(w.settled()).toBeUndefined();
    expect(iso(w.provisional)).toBe('2026-06-15T11:59:59.000Z');
  });

  test('the first response fixes the end: its Date less the margin, the last whole second before that', () => {
    const { w, logger } = window();
    w.observe(T - 30 * S, T + 200);
    expect(iso(w.settled())).toBe('2026-06-15T11:58:29.000Z');
    expect(logger.lines).toEqual([]);
  });

  test('later responses change nothing, whatever their Date or lack of one', () => {
    const { w, logger } = window();
    w.observe(T - 10 * S, T);
    const fixed = w.settled();
    w.observe(T - 50 * MIN, T + 5 * S);
    w.observe(undefined, T + 6 * S);
    w.observe(T + 50 * MIN, T + 7 * S);
    expect(w.settled()).toBe(fixed);
    expect(logger.lines).toEqual([]);
  });

  test('no Date header: this machine’s clock (when the response arrived) less the margin, with one WARN', () => {
    const { w, logger } = window();
    w.observe(undefined, T - 5 * S);
    expect(iso(w.settled())).toBe('2026-06-15T11:58:54.000Z');
    expect(logger.lines).toEqual([
      expect.stringMatching(
        /^WARN ShipStation's response carried no Date header: .*this machine's clock minus the settle margin \(60 s\)/,
      ),
    ]);
  });

  test('a Date ahead of this machine’s clock by more than two minutes: this machine’s clock, with a WARN to check it', () => {
    const { w, logger } = window();
    w.observe(T + 10 * MIN, T - 2 * S);
    expect(iso(w.settled())).toBe('2026-06-15T11:58:57.000Z');
    expect(logger.lines).toEqual([
      expect.stringMatching(
        /^WARN ShipStation's clock \(its Date header\) is 602 s ahead of this machine's: this sync reads up to this machine's time; check its clock/,
      ),
    ]);
  });

  test('a Date ahead by less than two minutes: still this machine’s clock, not worth a WARN', () => {
    const { w, logger } = window();
    w.observe(T + 90 * S, T - 2 * S);
    expect(iso(w.settled())).toBe('2026-06-15T11:58:57.000Z');
    expect(logger.lines).toEqual([]);
  });

  test('a Date behind by more than two minutes: ShipStation’s time, with a WARN; behind by less: no WARN', () => {
    const far = window();
    far.w.observe(T - 3 * MIN, T);
    expect(iso(far.w.settled())).toBe('2026-06-15T11:55:59.000Z');
    expect(far.logger.lines).toEqual([
      expect.stringMatching(
        /^WARN ShipStation's clock \(its Date header\) is 180 s behind this machine's: this sync reads up to ShipStation's time/,
      ),
    ]);

    const near = window();
    near.w.observe(T - 2 * MIN + S, T);
    expect(iso(near.w.settled())).toBe('2026-06-15T11:57:00.000Z');
    expect(near.logger.lines).toEqual([]);
  });

  test('end_date caps the end, before any response and after', () => {
    const endDate = Date.parse('2026-01-01T00:00:00.000Z');
    const { w, logger } = window({ endDate });
    expect(iso(w.provisional)).toBe('2025-12-31T23:59:59.000Z');
    w.observe(T, T);
    expect(iso(w.settled())).toBe('2025-12-31T23:59:59.000Z');
    expect(logger.lines).toEqual([]);
    // The margin still applies when end_date lies within it.
    const close = window({ endDate: T - 10 * S });
    close.w.observe(T, T);
    expect(iso(close.w.settled())).toBe('2026-06-15T11:58:59.000Z');
  });

  test('never later than the provisional end: a response arriving long after the start, with settle 0', () => {
    const { w } = window({ settleMs: 0 });
    w.observe(T + 90 * S, T + 100 * S);
    expect(w.settled()).toBe(w.provisional);
    expect(iso(w.settled())).toBe('2026-06-15T11:59:59.000Z');
  });

  test('in the Pacific zone the end is a wall time: 10:00:00 PDT less 60 s ends at 09:58:59 wall', () => {
    const { w } = window({ zone: pacificZone, startedAt: Date.parse('2026-06-15T17:00:05Z') });
    w.observe(Date.parse('2026-06-15T17:00:00Z'), Date.parse('2026-06-15T17:00:05Z'));
    expect(iso(w.settled())).toBe('2026-06-15T09:58:59.000Z');
  });
});
