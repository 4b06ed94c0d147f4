// What a person sees on stderr when the connector runs under a scheduler (no terminal): short periodic lines
// with ETAs, then the summary table; and after Ctrl-C, streams that say they stopped, with no retry announced
// that will not happen.
import { afterEach, describe, expect, test } from '@jest/globals';
import { spawn } from 'node:child_process';
import { ENTRY, ofType, parseLines, runCli } from '../helpers/cli.js';
import { configuredCatalog, readArgs, simulator, type Simulator } from '../helpers/sim.js';

let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

describe('progress on stderr without a terminal', () => {
  test('short lines for the running streams only, ETAs, correct plurals, then the summary table', async () => {
    // 5 requests per 3 s window: the orders' 9 pages need two windows, so progress lines appear while it waits.
    sim = await simulator({
      seed: 71,
      rateLimit: { limit: 5, windowMs: 3000 },
      counts: { orders: 900, shipments: 10, fulfillments: 10 },
    });
    const catalog = configuredCatalog([
      { name: 'orders', mode: 'incremental' },
      { name: 'order_items', mode: 'incremental' },
      { name: 'stores' },
      { name: 'warehouses' },
    ]);
    const r = await runCli(readArgs(sim, catalog, { config: { page_size: 100 } }), {
      env: { SHIPSTATION_PROGRESS_INTERVAL: '1' },
    });
    expect(r.code).toBe(0);
    const lines = r.stderr.split('\n').filter(Boolean);
    const progress = lines.filter((l) => l.startsWith('progress: '));
    expect(progress.length).toBeGreaterThan(0);
    for (const line of progress) expect(line.length).toBeLessThanOrEqual(100);
    expect(
      progress.some((l) => /^progress: orders \d[\d,]*\/900 records, \d+ pages?, ETA (\d+s|\d+m\d\ds)/.test(l)),
    ).toBe(true);
    expect(progress.some((l) => /^progress: \d+ of 4 streams done/.test(l))).toBe(true);
    // A finished stream is counted, never listed on its own.
    expect(progress.filter((l) => /^progress: (stores|warehouses) /.test(l))).toEqual([]);
    expect(r.stderr).not.toMatch(/\b1 pages\b/);
    expect(lines.slice(-6)[0]).toMatch(/^stream +status +records +pages +requests +time$/);
  }, 60_000);

  test('Ctrl-C while waiting on the rate limit: streams say they stopped, no retry is announced', async () => {
    sim = await simulator({
      seed: 72,
      rateLimit: { limit: 2, windowMs: 60_000 },
      counts: { orders: 900, shipments: 10, fulfillments: 10 },
    });
    const args = readArgs(sim, configuredCatalog([{ name: 'orders', mode: 'incremental' }]), {
      config: { page_size: 100 },
    });
    const child = spawn(process.execPath, [ENTRY, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NODE_OPTIONS: '', SHIPSTATION_PROGRESS_INTERVAL: '1' },
    });
    let out = '';
    let err = '';
    let interrupted = false;
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      // The third request waits for the next window (a minute away): interrupt it there.
      if (!interrupted && out.includes('"RATE_LIMITED"')) {
        interrupted = true;
        child.kill('SIGINT');
      }
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(interrupted).toBe(true);
    expect(code).toBe(1);
    const logs = ofType(parseLines(out), 'LOG').map((m) => (m.log as { message: string }).message);
    expect(logs.filter((l) => /retrying in/.test(l))).toEqual([]);
    expect(err).not.toMatch(/ETA done/);
    expect(err).toMatch(/^orders +INCOMPLETE +\d+ +\d+ +\d+ +\d+s$/m);
  }, 60_000);
});
