// A real full disk for shipstation-load (npm run test:faults, where mounting is allowed): a 4 MB tmpfs holds the
// database, then the records waiting to be loaded. Each time one sentence and exit 1, the database consistent, and
// no temporary folder left. test/destination/failures.test.ts does the same everywhere through stand-ins.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { loadLines, query } from '../destination/helpers.js';
import { itemsCatalog, itemsInput } from '../destination/messages.js';
import { tempDir } from '../helpers/cli.js';

const FULL = process.env.FAULT_MATRIX === 'full';
const mountPoint = join(tempDir(), 'small');

/** Mounts a 4 MB tmpfs; false where the machine does not allow it (no privilege, not Linux). */
function mountSmallDisk(): boolean {
  mkdirSync(mountPoint, { recursive: true });
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', mountPoint], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const catalog = itemsCatalog;
const input = (from: number, to: number) => itemsInput(from, to, 400, 100);

const mounted = FULL && mountSmallDisk();
const run = mounted ? test : test.skip;

describe('a real full disk (a 4 MB tmpfs)', () => {
  beforeAll(() => {
    if (FULL && !mounted) process.stderr.write('destinationDiskFull: cannot mount a tmpfs here; skipped\n');
  });
  afterAll(() => {
    if (mounted) execFileSync('umount', [mountPoint]);
  });

  run('holding the database: one sentence, exit 1, what was committed before is intact', async () => {
    const file = join(mountPoint, 'shop.duckdb');
    expect(loadLines(file, input(1, 100), catalog).status).toBe(0);
    const r = loadLines(file, input(101, 20_000), catalog);
    expect([r.status, r.stderr.trim().split('\n').at(-1)]).toEqual([
      1,
      `shipstation-load: no space left on the device holding ${file}: nothing of the batch being written was committed; free space and run again (the next run resumes from the stored state)`,
    ]);
    const [row] = await query(file, 'SELECT count(*) AS n, max(id) AS top FROM items');
    expect(Number(row!.n)).toBeGreaterThanOrEqual(100);
    expect(row!.n).toBe(row!.top);
    rmSync(file, { force: true });
    rmSync(`${file}.wal`, { force: true });
  });

  run('holding the records waiting to be loaded (TMPDIR): one sentence, exit 1, no folder left', () => {
    const file = join(tempDir(), 'shop.duckdb');
    const r = loadLines(file, input(1, 20_000), catalog, [], { TMPDIR: mountPoint });
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n').at(-1)).toMatch(
      /^shipstation-load: cannot write records waiting to be loaded to .*: no space left on the device: free space there \(or point TMPDIR at a disk with room\) and run again \(ENOSPC\)$/,
    );
    expect(readdirSync(mountPoint)).toEqual([]);
  });
});
