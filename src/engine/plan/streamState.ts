// An incremental stream's state: what resuming needs, kept in UTC (the Pacific form is ambiguous one hour a
// year), versioned, and read back from this connector's own forms or from the plain `{"<cursor>": value}` form
// other ShipStation connectors write. Version 1 is one keyset position; version 2 adds the cursor ranges still
// unfinished below it while a window is read in slices. A state with nothing pending is written as version 1.
import { ConfigError, SystemError } from '../../errors.js';
import { pacificToUtc } from '../../time/pacific.js';
import { newGroup, type KeysetPosition } from './keyset.js';
import type { RecordId } from './page.js';
import type { ResumePlan } from './slices.js';
import { floorSecond, parseWallMs } from '../../time/wallClock.js';
import type { WallClockZone } from '../../time/zone.js';

export const STATE_VERSION = 1;
export const SLICED_STATE_VERSION = 2;

interface PositionJson {
  /** Last emitted cursor value (UTC). */
  cursor?: string;
  /** First second not known to be done (UTC, whole second). */
  from?: string;
  ids_at_cursor?: RecordId[];
  /** A second being read as a group (more rows than a page): a resumed sync reads it again from its page 1. */
  group?: { second: string };
  /** Pages of the next query known to hold only done rows (of seconds up to `through`, UTC). */
  skip?: { page: number; size?: number; through: string; head?: string };
}

/** The API a state was written for, when it is not v1 (v1 states, written before API v2, carry none). */
interface ApiMark {
  api_version?: string;
}

/** A stream whose records are voided later (shipments, v2 labels): voids stamped up to here were read (UTC). */
interface VoidMark {
  voids_through?: string;
}

export interface StreamStateV1 extends PositionJson, ApiMark, VoidMark {
  version: 1;
  cursor_field: string;
}

export interface StreamStateV2 extends PositionJson, ApiMark, VoidMark {
  version: 2;
  cursor_field: string;
  /** Ranges below the frontier still being read: each a position plus its last second (`to`, UTC). */
  slices: (PositionJson & { to: string })[];
}

export type StreamState = StreamStateV1 | StreamStateV2;

export interface ResumePoint {
  plan: ResumePlan;
  /** The state's `voids_through` (wall ms), when it has one (plan/voidPass.ts). */
  voidsThrough?: number;
  /** Why the state was not used as is (for a WARN log), if it was not. */
  note?: string;
}

const iso = (utcMs: number) => new Date(utcMs).toISOString();
const EARLIEST_UTC = Date.UTC(1900, 0, 2);
const END_UTC = Date.UTC(9999, 11, 31);

function positionJson(pos: KeysetPosition, zone: WallClockZone): PositionJson {
  const out: PositionJson = {};
  if (pos.lastValue !== undefined) out.cursor = iso(zone.wallToUtc(pos.lastValue));
  if (pos.from !== undefined) out.from = iso(zone.wallToUtc(pos.from));
  if (pos.idsAtLast.length) out.ids_at_cursor = [...pos.idsAtLast];
  if (pos.group) out.group = { second: iso(zone.wallToUtc(pos.group.second)) };
  if (pos.skip) {
    const { page, size, through, head } = pos.skip;
    out.skip = { page, size, through: iso(zone.wallToUtc(through)), ...(head !== undefined ? { head } : {}) };
  }
  return out;
}

/** The API a state belongs to: v1 states carry no mark, so those written before API v2 keep their meaning. */
const V1 = 'v1';

export function serializeState(
  plan: ResumePlan,
  cursorField: string,
  zone: WallClockZone,
  api = V1,
  /** Voids read up to here (wall ms), for a stream with a void pass; written last, after the fields it adds to. */
  voidsThrough?: number,
): StreamState {
  const frontier = positionJson(plan.frontier, zone);
  const mark: ApiMark = api === V1 ? {} : { api_version: api };
  const voids: VoidMark = voidsThrough === undefined ? {} : { voids_through: iso(zone.wallToUtc(voidsThrough)) };
  if (plan.pending.length === 0)
    return { version: STATE_VERSION, ...mark, cursor_field: cursorField, ...frontier, ...voids };
  const slices = plan.pending.map((p) => ({ to: iso(zone.wallToUtc(p.targetEnd)), ...positionJson(p.pos, zone) }));
  return { version: SLICED_STATE_VERSION, ...mark, cursor_field: cursorField, ...frontier, slices, ...voids };
}

/**
 * The state to emit, checked to read back as itself: a state this connector writes is valid input to it by
 * construction (a state that cannot be read back would fail every later sync).
 */
