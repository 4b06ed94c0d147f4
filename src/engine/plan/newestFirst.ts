// Incremental reads of streams ShipStation cannot filter by date (v1 products, customers): sorted by modifyDate
// newest first, pages are read from the top until one reaches below where the last sync's window ended, less the
// settle margin. What makes that lossless, all shown by the pages themselves:
// - Page 1 is a prefix of the sorted answer: it holds every row above its lowest value. A later page is a run of
//   consecutive rows, so it holds every row strictly between its first and last values; when its first value lies
//   above the lowest value read so far, the two answers met and no row between them was passed over, whatever
//   moved in between. Each page therefore starts a few rows before the last one ended (a page chain:
//   pageChain.ts), repeating every row of the lowest value read so far and one above it, so equal seconds at an
//   edge are read whole whatever order the server gives them.
// - Rows removed mid-read shift the rest up: the next page then starts below the lowest value read, proves
//   nothing, and an earlier page is read until one meets the rows read (or, after several, the stream stops for
//   this sync, its state unchanged). A row modified mid-read jumps to the top and shifts the rest down: rows are
//   read twice, none is missed, and its new stamp lies after this sync's window, where the next sync reads it.
// - A page whose values rise where they must fall means the server ignores the sort: the reader falls back to a
//   full read for this sync. More rows of one second than a page can repeat: the same.
// - A short page is the end of the rows only once the row after it is asked for and not there.
// Pure: rows in, the next request or the verdict out.
import { ConfigError, TransientError } from '../../errors.js';
import { FULL_PASS_FIELD, fullPassDue } from '../../fullPass.js';
import type { WallClockZone } from '../../time/zone.js';
import type { PageRow } from './page.js';
import { CHAIN_OVERLAP, linkStart, nextChainLink, type ChainLink } from './pageChain.js';
import { checkPageMoved, checkShortRounds, pageFingerprint } from './serverChecks.js';

/** Where a newest-first stream stands after a complete sync (UTC ms). */
export interface NewestFirstPosition {
  /** The end of that sync's window: every row modified up to it was read. */
  windowEnd: number;
  /** When the last complete full pass planned as one began (its window end); absent before the first. */
  fullPassAt?: number;
}

/** What this sync reads: every row (a first sync, or a full pass due), or the rows modified since `fromUtc`. */
export type NewestFirstDecision = { kind: 'full'; why: 'first' | 'due' } | { kind: 'head'; fromUtc: number };

/** Pages in a row that did not meet the rows read before the stream stops for this sync. */
export const MAX_FUTILE_HEAD_PAGES = 8;

const iso = (utcMs: number) => new Date(utcMs).toISOString();

/** The state after a complete sync: `{"version":1,"cursor_field":…,"window_end":…,"full_pass_at":…}`. */
export function newestFirstState(field: string, position: NewestFirstPosition): Record<string, unknown> {
  return {
    version: 1,
    cursor_field: field,
    window_end: iso(position.windowEnd),
    ...(position.fullPassAt === undefined ? {} : { [FULL_PASS_FIELD]: iso(position.fullPassAt) }),
  };
}

/**
 * A stored state: none (or `{}`, which these streams wrote while they were full refresh) is a first sync; this
 * connector's form; or another connector's plain `{"modifyDate": "…Z"}`, read as a window end without a full pass.
 */
