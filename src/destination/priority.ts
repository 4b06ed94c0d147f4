// DuckDB works on threads of the Node thread pool; the main thread reads the source's messages. On a machine with
// fewer cores than busy threads, the source (a separate process) must keep its pace and the pipe from it must keep
// draining: so every thread of this process but the main one runs at a lower CPU priority, and loading fills the
// idle time. Threads inherit the priority of the thread that creates them: DuckDB's later threads are covered, and a
// child process started from the main thread (the connector) keeps the normal priority.
import { readdirSync } from 'node:fs';
import { setPriority } from 'node:os';

/** Niceness of the background threads (0 = normal, 19 = lowest). */
const BACKGROUND_NICENESS = 10;

/** Linux only (per-thread priorities under /proc/self/task); elsewhere the process keeps its priority. */
export function lowerBackgroundPriority(): void {
  let threads: string[];
  try {
    threads = readdirSync('/proc/self/task');
  } catch {
    return;
  }
  for (const tid of threads.map(Number)) {
    if (tid === process.pid) continue;
    try {
      setPriority(tid, BACKGROUND_NICENESS);
    } catch {
      // The thread ended meanwhile.
    }
  }
}
