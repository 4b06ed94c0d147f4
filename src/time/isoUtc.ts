// ShipStation API v2's date-times: ISO 8601 instants (`2024-05-02T17:03:11.657Z`, a fraction of any length or
// none, `Z` or an offset such as `+00:00`), read to UTC ms, written back as UTC with `Z`, and the filter values
// its `…_start`/`…_end` parameters take. A date alone (users' dates) is midnight UTC.

const MS_PER_SECOND = 1000;
// Nothing ShipStation writes predates 1900; far years are refused rather than guessed at.
const MIN_YEAR = 1900;
const MAX_YEAR = 9999;

/** Date, then optionally time, fraction (up to 9 digits) and a zone; a time needs its zone (no local times). */
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:(Z|z)|([+-])(\d{2}):?(\d{2})))?$/;

/** UTC ms of an ISO 8601 instant (fraction truncated to ms), or null when it is not one. */
export function parseIsoUtc(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const m = ISO.exec(value);
  if (m === null) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (year < MIN_YEAR || year > MAX_YEAR || month < 1 || month > 12 || day < 1) return null;
  if (day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return null;
  if (m[4] === undefined) return Date.UTC(year, month - 1, day);
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = Number(m[6]);
  if (hour > 23 || minute > 59 || second > 59) return null;
  // Digits past the millisecond are cut, never rounded: a stamp stays in its own second.
  const millis = Number((m[7] ?? '').slice(0, 3).padEnd(3, '0'));
  let offset = 0;
  if (m[8] === undefined) {
    const hours = Number(m[10]);
    const minutes = Number(m[11]);
    if (hours > 23 || minutes > 59) return null;
    offset = (m[9] === '-' ? -1 : 1) * (hours * 60 + minutes) * 60_000;
  }
  return Date.UTC(year, month - 1, day, hour, minute, second, millis) - offset;
}

/** `YYYY-MM-DDTHH:mm:ss.SSSZ` of UTC ms, or null outside the years 1900–9999. */
export function formatIsoUtc(ms: number): string | null {
  if (!Number.isFinite(ms) || ms < Date.UTC(MIN_YEAR, 0, 1) || ms >= Date.UTC(MAX_YEAR + 1, 0, 1)) return null;
  return new Date(ms).toISOString();
}

/** A record's date-time as UTC with `Z` (milliseconds, finer digits truncated), or null when it is none. */
export function isoToUtc(value: string): string | null {
  const ms = parseIsoUtc(value);
  return ms === null ? null : formatIsoUtc(ms);
}

/** A date filter's value for a start bound: the instant itself, `…T…:ss.SSSZ` (inclusive: "on or after"). */
export function formatIsoFilter(ms: number): string {
  const text = formatIsoUtc(ms);
  if (text === null) throw new RangeError(`not a valid instant: ${ms}`);
  return text;
}

/**
 * A date filter's value for an end bound at the second holding `ms`: its last 100-ns tick, `…:ss.9999999Z`, so
 * that "on or before" takes every stamp of that second whatever precision the server keeps (ShipStation's
 * stamps carry up to 7 fraction digits), as the engine's seconds (tie groups, ranges) assume.
 */
export function formatIsoEndFilter(ms: number): string {
  const second = Math.floor(ms / MS_PER_SECOND) * MS_PER_SECOND;
  return `${formatIsoFilter(second).slice(0, 19)}.9999999Z`;
}