export function parseNewestFirstState(
  raw: unknown,
  stream: string,
  field: string,
): { position?: NewestFirstPosition; note?: string } {
  if (raw === undefined || raw === null) return {};
  const where = `state for stream '${stream}'`;
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new ConfigError(`${where}: must be an object`);
  const s = raw as Record<string, unknown>;
  if (Object.keys(s).length === 0) return {};
  if (s.api_version !== undefined && s.api_version !== null && s.api_version !== 'v1')
    throw new ConfigError(
      `${where} was written for ShipStation's API ${String(s.api_version)}, but this stream is the v1 API's: use a new connection (or reset this one)`,
    );
  if (s.version === undefined || s.version === null) {
    if (!(field in s))
      throw new ConfigError(`${where}: not a state this connector wrote (no version, no '${field}' field)`);
    return { position: { windowEnd: instant(s[field], `${where}.${field}`) } };
  }
  if (s.version !== 1) throw new ConfigError(`${where}: unsupported version ${JSON.stringify(s.version)} (expected 1)`);
  if (s.cursor_field !== field) {
    if (typeof s.cursor_field !== 'string') throw new ConfigError(`${where}: cursor_field must be a string`);
    return { note: `${stream}: the cursor changed from ${s.cursor_field} to ${field}; reading every record` };
  }
  const last = s[FULL_PASS_FIELD];
  return {
    position: {
      windowEnd: instant(s.window_end, `${where}.window_end`),
      ...(last === undefined || last === null ? {} : { fullPassAt: instant(last, `${where}.${FULL_PASS_FIELD}`) }),
    },
  };
}

function instant(value: unknown, where: string): number {
  const utc = typeof value === 'string' && /(Z|[+-]\d{2}:?\d{2})$/.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(utc) || utc < Date.UTC(1900, 0, 2) || utc >= Date.UTC(9999, 11, 31))
    throw new ConfigError(`${where}: not a UTC date-time (${JSON.stringify(value)?.slice(0, 80)})`);
  return utc;
}

/** A full read without a position or when a full pass is due; otherwise the rows modified since the window end less the settle margin. */
export function planNewestFirst(
  position: NewestFirstPosition | undefined,
  fullPassHours: number,
  settleMs: number,
  nowUtc: number,
): NewestFirstDecision {
  if (position === undefined) return { kind: 'full', why: 'first' };
  const last = position.fullPassAt === undefined ? undefined : iso(position.fullPassAt);
  if (fullPassDue(last, fullPassHours, nowUtc)) return { kind: 'full', why: 'due' };
  return { kind: 'head', fromUtc: position.windowEnd - settleMs };
}

/**
 * The lowest value (wall ms) the read must reach below. Inside the DST fall-back hour, the start of that hour:
 * rows changed in its second pass carry smaller wall values than rows changed in its first.
 */
export function headFloor(fromUtc: number, zone: WallClockZone): number {
  const wall = Math.floor(zone.utcToWall(fromUtc) / 1000) * 1000;
  return zone.isAmbiguous(wall) ? Math.floor(wall / 3_600_000) * 3_600_000 : wall;
}

/** How far a newest-first read has come. */
export interface HeadWalk {
  readonly size: number;
  /** The read is done once a page that meets the rows read reaches below this (wall ms). */
  readonly floor: number;
  /** The request to send next. */
  readonly next: ChainLink;
  /** Where the rows read end (their count from the top, as last seen); 0 before page 1. */
  readonly end: number;
  /** Every row above this value has been read (wall ms); undefined before page 1. */
  readonly lowest?: number;
  /** Rows of the last page that meets, at its lowest value: the next page repeats them and one more. */
  readonly tie: number;
  /** Pages in a row that did not meet the rows read. */
  readonly futile: number;
  /** Short pages in a row that brought nothing new while the row after them was there. */
  readonly rounds: number;
  /** `next` asks for the one row after a short page, to tell the end of the rows from a page cut short. */
  readonly probing: boolean;
  readonly fingerprint?: string;
}

export type HeadStep =
  | { kind: 'next'; walk: HeadWalk }
  | { kind: 'done' }
  /** The pages show the server not sorting as asked, or more rows of one value than a page can repeat: read every row. */
  | { kind: 'fallback'; why: 'unsorted' | 'ties'; detail: string };

export function startHeadWalk(pageSize: number, floor: number): HeadWalk {
  return {
    size: pageSize,
    floor,
    next: { page: 1, size: pageSize },
    end: 0,
    tie: 0,
    futile: 0,
    rounds: 0,
    probing: false,
  };
}

