// The clock the engine pages in, as an interface: "wall ms" (a wall-clock time read as if it were UTC, a plain
// number that sorts like ShipStation sorts) and real UTC instants, converted both ways. pacificZone.ts is
// ShipStation v1's; tests use a zone without DST.

/** Converts between wall ms (a wall clock read as UTC) and real UTC instants. */
export interface WallClockZone {
  wallToUtc(wallMs: number): number;
  utcToWall(utcMs: number): number;
  /** True when this wall second occurs twice (the fall-back hour). */
  isAmbiguous(wallMs: number): boolean;
}
