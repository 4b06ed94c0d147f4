// A command always ends with its final status. Node ends a process whose event loop has nothing left to do even
// while main() is still awaiting a promise that nothing can settle any more (a request undici never answers, a
// lost callback): the top-level await in index.ts is abandoned, the exit code is 13 and the orchestrator gets no
// CONNECTION_STATUS and no TRACE, only a silence. 'beforeExit' fires exactly then, before that exit: the guard
// reports the stop as a system_error (check: a FAILED status) on stdout (the emitter repeats it on stderr
// like every failure when stdout is not a terminal), and exits 1.
import { SystemError } from '../errors.js';
import type { Emitter } from '../protocol/emitter.js';
import { errorTrace, EXIT_FAILED } from '../protocol/failure.js';
import { connectionStatusMessage } from '../protocol/messages.js';

export function unfinishedMessage(command: string): string {
  return (
    `The connector stopped without finishing the ${command} command: an internal step was left waiting for ` +
    'something that can no longer happen (a defect; please report it). Run it again: a sync resumes from its last checkpoint.'
  );
}

/** Arms the guard for one command; returns the function that disarms it once the command has settled. */
export function reportUnfinished(command: string, emitter: Emitter): () => void {
  let reported = false;
  const onBeforeExit = (): void => {
    // Emitting schedules writes, which bring 'beforeExit' back once they are done: report once.
    if (reported) return;
    reported = true;
    const message = unfinishedMessage(command);
    const final =
      command === 'check' ? connectionStatusMessage('FAILED', message) : errorTrace(new SystemError(message));
    void emitter
      .emit(final)
      .then(() => emitter.flush())
      .finally(() => process.exit(EXIT_FAILED));
  };
  process.on('beforeExit', onBeforeExit);
  return () => {
    process.off('beforeExit', onBeforeExit);
  };
}
