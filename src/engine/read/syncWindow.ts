// The end of this sync's window, fixed by the first response; the rules are plan/windowEnd.ts. Rows changed
// while a sync runs must leave the window (their new stamp lies after its end) or the sync could pass them by;
// stamps come from ShipStation's clock, so the end comes from the Date header of the sync's first response,
// never later than this machine's clock, minus a settle margin for stamps written out of commit order and for
// rows that become visible late. What the reader proves does not depend on this (slices.ts); it decides only
// whether a row changed during the sync is read by this sync's window or the next one's.
import type { Logger } from '../../protocol/logger.js';
import { clockNote, lastWallSecond, windowEnd } from '../plan/windowEnd.js';
import type { WallClockZone } from '../../time/zone.js';
import type { WindowTarget } from './incremental.js';

export interface SyncWindowOptions {
  /** This machine's clock when the sync started (UTC ms). */
  startedAt: number;
  settleMs: number;
  /** config.end_date (UTC ms): nothing after it is read. */
  endDate?: number;
  zone: WallClockZone;
  logger: Logger;
}

export class SyncWindow implements WindowTarget {
  readonly provisional: number;
  private target: number | undefined;

  constructor(private readonly opts: SyncWindowOptions) {
    // Before any response: this machine's clock, an upper bound of what the server's can give.
    this.provisional = lastWallSecond(Math.min(opts.startedAt, opts.endDate ?? opts.startedAt), opts.zone);
  }

  /** The first response fixes the window; later ones change nothing. */
  observe(serverTime: number | undefined, receivedAt: number): void {
    if (this.target !== undefined) return;
    const { logger, settleMs, endDate, zone } = this.opts;
    const note = clockNote(serverTime, receivedAt, settleMs);
    if (note) logger.warn(note);
    this.target = windowEnd({ serverTime, receivedAt, settleMs, endDate, provisional: this.provisional, zone });
  }

  settled(): number | undefined {
    return this.target;
  }
}
