// The destination's files are private: customers' names and addresses pass through them. The commands create
// everything readable by the owner only (the database, its .wal, the folders of records waiting to be loaded).
// Each process keeps its waiting records in one temporary folder named after its process id, removed when it
// ends; a folder left by a process that died (kill -9, a crash, a full disk) is removed by the next one to start.
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileFailure } from './failures.js';

const PREFIX = 'shipstation-';
const NAMED = /^shipstation-(?:load|sync)-(\d+)-/;

/** Files and folders this process creates are the owner's alone (umask 077). */
export function ownerOnly(): void {
  process.umask(0o077);
}

/** A new temporary folder for this process (0700); folders of dead processes are removed first. */
export function makeTempDir(kind: 'load' | 'sync'): string {
  removeStaleTempDirs();
  try {
    return mkdtempSync(join(tmpdir(), `${PREFIX}${kind}-${process.pid}-`));
  } catch (err) {
    throw fileFailure(err, 'create a temporary folder in', tmpdir());
  }
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but is someone else's.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Removes this user's temporary folders whose process is gone; returns their paths. */
export function removeStaleTempDirs(dir = tmpdir()): string[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.startsWith(PREFIX));
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const pid = Number(NAMED.exec(name)?.[1] ?? Number.NaN);
    if (!Number.isInteger(pid) || pid === process.pid || alive(pid)) continue;
    const path = join(dir, name);
    try {
      if (statSync(path).uid !== process.getuid?.()) continue;
      rmSync(path, { recursive: true, force: true });
      removed.push(path);
    } catch {
      // Gone meanwhile, or not ours to remove.
    }
  }
  return removed;
}
