// Airbyte messages from a byte stream, one JSON object per line, each checked for the fields the loader uses.
// A line that is not such a message is an error naming its line number: the loader never guesses.
import { isUtf8 } from 'node:buffer';
import type { Readable } from 'node:stream';
import { DestinationError } from './errors.js';

export type Message =
  | { type: 'RECORD'; stream: string; data: Record<string, unknown>; emittedAt: number }
  | { type: 'STATE'; stream: string; state: Record<string, unknown> }
  | { type: 'STATUS'; stream: string; status: string }
  | { type: 'ERROR'; message: string }
  | { type: 'LOG'; level: string; message: string }
  | { type: 'OTHER' };

export class MalformedMessageError extends DestinationError {
  constructor(
    readonly line: number,
    problem: string,
  ) {
    super(`input line ${line}: ${problem}`);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function streamName(descriptor: unknown): string | undefined {
  return isObject(descriptor) && typeof descriptor.name === 'string' ? descriptor.name : undefined;
}

/** One line → a message; throws MalformedMessageError naming the line. */
export function parseMessage(text: string, line: number): Message {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new MalformedMessageError(line, `not a JSON message: ${text.length > 80 ? `${text.slice(0, 80)}…` : text}`);
  }
  const fail = (problem: string): never => {
    throw new MalformedMessageError(line, problem);
  };
  if (!isObject(value) || typeof value.type !== 'string') return fail('not an Airbyte message (no "type")');
  switch (value.type) {
    case 'RECORD': {
      const r = value.record;
      if (!isObject(r) || typeof r.stream !== 'string') return fail('RECORD without record.stream');
      if (!isObject(r.data)) return fail(`RECORD of stream '${r.stream}': record.data is not an object`);
      if (typeof r.emitted_at !== 'number' || !Number.isFinite(r.emitted_at))
        return fail(`RECORD of stream '${r.stream}': record.emitted_at is not a number`);
      return { type: 'RECORD', stream: r.stream, data: r.data, emittedAt: r.emitted_at };
    }
    case 'STATE': {
      const s = value.state;
      if (!isObject(s)) return fail('STATE without state');
      if (s.type !== 'STREAM')
        return fail(
          `STATE of type ${JSON.stringify(s.type ?? 'LEGACY')}: only per-stream (STREAM) states are supported`,
        );
      const name = isObject(s.stream) ? streamName(s.stream.stream_descriptor) : undefined;
      if (name === undefined) return fail('STREAM state without stream.stream_descriptor.name');
      return { type: 'STATE', stream: name, state: s };
    }
    case 'TRACE': {
      const t = value.trace;
      if (!isObject(t)) return fail('TRACE without trace');
      if (t.type === 'STREAM_STATUS' && isObject(t.stream_status)) {
        const name = streamName(t.stream_status.stream_descriptor);
        if (name === undefined || typeof t.stream_status.status !== 'string')
          return fail('STREAM_STATUS without stream_descriptor.name or status');
        return { type: 'STATUS', stream: name, status: t.stream_status.status };
      }
      if (t.type === 'ERROR')
        return {
          type: 'ERROR',
          message: isObject(t.error) && typeof t.error.message === 'string' ? t.error.message : 'unknown error',
        };
      return { type: 'OTHER' };
    }
    case 'LOG': {
      const l = value.log;
      if (!isObject(l)) return fail('LOG without log');
      return { type: 'LOG', level: String(l.level), message: String(l.message) };
    }
    default:
      return { type: 'OTHER' };
  }
}

export interface Line {
  /** The line's bytes (no line break), always valid UTF-8, and its text. */
  raw: Buffer;
  text: string;
  /** Numbered from 1. */
  line: number;
}

/**
 * The lines of a byte stream, a chunk's worth at a time (blank lines are skipped, but counted). Bytes that are
 * not UTF-8 read as U+FFFD, in the text and in `raw` alike.
 */
export async function* lines(input: Readable): AsyncGenerator<Line[]> {
  let pending: Buffer[] = [];
  let line = 0;
  const make = (bytes: Buffer): Line | undefined => {
    line++;
    const end = bytes.length > 0 && bytes[bytes.length - 1] === 13 ? bytes.length - 1 : bytes.length;
    if (end === 0) return undefined;
    const text = bytes.toString('utf8', 0, end);
    const raw = isUtf8(bytes.subarray(0, end)) ? bytes.subarray(0, end) : Buffer.from(text);
    return { raw, text, line };
  };
  for await (const chunk of input as AsyncIterable<Buffer>) {
    const batch: Line[] = [];
    let start = 0;
    for (let end = chunk.indexOf(10); end !== -1; end = chunk.indexOf(10, start)) {
      let bytes = chunk.subarray(start, end);
      if (pending.length) {
        bytes = Buffer.concat([...pending, bytes]);
        pending = [];
      }
      const l = make(bytes);
      if (l) batch.push(l);
      start = end + 1;
    }
    if (start < chunk.length) pending.push(chunk.subarray(start));
    if (batch.length > 0) yield batch;
  }
  if (pending.length) {
    const l = make(Buffer.concat(pending));
    if (l) yield [l];
  }
}
