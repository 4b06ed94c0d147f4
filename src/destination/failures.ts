// What the environment refuses (a full disk, a permission, a lock held by another process, a read-only file
// system), as one sentence each: what happened, where, and what to do. Errors that are not the environment's
// stay as they are: those are bugs and keep their stack.
import { DestinationError } from './errors.js';

const ERRNO: Record<string, string> = {
  ENOSPC: 'no space left on the device: free space there (or point TMPDIR at a disk with room) and run again',
  EDQUOT: 'the disk quota is used up: free space (or point TMPDIR elsewhere) and run again',
  EACCES: 'permission denied: run as a user who may write there, or choose another place',
  EPERM: 'operation not permitted: run as a user who may write there, or choose another place',
  EROFS: 'the file system is read-only: choose a writable place',
  ENOENT: 'no such file or directory: create the folder first',
  ENOTDIR: 'a part of the path is not a folder',
  EISDIR: 'it is a folder, not a file',
  EMFILE: 'too many open files: raise the limit (ulimit -n) and run again',
  ENFILE: 'too many open files on the system: close some and run again',
  EIO: 'an I/O error from the device: check the disk',
};

/** A file-system error of Node (with an errno code) as a sentence; anything else unchanged. */
export function fileFailure(err: unknown, doing: string, path: string): unknown {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code !== 'string' || !(code in ERRNO)) return err;
  return new DestinationError(`cannot ${doing} ${path}: ${ERRNO[code]} (${code})`);
}

const DUCKDB: Array<[RegExp, (m: RegExpMatchArray, path: string) => string]> = [
  [
    /Conflicting lock is held in (.*?) \(PID (\d+)\)/,
    (m, path) =>
      `${path} is in use by another process (${m[1]}, PID ${m[2]}), a sync or a query: wait for it to finish or stop it, then run again`,
  ],
  [
    /No space left on device/i,
    (_, path) =>
      `no space left on the device holding ${path}: nothing of the batch being written was committed; free space and run again (the next run resumes from the stored state)`,
  ],
  [
    /Permission denied/i,
    (_, path) =>
      `permission denied on ${path} (or its folder, where DuckDB writes its .wal file): fix the permissions or choose another file`,
  ],
  [/Read-only file system/i, (_, path) => `${path} is on a read-only file system: choose a writable place`],
  [/Not a directory/i, (_, path) => `${path}: a part of the path is not a folder`],
  [/No such file or directory/i, (_, path) => `${path}: its folder does not exist; create it first`],
  [/Disk quota exceeded/i, (_, path) => `the disk quota is used up where ${path} lives: free space and run again`],
  [
    /Out of Memory Error/i,
    (_, path) => `DuckDB ran out of memory writing ${path}: close other programs or load fewer streams at once`,
  ],
  [/^IO Error: (.*)/, (m, path) => `DuckDB could not read or write ${path}: ${m[1]}`],
];

/** A DuckDB error the environment caused, as a sentence; anything else unchanged. */
export function duckdbFailure(err: unknown, path: string): unknown {
  if (!(err instanceof Error) || err instanceof DestinationError) return err;
  const first = err.message.split('\n')[0]!;
  for (const [pattern, sentence] of DUCKDB) {
    const m = first.match(pattern);
    if (m) return new DestinationError(sentence(m, path));
  }
  return err;
}
