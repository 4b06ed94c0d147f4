// America/Los_Angeles as a WallClockZone, with the conversion rules the connector promises: an ambiguous
// fall-back wall time is its first occurrence (PDT), a nonexistent spring-forward time moves forward.
import { getTimezoneOffset } from 'date-fns-tz';
import type { WallClockZone } from './streamState.js';

const TZ = 'America/Los_Angeles';
const HOUR = 3_600_000;
const PDT = -7 * HOUR;
const PST = -8 * HOUR;

const offsetAt = (utcMs: number) => getTimezoneOffset(TZ, new Date(utcMs));

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
