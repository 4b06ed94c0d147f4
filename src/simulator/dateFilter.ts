// Parses date filter values (the `…DateStart`/`…DateEnd` parameters, products' startDate/endDate) into
// whole-second Pacific wall ticks; null for anything malformed, which the caller answers with ASP.NET's 400.
import { SUPPORTED_YEARS, wallTicksFromFields } from './pacificTime.js';

// Accepted filter shapes (all Pacific wall time): `YYYY-MM-DD HH:MM:SS`, `YYYY-MM-DD` (midnight) and the ISO
// `YYYY-MM-DDTHH:MM:SS[.fffffff]`. Filters have one-second resolution, so a fraction is accepted and dropped.
// Offsets (`Z`, `+02:00`) are rejected: the API has no notion of them and silently shifting would hide bugs.
const FILTER_PATTERN = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2}):(\d{2})(?:\.\d{1,7})?)?$/;

/** Wall ticks (whole seconds) of a date filter value, or null when the value is malformed. */
export function parseDateFilter(value: string): number | null {
  const match = FILTER_PATTERN.exec(value);
  if (!match) return null;
  const [year, month, day, hour, minute, second] = match
    .slice(1, 7)
    .map((part) => (part === undefined ? 0 : Number(part)));
  if (year === undefined || month === undefined || day === undefined) return null;
  if (year < SUPPORTED_YEARS.first - 1 || year > SUPPORTED_YEARS.last + 1) return null;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if ((hour ?? 0) > 23 || (minute ?? 0) > 59 || (second ?? 0) > 59) return null;
  return wallTicksFromFields(year, month, day, hour, minute, second);
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}
