// The one owner of stdout: every protocol message leaves through here as one JSON object per line, secrets
// masked by value, in order. Under backpressure every writer waits on one shared `drain` wait, so any number of
// concurrent streams adds one listener, never one each. A person who sends stdout to a file or a destination still
// reads why a run failed: each failure sentence is also written once, plain, to the echo stream (stderr).
import type { Writable } from 'node:stream';
import type { AirbyteMessage } from '../generated/protocol.js';
import { LOG_LEVEL_RANK, type Logger, type LogLevel } from './logger.js';
import { logMessage } from './messages.js';
import { MAX_MASK_DEPTH, noRedaction, type Redactor } from './redact.js';

/** Records are joined into chunks of about this size: one write per chunk instead of one per record. */
const CHUNK_BYTES = 64 * 1024;
/** A record nested deeper than JSON.stringify can go (thousands of levels) is cut at this depth. */
export const MAX_RECORD_DEPTH = MAX_MASK_DEPTH;
const LINE_SEPARATORS = /[\u2028\u2029]/g;

export class Emitter {
  private closed = false;
  private readonly closeListeners = new Set<() => void>();
  private redact: Redactor;
  /** The wait every blocked writer shares, and how to end it early (stdout closed). */
  private drain: { done: Promise<void>; release: () => void } | undefined;
  private readonly warnedDeep = new Set<string>();
  /** Sentences already echoed: the same failure can reach stdout as an ERROR LOG and as the final TRACE. */
  private readonly echoed = new Set<string>();

  /** `echo`: where failure sentences are repeated for a person (stderr when stdout is not a terminal), if anywhere. */
  constructor(
    private readonly out: Writable,
    redact: Redactor = noRedaction,
    private readonly echo?: Writable,
  ) {
    this.redact = redact;
    // A reader that went away (EPIPE) ends the sync quietly; any other stdout error is just as final.
    out.on('error', () => this.markClosed());
    out.on('close', () => this.markClosed());
  }

