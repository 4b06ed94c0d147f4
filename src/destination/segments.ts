// One stream's records on their way into DuckDB: newline-delimited JSON files in a temporary folder, which
// DuckDB's JSON reader parses in bulk on its own threads. A STATE closes the open file, so every closed file
// holds exactly records that a received state covers (or, for the last one, the rows after it).
import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { fileFailure } from './failures.js';

/** Bytes gathered before one write to the open file. */
const WRITE_BYTES = 1 << 20;

/** Closed files handed to a commit, their size and their longest line. */
export interface Batch {
  files: string[];
  bytes: number;
  longest: number;
}

/** How segment files are written: Node's fs, or a stand-in that fails on purpose (a full disk, in tests). */
export interface SegmentFiles {
  open(path: string): number;
  write(fd: number, bytes: Buffer, offset: number): number;
  close(fd: number): void;
}

export const nodeFiles: SegmentFiles = {
  open: (path) => openSync(path, 'w', 0o600),
  write: (fd, bytes, offset) => writeSync(fd, bytes, offset),
  close: (fd) => closeSync(fd),
};

export class Segments {
  private readonly buffer = Buffer.allocUnsafe(WRITE_BYTES);
  private used = 0;
  private fd: number | undefined;
  private path = '';
  private count = 0;
  private openRows = 0;
  private openBytes = 0;
  private openLongest = 0;
  /** Closed files, oldest first, not yet handed to a commit. */
  private closed: Batch = { files: [], bytes: 0, longest: 0 };
  /** Bytes appended and not yet released: what waits on disk for a commit. */
  waiting = 0;

  constructor(
    private readonly dir: string,
    private readonly name: string,
    private readonly files: SegmentFiles = nodeFiles,
  ) {}

  /** Appends one line: `head`, then `body` (bytes of a line as received, or none), then `tail`. */
  append(head: string, body: Buffer | undefined, tail: string): void {
    const size = Buffer.byteLength(head) + (body?.length ?? 0) + Buffer.byteLength(tail);
    if (this.used + size > WRITE_BYTES) this.flush();
    if (size > WRITE_BYTES) {
      this.write(Buffer.from(head));
      if (body) this.write(body);
      this.write(Buffer.from(tail));
    } else {
      this.used += this.buffer.write(head, this.used);
      if (body) this.used += body.copy(this.buffer, this.used);
      this.used += this.buffer.write(tail, this.used);
    }
    this.openBytes += size;
    this.waiting += size;
    this.openRows++;
    if (size > this.openLongest) this.openLongest = size;
  }

  /** Closes the open file, if it holds any rows: what was appended so far becomes one closed segment. */
  cut(): void {
    if (this.openRows === 0) return;
    this.flush();
    this.files.close(this.fd!);
    this.closed.files.push(this.path);
    this.closed.bytes += this.openBytes;
    this.closed.longest = Math.max(this.closed.longest, this.openLongest);
    this.fd = undefined;
    this.openRows = 0;
    this.openBytes = 0;
    this.openLongest = 0;
  }

  /** Hands the closed files over (to a commit, which deletes them with `release` once it ended). */
  take(): Batch {
    const batch = this.closed;
    this.closed = { files: [], bytes: 0, longest: 0 };
    return batch;
  }

  /** Deletes committed files; their bytes no longer wait. */
  release(batch: Batch): void {
    for (const file of batch.files) rmSync(file, { force: true });
    this.waiting -= batch.bytes;
  }

  /** Closes the open file without keeping it (the folder is removed by the owner). */
  close(): void {
    if (this.fd !== undefined) this.files.close(this.fd);
    this.fd = undefined;
  }

  private flush(): void {
    if (this.used === 0) return;
    this.write(this.buffer.subarray(0, this.used));
    this.used = 0;
  }

  private write(bytes: Buffer): void {
    try {
      if (this.fd === undefined) {
        this.path = join(this.dir, `${this.name}-${++this.count}.jsonl`);
        this.fd = this.files.open(this.path);
      }
      let done = 0;
      while (done < bytes.length) done += this.files.write(this.fd, bytes, done);
    } catch (err) {
      throw fileFailure(err, 'write records waiting to be loaded to', this.dir);
    }
  }
}
