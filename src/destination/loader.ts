// Reads a source's Airbyte messages and loads them through a writer. Any source's output will do, into any
// destination: the loader knows only the protocol, the configured catalog and the Writer interface.
import type { Readable } from 'node:stream';
import { DestinationError } from './errors.js';
import { lines, MalformedMessageError, parseMessage } from './messageReader.js';
import type { StreamReport, Writer } from './writer.js';

export interface LoadSummary {
  streams: Map<string, StreamReport>;
  /** STATE messages received. */
  states: number;
  /** Streams that ended COMPLETE / INCOMPLETE (per their STREAM_STATUS). */
  complete: string[];
  incomplete: string[];
  /** Overwrite streams whose table was left unchanged because they never completed. */
  notReplaced: string[];
  /** TRACE ERROR messages of the source. */
  errors: string[];
  /** The source stopped on a config error: running again will not help until the config (or state) is fixed. */
  configError: boolean;
  /** Reading stopped on a signal before the input ended: only what the states cover was committed. */
  stopped: boolean;
}

export type Say = (line: string) => void;

export interface LoadOptions {
  /** The longest input line taken (messageReader.ts). */
  maxLineBytes?: number;
  /** Aborted (by a signal): reading stops at once, and what the states so far cover is committed. */
  signal?: AbortSignal;
}

/**
 * Loads every message of `input`. On a malformed line what the states before it cover is committed and nothing
 * after them (the error names the line); the source's LOG messages at WARN and above, and its errors, are passed to `say`.
 */

export async function load(input: Readable, writer: Writer, say: Say, options: LoadOptions = {}): Promise<LoadSummary> {
  const summary: LoadSummary = {
    streams: new Map(),
    states: 0,
    complete: [],
    incomplete: [],
    notReplaced: [],
    errors: [],
    configError: false,
    stopped: false,
  };
  const stop = () => input.destroy();
  if (options.signal?.aborted) stop();
  else options.signal?.addEventListener('abort', stop, { once: true });
  try {
    await consume(input, writer, say, summary, options);
  } catch (err) {
    // Reading ended by the signal is a stop, not a failure.
    if (!options.signal?.aborted) {
      // What the states before a bad line (or a full disk) cover is sound: keep it, then stop. When committing
      // is what failed, trying again fails the same way: the first error is the one to report.
      if (err instanceof DestinationError) await writer.commitStates().catch(() => undefined);
      throw err;
    }
  } finally {
    options.signal?.removeEventListener('abort', stop);
  }
  if (options.signal?.aborted) {
    await writer.commitStates();
    summary.stopped = true;
  } else {
    summary.notReplaced = await writer.finish();
  }
  summary.streams = writer.report();
  return summary;
}

async function consume(
  input: Readable,
  writer: Writer,
  say: Say,
  summary: LoadSummary,
  options: LoadOptions,
): Promise<void> {
  for await (const batch of lines(input, options.maxLineBytes)) {
    if (options.signal?.aborted) return;
    for (const { raw, line } of batch) {
      const message = parseMessage(raw, line);
      switch (message.type) {
        case 'RECORD':
          if (!writer.has(message.stream))
            throw new MalformedMessageError(
              line,
              `RECORD of stream '${message.stream}', which the configured catalog does not select`,
            );
          writer.record(message.stream, message.record);
          break;
        case 'STATE':
          if (!writer.has(message.stream))
            throw new MalformedMessageError(
              line,
              `STATE of stream '${message.stream}', which the configured catalog does not select`,
            );
          summary.states++;
          await writer.state(message.stream, message.state, message.text);
          break;
        case 'STATUS':
          if (message.status === 'COMPLETE' && writer.has(message.stream)) {
            summary.complete.push(message.stream);
            await writer.complete(message.stream);
          } else if (message.status === 'INCOMPLETE') {
            summary.incomplete.push(message.stream);
          }
          break;
        case 'ERROR':
          summary.errors.push(message.message);
          if (message.failureType === 'config_error') summary.configError = true;
          say(`source error: ${message.message}`);
          break;
        case 'LOG':
          if (['WARN', 'ERROR', 'FATAL'].includes(message.level)) say(`source ${message.level}: ${message.message}`);
          break;
        case 'OTHER':
          break;
      }
    }
    await writer.drain();
  }
}
