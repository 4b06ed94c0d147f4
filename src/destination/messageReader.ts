// Airbyte messages from a byte stream, one JSON object per line, each checked for the fields the loader uses.
// A line that is not such a message is an error naming its line number: the loader never guesses. A RECORD is
// scanned, not parsed (jsonText.ts): its values stay the source's text. Lines are bounded: one longer than the
// limit is refused as soon as it passes it, so memory stays flat whatever the input.
import { isUtf8 } from 'node:buffer';
import type { Readable } from 'node:stream';
import { DestinationError } from './errors.js';
import { JsonSyntaxError, type Member, NUMBER, STRING, type ScannedLine, scanJson, stringOf } from './jsonText.js';
import type { RecordLine } from './writer.js';

export type Message =
  | { type: 'RECORD'; stream: string; record: RecordLine }
  | { type: 'STATE'; stream: string; state: Record<string, unknown>; text: string }
  | { type: 'STATUS'; stream: string; status: string }
  | { type: 'ERROR'; message: string; failureType?: string }
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

/** The longest input line taken by default. */
export const DEFAULT_MAX_LINE_BYTES = 128 * 1024 * 1024;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function streamName(descriptor: unknown): string | undefined {
  return isObject(descriptor) && typeof descriptor.name === 'string' ? descriptor.name : undefined;
}

/** The last member named `key` (JSON.parse keeps the last of a key given twice). */
function member(members: readonly Member[] | undefined, key: string): Member | undefined {
  if (!members) return undefined;
  for (let i = members.length - 1; i >= 0; i--) if (members[i]!.key === key) return members[i];
  return undefined;
}

const head = (text: string) => (text.length > 80 ? `${text.slice(0, 80)}…` : text);

/** One line → a message; throws MalformedMessageError naming the line. `raw` is the line's bytes, no line break. */
export function parseMessage(raw: Buffer, line: number): Message {
  const fail = (problem: string): never => {
    throw new MalformedMessageError(line, problem);
  };
  if (!isUtf8(raw)) return notUtf8(raw, line);
  let scan: ScannedLine;
  try {
    scan = scanJson(raw);
  } catch (err) {
    if (!(err instanceof JsonSyntaxError)) throw err;
    return fail(`not a JSON message (${err.message}): ${head(raw.toString('utf8'))}`);
  }
  const type = member(scan.members, 'type');
  if (!type || type.kind !== STRING) return fail('not an Airbyte message (no "type")');
  if (stringOf(raw, type) === 'RECORD') return recordOf(raw, line, scan, fail);
  const value = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
  if (value.type === 'STATE' && scan.loneSurrogate >= 0)
    return fail(
      'the STATE holds a lone UTF-16 surrogate (an unpaired \\ud800–\\udfff escape), which no JSON store keeps',
    );
  return otherMessage(value, scan, raw, fail);
}

function recordOf(raw: Buffer, line: number, scan: ScannedLine, fail: (problem: string) => never): Message {
  const record = member(scan.members, 'record');
  const stream = member(record?.members, 'stream');
  if (!record?.members || !stream || stream.kind !== STRING) return fail('RECORD without record.stream');
  const name = stringOf(raw, stream);
  const data = member(record.members, 'data');
  if (!data?.members) return fail(`RECORD of stream '${name}': record.data is not an object`);
  const emitted = member(record.members, 'emitted_at');
  const emittedAt = emitted?.kind === NUMBER ? Number(raw.toString('latin1', emitted.start, emitted.end)) : Number.NaN;
  if (!Number.isFinite(emittedAt)) return fail(`RECORD of stream '${name}': record.emitted_at is not a number`);
  const fields = data.members;
  let flaw: string | undefined;
  const twice = scan.duplicate ?? record.duplicate;
  if (scan.loneSurrogate >= 0) {
    const at = scan.loneSurrogate;
    const field = fields.find((f) => f.keyAt <= at && at < f.end);
    const unit = raw.toString('latin1', at, at + 6);
    flaw = `a lone UTF-16 surrogate (${unit}) ${field ? `in field '${field.key}'` : 'in the message'}, which DuckDB cannot store`;
  } else if (data.duplicate !== undefined) {
    flaw = `field '${data.duplicate}' appears twice in the record`;
  } else if (twice !== undefined) {
    flaw = `'${twice}' appears twice in the message`;
  }
  return {
    type: 'RECORD',
    stream: name,
    record: {
      line,
      raw,
      emittedAt,
      fields,
      dataStart: data.start,
      dataEnd: data.end,
      ...(flaw ? { flaw } : {}),
      data: () => JSON.parse(raw.toString('utf8', data.start, data.end)) as Record<string, unknown>,
    },
  };
}

