// America/Los_Angeles as the WallClockZone the engine pages in, with the connector's conversion rules
// (src/time/pacific.ts): a repeated fall-back time is its first occurrence, a skipped one moves forward.
import { isAmbiguousWallMs, utcMsToWallMs, wallMsToUtcMs } from './pacific.js';
import type { WallClockZone } from './zone.js';

export const pacificZone: WallClockZone = {
  wallToUtc: wallMsToUtcMs,
  utcToWall: utcMsToWallMs,
  isAmbiguous: isAmbiguousWallMs,
};
