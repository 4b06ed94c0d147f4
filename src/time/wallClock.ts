// ShipStation sorts and filters on naive Pacific wall-clock values. Keyset paging therefore works in
// "wall ms": the wall-clock fields read as if they were UTC, a plain number that sorts like the server does.
import { formatPacificFilter, parsePacificWallClock } from './pacific.js';

/** Wall ms of a ShipStation date-time (fraction truncated to ms), or null when it is not one. */
export function parseWallMs(value: unknown): number | null {
  return typeof value === 'string' ? parsePacificWallClock(value) : null;
}

export function floorSecond(wallMs: number): number {
  return Math.floor(wallMs / 1000) * 1000;
}

/** The filter form ShipStation documents: `YYYY-MM-DD HH:mm:ss`, Pacific. */
export const formatWallFilter = formatPacificFilter;
