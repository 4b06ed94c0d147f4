// America/Los_Angeles as a WallClockZone, with the conversion rules the connector promises: an ambiguous
// fall-back wall time is its first occurrence (PDT), a nonexistent spring-forward time moves forward.
import type { WallClockZone } from './streamState.js';

const TZ = 'America/Los_Angeles';
const HOUR = 3_600_000;
const PDT = -7 * HOUR;
const PST = -8 * HOUR;

// Offsets change only on whole UTC hours here, so one Intl lookup per hour is cached. (date-fns-tz's
// getTimezoneOffset reports PST for the last hours of PDT before a fall-back: wrong where it matters most.)
const fields = new Intl.DateTimeFormat('en-US', {
  timeZone: TZ,
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
});
const offsets = new Map<number, number>();

function offsetAt(utcMs: number): number {
  const hour = Math.floor(utcMs / HOUR);
  let offset = offsets.get(hour);
  if (offset === undefined) {
    const p: Record<string, number> = {};
    for (const part of fields.formatToParts(hour * HOUR)) if (part.type !== 'literal') p[part.type] = Number(part.value);
    offset = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!) - hour * HOUR;
    if (offsets.size > 200_000) offsets.clear();
    offsets.set(hour, offset);
  }
  return offset;
}

export const pacificZone: WallClockZone = {
  wallToUtc(wallMs) {
    const asPdt = wallMs - PDT;
    if (offsetAt(asPdt) === PDT) return asPdt;
    const asPst = wallMs - PST;
    if (offsetAt(asPst) === PST) return asPst;
    // In the spring-forward gap: the same instant as the wall time read with the offset before the gap.
    return asPst;
  },
  utcToWall(utcMs) {
    return utcMs + offsetAt(utcMs);
  },
  isAmbiguous(wallMs) {
    return offsetAt(wallMs - PDT) === PDT && offsetAt(wallMs - PST) === PST;
  },
};
