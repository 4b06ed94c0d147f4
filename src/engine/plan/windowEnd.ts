// Where this sync's window ends, as pure functions of ShipStation's clock (the Date header of the first
// response), this machine's, the settle margin and end_date; and what a person should hear when the clocks
// disagree. read/syncWindow.ts applies them to the first response.
import { floorSecond } from '../../time/wallClock.js';
import type { WallClockZone } from '../../time/zone.js';

/** A difference between the clocks worth telling a person about. */
const SKEW_WORTH_SAYING_MS = 120_000;

/** The last whole second before an instant, as wall ms: rows of the instant's own second may still be arriving. */
export function lastWallSecond(utcMs: number, zone: WallClockZone): number {
  return floorSecond(zone.utcToWall(utcMs)) - 1000;
}

export interface WindowEndFacts {
  /** The first response's Date header (UTC ms), if it had a usable one. */
  serverTime?: number;
  /** This machine's clock when that response came (UTC ms). */
  receivedAt: number;
  settleMs: number;
  /** config.end_date (UTC ms). */
  endDate?: number;
  /** The end used before any response: never moved later. */
  provisional: number;
  zone: WallClockZone;
}

/**
 * The window's last second (wall ms): the earlier of the two clocks minus the settle margin, never after end_date
 * nor the provisional end. A server clock behind ours pulls the end back (its stamps are what rows carry); one
 * ahead is not believed past ours.
 */
export function windowEnd({ serverTime, receivedAt, settleMs, endDate, provisional, zone }: WindowEndFacts): number {
  const now = Math.min(serverTime ?? receivedAt, receivedAt);
  return Math.min(provisional, lastWallSecond(Math.min(now - settleMs, endDate ?? Infinity), zone));
}

/** A sentence for a person when the Date header is missing or the clocks differ by more than a little. */
export function clockNote(serverTime: number | undefined, receivedAt: number, settleMs: number): string | undefined {
  const seconds = (ms: number) => `${Math.round(ms / 1000)} s`;
  if (serverTime === undefined) {
    return `ShipStation's response carried no Date header: this sync's window ends at this machine's clock minus the settle margin (${seconds(settleMs)})`;
  }
  if (serverTime < receivedAt - SKEW_WORTH_SAYING_MS) {
    return `ShipStation's clock (its Date header) is ${seconds(receivedAt - serverTime)} behind this machine's: this sync reads up to ShipStation's time`;
  }
  if (serverTime > receivedAt + SKEW_WORTH_SAYING_MS) {
    return `ShipStation's clock (its Date header) is ${seconds(serverTime - receivedAt)} ahead of this machine's: this sync reads up to this machine's time; check its clock`;
  }
  return undefined;
}
