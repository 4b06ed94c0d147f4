// Voids read by their own date: which voids an incremental sync reads after its main pass, and the position its
// state keeps for them. A shipment (v2: label) is never modified, but it can be voided at any age, and its
// creation date, the stream's cursor, does not move then. So each sync also reads the records voided in a frozen
// window of void dates: from the last sync's window end, less the settle margin (a void stamped there may have
// committed after that sync read), to this sync's window end, one second past each edge (filters read as
// inclusive, exclusive or whole-second, like the main read's). Every void is then read once, by the sync after it
// happens. The window's rows change only by late commits (a void is never undone): the pass reads them by keyset
// on the stream's cursor with all the proofs of the main read (keyset.ts: totals, ids, full and short pages).
//
// Where the pass starts:
// - `stored`: the position the last sync kept (voids up to it were read);
// - `everything`: this sync reads the stream from its start (no state, or one that read nothing): every record
//   it emits is read after this window ends, with the voids stamped before it, so no pass is needed and the
//   state keeps this window's end from its first checkpoint;
// - `history`: a state written before voids were read by date (or one lacking the position): voids of
//   records emitted earlier may have happened at any time since, so the pass reads every void from start_date
//   once (a page per 500 voids), then keeps its position like any other.
import type { WallClockZone } from '../../time/zone.js';
import { floorSecond } from '../../time/wallClock.js';

export type VoidStart = { kind: 'stored'; through: number } | { kind: 'everything' } | { kind: 'history' };

/** The void dates a pass reads (wall ms, whole seconds, either end inclusive; `from` absent = all history). */
export interface VoidWindow {
  from: number | undefined;
  to: number;
}

export interface VoidPassPlan {
  /** The window to read; none when nothing can have been voided unseen (or the window is empty). */
  read?: VoidWindow;
  /** Where the state stands once the pass is done (wall ms): voids stamped up to it are read. */
  through: number;
}

export interface VoidPassInput {
  start: VoidStart;
  /** The last second of this sync's window (wall ms). */
  windowEnd: number;
  settleMs: number;
  /** start_date as wall ms, if any. */
  startWall: number | undefined;
  zone: WallClockZone;
}

export function planVoidPass({ start, windowEnd, settleMs, startWall, zone }: VoidPassInput): VoidPassPlan {
  const to = windowEnd + 1000;
  if (start.kind === 'everything') return { through: windowEnd };
  if (start.kind === 'history')
    return { read: { from: startWall === undefined ? undefined : floorSecond(startWall), to }, through: windowEnd };
  let from = floorSecond(start.through - settleMs) - 1000;
  // Voids stamped in the second pass of a fall-back hour carry smaller wall values than first-pass ones: a window
  // starting inside that hour starts at the hour's beginning (as a cursor there does, plan/streamState.ts).
  if (zone.isAmbiguous(from) || zone.isAmbiguous(start.through)) from = Math.floor(from / 3_600_000) * 3_600_000;
  // A window that ends before it starts (this machine's or ShipStation's clock set back) reads nothing and keeps
  // the position: the voids up to it were read.
  if (to < from) return { through: start.through };
  return { read: { from, to }, through: Math.max(start.through, windowEnd) };
}

/**
 * Where a group's void pass starts, from its members' states: the earliest stored position; `history` when one
 * member's state lacks it; `everything` when the group reads from its very start.
 */
export function voidStart(stored: readonly (number | undefined)[], readsEverything: boolean): VoidStart {
  if (readsEverything) return { kind: 'everything' };
  if (stored.length === 0 || stored.some((s) => s === undefined)) return { kind: 'history' };
  return { kind: 'stored', through: Math.min(...(stored as number[])) };
}