export function checkedState(
  plan: ResumePlan,
  cursorField: string,
  zone: WallClockZone,
  api = V1,
  voidsThrough?: number,
): StreamState {
  const state = serializeState(plan, cursorField, zone, api, voidsThrough);
  const text = JSON.stringify(state);
  let again: string;
  try {
    const read = JSON.parse(text) as Record<string, unknown>;
    const voids = voidsOf(read, 'state', zone);
    again = JSON.stringify(
      serializeState(parseOwnState(read, 'state', zone), cursorField, zone, apiOf(read, 'state'), voids),
    );
  } catch (err) {
    throw new SystemError(
      `a checkpoint would not read back (${err instanceof Error ? err.message : String(err)}): ${text.slice(0, 300)}`,
    );
  }
  if (again !== text) throw new SystemError(`a checkpoint would not read back as itself: ${text.slice(0, 300)}`);
  return state;
}

/**
 * Where to resume a stream. `startWall` is the configured start_date as wall ms (or undefined for all history).
 * A frontier inside the DST fall-back hour rewinds to the start of that hour: rows written during the second
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
  /** The API the config is for: a state written for the other one is refused (both have a `shipments`). */
  api: string = V1,
): ResumePoint {
  const fresh: ResumePlan = {
    frontier: { from: startWall === undefined ? undefined : floorSecond(startWall), idsAtLast: [] },
    pending: [],
  };
  if (raw === undefined || raw === null) return { plan: fresh };
  const where = `state for stream '${stream}'`;
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new ConfigError(`${where}: must be an object`);
  const s = raw as Record<string, unknown>;
  if (Object.keys(s).length === 0) return { plan: fresh };
  const written = apiOf(s, where);
  if (written !== api) {
    throw new ConfigError(
      `${where} was written for ShipStation's ${apiName(written)}, but the config is for its ${apiName(api)}: the ` +
        `two APIs' '${stream}' streams hold different records, so use a new connection (or reset this one)`,
    );
  }

  let plan: ResumePlan;
  let voidsThrough: number | undefined;
  if (s.version !== undefined && s.version !== null) {
    if (typeof s.cursor_field !== 'string') throw new ConfigError(`${where}: cursor_field must be a string`);
    if (s.cursor_field !== cursorField && (s.version === STATE_VERSION || s.version === SLICED_STATE_VERSION)) {
      return {
        plan: fresh,
        note: `${stream}: the cursor changed from ${s.cursor_field} to ${cursorField}; re-reading the stream from the start date`,
      };
    }
    plan = parseOwnState(s, where, zone);
    voidsThrough = voidsOf(s, where, zone);
  } else if (plainKey in s || cursorField in s) {
    const key = plainKey in s ? plainKey : cursorField;
    const wall = instantToWall(s[key], `${where}.${key}`, zone);
    plan = { frontier: { from: floorSecond(wall), idsAtLast: [] }, pending: [] };
  } else {
    throw new ConfigError(`${where}: not a state this connector wrote (no version, no '${plainKey}' field)`);
  }
  const rewound = rewindFallBack(plan.frontier, zone);
  const voids = voidsThrough === undefined ? {} : { voidsThrough };
  return rewound ? { plan: { ...plan, frontier: rewound.position }, note: rewound.note, ...voids } : { plan, ...voids };
}

/** A state's `voids_through` as wall ms (absent in states written before voids were read by date). */
function voidsOf(s: Record<string, unknown>, where: string, zone: WallClockZone): number | undefined {
  const value = optional(s.voids_through);
  return value === undefined ? undefined : instantToWall(value, `${where}.voids_through`, zone);
}

/** A version 1 or 2 state, exactly as written (no DST rewind): the inverse of serializeState. */
function parseOwnState(s: Record<string, unknown>, where: string, zone: WallClockZone): ResumePlan {
  if (s.version !== STATE_VERSION && s.version !== SLICED_STATE_VERSION) {
    throw new ConfigError(
      `${where}: unsupported version ${JSON.stringify(s.version)} (expected ${STATE_VERSION} or ${SLICED_STATE_VERSION})`,
    );
  }
  const frontier = parsePosition(s, where, zone);
  if (s.version === STATE_VERSION || s.slices === undefined || s.slices === null) return { frontier, pending: [] };
  if (!Array.isArray(s.slices)) throw new ConfigError(`${where}.slices: must be an array`);
  const pending = s.slices.map((slice: unknown, i) => {
    const at = `${where}.slices[${i}]`;
    if (typeof slice !== 'object' || slice === null || Array.isArray(slice))
      throw new ConfigError(`${at}: must be an object`);
    const o = slice as Record<string, unknown>;
    return { pos: parsePosition(o, at, zone), targetEnd: floorSecond(instantToWall(o.to, `${at}.to`, zone)) };
  });
  return { frontier, pending };
}

