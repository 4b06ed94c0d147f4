// A few async workers sharing one job list: the first failure stops new work, and the pool settles only
// after every worker has finished the page it was on (so its records and checkpoint are out) with that error.

export class WorkerPool {
  private running = 0;
  private error: { value: unknown } | undefined;
  private settle?: { resolve: () => void; reject: (err: unknown) => void };
  private readonly finished: Promise<void>;

  constructor() {
    this.finished = new Promise<void>((resolve, reject) => {
      this.settle = { resolve, reject };
    });
    // A pool that fails before anyone awaits it must not count as an unhandled rejection.
    this.finished.catch(() => undefined);
  }

  get size(): number {
    return this.running;
  }

  /** True once a worker has failed: the others stop before their next job. */
  get failed(): boolean {
    return this.error !== undefined;
  }

  start(work: () => Promise<void>): void {
    if (this.error) return;
    this.running++;
    work().then(
      () => this.end(),
      (err: unknown) => {
        this.error ??= { value: err };
        this.end();
      },
    );
  }

  /** Resolves when the last worker ends (immediately if none ever started), or rejects with the first error. */
  async done(): Promise<void> {
    if (this.running === 0) this.end();
    return this.finished;
  }

  private end(): void {
    if (this.running > 0) this.running--;
    if (this.running > 0) return;
    if (this.error) this.settle!.reject(this.error.value);
    else this.settle!.resolve();
  }
}
