// SIGINT and SIGTERM stop the destination commands cleanly at any point (issue #24): before the connector runs,
// while it reads, while the loader reads its input; what is complete is committed, the lock is released, the exit
// code says which signal, and no process outlives the command (npm included). A connector killed by a signal is
// reported as such. Each test waits for the point it aims at by watching processes and files, never the clock.
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { ROOT, tempDir, writeFiles } from '../helpers/cli.js';
import { simulator, type Simulator } from '../helpers/sim.js';
import { LOAD, query, SYNC } from './helpers.js';
import { record, state } from './messages.js';

/** The processes whose parent is `pid` (Linux /proc), with their command lines. */
function children(pid: number): Array<{ pid: number; args: string }> {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8');
  } catch {
    return [];
  }
  return text
    .split(' ')
    .filter(Boolean)
    .map(Number)
    .map((child) => {
      try {
        return { pid: child, args: readFileSync(`/proc/${child}/cmdline`, 'utf8').split('\0').join(' ') };
      } catch {
        return { pid: child, args: '' };
      }
    });
}

const running = (pid: number) =>
  existsSync(`/proc/${pid}`) && !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');

async function until(what: string, ready: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ready())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

interface Run {
  child: ChildProcess;
  stderr: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Commands started by the test running now: killed after it, so one that ignores a signal fails only its test. */
const started: ChildProcess[] = [];
afterEach(() => {
  for (const child of started.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

function start(command: string, args: string[], stdin: 'pipe' | 'ignore' = 'ignore', cwd = ROOT): Run {
  const child = spawn(command, args, {
    stdio: [stdin, 'ignore', 'pipe'],
    env: { ...process.env, NODE_OPTIONS: '', SHIPSTATION_PROGRESS: 'off' },
    cwd,
  });
  started.push(child);
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  return { child, stderr: () => stderr, exit };
}

/** The file opens read-write: no process holds its lock. */
async function unlocked(file: string): Promise<boolean> {
  const instance = await DuckDBInstance.create(file);
  instance.closeSync();
  return true;
}

/** Records staged by the process: a segment file exists once a state closed one. */
const staged = (pid: number) =>
  staging(pid).some((dir) => readdirSync(join(tmpdir(), dir)).some((f) => f.endsWith('.jsonl')));

const staging = (pid: number) =>
  readdirSync(tmpdir()).filter(
    (n) => n.startsWith(`shipstation-load-${pid}-`) || n.startsWith(`shipstation-sync-${pid}-`),
  );

const loadCatalog = {
  streams: [
    {
      stream: {
        name: 'items',
        json_schema: { type: 'object', properties: { id: { type: 'integer' } } },
        supported_sync_modes: ['incremental'],
        source_defined_primary_key: [['id']],
      },
      sync_mode: 'incremental',
      destination_sync_mode: 'append_dedup',
    },
  ],
};
const lines = (messages: unknown[]) => `${messages.map((m) => JSON.stringify(m)).join('\n')}\n`;

describe('shipstation-load stops on a signal', () => {
  test.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const)('%s while its input is still open: what the states cover is committed, exit %i', async (signal, code) => {
    const file = join(tempDir(), 'load.duckdb');
    const catalogPath = writeFiles({ 'c.json': loadCatalog })['c.json']!;
    const run = start(process.execPath, [LOAD, '--duckdb', file, '--catalog', catalogPath], 'pipe');
    run.child.stdin!.write(lines([record('items', { id: 1 }), record('items', { id: 2 }), state('items', 'two')]));
    run.child.stdin!.write(lines([record('items', { id: 3 })]));
    await until('the loader to stage the records its state covers', () => staged(run.child.pid!));
    run.child.kill(signal);
    const exit = await run.exit;
    expect(exit).toEqual({ code, signal: null });
    expect(run.stderr()).toContain(
      `shipstation-load: stopped by ${signal}; what the states received cover is committed`,
    );
    expect(await unlocked(file)).toBe(true);
    expect(await query(file, 'SELECT count(*) AS n FROM items')).toEqual([{ n: '2' }]);
    expect(staging(run.child.pid!)).toEqual([]);
  });

  test('through npm run load: npm passes the signal to node (no shell between them) and returns its code', async () => {
    const file = join(tempDir(), 'npm.duckdb');
    const catalogPath = writeFiles({ 'c.json': loadCatalog })['c.json']!;
    const npm = start('npm', ['run', '-s', 'load', '--', '--duckdb', file, '--catalog', catalogPath], 'pipe');
    let node = 0;
    await until(
      'npm to start node',
      () => {
        node = children(npm.child.pid!).find((c) => c.args.startsWith(`node dist/shipstation-load.js`))?.pid ?? 0;
        return node > 0 && existsSync(file);
      },
      120_000,
    );
    npm.child.kill('SIGTERM');
    expect(await npm.exit).toEqual({ code: 143, signal: null });
    expect(npm.stderr()).toContain('shipstation-load: stopped by SIGTERM');
    expect(running(node)).toBe(false);
  }, 150_000);
});

describe('shipstation-sync stops on a signal', () => {
  let sim: Simulator;
  let config: string;
  beforeAll(async () => {
    // A tight limit: the read takes seconds, so it can be caught in the middle.
    sim = await simulator({
      seed: 24,
      counts: { orders: 600, shipments: 200, customers: 60 },
      rateLimit: { limit: 12, windowMs: 500 },
    });
    config = writeFiles({ 'config.json': { ...sim.config, page_size: 40 } })['config.json']!;
  });
  afterAll(() => sim.close());

  const sync = (file: string) => start(process.execPath, [SYNC, '--config', config, '--duckdb', file]);
  const connectors = (pid: number, command: 'discover' | 'read') =>
    children(pid).filter((c) => c.args.includes('shipstation-source.js') && c.args.includes(` ${command} `));

  test('before the connector runs (during discover): exit 143, nothing loaded, no process left', async () => {
    const file = join(tempDir(), 'before.duckdb');
    const run = sync(file);
    let discover = 0;
    await until('discover', () => (discover = connectors(run.child.pid!, 'discover')[0]?.pid ?? 0) > 0);
    run.child.kill('SIGTERM');
    expect(await run.exit).toEqual({ code: 143, signal: null });
    expect(run.stderr()).toContain('shipstation-sync: stopped by SIGTERM before the connector ran; nothing was loaded');
    expect(running(discover)).toBe(false);
    expect(existsSync(file)).toBe(false);
    expect(staging(run.child.pid!)).toEqual([]);
  });

  test.each([
    ['SIGTERM', 143, true],
    ['SIGINT', 130, false],
  ] as const)(
    '%s to the sync alone while the connector reads: its checkpoints are loaded, exit %i (and the next run completes: %s)',
    async (signal, code, rerun) => {
      const file = join(tempDir(), 'during.duckdb');
      const run = sync(file);
      let read = 0;
      await until('the read to start', () => (read = connectors(run.child.pid!, 'read')[0]?.pid ?? 0) > 0);
      await until('records and a state to arrive', () => staged(run.child.pid!));
      run.child.kill(signal);
      expect(await run.exit).toEqual({ code, signal: null });
      expect(run.stderr()).toContain(
        `shipstation-sync: stopped by ${signal}; what the connector sent before it stopped is loaded`,
      );
      expect(running(read)).toBe(false);
      expect(await unlocked(file)).toBe(true);
      const [{ states }] = (await query(file, 'SELECT count(*) AS states FROM _shipstation_state')) as [
        { states: string },
      ];
      expect(Number(states)).toBeGreaterThan(0);
      if (!rerun) return;
      const again = sync(file);
      expect(await again.exit).toEqual({ code: 0, signal: null });
      expect(
        await query(file, 'SELECT count(*) - count(DISTINCT orderId) AS twice, count(*) AS n FROM orders'),
      ).toEqual([{ twice: '0', n: '600' }]);
    },
    120_000,
  );

  test('a connector killed by a signal is reported as killed by it, not as an exit code', async () => {
    const file = join(tempDir(), 'killed.duckdb');
    const run = sync(file);
    let read = 0;
    await until('the read to start', () => (read = connectors(run.child.pid!, 'read')[0]?.pid ?? 0) > 0);
    process.kill(read, 'SIGKILL');
    expect(await run.exit).toEqual({ code: 1, signal: null });
    expect(run.stderr()).toMatch(/^the connector was killed by SIGKILL.*; run again to resume from the stored state$/m);
    expect(await unlocked(file)).toBe(true);
  }, 120_000);
});
