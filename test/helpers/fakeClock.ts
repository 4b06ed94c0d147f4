// A simulator clock the test moves by hand. Set in the past of this machine's clock, it alone decides the
// connector's window (the window ends at the earlier of ShipStation's Date header and this machine's clock), so
// a test chooses when every change is stamped and where every sync's window ends, whatever the machine's speed.
import { ofType, type Message } from './cli.js';

export interface FakeClock {
  /** The simulator's `clock` option. */
  readonly now: () => number;
  set(utcMs: number): void;
  advance(ms: number): void;
  /**
   * From now on the clock also moves `msPerRequest` with every API request the simulator has counted (time
   * passing while a sync runs, in steps fixed by the request count rather than by the machine's speed).
   */
  tick(msPerRequest: number, requests: () => number): void;
}

export const DAY_MS = 86_400_000;

/** A clock standing still at `startMs` (floored to a whole second, so stamps and Date headers agree) until moved. */
export function fakeClock(startMs: number): FakeClock {
  let t = Math.floor(startMs / 1000) * 1000;
  let step = 0;
  let counted: () => number = () => 0;
  let base = 0;
  return {
    now: () => t + step * (counted() - base),
    set: (utcMs) => {
      t = utcMs - step * (counted() - base);
    },
    advance: (ms) => {
      t += ms;
    },
    tick: (msPerRequest, requests) => {
      t += step * (counted() - base);
      step = msPerRequest;
      counted = requests;
      base = requests();
    },
  };
}

/** A clock a day behind this machine's, standing still: ShipStation's Date header is what the window follows. */
export function dayBehind(): FakeClock {
  return fakeClock(Date.now() - DAY_MS);
}

export function logsAt(messages: Message[], level: string): string[] {
  return ofType(messages, 'LOG')
    .map((m) => m.log as { level: string; message: string })
    .filter((l) => l.level === level)
    .map((l) => l.message);
}

/** The WARN a simulator clock set in the past causes: ShipStation's Date header far behind this machine's. */
export const CLOCK_BEHIND_WARN = /^ShipStation's clock \(its Date header\) is \d+ s behind this machine's/;

/** WARN messages other than the one about the clock difference. */
export function otherWarnings(messages: Message[]): string[] {
  return logsAt(messages, 'WARN').filter((w) => !CLOCK_BEHIND_WARN.test(w));
}
