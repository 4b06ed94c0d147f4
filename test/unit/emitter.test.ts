// The emitter under backpressure (one shared drain wait, no listener growth), its line discipline (U+2028/U+2029
// escaped) and records too deep to serialize.
import { Writable } from 'node:stream';
import { describe, expect, test } from '@jest/globals';
import { Emitter, MAX_RECORD_DEPTH } from '../../src/protocol/emitter.js';
import {
  connectionStatusMessage,
  errorTraceMessage,
  logMessage,
  streamStateMessage,
} from '../../src/protocol/messages.js';
import { createRedactor } from '../../src/protocol/redact.js';

/** A reader that takes nothing until released: every write past the high-water mark reports backpressure. */
function pausedReader() {
  const lines: string[] = [];
  const held: Array<() => void> = [];
  let paused = true;
  const out = new Writable({
    highWaterMark: 256,
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      if (paused) held.push(done);
      else done();
    },
  });
  return {
    out,
    text: () => lines.join(''),
    release() {
      paused = false;
      for (const done of held.splice(0)) done();
    },
  };
}

function collector() {
  let text = '';
  const out = new Writable({ write: (chunk, _enc, done) => ((text += String(chunk)), done()) });
  return { out, text: () => text };
}

describe('backpressure', () => {
  test('200 concurrent writers waiting for drain add one drain listener and no error or close listener', async () => {
    const reader = pausedReader();
    const emitter = new Emitter(reader.out);
    const base = {
      drain: reader.out.listenerCount('drain'),
      error: reader.out.listenerCount('error'),
      close: reader.out.listenerCount('close'),
    };
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on('warning', onWarning);
    try {
      const writers = Array.from({ length: 200 }, (_, i) =>
        i % 2 === 0
          ? emitter.emitRecords(`s${i}`, [{ id: i, pad: 'x'.repeat(300) }], 1)
          : emitter.emit(streamStateMessage(`s${i}`, { cursor: i }, 1)),
      );
      await new Promise((resolve) => setImmediate(resolve));
      expect(reader.out.listenerCount('drain')).toBeLessThanOrEqual(base.drain + 1);
      expect(reader.out.listenerCount('error')).toBe(base.error);
      expect(reader.out.listenerCount('close')).toBe(base.close);
      reader.release();
      await Promise.all(writers);
      await emitter.flush();
      expect(reader.out.listenerCount('drain')).toBe(base.drain);
      expect(reader.text().trimEnd().split('\n')).toHaveLength(200);
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.map((w) => w.name)).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });

  test('a reader that goes away releases every waiting writer, and close listeners can be removed', async () => {
    const reader = pausedReader();
    const emitter = new Emitter(reader.out);
    const calls: string[] = [];
    const remove = emitter.onClose(() => calls.push('removed'));
    emitter.onClose(() => calls.push('kept'));
    remove();
    const writers = Array.from({ length: 20 }, (_, i) =>
      emitter.emit(logMessage('INFO', `line ${i} ${'y'.repeat(300)}`)),
    );
    reader.out.destroy(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
    await Promise.all(writers);
    expect(emitter.isClosed).toBe(true);
    expect(calls).toEqual(['kept']);
    await emitter.emit(logMessage('INFO', 'after close'));
  });
});

describe('lines', () => {
  test('a log line with raw line breaks is one line', async () => {
    const c = collector();
    await new Emitter(c.out).emit(logMessage('WARN', 'first\r\n  second\u2028third\n'));
    expect(c.text()).toBe('{"type":"LOG","log":{"level":"WARN","message":"first second third"}}\n');
  });

  test('U+2028 and U+2029 leave escaped, so every line splitter sees one message per line', async () => {
    const c = collector();
    const emitter = new Emitter(c.out);
    await emitter.emit(streamStateMessage('orders', { note: 'a\u2028b\u2029c' }, 0));
    await emitter.emitRecords('orders', [{ note: 'x\u2028y', other: '\u2029' }], 5);
    expect(c.text()).not.toMatch(/[\u2028\u2029]/);
    expect(c.text()).toContain('a\\u2028b\\u2029c');
    const lines = c
      .text()
      .split(/\r\n|[\n\r\u2028\u2029\u0085]/)
      .filter(Boolean);
    expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual([
      streamStateMessage('orders', { note: 'a\u2028b\u2029c' }, 0),
      { type: 'RECORD', record: { stream: 'orders', data: { note: 'x\u2028y', other: '\u2029' }, emitted_at: 5 } },
    ]);
  });

  test('a record nested 5,000 levels deep is emitted cut at the depth cap, with one WARN per stream', async () => {
    const c = collector();
    const emitter = new Emitter(c.out);
    const deep = (levels: number) => {
      const root: Record<string, unknown> = {};
      let node = root;
      for (let i = 0; i < levels; i++) node = (node.a = {}) as Record<string, unknown>;
      return root;
    };
    await emitter.emitRecords(
      'orders',
      [{ orderId: 1, deep: deep(5000) }, { orderId: 2, deep: deep(5000) }, { orderId: 3 }],
      5,
    );
    const messages = c
      .text()
      .trimEnd()
      .split('\n')
      .map(
        (l) => JSON.parse(l) as { type: string; log?: { message: string }; record?: { data: Record<string, unknown> } },
      );
    expect(messages.map((m) => m.type)).toEqual(['LOG', 'RECORD', 'RECORD', 'RECORD']);
    expect(messages[0]!.log!.message).toMatch(/orders: a record is nested deeper than 100 levels/);
    let depth = 0;
    let node: unknown = messages[1]!.record!.data.deep;
    while (node !== null && typeof node === 'object') {
      node = (node as Record<string, unknown>).a;
      depth++;
    }
    expect(depth).toBe(MAX_RECORD_DEPTH - 1);
    expect(messages[3]!.record!.data).toEqual({ orderId: 3 });
  });
});

describe('failure sentences repeated on the echo stream (issue #26)', () => {
  test('TRACE errors, ERROR LOGs and FAILED statuses once each, masked, plain; nothing else', async () => {
    const out = collector();
    const echo = collector();
    const emitter = new Emitter(out.out, createRedactor(['s3cr3t-value']), echo.out);
    await emitter.emit(logMessage('INFO', 'orders: 10 records'));
    await emitter.emit(logMessage('WARN', 'attempt 1 failed; retrying'));
    await emitter.emit(logMessage('ERROR', 'the server said s3cr3t-value'));
    await emitter.emit(errorTraceMessage({ message: 'the server said s3cr3t-value', failureType: 'system_error' }));
    await emitter.emit(connectionStatusMessage('FAILED', 'authentication failed'));
    await emitter.warnPerson("unknown config field 'baseurl' (did you mean 'base_url'?); it is ignored");
    expect(echo.text()).toBe(
      'error: the server said **********\n' +
        'error: authentication failed\n' +
        "warning: unknown config field 'baseurl' (did you mean 'base_url'?); it is ignored\n",
    );
    expect(out.text().split('\n').filter(Boolean)).toHaveLength(6);
  });
});
