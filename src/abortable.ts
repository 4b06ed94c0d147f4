// A promise that gives up on its job when a signal aborts, used wherever a sync's cancellation must not wait for
// work it cannot stop (a job queued in the limiter, a request whose answer is still on its way).

/**
 * Settles as `job` does, or rejects with the signal's reason as soon as it aborts. A job that still succeeds after
 * the abort is handed to `abandoned` (to free what it holds, e.g. a response body); its failure is swallowed.
 */
export function abortable<T>(job: Promise<T>, signal: AbortSignal, abandoned?: (value: T) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => {
      reject(signal.reason);
      if (abandoned) job.then(abandoned, () => undefined);
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    job.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}