/**
 * What an answered request shows: `rows` are its records' ids and values (wall ms, null for none) in the order
 * served. Throws TransientError after MAX_FUTILE_HEAD_PAGES pages that do not meet the rows read, and ServerFault
 * for pages cut short for ever or a page number the server ignores.
 */
export function applyHeadPage(walk: HeadWalk, rows: readonly PageRow[]): HeadStep {
  const link = walk.next;
  if (walk.probing) {
    if (rows.length === 0) return { kind: 'done' };
    checkShortRounds(walk.rounds + 1);
    return continueFrom({ ...walk, rounds: walk.rounds + 1, probing: false }, walk.end);
  }
  const values: number[] = [];
  let undated = false;
  for (const [i, row] of rows.entries()) {
    if (row.value === null) {
      undated = true;
      continue;
    }
    // Rows without a value sort last newest first (SQL Server's NULLs are the smallest): a dated row after one
    // breaks the order as much as a newer row after an older one.
    if (undated || (values.length && row.value > values[values.length - 1]!))
      return {
        kind: 'fallback',
        why: 'unsorted',
        detail: `record ${i + 1} of page ${link.page} is newer than the one before it`,
      };
    values.push(row.value);
  }
  const meets = walk.lowest === undefined || (values.length > 0 && values[0]! > walk.lowest);
  if (!meets) return backOff(walk);
  // Only pages read one after the other can repeat each other by mistake; after a back-off the same page is expected.
  if (walk.futile === 0) checkPageMoved(rows, walk.fingerprint);
  const served = linkStart(link) + rows.length;
  // No rows at all, or rows without a date (they come last): every dated row has been read.
  if (values.length === 0 || undated) return { kind: 'done' };
  const lowest = values[values.length - 1]!;
  if (lowest < walk.floor) return { kind: 'done' };
  let tie = 0;
  while (tie < values.length && values[values.length - 1 - tie] === lowest) tie++;
  // A page that brought rows after those read starts the count of short rounds again.
  const rounds = served > walk.end ? 0 : walk.rounds;
  const moved: HeadWalk = { ...walk, lowest, tie, futile: 0, rounds, fingerprint: pageFingerprint(rows) };
  // Short: the end of the rows, or a page cut short; the row after it tells.
  if (rows.length < link.size)
    return { kind: 'next', walk: { ...moved, end: served, probing: true, next: { page: served + 1, size: 1 } } };
  return continueFrom(moved, served);
}

/** The next link of the chain after rows [0, end): it repeats the rows of the lowest value read and one above. */
function continueFrom(walk: HeadWalk, end: number): HeadStep {
  const overlap = Math.max(CHAIN_OVERLAP, walk.tie + 1);
  const next = nextChainLink(end, walk.size, overlap);
  if (!next)
    return {
      kind: 'fallback',
      why: 'ties',
      detail: `${walk.tie} records share one modification second, more than a page can repeat`,
    };
  return { kind: 'next', walk: { ...walk, end, next } };
}

/** A page that did not meet the rows read (rows removed meanwhile moved the rest up): read from further up. */
function backOff(walk: HeadWalk): HeadStep {
  const futile = walk.futile + 1;
  if (futile >= MAX_FUTILE_HEAD_PAGES)
    throw new TransientError(
      `${MAX_FUTILE_HEAD_PAGES} pages in a row did not meet the records already read: records were removed faster than they could be read; the next sync reads them again`,
    );
  const overlap = Math.max(CHAIN_OVERLAP, walk.tie + 1);
  const back = walk.end - futile * Math.ceil(walk.size / 2);
  const next = back > overlap ? nextChainLink(back, walk.size, overlap) : undefined;
  return { kind: 'next', walk: { ...walk, futile, next: next ?? { page: 1, size: walk.size } } };
}
