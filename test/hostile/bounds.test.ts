// Everything bounded: absurd rate-limit headers, bodies that never end or are too large, SIGTERM while stdout is
// blocked. Each scenario ends within its test's timeout with nothing lost, or with the stream INCOMPLETE and a
// clear error while the other streams go on. The slow ones (a minute or more of real waiting) run in
// `npm run test:faults`.
import { afterEach, describe, expect, test } from '@jest/globals';
import { spawn } from 'node:child_process';
import type { ServerResponse } from 'node:http';
import { ENTRY, parseLines, writeFiles } from '../helpers/cli.js';
import { configuredCatalog, expectCheckpointCounts, lastStates, recordsOf, statusesOf } from '../helpers/sim.js';
import { errorsOf, expectNoSecret, outcome, read } from './run.js';
import { customer, orders, send, shipment, startHostile, type HostileRequest, type HostileServer } from './server.js';

// Registered only under FAULT_MATRIX=full, so npm test reports no skipped tests.
const slow: (name: string, fn: () => void) => void = process.env.FAULT_MATRIX === 'full' ? describe : () => {};

let server: HostileServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const customers = Array.from({ length: 30 }, (_, i) => customer(i + 1));
const shipments = Array.from({ length: 20 }, (_, i) => shipment(i + 1));

/** Streams a body that never ends (until the client hangs up). */
function endless(res: ServerResponse, req: HostileRequest): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.write('{"orders":[');
  const chunk = `${JSON.stringify({ orderId: req.n, note: 'x'.repeat(200) })},`.repeat(500);
  const pump = (): void => {
    if (res.destroyed) return;
    res.write(chunk, () => setImmediate(pump));
  };
  pump();
}

describe('absurd rate-limit headers', () => {
  test('Retry-After: 99999999 on orders and Reset: 3600 on shipments: those two stop INCOMPLETE at once, the others complete, no timer warning', async () => {
    server = await startHostile({
      data: { '/orders': orders(10), '/shipments': shipments, '/customers': customers },
      hook: (req, res) => {
        if (req.path === '/orders')
          return (send(res, 429, { Message: 'slow down' }, { 'Retry-After': 99_999_999 }), true);
        if (req.path === '/shipments')
          return (
            send(res, 429, {}, { 'X-Rate-Limit-Limit': 40, 'X-Rate-Limit-Remaining': 0, 'X-Rate-Limit-Reset': 3600 }),
            true
          );
        return false;
      },
    });
    const r = await read(server, [
      { name: 'orders', mode: 'incremental' },
      { name: 'shipments', mode: 'incremental' },
      { name: 'customers' },
    ]);
    expect(outcome(r, ['orders', 'shipments', 'customers'])).toEqual({
      code: 1,
      statuses: { orders: 'INCOMPLETE', shipments: 'INCOMPLETE', customers: 'COMPLETE' },
      invalid: [],
    });
    expect(recordsOf(r.messages, 'customers')).toHaveLength(30);
    const errors = errorsOf(r.messages);
    expect(errors.map((e) => e.failure_type)).toEqual(['transient_error', 'transient_error']);
    for (const e of errors)
      expect(e.message).toMatch(/asks to wait \d+ s, more than is left of this request's retry budget/);
    // No timer warning: stderr holds only the failure sentences, each once (stdout is not a terminal).
    expect(r.stderr).toBe(errors.map((e) => `error: ${e.message}\n`).join(''));
    expect(server.requests.filter((q) => q.path === '/orders')).toHaveLength(1);
  }, 60_000);
});

describe('response size', () => {
  test('a body that never ends (twice) or declares 100 MB (once) is abandoned at max_response_mb and retried: nothing lost', async () => {
    let bad = 0;
    server = await startHostile({
      data: { '/orders': orders(40), '/customers': customers },
      hook: (req, res) => {
        if (req.path !== '/orders' || bad >= 3) return false;
        bad++;
        if (bad === 3) {
          res.writeHead(200, { 'content-type': 'application/json', 'content-length': 100 * 1024 * 1024 });
          res.write('{"orders":[');
        } else {
          endless(res, req);
        }
        return true;
      },
    });
    const r = await read(server, [{ name: 'orders', mode: 'incremental' }, { name: 'customers' }], {
      config: { max_response_mb: 1, max_retry_seconds: 60 },
    });
    expect(outcome(r, ['orders', 'customers'])).toEqual({
      code: 0,
      statuses: { orders: 'COMPLETE', customers: 'COMPLETE' },
      invalid: [],
    });
    expect(recordsOf(r.messages, 'orders').map((o) => o.orderId)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    const retries = r.messages.filter(
      (m) =>
        m.type === 'LOG' &&
        /passed max_response_mb \(1 MB\) and was abandoned/.test((m.log as { message: string }).message),
    );
    expect(retries).toHaveLength(3);
    expect(server.abandoned).toBeGreaterThanOrEqual(3);
  }, 60_000);
});

describe('SIGTERM', () => {
  test('with stdout blocked: exits on its own with code 1; what was written is consistent and resumable', async () => {
    const rows = orders(3000).map((o) => ({ ...o, internalNotes: 'n'.repeat(400) }));
    server = await startHostile({ data: { '/orders': rows } });
    const files = writeFiles({
      'config.json': server.config({ page_size: 100 }),
      'catalog.json': configuredCatalog([{ name: 'orders', mode: 'incremental' }]),
    });
    const child = spawn(
      process.execPath,
      [ENTRY, 'read', '--config', files['config.json']!, '--catalog', files['catalog.json']!],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, NODE_OPTIONS: '', SHIPSTATION_PROGRESS: 'off' },
      },
    );
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    // Nobody reads stdout until the process is gone: once the pipe is full, every write waits for a drain that never comes.
    const chunks: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => chunks.push(d));
    child.stdout.pause();
    const ended = new Promise((resolve) => child.stdout.on('end', resolve));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal })),
    );
    const s = server;
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (s.requests.length >= 3) {
          clearInterval(poll);
          setTimeout(resolve, 1000);
        }
      }, 50);
    });
    child.kill('SIGTERM');
    // Generous next to the 3 s grace period; a connector that waits for the reader never gets there.
    const watchdog = setTimeout(() => child.kill('SIGKILL'), 10_000);
    const { code, signal } = await exited;
    clearTimeout(watchdog);
    expect({ code, signal }).toEqual({ code: 1, signal: null });
    child.stdout.resume();
    await ended;
    const messages = parseLines(Buffer.concat(chunks).toString('utf8'), true);
    expect(recordsOf(messages, 'orders').length).toBeGreaterThan(0);
    expectCheckpointCounts(messages, (got, want) => expect(got).toBe(want));
    expect(stderr).not.toMatch(/\n\s+at .+:\d+:\d+|Warning/);
    const resumed = await read(server, [{ name: 'orders', mode: 'incremental' }], {
      config: { page_size: 100 },
      state: lastStates(messages),
    });
    expect(statusesOf(resumed.messages, 'orders').at(-1)).toBe('COMPLETE');
    const ids = new Set(
      [...recordsOf(messages, 'orders'), ...recordsOf(resumed.messages, 'orders')].map((o) => o.orderId),
    );
    expect(ids.size).toBe(3000);
    expectNoSecret(resumed, [String(server.config().api_key), String(server.config().api_secret)]);
  }, 60_000);
});

