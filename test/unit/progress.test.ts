import { describe, expect, test } from '@jest/globals';
import { Writable } from 'node:stream';
import { plainLines, startProgress, streamLine, terminalLines, viewStreams } from '../../src/cli/progress/progress.js';
import type { StreamProgress } from '../../src/engine/read/streamContext.js';
import type { Capacity } from '../../src/budget/capacity.js';
import { etaByStream, timeForRequests } from '../../src/cli/progress/progressEta.js';

const NOW = 1_700_000_000_000;

function stream(name: string, fields: Partial<StreamProgress> = {}): StreamProgress {
  return { name, emitted: 0, pages: 0, requests: 0, status: 'RUNNING', startedAt: NOW - 4_000, ...fields };
}

/** ShipStation's real budget: 40 per minute, 2.5 s pages, 4 connections. */
function budget(fields: Partial<Capacity> = {}): Capacity {
  return {
    now: NOW,
    limit: 40,
    windowMs: 60_000,
    available: 40,
    inFlight: 0,
    queued: 0,
    maxConcurrent: 4,
    latencyMs: 2_500,
    ...fields,
  };
}

describe('time for n requests under the budget', () => {
  test('within what is left of the window: only latency, four at a time', () => {
    expect(timeForRequests(8, budget({ available: 10 }))).toBe(2 * 2_500);
  });

  test('beyond it: the rest of this window, then one window per 40', () => {
    // 32 left now, window ends in 56 s; 160 more = 4 windows, the last one's 40 taking 10 rounds of 2.5 s.
    expect(timeForRequests(192, budget({ available: 32, windowEndsAt: NOW + 56_000 }))).toBe(
      56_000 + 3 * 60_000 + 25_000,
    );
  });

  test('slow pages: a window carries only what the connections get through', () => {
    // 20 s pages, 4 connections: 12 per 60 s window, not 40.
    expect(timeForRequests(24, budget({ available: 0, windowEndsAt: NOW + 10_000, latencyMs: 20_000 }))).toBe(
      10_000 + 60_000 + 3 * 20_000,
    );
  });
});

