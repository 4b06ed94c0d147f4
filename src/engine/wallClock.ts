// ShipStation sorts and filters on naive Pacific wall-clock values. Keyset paging therefore works in
// "wall ms": the wall-clock fields read as if they were UTC, a plain number that sorts like the server does.

const WALL = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?$/;

/** Wall ms of a ShipStation date-time (fraction truncated to ms), or null when it is not one. */
export function parseWallMs(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const m = WALL.exec(value);
  if (!m) return null;
  const ms = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
  return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!, ms);
}

export function floorSecond(wallMs: number): number {
  return Math.floor(wallMs / 1000) * 1000;
}

/** The filter form ShipStation documents: `YYYY-MM-DD HH:mm:ss`, Pacific. */
export function formatWallFilter(wallMs: number): string {
  return new Date(floorSecond(wallMs)).toISOString().slice(0, 19).replace('T', ' ');
}

export function formatWall(wallMs: number): string {
  return new Date(wallMs).toISOString().slice(0, 23);
}
