// US Pacific wall-clock arithmetic. The simulator computes the UTC offset from the US DST rules in force since
// 2007 (second Sunday of March 02:00 PST → first Sunday of November 02:00 PDT) instead of calling Intl: it is
// ~100× faster, and the tests check it against Intl.DateTimeFormat.

const HOUR_MS = 3_600_000;
const PST_OFFSET_MS = -8 * HOUR_MS;
const PDT_OFFSET_MS = -7 * HOUR_MS;

/** First and last calendar years the rules (and the tick encoding below) are valid for. */
export const SUPPORTED_YEARS = { first: 2007, last: 2047 } as const;

const dstCache = new Map<number, DstWindow>();

export interface DstWindow {
  /** UTC instant when clocks spring forward (02:00 PST becomes 03:00 PDT). */
  readonly startUtc: number;
  /** UTC instant when clocks fall back (02:00 PDT becomes 01:00 PST). */
  readonly endUtc: number;
}

function nthSundayOfMonth(year: number, month: number, nth: number): number {
  const firstWeekday = new Date(Date.UTC(year, month, 1)).getUTCDay();
  return 1 + ((7 - firstWeekday) % 7) + (nth - 1) * 7;
}

export function dstWindow(year: number): DstWindow {
  let window = dstCache.get(year);
  if (!window) {
    window = {
      startUtc: Date.UTC(year, 2, nthSundayOfMonth(year, 2, 2), 10),
      endUtc: Date.UTC(year, 10, nthSundayOfMonth(year, 10, 1), 9),
    };
    dstCache.set(year, window);
  }
  return window;
}

export function pacificOffsetMs(utcMs: number): number {
  const { startUtc, endUtc } = dstWindow(new Date(utcMs).getUTCFullYear());
  return utcMs >= startUtc && utcMs < endUtc ? PDT_OFFSET_MS : PST_OFFSET_MS;
}

// Wall ticks: a naive Pacific wall-clock value as a count of 100 ns ticks (the .NET resolution, 7 fraction
// digits) since 2020-01-01T00:00:00 wall time. Integers below 2^53 stay exact in a Float64Array, which covers
// ±28 years around the base, so comparisons are exact at full stored precision.
const BASE_WALL_MS = Date.UTC(2020, 0, 1);
export const TICKS_PER_MS = 10_000;
export const TICKS_PER_SECOND = 10_000_000;
export const TICKS_PER_DAY = 86_400 * TICKS_PER_SECOND;

/** Wall ticks of a UTC instant (integer milliseconds) plus optional sub-millisecond ticks (0–9999). */
export function wallTicksFromUtc(utcMs: number, subMsTicks = 0): number {
  return (utcMs + pacificOffsetMs(utcMs) - BASE_WALL_MS) * TICKS_PER_MS + subMsTicks;
}

/** Wall ticks of explicit wall-clock fields (month 1–12). */
export function wallTicksFromFields(
  year: number,
  month: number,
  day: number,
  hour = 0,
  minute = 0,
  second = 0,
): number {
  return (Date.UTC(year, month - 1, day, hour, minute, second) - BASE_WALL_MS) * TICKS_PER_MS;
}

/** Midnight (wall) of the day containing the given wall ticks. */
export function wallMidnight(ticks: number): number {
  return Math.floor(ticks / TICKS_PER_DAY) * TICKS_PER_DAY;
}

/**
 * How a wall value is printed, mirroring the shapes the real API uses:
 * - `fixed7`: `2015-08-17T09:24:14.7800000` (orders, shipments, customers, warehouses)
 * - `trimmed`: trailing zeros dropped, no dot when zero: `2014-11-12T08:45:20.55` (items, products, stores)
 * - `date`: `2015-04-25` (order/shipment shipDate)
 */
export type WallFormat = 'fixed7' | 'trimmed' | 'date';

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

export function formatWall(ticks: number, format: WallFormat): string {
  const wholeMs = Math.floor(ticks / TICKS_PER_MS);
  const d = new Date(BASE_WALL_MS + wholeMs);
  const date = `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
  if (format === 'date') return date;
  const time = `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
  const fraction = d.getUTCMilliseconds() * TICKS_PER_MS + (ticks - wholeMs * TICKS_PER_MS);
  const digits = String(fraction).padStart(7, '0');
  if (format === 'fixed7') return `${date}T${time}.${digits}`;
  const trimmed = digits.replace(/0+$/, '');
  return trimmed ? `${date}T${time}.${trimmed}` : `${date}T${time}`;
}

/** Formats a nullable wall value (NaN means null). */
export function formatWallOrNull(ticks: number, format: WallFormat): string | null {
  return Number.isNaN(ticks) ? null : formatWall(ticks, format);
}

/**
 * Rounds milliseconds the way SQL Server `datetime` stores them (…0, …3, …7), which is what the real API's
 * values show (.780, .823, .627, .067, .293, .557).
 */
export function sqlDatetimeMs(utcMs: number): number {
  const last = ((utcMs % 10) + 10) % 10;
  const rounded = last <= 1 ? 0 : last <= 4 ? 3 : last <= 8 ? 7 : 10;
  return utcMs - last + rounded;
}

/** UTC instant of Pacific midnight on a calendar day (midnight is never skipped or repeated in US zones). */
export function utcOfPacificMidnight(year: number, month: number, day: number): number {
  const wallMs = Date.UTC(year, month - 1, day);
  return wallMs - pacificOffsetMs(wallMs + 8 * HOUR_MS);
}