/**
 * A line that is not UTF-8 is not JSON text. A RECORD of one is set aside whole, its bytes kept as they came;
 * anything else is refused. The line is read with replacement characters only to find its stream.
 */
function notUtf8(raw: Buffer, line: number): Message {
  let value: unknown;
  try {
    value = JSON.parse(raw.toString('utf8'));
  } catch {
    value = undefined;
  }
  const record = isObject(value) && value.type === 'RECORD' && isObject(value.record) ? value.record : undefined;
  if (!record || typeof record.stream !== 'string' || !isObject(record.data))
    throw new MalformedMessageError(line, 'not valid UTF-8 (and not a RECORD that could be set aside)');
  const data = record.data;
  return {
    type: 'RECORD',
    stream: record.stream,
    record: {
      line,
      raw,
      emittedAt: typeof record.emitted_at === 'number' ? record.emitted_at : 0,
      fields: [],
      dataStart: 0,
      dataEnd: 0,
      flaw: 'the line is not valid UTF-8',
      data: () => data,
    },
  };
}

function otherMessage(
  value: Record<string, unknown>,
  scan: ScannedLine,
  raw: Buffer,
  fail: (problem: string) => never,
): Message {
  switch (value.type) {
    case 'STATE': {
      const s = value.state;
      if (!isObject(s)) return fail('STATE without state');
      if (s.type !== 'STREAM')
        return fail(
          `STATE of type ${JSON.stringify(s.type ?? 'LEGACY')}: only per-stream (STREAM) states are supported`,
        );
      const name = isObject(s.stream) ? streamName(s.stream.stream_descriptor) : undefined;
      if (name === undefined) return fail('STREAM state without stream.stream_descriptor.name');
      const text = member(scan.members, 'state')!;
      return { type: 'STATE', stream: name, state: s, text: raw.toString('utf8', text.start, text.end) };
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
          ...(isObject(t.error) && typeof t.error.failure_type === 'string'
            ? { failureType: t.error.failure_type }
            : {}),
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
  /** The line's bytes (no line break, no byte-order mark). */
  raw: Buffer;
  /** Numbered from 1. */
  line: number;
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * The lines of a byte stream, a chunk's worth at a time (blank lines are skipped, but counted). A UTF-8 byte-order
 * mark at the start is dropped (the connector accepts one). A line longer than `maxLineBytes` is an error as
 * soon as it passes the limit.
 */
export async function* lines(input: Readable, maxLineBytes = DEFAULT_MAX_LINE_BYTES): AsyncGenerator<Line[]> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let line = 0;
  let first = true;
  const tooLong = (): never => {
    throw new MalformedMessageError(
      line + 1,
      `longer than ${maxLineBytes.toLocaleString('en-US')} bytes, the most a line may hold; raise --max-line-mb if the source's records are this large`,
    );
  };
  const make = (bytes: Buffer): Line | undefined => {
    line++;
    const end = bytes.length > 0 && bytes[bytes.length - 1] === 13 ? bytes.length - 1 : bytes.length;
    if (end === 0) return undefined;
    return { raw: bytes.subarray(0, end), line };
  };
  for await (const piece of input as AsyncIterable<Buffer>) {
    let chunk = piece;
    if (first) {
      // The mark may arrive split across chunks only in a stream of one- or two-byte chunks: not worth handling.
      first = false;
      if (chunk.subarray(0, 3).equals(BOM)) chunk = chunk.subarray(3);
    }
    const batch: Line[] = [];
    let start = 0;
    for (let end = chunk.indexOf(10); end !== -1; end = chunk.indexOf(10, start)) {
      let bytes = chunk.subarray(start, end);
      if (pending.length) {
        if (pendingBytes + bytes.length > maxLineBytes + 1) tooLong();
        bytes = Buffer.concat([...pending, bytes]);
        pending = [];
        pendingBytes = 0;
      } else if (bytes.length > maxLineBytes + 1) {
        tooLong();
      }
      const l = make(bytes);
      if (l) batch.push(l);
      start = end + 1;
    }
    if (start < chunk.length) {
      pendingBytes += chunk.length - start;
      if (pendingBytes > maxLineBytes + 1) tooLong();
      pending.push(chunk.subarray(start));
    }
    if (batch.length > 0) yield batch;
  }
  if (pending.length) {
    const l = make(Buffer.concat(pending));
    if (l) yield [l];
  }
}
