// An incremental stream's state: what resuming needs, kept in UTC (the Pacific form is ambiguous one hour
// a year), versioned, and read back from this connector's own form or from the plain `{"<cursor>": value}`
// form other ShipStation connectors write.
import { ConfigError } from '../errors.js';
import { pacificToUtc } from '../shipstation/time.js';
import type { GroupProgress, KeysetPosition, RecordId } from './keyset.js';
import { floorSecond, parseWallMs } from './wallClock.js';

export const STATE_VERSION = 1;

/** Converts between wall ms (Pacific wall clock read as UTC) and real UTC instants. */
export interface WallClockZone {
  wallToUtc(wallMs: number): number;
  utcToWall(utcMs: number): number;
  /** True when this wall second occurs twice (the fall-back hour). */
  isAmbiguous(wallMs: number): boolean;
}

export interface StreamStateV1 {
  version: 1;
  cursor_field: string;
  /** Last emitted cursor value (UTC). */
  cursor?: string;
  /** Where the next request starts (UTC, whole second). */
  from?: string;
  ids_at_cursor?: RecordId[];
  group?: {
    second: string;
    next_page: number;
    total?: number;
    max_cursor?: string;
    ids_at_max: RecordId[];
    restarts: number;
  };
}

export interface ResumePoint {
  position: KeysetPosition;
  /** Why the state was not used as is (for a WARN log), if it was not. */
  note?: string;
}

const iso = (utcMs: number) => new Date(utcMs).toISOString();
const EARLIEST_UTC = Date.UTC(1900, 0, 2);
const END_UTC = Date.UTC(9999, 11, 31);

export function serializeState(pos: KeysetPosition, cursorField: string, zone: WallClockZone): StreamStateV1 {
  const state: StreamStateV1 = { version: STATE_VERSION, cursor_field: cursorField };
  if (pos.lastValue !== undefined) state.cursor = iso(zone.wallToUtc(pos.lastValue));
  if (pos.from !== undefined) state.from = iso(zone.wallToUtc(pos.from));
  if (pos.idsAtLast.length) state.ids_at_cursor = [...pos.idsAtLast];
  if (pos.group) {
    const g = pos.group;
    state.group = {
      second: iso(zone.wallToUtc(g.second)),
      next_page: g.nextPage,
      ...(g.total !== undefined ? { total: g.total } : {}),
      ...(g.maxValue !== undefined ? { max_cursor: iso(zone.wallToUtc(g.maxValue)) } : {}),
      ids_at_max: [...g.idsAtMax],
      restarts: g.restarts,
    };
  }
  return state;
}

/**
 * Where to resume a stream. `startWall` is the configured start_date as wall ms (or undefined for all history).
 * A cursor inside the DST fall-back hour rewinds to the start of that hour: rows written during the second
 * pass of the hour carry smaller wall values than rows from the first pass, and would otherwise be skipped.
 */
export function resumePoint(
  raw: unknown,
  stream: string,
  cursorField: string,
  zone: WallClockZone,
  startWall: number | undefined,
  /** The cursor's name in the plain `{"<cursor>": value}` form, when the stream calls it differently (children). */
  plainKey: string = cursorField,
): ResumePoint {
  const fresh: KeysetPosition = { from: startWall === undefined ? undefined : floorSecond(startWall), idsAtLast: [] };
  if (raw === undefined || raw === null) return { position: fresh };
  const where = `state for stream '${stream}'`;
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new ConfigError(`${where}: must be an object`);
  const s = raw as Record<string, unknown>;
  if (Object.keys(s).length === 0) return { position: fresh };

  let position: KeysetPosition;
  if (s.version !== undefined) {
    if (s.version !== STATE_VERSION) throw new ConfigError(`${where}: unsupported version ${JSON.stringify(s.version)} (expected ${STATE_VERSION})`);
    if (typeof s.cursor_field !== 'string') throw new ConfigError(`${where}: cursor_field must be a string`);
    if (s.cursor_field !== cursorField) {
      return {
        position: fresh,
        note: `${stream}: the cursor changed from ${s.cursor_field} to ${cursorField}; re-reading the stream from the start date`,
      };
    }
    position = fromV1(s as unknown as StreamStateV1, where, zone);
  } else if (plainKey in s || cursorField in s) {
    const key = plainKey in s ? plainKey : cursorField;
    const wall = instantToWall(s[key], `${where}.${key}`, zone);
    position = { from: floorSecond(wall), idsAtLast: [] };
  } else {
    throw new ConfigError(`${where}: not a state this connector wrote (no version, no '${plainKey}' field)`);
  }
  return rewindFallBack(position, zone);
}

