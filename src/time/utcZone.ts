// UTC as the WallClockZone the engine pages in, for APIs that write their dates as UTC instants (ShipStation
// API v2): wall ms are UTC ms, no second occurs twice and none is skipped.
import type { WallClockZone } from './zone.js';

export const utcZone: WallClockZone = {
  wallToUtc: (wallMs) => wallMs,
  utcToWall: (utcMs) => utcMs,
  isAmbiguous: () => false,
};
