import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, test } from '@jest/globals';
import { CliUsageError, HELP, parseCliArgs } from '../../src/simulator/cliArgs.js';
import { runCli } from '../../src/simulator/cliMain.js';
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
    const sim = await runCli(['--port', '0', '--orders', '120', '--seed', '4', '--rate-limit', '7', '--rate-window-ms', '1000', '--api-key', 'k1'], out.stream, err.stream);
    try {
      expect(sim).not.toBeNull();
      const lines = out.text().split('\n');
      expect(lines).toHaveLength(2);
      expect(lines[1]).toBe('');
      const printed = JSON.parse(lines[0]!) as { base_url: string; config: { api_key: string; api_secret: string; base_url: string }; no_access_config: { api_key: string } };
      expect(printed.base_url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(printed.config).toEqual({ api_key: 'k1', api_secret: 'sim-api-secret', base_url: printed.base_url });
      expect(printed.no_access_config.api_key).toBe('sim-no-access-key');
      expect(err.text()).toMatch(/listening on/);
      const response = await apiGet<{ total: number }>(sim!, '/orders', {}, printed.config);
      expect(response.body.total).toBe(120);
      expect(response.headers.get('x-rate-limit-limit')).toBe('7');
    } finally {
      await sim?.close();
    }
  });

  test('--config-out writes the connector config the connector takes as it is', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-cli-'));
    const file = join(dir, 'config.json');
    const sim = await runCli(['--port', '0', '--orders', '10', '--config-out', file], capture().stream, capture().stream);
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
    for (const flag of ['--port', '--seed', '--orders', '--shipments', '--fulfillments', '--products', '--customers', '--stores', '--warehouses', '--start', '--end', '--rate-limit', '--rate-window-ms', '--no-rate-limit', '--fault-500', '--fault-502', '--fault-503', '--fault-reset', '--fault-truncate', '--fault-latency', '--latency-ms', '--fault-slow-body', '--slow-body-chunks', '--slow-body-delay-ms', '--html-share', '--api-key', '--api-secret', '--no-access-key', '--no-access-secret', '--pages-zero-quirk']) {
      expect(err.text()).toContain(flag);
    }
    expect(HELP).toContain('sim-no-access-secret');
  });

  test('options are parsed strictly', () => {
    expect(parseCliArgs(['--no-rate-limit', '--fault-503', '0.25', '--latency-ms', '50', '--pages-zero-quirk', 'orders=always,products=off', '--start', '2024-01-01'])).toMatchObject({
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
});
