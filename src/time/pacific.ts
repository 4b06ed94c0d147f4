// ShipStation v1 speaks US Pacific wall-clock time with no offset; records leave the connector in UTC and
// date filters go back in Pacific. date-fns-tz supplies the zone rules; resolving wall-clock times that occur
// twice or not at all is done here, because date-fns-tz moves spring-forward gap times backwards.
// Only toZonedTime is imported: date-fns-tz's index loads all of date-fns (300 files), ~0.3 s of CPU a run.
import { toZonedTime } from 'date-fns-tz/toZonedTime';

// toZonedTime hands the Pacific wall clock back in the host's local fields, exact only where the host zone has no
// transition (a gap moves a wall time by an hour): the process runs in UTC, set once at each entry point
// (processZone.ts) and checked where the zone rules are computed.

export const PACIFIC_TZ = 'America/Los_Angeles';

const MS_PER_SECOND = 1000;
const MS_PER_MINUTE = 60_000;
const MS_PER_HOUR = 3_600_000;
const MS_PER_DAY = 86_400_000;
const NO_ZONE = Number.NaN;
// date-fns-tz's offsets are garbage around year 1 (Intl reports 1 BC as year 1) and nothing in ShipStation
// predates 1900, so earlier values are refused rather than converted with dubious rules.
const MIN_YEAR = 1900;
const EARLIEST = daysFromCivil(MIN_YEAR, 1, 1) * MS_PER_DAY;
const LATEST = daysFromCivil(10000, 1, 1) * MS_PER_DAY;

// The parser hands back its side results through these instead of allocating an object per call: it runs on
// every date field of every record.
let parsedYear = 0;
let parsedZoneOffset = NO_ZONE;

/**
 * Converts a ShipStation Pacific wall-clock value (`YYYY-MM-DDTHH:mm:ss[.f…]`, `T` or space, any number of
 * fractional digits) to UTC `YYYY-MM-DDTHH:mm:ss.SSSZ`, truncating past milliseconds. A time skipped by spring
 * forward moves forward by the gap (02:30 → 03:30 PDT), as Temporal's "compatible" disambiguation does. A time
 * that occurs twice (the fall-back hour) takes its first occurrence (PDT), unless `asOfUtc` (when the server
 * wrote the response) has reached its second occurrence, less than 40 days before: then the second (PST). The
 * stamp alone cannot tell the two apart; this rule gives a later version of a record an instant no earlier than
 * the version before it (a version read before the second occurrence can only be from the first), at the cost
 * of placing a first-pass stamp read in those days one hour late. Values carrying `Z` or an offset are taken as they are; a bare
 * `YYYY-MM-DD` means midnight Pacific. Returns null when the value is not a timestamp (or lies outside the years
 * 1900–9999).
 */
export function pacificToUtc(value: string, asOfUtc?: number): string | null {
  const wall = parseTimestamp(value);
  if (Number.isNaN(wall)) return null;
  if (!Number.isNaN(parsedZoneOffset)) return formatUtc(wall - parsedZoneOffset);
  const first = wall - pacificOffsetForWall(wall, parsedYear);
  if (asOfUtc !== undefined) {
    const second = secondOccurrence(wall, parsedYear);
    if (second <= asOfUtc && asOfUtc - second < SECOND_OCCURRENCE_MS) return formatUtc(second);
  }
  return formatUtc(first);
}

/**
 * How long after the fall-back hour a repeated stamp is read as its second occurrence. Versions read during the
 * first pass are what later versions must not precede; a sync after this long (a backfill of history) follows
 * the first-occurrence convention instead, and a schedule gap this long around the hour is not a real one.
 */
const SECOND_OCCURRENCE_MS = 40 * MS_PER_DAY;

/** The UTC instant of a wall time's second occurrence in the fall-back hour, or NaN when it occurs once. */
function secondOccurrence(wall: number, year: number): number {
  const { offsets, transitions } = rulesFor(year);
  for (let i = 0; i < transitions.length; i++) {
    const before = offsets[i];
    const after = offsets[i + 1];
    // Falling back: wall times in [transition + after, transition + before) occur twice.
    if (before > after && wall >= transitions[i] + after && wall < transitions[i] + before) return wall - after;
  }
  return Number.NaN;
}

/**
 * Formats an instant as the Pacific wall clock `YYYY-MM-DD HH:mm:ss` that ShipStation's date filters expect,
 * dropping the fraction (floor to the second). Strings without `Z` or an offset are read as UTC.
 * Throws RangeError for anything that is not an instant.
 */
export function utcToPacificFilter(isoUtc: string | Date | number): string {
  const instant =
    typeof isoUtc === 'number' ? isoUtc : isoUtc instanceof Date ? isoUtc.getTime() : parseUtcInstant(isoUtc);
  if (!(instant >= EARLIEST && instant < LATEST)) throw new RangeError(`not a valid instant: ${String(isoUtc)}`);
  const wall = instant + pacificOffsetForInstant(instant);
  const seconds = Math.floor(wall / MS_PER_SECOND) * MS_PER_SECOND;
  return formatWall(seconds, ' ');
}