slow('slow bounds (npm run test:faults)', () => {
  test('a body that never ends, on every attempt: orders INCOMPLETE after max_retry_seconds, the others complete', async () => {
    server = await startHostile({
      data: { '/orders': orders(10), '/customers': customers },
      hook: (req, res) => (req.path === '/orders' ? (endless(res, req), true) : false),
    });
    const r = await read(server, [{ name: 'orders', mode: 'incremental' }, { name: 'customers' }], {
      config: { max_response_mb: 2 },
    });
    expect(outcome(r, ['orders', 'customers'])).toEqual({
      code: 1,
      statuses: { orders: 'INCOMPLETE', customers: 'COMPLETE' },
      invalid: [],
    });
    const [error] = errorsOf(r.messages);
    expect(error!.failure_type).toBe('transient_error');
    expect(error!.message).toMatch(/passed max_response_mb \(2 MB\) and was abandoned/);
  }, 90_000);

  test.each(['0', '-5', 'soon'])(
    'Retry-After: %s on every answer for 8 s: a backoff, not a storm; then everything is read',
    async (value) => {
      let first: number | undefined;
      let refused = 0;
      server = await startHostile({
        data: { '/orders': orders(10), '/shipments': shipments, '/customers': customers, '/products': [] },
        hook: (_req, res) => {
          first ??= Date.now();
          if (Date.now() - first > 8_000) return false;
          refused++;
          send(res, 429, {}, { 'Retry-After': value });
          return true;
        },
      });
      const streams = [
        { name: 'orders', mode: 'incremental' as const },
        { name: 'shipments', mode: 'incremental' as const },
        { name: 'customers' },
        { name: 'products' },
      ];
      const r = await read(server, streams, { config: { max_retry_seconds: 120 } });
      expect(outcome(r, ['orders', 'shipments', 'customers', 'products'])).toMatchObject({ code: 0 });
      // 1 + 2 + 4 s of backoff in 8 s, each round at most one request per stream: the old behaviour sent ~55.
      expect(refused).toBeLessThanOrEqual(20);
    },
    90_000,
  );

  test('X-Rate-Limit-Reset: 3600 with nothing remaining: the key waits at most 120 s, not an hour, then completes', async () => {
    server = await startHostile({
      data: { '/orders': orders(30), '/customers': customers },
      rateHeaders: (req) =>
        req.n === 1
          ? { 'X-Rate-Limit-Limit': 40, 'X-Rate-Limit-Remaining': 0, 'X-Rate-Limit-Reset': 3600 }
          : { 'X-Rate-Limit-Limit': 40, 'X-Rate-Limit-Remaining': 30, 'X-Rate-Limit-Reset': 30 },
    });
    const r = await read(server, [{ name: 'orders', mode: 'incremental' }, { name: 'customers' }], {
      config: { page_size: 10, max_concurrency: 1 },
      timeoutMs: 220_000,
    });
    expect(outcome(r, ['orders', 'customers'])).toEqual({
      code: 0,
      statuses: { orders: 'COMPLETE', customers: 'COMPLETE' },
      invalid: [],
    });
    expect(recordsOf(r.messages, 'orders')).toHaveLength(30);
    expect(server.requests.length).toBeGreaterThan(2);
  }, 240_000);
});
