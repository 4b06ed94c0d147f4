// The one owner of stdout: every protocol message leaves through here as one JSON object per line,
// redacted, in order, waiting for `drain` under backpressure.
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { AirbyteMessage } from '../generated/protocol.js';
import { LOG_LEVEL_RANK, type Logger, type LogLevel } from './logger.js';
import { logMessage } from './messages.js';
import { noRedaction, type Redactor } from './redact.js';

/** Records are joined into chunks of about this size: one write per chunk instead of one per record. */
const CHUNK_BYTES = 64 * 1024;

export class Emitter {
  private closed = false;
  private readonly closeListeners: Array<() => void> = [];
  private redact: Redactor;

  constructor(private readonly out: Writable, redact: Redactor = noRedaction) {
    this.redact = redact;
    // A reader that went away (EPIPE) ends the sync quietly; any other stdout error is just as final.
    out.on('error', () => {
      if (!this.closed) {
        this.closed = true;
        for (const listener of this.closeListeners) listener();
      }
    });
  }

  /** Secrets become known only once the config is read; from then on every line is redacted. */
  setRedactor(redact: Redactor): void {
    this.redact = redact;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  onClose(listener: () => void): void {
    this.closeListeners.push(listener);
  }

  async emit(message: AirbyteMessage): Promise<void> {
    await this.write(`${JSON.stringify(message)}\n`);
  }

  /** RECORD messages for one page: built as strings (the hot path) and written in large chunks. */
  async emitRecords(stream: string, records: readonly unknown[], emittedAt: number): Promise<void> {
    const prefix = `{"type":"RECORD","record":{"stream":${JSON.stringify(stream)},"data":`;
    const suffix = `,"emitted_at":${emittedAt}}}\n`;
    let chunk = '';
    for (const data of records) {
      chunk += prefix + JSON.stringify(data) + suffix;
      if (chunk.length >= CHUNK_BYTES) {
        await this.write(chunk);
        chunk = '';
      }
    }
    if (chunk) await this.write(chunk);
  }

  /** Resolves once everything written so far has been handed to the OS. */
  async flush(): Promise<void> {
    if (this.closed || !this.out.writableNeedDrain) return;
    await this.waitForDrain();
  }

  private async write(text: string): Promise<void> {
    if (this.closed) return;
    if (!this.out.write(this.redact(text))) await this.waitForDrain();
  }

  private async waitForDrain(): Promise<void> {
    if (this.closed) return;
    const closed = new Promise<void>((resolve) => this.onClose(resolve));
    await Promise.race([once(this.out, 'drain'), closed]);
  }
}

/** A Logger that sends LOG messages at or above a threshold through the emitter. */
export function emitterLogger(emitter: Emitter, threshold: LogLevel): Logger {
  const min = LOG_LEVEL_RANK[threshold];
  const log = (level: LogLevel) => (message: string) => {
    if (LOG_LEVEL_RANK[level] >= min) void emitter.emit(logMessage(level, message));
  };
  return { debug: log('DEBUG'), info: log('INFO'), warn: log('WARN'), error: log('ERROR') };
}
