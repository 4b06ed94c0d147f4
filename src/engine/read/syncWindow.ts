// The end of this sync's window, from ShipStation's own clock. Rows changed while a sync runs must leave the
// window (their new stamp lies after its end) or the sync could pass them by; stamps come from ShipStation's
// clock, so the end is taken from the Date header of the sync's first response, never later than this
// machine's clock, minus a settle margin for stamps written out of commit order (app servers whose clocks
// differ, commits that land after their stamp) and for rows that become visible late. What the reader proves
// does not depend on this (slices.ts); it decides only whether a row changed during the sync is read by this
// sync's window or the next one's.
import type { Logger } from '../../protocol/logger.js';
import type { WindowTarget } from './incremental.js';
import type { WallClockZone } from '../../time/zone.js';
import { floorSecond } from '../../time/wallClock.js';

/** A difference between the clocks worth telling a person about. */
const SKEW_WORTH_SAYING_MS = 120_000;

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
    this.provisional = this.lastSecond(Math.min(opts.startedAt, opts.endDate ?? opts.startedAt));
  }

  /** The first response fixes the window; later ones change nothing. */
  observe(serverTime: number | undefined, receivedAt: number): void {
    if (this.target !== undefined) return;
    const { logger, settleMs, endDate } = this.opts;
    const seconds = (ms: number) => `${Math.round(ms / 1000)} s`;
    if (serverTime === undefined) {
      logger.warn(`ShipStation's response carried no Date header: this sync's window ends at this machine's clock minus the settle margin (${seconds(settleMs)})`);
    } else if (serverTime < receivedAt - SKEW_WORTH_SAYING_MS) {
      logger.warn(`ShipStation's clock (its Date header) is ${seconds(receivedAt - serverTime)} behind this machine's: this sync reads up to ShipStation's time`);
    } else if (serverTime > receivedAt + SKEW_WORTH_SAYING_MS) {
      logger.warn(`ShipStation's clock (its Date header) is ${seconds(serverTime - receivedAt)} ahead of this machine's: this sync reads up to this machine's time; check its clock`);
    }
    const now = Math.min(serverTime ?? receivedAt, receivedAt);
    const end = Math.min(now - settleMs, endDate ?? Infinity);
    this.target = Math.min(this.provisional, this.lastSecond(end));
  }

  settled(): number | undefined {
    return this.target;
  }

  /** The last whole second before an instant, as wall ms: rows of the instant's own second may still be arriving. */
  private lastSecond(utcMs: number): number {
    return floorSecond(this.opts.zone.utcToWall(utcMs)) - 1000;
  }
}