  /** Secrets become known only once the config is read; from then on every line is masked. */
  setRedactor(redact: Redactor): void {
    this.redact = redact;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Called once when stdout fails or closes; returns a function that removes the listener. */
  onClose(listener: () => void): () => void {
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  async emit(message: AirbyteMessage): Promise<void> {
    const { masked, line } = this.mask(message);
    const failure = failureSentence(masked);
    if (failure !== undefined) this.say('error', failure);
    await this.write(line);
  }

  /** A WARN LOG meant for the person who wrote the config (a typo in a key): echoed like a failure. */
  async warnPerson(text: string): Promise<void> {
    const { masked, line } = this.mask(logMessage('WARN', text));
    this.say('warning', masked.log?.message ?? '');
    await this.write(line);
  }

  /** RECORD messages for one page: built as strings (the hot path) and written in large chunks. */
  async emitRecords(stream: string, records: readonly unknown[], emittedAt: number): Promise<void> {
    const prefix = `{"type":"RECORD","record":{"stream":${JSON.stringify(stream)},"data":`;
    const suffix = `,"emitted_at":${emittedAt}}}\n`;
    let chunk = '';
    let from = 0;
    for (let i = 0; i < records.length; i++) {
      chunk += prefix + this.serialize(stream, records[i], false) + suffix;
      if (chunk.length >= CHUNK_BYTES || i === records.length - 1) {
        // The chunk is searched once; only a hit (a secret, or text that looks like one) re-serializes its records one by one.
        if (this.redact.mayAppearIn(chunk)) {
          chunk = '';
          for (let j = from; j <= i; j++) {
            const json = this.serialize(stream, records[j], false);
            chunk +=
              prefix + (this.redact.mayAppearIn(json) ? this.serialize(stream, records[j], true) : json) + suffix;
          }
        }
        await this.write(escapeLineSeparators(chunk));
        chunk = '';
        from = i + 1;
      }
    }
  }

  /** Resolves once everything written so far has been handed to the OS. */
  async flush(): Promise<void> {
    if (this.closed || !this.out.writableNeedDrain) return;
    await this.waitForDrain();
  }

  /** The message with every secret form masked (the same object when none can appear in it), and its line. */
  private mask(message: AirbyteMessage): { masked: AirbyteMessage; line: string } {
    const json = JSON.stringify(message);
    if (!this.redact.mayAppearIn(json)) return { masked: message, line: `${escapeLineSeparators(json)}\n` };
    const masked = this.redact.message(message);
    return { masked, line: `${escapeLineSeparators(JSON.stringify(masked))}\n` };
  }

  private say(prefix: string, sentence: string): void {
    if (!this.echo || this.echoed.has(sentence)) return;
    this.echoed.add(sentence);
    this.echo.write(`${prefix}: ${sentence}\n`);
  }

  private serialize(stream: string, data: unknown, masked: boolean): string {
    try {
      return JSON.stringify(masked ? this.redact.value(data) : data);
    } catch (err) {
      // Too deep for the serializer's stack: cut it (a destination could not load it either) and say so once.
      if (!(err instanceof RangeError)) throw err;
      if (!this.warnedDeep.has(stream)) {
        this.warnedDeep.add(stream);
        const warning = `${stream}: a record is nested deeper than ${MAX_RECORD_DEPTH} levels; values below that depth are emitted as null (reported once per run)`;
        if (!this.closed) this.out.write(this.mask(logMessage('WARN', warning)).line);
      }
      return JSON.stringify(this.redact.value(capDepth(data, MAX_RECORD_DEPTH)));
    }
  }

  private async write(text: string): Promise<void> {
    if (this.closed) return;
    if (!this.out.write(text)) await this.waitForDrain();
  }

  private waitForDrain(): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (!this.drain) {
      let release!: () => void;
      const done = new Promise<void>((resolve) => {
        release = () => {
          this.out.off('drain', release);
          this.drain = undefined;
          resolve();
        };
      });
      this.out.on('drain', release);
      this.drain = { done, release };
    }
    return this.drain.done;
  }

  private markClosed(): void {
    if (this.closed) return;
    this.closed = true;
    this.drain?.release();
    for (const listener of this.closeListeners) listener();
    this.closeListeners.clear();
  }
}

/** The sentence of a failure: a TRACE error, an ERROR (or FATAL) LOG or a FAILED connection status; undefined for the rest. */
function failureSentence(m: AirbyteMessage): string | undefined {
  if (m.type === 'TRACE' && m.trace?.type === 'ERROR') return m.trace.error?.message;
  if (m.type === 'LOG' && (m.log?.level === 'ERROR' || m.log?.level === 'FATAL')) return m.log.message;
  if (m.type === 'CONNECTION_STATUS' && m.connectionStatus?.status === 'FAILED') return m.connectionStatus.message;
  return undefined;
}

/** U+2028/U+2029 are valid raw in JSON but end a line for JavaScript and other languages' line splitters. */
export function escapeLineSeparators(text: string): string {
  LINE_SEPARATORS.lastIndex = 0;
  if (!LINE_SEPARATORS.test(text)) return text;
  return text.replace(LINE_SEPARATORS, (c) => (c === '\u2028' ? '\\u2028' : '\\u2029'));
}

/** A copy of a JSON value with everything below `max` levels replaced by null. */
function capDepth(value: unknown, max: number, depth = 0): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= max) return null;
  if (Array.isArray(value)) return value.map((v) => capDepth(v, max, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, capDepth(v, max, depth + 1)]));
}

/** A Logger that sends LOG messages at or above a threshold through the emitter. */
export function emitterLogger(emitter: Emitter, threshold: LogLevel): Logger {
  const min = LOG_LEVEL_RANK[threshold];
  const log = (level: LogLevel) => (message: string) => {
    if (LOG_LEVEL_RANK[level] >= min) void emitter.emit(logMessage(level, message));
  };
  return { debug: log('DEBUG'), info: log('INFO'), warn: log('WARN'), error: log('ERROR') };
}