describe('ETA per stream', () => {
  test("the issue's case: 100,000 orders at 40/min, 4 s in, 4,000 read: about 4.4 minutes, not 97 s", () => {
    const orders = stream('orders', { estimate: 100_000, emitted: 4_000, pages: 8, requests: 8 });
    const [view] = viewStreams(
      [orders],
      { pageSize: 500, budget: () => budget({ available: 32, windowEndsAt: NOW + 56_000 }) },
      NOW,
    );
    expect(view!.eta).toBe('4m21s');
  });

  test('streams share the budget: the small one finishes after its share, the big one after all', () => {
    const etas = etaByStream(
      new Map([
        ['stores', 1],
        ['orders', 100],
        ['customers', 10],
      ]),
      budget({ available: 0, windowEndsAt: NOW + 30_000, latencyMs: 0 }),
    );
    // stores: 3 served (one each); customers: 1 + 10 + 10 = 21; orders: 111 requests = 3 windows.
    expect(etas.get('stores')).toBe(30_000);
    expect(etas.get('customers')).toBe(30_000);
    expect(etas.get('orders')).toBe(30_000 + 2 * 60_000);
  });

  test('no estimate yet: ETA ? and an empty bar, never a full one at 0/0', () => {
    const [view] = viewStreams(
      [stream('orders', { status: 'STARTED', requests: 1 })],
      { pageSize: 500, budget: () => budget() },
      NOW,
    );
    expect(view).toMatchObject({ eta: '?', done: undefined });
    expect(streamLine(view!, 6, 80)).toMatch(
      /^orders {2}\[\.+\] {2}0 records {2}0 pages {2}1 request {2}ETA \? {2}STARTED$/,
    );
  });

  test('a stream whose first request is still queued, or pending, says "not started" (issue #26)', () => {
    const views = viewStreams(
      [stream('orders', { status: 'STARTED', estimate: 40_000 }), stream('shipments', { status: 'PENDING' })],
      { pageSize: 500, budget: () => budget() },
      NOW,
    );
    expect(views.map((v) => v.eta)).toEqual(['not started', 'not started']);
  });

  test('streams read side by side say "in parallel", with when all of them are done (issue #26)', () => {
    const orders = stream('orders', { estimate: 40_000, emitted: 5_000, requests: 12 });
    const shipments = stream('shipments', { estimate: 2_000, emitted: 500, requests: 2 });
    const stores = stream('stores', { status: 'COMPLETE', emitted: 3, requests: 1 });
    const b = () => budget({ available: 0, windowEndsAt: NOW + 50_000, latencyMs: 0 });
    const views = viewStreams([orders, shipments, stores], { pageSize: 500, budget: b }, NOW);
    // 70 + 3 requests left: this window's 50 s, then one more window of 40, then the last 33.
    expect(views.map((v) => v.eta)).toEqual(['in parallel (all 1m50s)', 'in parallel (all 1m50s)', 'done']);
    // Alone, a stream gets its own number.
    expect(viewStreams([orders], { pageSize: 500, budget: b }, NOW)[0]!.eta).toBe('1m50s');
  });

  test("a child stream follows its parent's progress (it has no estimate of its own)", () => {
    const orders = stream('orders', { estimate: 1_000, emitted: 270 });
    const items = stream('order_items', { emitted: 812 });
    const views = viewStreams(
      [orders, items],
      { pageSize: 500, budget: () => budget(), parentOf: (n) => (n === 'order_items' ? 'orders' : undefined) },
      NOW,
    );
    expect(views[1]).toMatchObject({ done: 0.27, total: undefined, eta: views[0]!.eta });
    expect(streamLine(views[1]!, 11, 80)).toContain(' 812 records ');
  });

  test('a stream slower than its budget for a window or more: the ETA follows its pace, not the budget', () => {
    // A generous key (a million a second): the budget says 1 s, but the connector read 514k of 1M in 60 s.
    const generous = budget({ limit: 1_000_000, windowMs: 1_000, available: 1_000_000, latencyMs: 20 });
    const slow = stream('orders', { estimate: 1_000_000, emitted: 514_000, startedAt: NOW - 60_000 });
    expect(viewStreams([slow], { pageSize: 500, budget: () => generous }, NOW)[0]!.eta).toBe('57s');
    // Within its first window a pace says nothing (start-up, a first burst): the budget's ETA stands.
    const early = stream('orders', { estimate: 2_000, emitted: 500, startedAt: NOW - 4_000 });
    const [view] = viewStreams([early], { pageSize: 500, budget: () => budget() }, NOW);
    expect(view!.eta).toBe('3s'); // 3 requests over 4 connections at 2.5 s; the pace would say 12 s
    // A stream faster than its budget (the first window's burst) keeps the budget's longer ETA.
    const burst = stream('orders', { estimate: 40_000, emitted: 30_000, startedAt: NOW - 61_000 });
    // 20 requests: the window reopens in 30 s, then 5 rounds of 2.5 s; the pace would say 20 s.
    expect(
      viewStreams(
        [burst],
        { pageSize: 500, budget: () => budget({ available: 0, windowEndsAt: NOW + 30_000 }) },
        NOW,
      )[0]!.eta,
    ).toBe('43s');
  });

  test('a stream stopped by Ctrl-C says so, not "ETA done"', () => {
    const views = viewStreams(
      [
        stream('orders', { status: 'INCOMPLETE', estimate: 10, emitted: 4, finishedAt: NOW }),
        stream('stores', { status: 'COMPLETE', finishedAt: NOW }),
      ],
      { pageSize: 500 },
      NOW,
    );
    expect(views.map((v) => v.eta)).toEqual(['stopped', 'done']);
  });
});