/**
 * Reads a Pacific wall-clock value (or bare date) as milliseconds since the epoch *as if the wall clock were
 * UTC*: a number that sorts and compares like the wall clock. Null for values with `Z`/offset or unparseable.
 */
export function parsePacificWallClock(value: string): number | null {
  const wall = parseTimestamp(value);
  return Number.isNaN(wall) || !Number.isNaN(parsedZoneOffset) ? null : wall;
}

/** Wall-clock ms (as if UTC) to the UTC instant, with pacificToUtc's rules for repeated and skipped times. */
export function wallMsToUtcMs(wall: number): number {
  return wall - pacificOffsetForWall(wall, new Date(wall).getUTCFullYear());
}

/** A UTC instant to Pacific wall-clock ms (as if UTC). */
export function utcMsToWallMs(instant: number): number {
  return instant + pacificOffsetForInstant(instant);
}

/** True when a wall-clock time occurs twice (the DST fall-back hour). */
export function isAmbiguousWallMs(wall: number): boolean {
  const { offsets } = rulesFor(new Date(wall).getUTCFullYear());
  return new Set(offsets.filter((offset) => pacificOffsetForInstant(wall - offset) === offset)).size > 1;
}

/** Wall-clock ms as the filter form `YYYY-MM-DD HH:mm:ss` (floored to the second). */
export function formatPacificFilter(wall: number): string {
  return formatWall(Math.floor(wall / MS_PER_SECOND) * MS_PER_SECOND, ' ');
}

function parseUtcInstant(value: string): number {
  const wall = parseTimestamp(value);
  return Number.isNaN(parsedZoneOffset) ? wall : wall - parsedZoneOffset;
}

// ---- parsing -------------------------------------------------------------------------------------------

