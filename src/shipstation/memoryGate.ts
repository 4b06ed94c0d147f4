// A counting gate on response bodies being parsed and emitted. Many requests may wait on the network at once
// (slow pages, a wide rate budget); only a few parsed pages (several MB each) are held in memory at a time.
// A body waits here already read, so the server and the timeouts are not held up; it waits as bytes, outside the
// JS heap (the image caps the heap at 128 MB), and is decoded once it holds a slot.

export type Release = () => void;

export class MemoryGate {
  private held = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly slots: number) {}

  /** Resolves with a release once a slot is free; the release is idempotent. */
  async acquire(signal?: AbortSignal): Promise<Release> {
    signal?.throwIfAborted();
    if (this.held >= this.slots) {
      await new Promise<void>((resolve, reject) => {
        const onAbort = (): void => {
          const i = this.waiting.indexOf(grant);
          if (i >= 0) this.waiting.splice(i, 1);
          reject(signal?.reason);
        };
        const grant = (): void => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        };
        this.waiting.push(grant);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    } else {
      this.held++;
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      // The slot passes straight to the next waiter, so the count only drops when nobody waits.
      if (next) next();
      else this.held--;
    };
  }
}