describe('layout', () => {
  const busy = stream('shipment_items', {
    estimate: 1_234_567,
    emitted: 234_567,
    pages: 1,
    requests: 1,
    rateLimitedUntil: NOW + 23_400,
  });

  test('80 columns: bar, counts, ETA and status; "1 page", "1 request"; a wait takes the bar\'s place', () => {
    const orders = stream('orders', { estimate: 2_000, emitted: 500, pages: 1, requests: 1 });
    const [running] = viewStreams([orders], { pageSize: 500, budget: () => budget() }, NOW);
    expect(streamLine(running!, 6, 80)).toMatch(
      /^orders {2}\[#+\.+\] {2}500\/2,000 records {2}1 page {2}1 request {2}ETA \S+ {2}RUNNING$/,
    );
    expect(streamLine(running!, 6, 80)).toHaveLength(80);
    const [waiting] = viewStreams(
      [{ ...orders, rateLimitedUntil: NOW + 23_400 }],
      { pageSize: 500, budget: () => budget() },
      NOW,
    );
    expect(streamLine(waiting!, 6, 80)).toMatch(
      /^orders {2}500\/2,000 records {2}1 page {2}1 request {2}ETA \S+ {2}RUNNING {2}rate limit 24s$/,
    );
  });

  test('narrower: the bar shrinks, then goes, then the counts; never the ETA, status or wait', () => {
    const [view] = viewStreams([busy], { pageSize: 500, budget: () => budget() }, NOW);
    for (const columns of [120, 100, 80, 70, 60, 50, 40]) {
      const line = streamLine(view!, 14, columns);
      expect([columns, line.length <= columns]).toEqual([columns, true]);
      expect(line).toMatch(/ETA \S+ {2}RUNNING {2}rate limit 24s$/);
    }
    expect(streamLine(view!, 14, 120)).toMatch(/\[#+\.+\] {2}234,567\/1,234,567 records {2}1 page {2}1 request/);
    expect(streamLine(view!, 14, 80)).toMatch(/^shipment_items {2}234,567\/1,234,567 records {2}ETA/);
    expect(streamLine(view!, 14, 40)).toBe('shi  ETA 49m25s  RUNNING  rate limit 24s');
  });

  test('a short terminal gets only what fits: running streams, then a summary line', () => {
    const streams = Array.from({ length: 12 }, (_, i) => stream(`stream_${i}`, { estimate: 100, emitted: i }));
    streams.push(
      stream('done_a', { status: 'COMPLETE', emitted: 5, finishedAt: NOW }),
      stream('later', { status: 'PENDING' }),
    );
    const lines = terminalLines(viewStreams(streams, { pageSize: 500 }, NOW), 80, 6);
    expect(lines).toHaveLength(5);
    expect(lines.at(-1)).toBe('1 of 14 streams done, 71 records so far, 1 not started, 8 more running');
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
  });

  test('without a terminal: short lines, running streams only, the finished ones counted', () => {
    const streams = [
      stream('orders', { estimate: 900, emitted: 500, pages: 1 }),
      ...Array.from({ length: 10 }, (_, i) => stream(`ref_${i}`, { status: 'COMPLETE', emitted: 3, finishedAt: NOW })),
    ];
    const lines = plainLines(viewStreams(streams, { pageSize: 500, budget: () => budget() }, NOW));
    expect(lines).toEqual([
      'progress: 10 of 11 streams done, 530 records so far',
      'progress: orders 500/900 records, 1 page, ETA 3s',
    ]);
  });
});

describe('the live view on a terminal', () => {
  function terminal(columns: number, rows: number) {
    let text = '';
    const out = Object.assign(
      new Writable({
        write(chunk, _enc, done) {
          text += String(chunk);
          done();
        },
      }),
      { isTTY: true, columns, rows },
    );
    return { out, text: () => text };
  }

  test('redraws in place (cursor back over the lines it drew), then leaves the summary table', () => {
    const tty = terminal(80, 10);
    const streams = [stream('orders', { estimate: 1000, emitted: 10 }), stream('stores', { status: 'STARTED' })];
    const reporter = startProgress(streams, { out: tty.out, intervalSeconds: 60, pageSize: 500, clock: () => NOW });
    reporter.stop();
    const written = tty.text();
    expect(written.startsWith('\x1b[?25l')).toBe(true);
    // First draw: 2 streams + summary; stop moves back over those 3 lines and clears them.
    expect(written).toContain('\x1b[3F\x1b[J');
    expect(written).toContain('\x1b[?25h\nstream');
    expect(written.split('\n').every((line) => line.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').length <= 80)).toBe(true);
  });
});