/** Wall-clock ms (as if UTC) of `YYYY-MM-DD[(T| )HH:mm:ss[.f+][Z|±hh[:]mm|±hh]]`, or NaN. */
function parseTimestamp(s: string): number {
  const len = s.length;
  if (len < 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return Number.NaN;
  const year = digits(s, 0, 4);
  const month = digits(s, 5, 2);
  const day = digits(s, 8, 2);
  if (year < MIN_YEAR || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return Number.NaN;
  parsedYear = year;
  parsedZoneOffset = NO_ZONE;
  const midnight = daysFromCivil(year, month, day) * MS_PER_DAY;
  if (len === 10) return midnight;

  const sep = s.charCodeAt(10);
  if ((sep !== 84 && sep !== 32) || len < 19 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return Number.NaN;
  const hour = digits(s, 11, 2);
  const minute = digits(s, 14, 2);
  const second = digits(s, 17, 2);
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return Number.NaN;

  let i = 19;
  let millis = 0;
  if (i < len && s.charCodeAt(i) === 46) {
    const start = ++i;
    while (i < len && isDigit(s.charCodeAt(i))) {
      // Only the first three digits count: finer digits are truncated, not rounded.
      if (i - start < 3) millis = millis * 10 + (s.charCodeAt(i) - 48);
      i++;
    }
    const count = i - start;
    if (count === 0) return Number.NaN;
    if (count === 1) millis *= 100;
    else if (count === 2) millis *= 10;
  }
  if (i < len) {
    const zone = parseZone(s, i);
    if (Number.isNaN(zone)) return Number.NaN;
    parsedZoneOffset = zone;
  }
  return midnight + hour * MS_PER_HOUR + minute * MS_PER_MINUTE + second * MS_PER_SECOND + millis;
}

/** Offset in ms (local minus UTC) of the suffix `Z`, `±hh:mm`, `±hhmm` or `±hh` starting at `i`, or NaN. */
function parseZone(s: string, i: number): number {
  const c = s.charCodeAt(i);
  const rest = s.length - i;
  if (c === 90 || c === 122) return rest === 1 ? 0 : Number.NaN;
  if (c !== 43 && c !== 45) return Number.NaN;
  const hours = digits(s, i + 1, 2);
  let minutes: number;
  if (rest === 3) minutes = 0;
  else if (rest === 5) minutes = digits(s, i + 3, 2);
  else if (rest === 6 && s.charCodeAt(i + 3) === 58) minutes = digits(s, i + 4, 2);
  else return Number.NaN;
  if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59) return Number.NaN;
  const offset = hours * MS_PER_HOUR + minutes * MS_PER_MINUTE;
  return c === 45 ? -offset : offset;
}

/** The unsigned decimal in s[start, start+count), or -1 if any character is not a digit. */
function digits(s: string, start: number, count: number): number {
  let n = 0;
  for (let i = start; i < start + count; i++) {
    const c = s.charCodeAt(i);
    if (!isDigit(c)) return -1;
    n = n * 10 + (c - 48);
  }
  return n;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

// ---- civil calendar arithmetic (proleptic Gregorian; avoids Date.UTC's two-digit-year quirk) -------------

function isLeapYear(y: number): boolean {
  return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
}

function daysInMonth(y: number, m: number): number {
  return m === 2 ? (isLeapYear(y) ? 29 : 28) : m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** Days since 1970-01-01 of a civil date (H. Hinnant's algorithm). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

const PAD2 = Array.from({ length: 100 }, (_, n) => (n < 10 ? `0${n}` : `${n}`));

/** `YYYY-MM-DD<sep>HH:mm:ss` of ms-since-epoch read as UTC fields. */
function formatWall(ms: number, sep: string): string {
  const days = Math.floor(ms / MS_PER_DAY);
  const inDay = ms - days * MS_PER_DAY;
  // Inverse of daysFromCivil.
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const hour = Math.floor(inDay / MS_PER_HOUR);
  const minute = Math.floor((inDay % MS_PER_HOUR) / MS_PER_MINUTE);
  const second = Math.floor((inDay % MS_PER_MINUTE) / MS_PER_SECOND);
  return `${PAD2[Math.floor(year / 100)]}${PAD2[year % 100]}-${PAD2[month]}-${PAD2[day]}${sep}${PAD2[hour]}:${PAD2[minute]}:${PAD2[second]}`;
}

/** `YYYY-MM-DDTHH:mm:ss.SSSZ`, or null outside the supported years. */
function formatUtc(ms: number): string | null {
  if (ms < EARLIEST || ms >= LATEST) return null;
  const millis = ms - Math.floor(ms / MS_PER_SECOND) * MS_PER_SECOND;
  return `${formatWall(ms, 'T')}.${millis < 10 ? '00' : millis < 100 ? '0' : ''}${millis}Z`;
}

// ---- zone rules -----------------------------------------------------------------------------------------

/**
 * The Pacific offsets in force around one calendar year. `transitions[i]` is the instant the offset changes
 * from `offsets[i]` to `offsets[i + 1]`; `switches[i]` is the wall-clock time from which the new offset is
 * used when reading wall clocks. Before the switch the old offset applies, which gives both the first
 * occurrence of a repeated time and the forward shift of a skipped one.
 */
interface YearRules {
  offsets: number[];
  transitions: number[];
  switches: number[];
}

const rulesByYear = new Map<number, YearRules>();
// Consecutive records mostly share a year: skip the map look-up for those.
let last: { year: number; rules: YearRules } | undefined;

function rulesFor(year: number): YearRules {
  if (last?.year === year) return last.rules;
  let rules = rulesByYear.get(year);
  if (!rules) {
    rules = computeYearRules(year);
    rulesByYear.set(year, rules);
  }
  last = { year, rules };
  return rules;
}

function pacificOffsetForWall(wall: number, year: number): number {
  const { offsets, switches } = rulesFor(year);
  let i = 0;
  while (i < switches.length && wall >= switches[i]) i++;
  return offsets[i];
}

function pacificOffsetForInstant(instant: number): number {
  // Not on the hot path: one Date to find the UTC year is fine.
  const { offsets, transitions } = rulesFor(new Date(instant).getUTCFullYear());
  let i = 0;
  while (i < transitions.length && instant >= transitions[i]) i++;
  return offsets[i];
}

/**
 * Scans the year (plus a day either side) week by week for offset changes and bisects each to the millisecond.
 * About 110 zone look-ups, once per calendar year seen. Assumes no two transitions fall within one week (US
 * Pacific has two a year, months apart).
 */
function computeYearRules(year: number): YearRules {
  if (process.env.TZ !== 'UTC')
    throw new Error(
      'the Pacific zone rules need a process running in UTC: call useUtcProcessZone() at the entry point',
    );
  const start = daysFromCivil(year, 1, 1) * MS_PER_DAY - MS_PER_DAY;
  const end = daysFromCivil(year + 1, 1, 1) * MS_PER_DAY + MS_PER_DAY;
  let before = start;
  let offsetBefore = offsetAt(start);
  const rules: YearRules = { offsets: [offsetBefore], transitions: [], switches: [] };
  while (before < end) {
    const after = Math.min(before + 7 * MS_PER_DAY, end);
    const offsetAfter = offsetAt(after);
    if (offsetAfter !== offsetBefore) {
      let lo = before;
      let hi = after;
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (offsetAt(mid) === offsetBefore) lo = mid;
        else hi = mid;
      }
      rules.transitions.push(hi);
      rules.switches.push(hi + Math.max(offsetBefore, offsetAfter));
      rules.offsets.push(offsetAfter);
    }
    before = after;
    offsetBefore = offsetAfter;
  }
  return rules;
}

/** Pacific offset (local minus UTC, ms) in force at an instant, from date-fns-tz's zone data (host zone UTC). */
function offsetAt(instant: number): number {
  const z = toZonedTime(instant, PACIFIC_TZ);
  return (
    Date.UTC(
      z.getFullYear(),
      z.getMonth(),
      z.getDate(),
      z.getHours(),
      z.getMinutes(),
      z.getSeconds(),
      z.getMilliseconds(),
    ) - instant
  );
}
