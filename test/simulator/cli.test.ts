import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, test } from '@jest/globals';
import { CliUsageError, HELP, parseCliArgs } from '../../src/simulator/cliArgs.js';
import { runCli } from '../../src/simulator/cliMain.js';
import type { Simulator } from '../../src/simulator/index.js';
import { apiGet } from './helpers.js';

function capture(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

describe('CLI', () => {
  test('prints exactly one JSON line with the connection config, logs to stderr, serves the options given', async () => {
    const out = capture();
    const err = capture();
    const sim = await runCli(
      [
        '--port',
        '0',
        '--orders',
        '120',
        '--seed',
        '4',
        '--rate-limit',
        '7',
        '--rate-window-ms',
        '1000',
        '--api-key',
        'k1',
      ],
      out.stream,
      err.stream,
    );
    try {
      expect(sim).not.toBeNull();
      const lines = out.text().split('\n');
      expect(lines).toHaveLength(2);
      expect(lines[1]).toBe('');
      const printed = JSON.parse(lines[0]!) as {
        base_url: string;
        config: { api_key: string; api_secret: string; base_url: string; settle_seconds: number };
        no_access_config: { api_key: string };
      };
      expect(printed.base_url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(printed.config).toEqual({
        api_key: 'k1',
        api_secret: '5ec12e75ec12e75ec12e75ec12e75ec1',
        base_url: printed.base_url,
        settle_seconds: 0,
      });
      expect(printed.no_access_config.api_key).toBe('0bad0bad0bad0bad0bad0bad0bad0bad');
      expect(err.text()).toMatch(/listening on/);
      const response = await apiGet<{ total: number }>(sim as Simulator, '/orders', {}, printed.config);
      expect(response.body.total).toBe(120);
      expect(response.headers.get('x-rate-limit-limit')).toBe('7');
    } finally {
      await sim?.close();
    }
  });

  test('--config-out writes the connector config the connector takes as it is', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-cli-'));
    const file = join(dir, 'config.json');
    const sim = await runCli(
      ['--port', '0', '--orders', '10', '--config-out', file],
      capture().stream,
      capture().stream,
    );
    try {
      expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(sim!.config);
      expect(statSync(file).mode & 0o777).toBe(0o600);
    } finally {
      await sim?.close();
    }
  });

  test('--help lists every option and starts nothing', async () => {
    const out = capture();
    const err = capture();
    expect(await runCli(['--help'], out.stream, err.stream)).toBeNull();
    expect(out.text()).toBe('');
    for (const flag of [
      '--port',
      '--seed',
      '--orders',
      '--shipments',
      '--fulfillments',
      '--products',
      '--customers',
      '--stores',
      '--warehouses',
      '--start',
      '--end',
      '--rate-limit',
      '--rate-window-ms',
      '--no-rate-limit',
      '--fault-500',
      '--fault-502',
      '--fault-503',
      '--fault-reset',
      '--fault-truncate',
      '--fault-latency',
      '--latency-ms',
      '--fault-slow-body',
      '--slow-body-chunks',
      '--slow-body-delay-ms',
      '--html-share',
      '--api-key',
      '--api-secret',
      '--no-access-key',
      '--no-access-secret',
      '--pages-zero-quirk',
      '--clock-start',
      '--stamp-lag-ms',
      '--stamp-jitter-ms',
      '--date-offset-ms',
      '--unstable-ties',
      '--max-page-size',
      '--short-page-rate',
      '--total-cap',
      '--total-offset',
      '--total-drift',
    ]) {
      expect(err.text()).toContain(flag);
    }
    expect(HELP).toContain('dead0baddead0baddead0baddead0bad');
  });

  test('options are parsed strictly', () => {
    expect(
      parseCliArgs([
        '--no-rate-limit',
        '--fault-503',
        '0.25',
        '--latency-ms',
        '50',
        '--pages-zero-quirk',
        'orders=always,products=off',
        '--start',
        '2024-01-01',
      ]),
    ).toMatchObject({
      rateLimit: null,
      faults: { rates: { error503: 0.25 }, latencyMs: 50 },
      pagesZeroQuirk: { orders: 'always', products: 'off' },
      dateRange: { start: '2024-01-01', end: '2025-06-30' },
    });
    expect(() => parseCliArgs(['--orders', 'many'])).toThrow(CliUsageError);
    expect(() => parseCliArgs(['--orderz', '5'])).toThrow(CliUsageError);
    expect(() => parseCliArgs(['--fault-500', '-1'])).toThrow(CliUsageError);
    expect(() => parseCliArgs(['--pages-zero-quirk', 'orders=sometimes'])).toThrow(CliUsageError);
  });

  test('the server-lie flags map to their options; negative values take the --flag=-N form', () => {
    const parsed = parseCliArgs([
      '--stamp-lag-ms',
      '3600000',
      '--stamp-jitter-ms',
      '500',
      '--date-offset-ms=-90000',
      '--unstable-ties',
      '--max-page-size',
      '250',
      '--short-page-rate',
      '0.2',
      '--total-cap',
      '10000',
      '--total-offset=-1',
      '--total-drift',
      '3',
    ]);
    expect(parsed).toMatchObject({
      stampLagMs: 3_600_000,
      stampJitterMs: 500,
      dateOffsetMs: -90_000,
      unstableTies: true,
      maxPageSize: 250,
      shortPageRate: 0.2,
      totalCap: 10_000,
      totalOffset: -1,
      totalDrift: 3,
    });
    expect(parseCliArgs([])).toMatchObject({ unstableTies: undefined, clock: undefined, totalCap: undefined });
    expect(() => parseCliArgs(['--stamp-lag-ms', '-5'])).toThrow(CliUsageError);
    expect(() => parseCliArgs(['--date-offset-ms=1.5'])).toThrow(CliUsageError);
    expect(() => parseCliArgs(['--clock-start', '2026-11-01 01:40'])).toThrow(/ISO-8601 instant/);
    expect(() => parseCliArgs(['--clock-start', '2026-11-01T01:40:00'])).toThrow(/ISO-8601 instant/);
  });

  test('--clock-start runs the clock from that instant: mutations stamp the fall-back hour, the Date header follows', async () => {
    const err = capture();
    const sim = await runCli(
      [
        '--orders',
        '50',
        '--clock-start',
        '2026-11-01T08:40:00Z',
        '--date-offset-ms=-60000',
        '--max-page-size',
        '20',
        '--total-offset=-1',
      ],
      capture().stream,
      err.stream,
    );
    try {
      expect(err.text()).toMatch(/clock at 2026-11-01T08:40:0\d\.\d{3}Z/);
      const mutated = await fetch(`${sim!.baseUrl}/__sim/mutate`, {
        method: 'POST',
        body: JSON.stringify({ op: 'modifyOrders', count: 1 }),
      });
      expect(((await mutated.json()) as { at: string }).at).toMatch(/^2026-11-01T01:40:0\d\.\d{7}$/);
      const response = await apiGet<{ orders: unknown[]; total: number }>(sim as Simulator, '/orders', {
        pageSize: 500,
      });
      expect(response.headers.get('date')).toMatch(/^Sun, 01 Nov 2026 08:39:0\d GMT$/);
      expect(response.body.orders).toHaveLength(20);
      expect(response.body.total).toBe(49);
    } finally {
      await sim?.close();
    }
  });
});
