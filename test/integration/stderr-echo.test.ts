// What a person sees on stderr when stdout goes to a file or a destination (issue #26, items 2 and 3): each
// failure sentence once, plain, and one warning per config key that does nothing; stdout stays protocol JSON.
import { afterEach, describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { ENTRY, ofType, runCli, writeFiles } from '../helpers/cli.js';
import { configArgs, configuredCatalog, readArgs, simulator, type Simulator } from '../helpers/sim.js';

let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

const TTY = "Object.defineProperty(process.stdout, 'isTTY', { value: true });";
const plainLines = (stderr: string, prefix: string) => stderr.split('\n').filter((l) => l.startsWith(prefix));
const logsOf = (r: { messages: ReturnType<typeof ofType> }, level: string) =>
  ofType(r.messages, 'LOG')
    .map((m) => m.log as { level: string; message: string })
    .filter((l) => l.level === level)
    .map((l) => l.message);

describe('failure sentences on stderr, once', () => {
  test('check with a wrong secret: the FAILED status sentence, plain, once', async () => {
    sim = await simulator({ seed: 3 });
    const wrong = 'f'.repeat(32);
    const r = await runCli(configArgs('check', { ...sim.config, api_secret: wrong }));
    const status = ofType(r.messages, 'CONNECTION_STATUS')[0]!.connectionStatus as { status: string; message: string };
    expect(status.status).toBe('FAILED');
    expect(plainLines(r.stderr, 'error: ')).toEqual([`error: ${status.message}`]);
  });

  test('a config error at read: the TRACE sentence on stderr once; stdout holds only JSON', async () => {
    const files = writeFiles({
      'config.json': { api_key: 'a'.repeat(32), api_secret: 'b'.repeat(32), page_size: 0 },
      'catalog.json': configuredCatalog([{ name: 'stores' }]),
    });
    const r = await runCli(['read', '--config', files['config.json']!, '--catalog', files['catalog.json']!]);
    expect(r.code).toBe(1);
    const trace = ofType(r.messages, 'TRACE')[0]!.trace as { error: { message: string } };
    expect(plainLines(r.stderr, 'error: ')).toEqual([`error: ${trace.error.message}`]);
    expect(
      r.stdout
        .split('\n')
        .filter(Boolean)
        .every((l) => l.startsWith('{')),
    ).toBe(true);
  });

  test('Ctrl-C: "sync cancelled by SIGINT" on stderr once, beside the summary table', async () => {
    sim = await simulator({ seed: 72, rateLimit: { limit: 2, windowMs: 60_000 }, counts: { orders: 900 } });
    const args = readArgs(sim, configuredCatalog([{ name: 'orders', mode: 'incremental' }]), {
      config: { page_size: 100 },
    });
    let interrupted = false;
    const r = await runCli(args, {
      onStdout: (chunk, pid) => {
        if (interrupted || !chunk.includes('"RATE_LIMITED"')) return;
        interrupted = true;
        process.kill(pid, 'SIGINT');
      },
    });
    expect(interrupted).toBe(true);
    expect(r.code).toBe(1);
    expect(plainLines(r.stderr, 'error: ')).toEqual([
      'error: sync cancelled by SIGINT; the next sync resumes from the last checkpoint',
    ]);
  });

  test('stdout on a terminal: nothing is repeated on stderr', async () => {
    const files = writeFiles({
      'config.json': { api_key: 'a'.repeat(32), api_secret: 'b'.repeat(32), baseurl: 'x', page_size: 0 },
    });
    // The real CLI, told its stdout is a terminal before it starts.
    const child = spawnSync(
      process.execPath,
      [`--import=data:text/javascript,${encodeURIComponent(TTY)}`, ENTRY, 'check', '--config', files['config.json']!],
      { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } },
    );
    expect(child.stdout).toMatch(/"status":"FAILED"/);
    expect(child.stdout).toMatch(/unknown config field 'baseurl'/);
    expect(child.stderr).toBe('');
  });
});

describe('config keys that do nothing', () => {
  test('one WARN each at check and at read, with the closest known key; on stderr too', async () => {
    sim = await simulator({ seed: 4, counts: { orders: 10 } });
    const config = { ...sim.config, baseurl: 'http://x', Start_Dte: '2024-01-01', zzz: 1, __command: 'test_read' };
    const want = [
      "unknown config field 'baseurl' (did you mean 'base_url'?); it is ignored",
      "unknown config field 'Start_Dte' (did you mean 'start_date'?); it is ignored",
      "unknown config field 'zzz'; it is ignored",
    ];
    const check = await runCli(configArgs('check', config));
    const read = await runCli(readArgs(sim, configuredCatalog([{ name: 'stores' }]), { config }));
    for (const r of [check, read]) {
      expect(logsOf(r, 'WARN')).toEqual(want);
      expect(plainLines(r.stderr, 'warning: ')).toEqual(want.map((w) => `warning: ${w}`));
    }
    expect(read.code).toBe(0);
  });

  test('normal use: no warning at all', async () => {
    sim = await simulator({ seed: 5, counts: { orders: 10 } });
    const r = await runCli(readArgs(sim, configuredCatalog([{ name: 'stores' }])));
    expect(r.code).toBe(0);
    expect(logsOf(r, 'WARN')).toEqual([]);
    expect(r.stderr).not.toMatch(/^(warning|error): /m);
  });
});
