// Real sockets on a fake clock. Jest's fake timers replace Date, setTimeout and setInterval, while I/O,
// process.nextTick, setImmediate and microtasks stay real, so a client and a server in this process talk over
// real HTTP on 127.0.0.1. Virtual time moves only while nothing is in transit: the outcome of a timing test then
// depends on the code under test, never on how fast a loaded machine schedules it.
import { jest } from '@jest/globals';

export const VIRTUAL_T0 = 1_700_000_000_000;

export function useVirtualTime(now = VIRTUAL_T0): void {
  jest.useFakeTimers({ now, doNotFake: ['nextTick', 'setImmediate', 'clearImmediate', 'queueMicrotask'] });
}

const realTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Settles `promise`, advancing virtual time to the next timer only when the system is idle: `inTransit()` is
 * false (no request or response between the two ends of a socket) and a few rounds of due timers and real
 * event-loop turns changed nothing `progress()` reports. Work that is in process only (microtasks, zero-delay
 * timers) finishes in a fixed number of turns whatever the load, so the stepping is deterministic.
 */
export async function settleInVirtualTime<T>(
  promise: Promise<T>,
  {
    inTransit,
    progress,
    maxVirtualMs = 600_000,
  }: { inTransit: () => boolean; progress: () => unknown; maxVirtualMs?: number },
): Promise<T> {
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  const deadline = Date.now() + maxVirtualMs;
  let last = '';
  let quiet = 0;
  let stuck = 0;
  while (!settled) {
    jest.advanceTimersByTime(0);
    await realTurn();
    const now = JSON.stringify(progress());
    if (now !== last) {
      last = now;
      quiet = 0;
      stuck = 0;
      continue;
    }
    if (inTransit()) {
      // Real I/O that never completes would otherwise spin here after the test timed out.
      if (++stuck > 100_000) throw new Error(`stuck in transit at ${now}`);
      quiet = 0;
      continue;
    }
    if (++quiet < 3) continue;
    if (Date.now() >= deadline) throw new Error(`not settled after ${maxVirtualMs} ms of virtual time`);
    await jest.advanceTimersToNextTimerAsync();
    quiet = 0;
  }
  return promise;
}