function fromV1(s: StreamStateV1, where: string, zone: WallClockZone): KeysetPosition {
  const lastValue = s.cursor === undefined ? undefined : instantToWall(s.cursor, `${where}.cursor`, zone);
  const from = s.from === undefined ? (lastValue === undefined ? undefined : floorSecond(lastValue)) : instantToWall(s.from, `${where}.from`, zone);
  const position: KeysetPosition = { from, lastValue, idsAtLast: ids(s.ids_at_cursor, `${where}.ids_at_cursor`) };
  if (s.group !== undefined) {
    const g = s.group;
    if (typeof g !== 'object' || g === null) throw new ConfigError(`${where}.group: must be an object`);
    if (!Number.isInteger(g.next_page) || g.next_page < 1) throw new ConfigError(`${where}.group.next_page: must be a positive integer`);
    const group: GroupProgress = {
      second: floorSecond(instantToWall(g.second, `${where}.group.second`, zone)),
      nextPage: g.next_page,
      total: typeof g.total === 'number' ? g.total : undefined,
      maxValue: g.max_cursor === undefined ? undefined : instantToWall(g.max_cursor, `${where}.group.max_cursor`, zone),
      idsAtMax: ids(g.ids_at_max, `${where}.group.ids_at_max`),
      restarts: Number.isInteger(g.restarts) ? g.restarts : 0,
    };
    position.group = group;
  }
  return position;
}

function rewindFallBack(pos: KeysetPosition, zone: WallClockZone): ResumePoint {
  if (pos.from === undefined || pos.group || !zone.isAmbiguous(pos.from)) return { position: pos };
  const hourStart = Math.floor(pos.from / 3_600_000) * 3_600_000;
  return {
    position: { from: hourStart, idsAtLast: [] },
    note: 'the cursor lies in the DST fall-back hour; re-reading that hour so rows written during its second pass are not missed',
  };
}

function ids(value: unknown, where: string): RecordId[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'number' || typeof v === 'string')) {
    throw new ConfigError(`${where}: must be an array of record ids`);
  }
  return value as RecordId[];
}

/** A state instant to wall ms: UTC/offset forms are converted; a bare ShipStation value is already Pacific. */
function instantToWall(value: unknown, where: string, zone: WallClockZone): number {
  if (typeof value === 'string') {
    if (/(Z|[+-]\d{2}:?\d{2})$/.test(value)) {
      const utc = Date.parse(value);
      // The Pacific rules are known for 1900–9999 only (src/shipstation/time.ts); outside that it is no cursor of ours.
      if (!Number.isNaN(utc) && (utc < EARLIEST_UTC || utc >= END_UTC)) throw new ConfigError(`${where}: ${JSON.stringify(value)} is out of range (years 1900–9999)`);
      // Date.parse rolls impossible days over (02-30 → 03-01); the connector's own parser refuses them.
      if (!Number.isNaN(utc) && pacificToUtc(value) !== null) return zone.utcToWall(utc);
    } else {
      const wall = parseWallMs(value);
      if (wall !== null) return wall;
    }
  }
  throw new ConfigError(`${where}: not a date-time (${JSON.stringify(value)})`);
}

const sameIds = (a: RecordId[], b: RecordId[]) => a.length === b.length && a.every((id, i) => id === b[i]);

/**
 * One position to read several streams from (a parent and its children, each with its own state): the one
 * furthest back, so no stream loses rows; the others re-read a stretch they already have (at-least-once, the
 * destination deduplicates on the primary key). Two different positions on the same second restart that second
 * whole, which covers both.
 */
export function earliestPosition(positions: readonly KeysetPosition[]): KeysetPosition {
  let earliest = positions[0]!;
  for (const pos of positions.slice(1)) {
    const a = earliest.from ?? -Infinity;
    const b = pos.from ?? -Infinity;
    if (b < a) earliest = pos;
    else if (b === a && !samePosition(earliest, pos)) earliest = { from: pos.from, idsAtLast: [] };
  }
  return earliest;
}

function samePosition(a: KeysetPosition, b: KeysetPosition): boolean {
  if (a.from !== b.from || a.lastValue !== b.lastValue || !sameIds(a.idsAtLast, b.idsAtLast)) return false;
  if (!a.group || !b.group) return a.group === b.group;
  return JSON.stringify(a.group) === JSON.stringify(b.group);
}
