// SIGTERM/SIGINT: the sync stops its streams and emits what it can (src/engine/read/session.ts). When stdout is blocked
// (a reader that stopped reading), those last writes would hold the process until the reader resumes, and an
// orchestrator's cancel would hang. So a signal also arms a short grace period, after which the process exits
// with code 1 whatever is still queued. Lines already handed to stdout stay written: every STATE follows the
// records it covers, so any prefix of the output is consistent.
import { EXIT_FAILED } from '../protocol/failure.js';

/** Long enough to flush the final messages to a reading pipe, short enough to stop within 5 s. */
export const SIGNAL_GRACE_MS = 3_000;

/** Arms the exit on the first SIGTERM or SIGINT; returns the function that disarms it. */
export function exitSoonAfterSignal(graceMs = SIGNAL_GRACE_MS): () => void {
  const arm = (): void => {
    // Unref'd: a process that finishes earlier exits on its own, with its own exit code.
    setTimeout(() => process.exit(EXIT_FAILED), graceMs).unref();
  };
  process.once('SIGTERM', arm);
  process.once('SIGINT', arm);
  return () => {
    process.off('SIGTERM', arm);
    process.off('SIGINT', arm);
  };
}
