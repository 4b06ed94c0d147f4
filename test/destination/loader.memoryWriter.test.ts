// The loader through the Writer interface alone, with an in-memory writer and no DuckDB: what a destination is
// handed, per stream and in which order (a state never ahead of the records it covers), and the load's summary.
import { describe, expect, test } from '@jest/globals';
import { PassThrough, Readable } from 'node:stream';
import { load } from '../../src/destination/loader.js';
import { MalformedMessageError } from '../../src/destination/messageReader.js';
import type { RecordLine, StreamReport, Writer } from '../../src/destination/writer.js';
import { record, state, status } from './messages.js';

/** Keeps records per stream and commits a state at once, noting how many of its stream's records it covers. */
class MemoryWriter implements Writer {
  readonly records = new Map<string, Array<{ line: number; raw: string; data: Record<string, unknown> }>>();
  readonly commits: Array<{ stream: string; cursor: unknown; covers: number }> = [];
  readonly completed: string[] = [];
  readonly calls: string[] = [];

  constructor(
    streams: string[],
    /** Streams whose table is replaced only when they complete. */
    private readonly overwrite: string[],
  ) {
    for (const stream of streams) this.records.set(stream, []);
  }

  has(stream: string): boolean {
    return this.records.has(stream);
  }

  record(stream: string, record: RecordLine): void {
    this.records.get(stream)!.push({ line: record.line, raw: record.raw.toString('utf8'), data: record.data() });
  }

  async state(stream: string, state: Record<string, unknown>): Promise<void> {
    const cursor = (state.stream as { stream_state: { cursor: unknown } }).stream_state.cursor;
    this.commits.push({ stream, cursor, covers: this.records.get(stream)!.length });
  }

  async complete(stream: string): Promise<void> {
    this.completed.push(stream);
  }

  async drain(): Promise<void> {}

  async finish(): Promise<string[]> {
    this.calls.push('finish');
    return this.overwrite.filter((s) => !this.completed.includes(s));
  }

  async commitStates(): Promise<void> {
    this.calls.push('commitStates');
  }

  report(): Map<string, StreamReport> {
    return new Map(
      [...this.records].map(([stream, rows]) => [
        stream,
        { rows: rows.length, misfits: new Map(), undeclared: new Map(), rejected: 0, firstRejected: [] },
      ]),
    );
  }
}

const text = (messages: unknown[]) =>
  `${messages.map((m) => (typeof m === 'string' ? m : JSON.stringify(m))).join('\n')}\n`;
/** The input as one chunk (every line in one batch) or in small chunks that split lines. */
const input = (body: string, chunk?: number) => {
  const bytes = Buffer.from(body);
  if (chunk === undefined) return Readable.from([bytes]);
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += chunk) chunks.push(bytes.subarray(at, at + chunk));
  return Readable.from(chunks);
};
const log = (level: string, message: string) => ({ type: 'LOG', log: { level, message } });
const error = (message: string) => ({ type: 'TRACE', trace: { type: 'ERROR', emitted_at: 1, error: { message } } });

