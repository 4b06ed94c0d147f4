// Reads a source's Airbyte messages and loads them through a writer. Any source's output will do, into any
// destination: the loader knows only the protocol, the configured catalog and the Writer interface.
import type { Readable } from 'node:stream';
import { lines, parseMessage, MalformedMessageError } from './messageReader.js';
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
}

export type Say = (line: string) => void;

/**
 * Loads every message of `input`. On a malformed line what the states before it cover is committed and nothing
 * after them (the error names the line); the source's LOG messages at WARN and above, and its errors, are passed to `say`.
 */
export async function load(input: Readable, writer: Writer, say: Say): Promise<LoadSummary> {
  const summary: LoadSummary = {
    streams: new Map(),
    states: 0,
    complete: [],
    incomplete: [],
    notReplaced: [],
    errors: [],
  };
  try {
    await consume(input, writer, say, summary);
  } catch (err) {
    // What the states before a malformed line cover is sound: keep it, then stop.
    if (err instanceof MalformedMessageError) await writer.commitStates();
    throw err;
  }
  summary.notReplaced = await writer.finish();
  summary.streams = writer.report();
  return summary;
}

async function consume(input: Readable, writer: Writer, say: Say, summary: LoadSummary): Promise<void> {
  for await (const batch of lines(input)) {
    for (const { raw, text, line } of batch) {
      const message = parseMessage(text, line);
      switch (message.type) {
        case 'RECORD':
          if (!writer.has(message.stream))
            throw new MalformedMessageError(
              line,
              `RECORD of stream '${message.stream}', which the configured catalog does not select`,
            );
          writer.record(message.stream, line, raw, message.data, message.emittedAt);
          break;
        case 'STATE':
          if (!writer.has(message.stream))
            throw new MalformedMessageError(
              line,
              `STATE of stream '${message.stream}', which the configured catalog does not select`,
            );
          summary.states++;
          await writer.state(message.stream, message.state);
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
