// UTC instants as the v2 API prints and filters them: 100 ns ticks since 2020-01-01T00:00:00Z (exact in a
// Float64Array, like the Pacific wall ticks of v1), ISO 8601 printing with the fraction's trailing zeros trimmed
// (`.657Z`, `.05Z`, none) and a `Z` or `+00:00` suffix, and parsing of ISO filter values with any offset.

const BASE_UTC_MS = Date.UTC(2020, 0, 1);
const TICKS_PER_MS = 10_000;

/** UTC ticks of an instant (integer milliseconds) plus optional sub-millisecond ticks (0–9999). */
export function utcTicks(utcMs: number, subMsTicks = 0): number {
  return (utcMs - BASE_UTC_MS) * TICKS_PER_MS + subMsTicks;
}

/** How an instant's offset is written: always `Z`, always `+00:00`. */
export type UtcSuffix = 'Z' | '+00:00';

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/**
 * `2024-03-10T09:59:58.503Z`: the fraction has up to 7 digits with trailing zeros dropped (none when zero), as a
 * .NET "FFFFFFF" format prints it; the offset is `Z` or `+00:00`.
 */
export function formatUtc(ticks: number, suffix: UtcSuffix = 'Z'): string {
  const wholeMs = Math.floor(ticks / TICKS_PER_MS);
  const d = new Date(BASE_UTC_MS + wholeMs);
  const date = `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
  const time = `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
  const fraction = d.getUTCMilliseconds() * TICKS_PER_MS + (ticks - wholeMs * TICKS_PER_MS);
  const digits = String(fraction).padStart(7, '0').replace(/0+$/, '');
  return `${date}T${time}${digits ? `.${digits}` : ''}${suffix}`;
}

/** Midnight UTC of a calendar day `YYYY-MM-DD`, as the API's `date` fields print it (`withMs`: `.000` too). */
export function utcMidnight(day: string, suffix: UtcSuffix = 'Z', withMs = false): string {
  return `${day}T00:00:00${withMs ? '.000' : ''}${suffix}`;
}

// ISO 8601 date-time with an offset, or a bare date (midnight UTC). Fractions beyond 7 digits are cut.
const ISO_PATTERN = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2}))?$/;

/** UTC ticks of an ISO 8601 filter value, or null when malformed or out of the supported years. */
export function parseUtcFilter(value: string): number | null {
  const match = ISO_PATTERN.exec(value);
  if (!match) return null;
  const [year, month, day, hour, minute, second] = match
    .slice(1, 7)
    .map((part) => (part === undefined ? 0 : Number(part)));
  if (year === undefined || month === undefined || day === undefined) return null;
  if (year < 2000 || year > 2049 || month < 1 || month > 12) return null;
  if (day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return null;
  if ((hour ?? 0) > 23 || (minute ?? 0) > 59 || (second ?? 0) > 59) return null;
  const offset = match[8];
  let offsetMs = 0;
  if (offset !== undefined && offset !== 'Z') {
    const hours = Number(offset.slice(1, 3));
    const minutes = Number(offset.slice(4, 6));
    if (hours > 14 || minutes > 59) return null;
    offsetMs = (offset[0] === '-' ? -1 : 1) * (hours * 60 + minutes) * 60_000;
  }
  const fraction = Number((match[7] ?? '').slice(0, 7).padEnd(7, '0'));
  const ms = Date.UTC(year, month - 1, day, hour, minute, second) - offsetMs;
  return utcTicks(ms) + fraction;
}