function parsePosition(s: Record<string, unknown>, where: string, zone: WallClockZone): KeysetPosition {
  const lastValue = optional(s.cursor) === undefined ? undefined : instantToWall(s.cursor, `${where}.cursor`, zone);
  const from =
    optional(s.from) === undefined
      ? lastValue === undefined
        ? undefined
        : floorSecond(lastValue)
      : floorSecond(instantToWall(s.from, `${where}.from`, zone));
  const position: KeysetPosition = { from, lastValue, idsAtLast: ids(s.ids_at_cursor, `${where}.ids_at_cursor`) };
  const g = optional(s.group);
  if (g !== undefined) {
    // Older versions stored a group's page and counts too; a group always starts again from its page 1.
    if (typeof g !== 'object' || Array.isArray(g)) throw new ConfigError(`${where}.group: must be an object`);
    position.group = newGroup(
      floorSecond(instantToWall((g as Record<string, unknown>).second, `${where}.group.second`, zone)),
    );
  }
  const skip = optional(s.skip);
  if (skip !== undefined) {
    const o = (typeof skip === 'object' && !Array.isArray(skip) ? skip : {}) as Record<string, unknown>;
    if (typeof o.page !== 'number' || !Number.isInteger(o.page) || o.page < 2)
      throw new ConfigError(`${where}.skip.page: must be an integer of at least 2`);
    const head = typeof o.head === 'string' && o.head !== '' ? o.head : undefined;
    // Older versions skipped by whole pages of the reader's size: a skip without its size starts again at page 1.
    if (typeof o.size !== 'number' || !Number.isInteger(o.size) || o.size < 1 || o.size > 500) return position;
    position.skip = {
      page: o.page,
      size: o.size,
      through: floorSecond(instantToWall(o.through, `${where}.skip.through`, zone)),
      ...(head !== undefined ? { head } : {}),
    };
  }
  return position;
}

/** The API a state says it was written for (v1 when it says none). */
function apiOf(s: Record<string, unknown>, where: string): string {
  const mark = optional(s.api_version);
  if (mark === undefined) return V1;
  if (mark !== 'v1' && mark !== 'v2') throw new ConfigError(`${where}.api_version: must be "v1" or "v2"`);
  return mark;
}

function apiName(api: string): string {
  return api === V1 ? 'v1 API' : `API ${api}`;
}

/** Python clients write absent optional fields as null. */
function optional(value: unknown): unknown {
  return value === null ? undefined : value;
}

function rewindFallBack(
  pos: KeysetPosition,
  zone: WallClockZone,
): { position: KeysetPosition; note: string } | undefined {
  if (pos.from === undefined || pos.group || !zone.isAmbiguous(pos.from)) return undefined;
  const hourStart = Math.floor(pos.from / 3_600_000) * 3_600_000;
  return {
    position: { from: hourStart, idsAtLast: [] },
    note: 'the cursor lies in the DST fall-back hour; re-reading that hour so rows written during its second pass are not missed',
  };
}

function ids(value: unknown, where: string): RecordId[] {
  if (optional(value) === undefined) return [];
  if (
    !Array.isArray(value) ||
    !value.every((v) => (typeof v === 'number' && Number.isFinite(v)) || (typeof v === 'string' && v !== ''))
  ) {
    throw new ConfigError(`${where}: must be an array of record ids (numbers or non-empty strings)`);
  }
  return value as RecordId[];
}

/** A state instant to wall ms: UTC/offset forms are converted; a bare ShipStation value is already Pacific. */
function instantToWall(value: unknown, where: string, zone: WallClockZone): number {
  if (typeof value === 'string') {
    if (/(Z|[+-]\d{2}:?\d{2})$/.test(value)) {
      const utc = Date.parse(value);
      // The Pacific rules are known for 1900–9999 only (src/time/pacific.ts); outside that it is no cursor of ours.
      if (!Number.isNaN(utc) && (utc < EARLIEST_UTC || utc >= END_UTC))
        throw new ConfigError(`${where}: ${JSON.stringify(value)} is out of range (years 1900–9999)`);
      // Date.parse rolls impossible days over (02-30 → 03-01); the connector's own parser refuses them.
      if (!Number.isNaN(utc) && pacificToUtc(value) !== null) return zone.utcToWall(utc);
    } else {
      const wall = parseWallMs(value);
      if (wall !== null) return wall;
    }
  }
  throw new ConfigError(`${where}: not a date-time (${JSON.stringify(value)})`);
}