describe('the loader drives any Writer', () => {
  const messages = [
    status('items', 'STARTED'),
    record('items', { id: 1 }),
    record('refs', { id: 'a' }),
    record('items', { id: 2 }),
    state('items', 'c1'),
    log('INFO', 'quiet'),
    record('items', { id: 3 }),
    record('refs', { id: 'b' }),
    state('refs', 'r1'),
    status('refs', 'COMPLETE'),
    log('WARN', 'slow page'),
    state('items', 'c2'),
    record('orders', { id: 7 }),
    error('orders: 500 from the API'),
    status('orders', 'INCOMPLETE'),
    status('items', 'COMPLETE'),
  ];

  test.each([
    ['one chunk', undefined],
    ['7-byte chunks', 7],
  ])('records per stream, each state after the records it covers, and the summary (%s)', async (_, chunk) => {
    const writer = new MemoryWriter(['items', 'refs', 'orders'], ['refs', 'orders']);
    const said: string[] = [];
    const summary = await load(input(text(messages), chunk), writer, (line) => said.push(line));

    expect(
      Object.fromEntries([...writer.records].map(([stream, rows]) => [stream, rows.map((r) => [r.line, r.data])])),
    ).toEqual({
      items: [
        [2, { id: 1 }],
        [4, { id: 2 }],
        [7, { id: 3 }],
      ],
      refs: [
        [3, { id: 'a' }],
        [8, { id: 'b' }],
      ],
      orders: [[13, { id: 7 }]],
    });
    // The line's bytes as received, for writers that keep the message whole.
    expect(writer.records.get('items')![0]!.raw).toBe(JSON.stringify(messages[1]));
    expect(writer.commits).toEqual([
      { stream: 'items', cursor: 'c1', covers: 2 },
      { stream: 'refs', cursor: 'r1', covers: 2 },
      { stream: 'items', cursor: 'c2', covers: 3 },
    ]);
    expect(writer.completed).toEqual(['refs', 'items']);
    expect(writer.calls).toEqual(['finish']);
    expect(summary).toEqual({
      streams: new Map([
        ['items', { rows: 3, misfits: new Map(), undeclared: new Map(), rejected: 0, firstRejected: [] }],
        ['refs', { rows: 2, misfits: new Map(), undeclared: new Map(), rejected: 0, firstRejected: [] }],
        ['orders', { rows: 1, misfits: new Map(), undeclared: new Map(), rejected: 0, firstRejected: [] }],
      ]),
      states: 3,
      complete: ['refs', 'items'],
      incomplete: ['orders'],
      notReplaced: ['orders'],
      errors: ['orders: 500 from the API'],
      configError: false,
      stopped: false,
    });
    expect(said).toEqual(['source WARN: slow page', 'source error: orders: 500 from the API']);
  });

  test('a malformed line: the states before it are committed, nothing after it is handed over, and the error names the line', async () => {
    const writer = new MemoryWriter(['items'], []);
    const body = text([
      record('items', { id: 1 }),
      state('items', 'c1'),
      record('items', { id: 2 }),
      '{"type": "RECORD", "record": ',
      record('items', { id: 3 }),
      state('items', 'c2'),
    ]);
    const loading = load(input(body), writer, () => undefined);

    await expect(loading).rejects.toThrow(MalformedMessageError);
    await expect(loading).rejects.toThrow(/^input line 4: not a JSON message/);
    expect(writer.records.get('items')!.map((r) => r.data)).toEqual([{ id: 1 }, { id: 2 }]);
    expect(writer.commits).toEqual([{ stream: 'items', cursor: 'c1', covers: 1 }]);
    expect(writer.calls).toEqual(['commitStates']);
  });

  test('a record of a stream the catalog does not select is malformed input', async () => {
    const writer = new MemoryWriter(['items'], []);
    await expect(
      load(input(text([record('items', { id: 1 }), record('ghosts', { id: 1 })])), writer, () => undefined),
    ).rejects.toThrow("input line 2: RECORD of stream 'ghosts', which the configured catalog does not select");
    expect(writer.calls).toEqual(['commitStates']);
  });

  test('stopped by a signal while the input is still open: reading ends at once, what the states cover is committed', async () => {
    const writer = new MemoryWriter(['items'], []);
    const stdin = new PassThrough();
    const controller = new AbortController();
    const loading = load(stdin, writer, () => undefined, { signal: controller.signal });
    stdin.write(text([record('items', { id: 1 }), state('items', 'c1'), record('items', { id: 2 })]));
    while (writer.records.get('items')!.length < 2) await new Promise((resolve) => setImmediate(resolve));
    controller.abort();
    const summary = await loading;
    expect(summary.stopped).toBe(true);
    expect(writer.calls).toEqual(['commitStates']);
    expect(writer.commits).toEqual([{ stream: 'items', cursor: 'c1', covers: 1 }]);
  });

  test('a signal before the load starts: nothing is read, nothing but the (empty) states is committed', async () => {
    const writer = new MemoryWriter(['items'], []);
    const controller = new AbortController();
    controller.abort();
    const summary = await load(input(text([record('items', { id: 1 })])), writer, () => undefined, {
      signal: controller.signal,
    });
    expect(summary.stopped).toBe(true);
    expect(writer.records.get('items')).toEqual([]);
    expect(writer.calls).toEqual(['commitStates']);
  });

  test('a line longer than the limit is refused by number as soon as it passes it, whatever follows', async () => {
    const writer = new MemoryWriter(['items'], []);
    const long = JSON.stringify(record('items', { id: 1, pad: 'x'.repeat(5000) }));
    const loading = load(
      input(text([record('items', { id: 0 }), long, record('items', { id: 2 })]), 512),
      writer,
      () => undefined,
      {
        maxLineBytes: 1000,
      },
    );
    await expect(loading).rejects.toThrow(
      /^input line 2: longer than 1,000 bytes, the most a line may hold; raise --max-line-mb/,
    );
    expect(writer.records.get('items')!.map((r) => r.data)).toEqual([{ id: 0 }]);
  });

  test('a byte-order mark before the first line is dropped, as the connector drops it', async () => {
    const writer = new MemoryWriter(['items'], []);
    await load(input(`\uFEFF${text([record('items', { id: 1 })])}`), writer, () => undefined);
    expect(writer.records.get('items')!.map((r) => r.data)).toEqual([{ id: 1 }]);
  });
});
