// A sync into DuckDB as an orchestrator runs one: the configured catalog from `discover` (every stream,
// incremental where supported, default cursors), the state from the database, the connector's real entry
// point as a child process (`read --config --catalog --state`), and its stdout loaded as it comes.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { planStreams } from './loadPlan.js';
import { DestinationError } from './errors.js';
import { load, type LoadSummary, type Say } from './loader.js';
import { DuckDBWriter } from './duckdbWriter.js';

const ENTRY = fileURLToPath(new URL('../bin/shipstation-source.js', import.meta.url));

export interface SyncOptions {
  config: string;
  duckdb: string;
  /** Stream names; all of them when absent. */
  streams?: string[];
  /** Read every stream from the start (incremental ones without state) and replace every table. */
  fullRefresh?: boolean;
  say: Say;
  /** Called with the connector's process once it runs (to forward a cancellation). */
  onConnector?: (child: ChildProcess) => void;
  env?: NodeJS.ProcessEnv;
}

export interface SyncResult {
  /** The connector's exit code. */
  code: number;
  summary: LoadSummary;
}

interface DiscoveredStream {
  name: string;
  supported_sync_modes: string[];
  default_cursor_field?: string[];
  [key: string]: unknown;
}

export async function sync(options: SyncOptions): Promise<SyncResult> {
  const offered = await discover(options.config, options.env);
  const catalog = configuredCatalog(offered, options.streams, options.fullRefresh === true);
  const dir = mkdtempSync(join(tmpdir(), 'shipstation-sync-'));
  const writer = await DuckDBWriter.open(options.duckdb);
  try {
    await writer.prepare(planStreams(catalog), catalog);
    const states = options.fullRefresh ? [] : await writer.states(catalog.streams.map((s) => s.stream.name));
    const catalogPath = join(dir, 'configured_catalog.json');
    writeFileSync(catalogPath, JSON.stringify(catalog));
    const args = ['read', '--config', options.config, '--catalog', catalogPath];
    if (states.length) {
      writeFileSync(join(dir, 'state.json'), JSON.stringify(states));
      args.push('--state', join(dir, 'state.json'));
    }
    const child = spawn(process.execPath, [ENTRY, ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: options.env ?? process.env,
    });
    options.onConnector?.(child);
    const exited = once(child, 'close') as Promise<[number | null, NodeJS.Signals | null]>;
    let summary: LoadSummary;
    try {
      summary = await load(child.stdout, writer, options.say);
    } catch (err) {
      child.kill('SIGTERM');
      await exited;
      throw err;
    }
    const [code] = await exited;
    return { code: code ?? 1, summary };
  } finally {
    await writer.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs `discover` and returns its streams; the connector's own error message when it fails. */
async function discover(config: string, env?: NodeJS.ProcessEnv): Promise<DiscoveredStream[]> {
  const child = spawn(process.execPath, [ENTRY, 'discover', '--config', config], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: env ?? process.env,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  await once(child, 'close');
  const messages = stdout
    .split('\n')
    .filter(Boolean)
    .map(
      (line) =>
        JSON.parse(line) as {
          type: string;
          catalog?: { streams: DiscoveredStream[] };
          trace?: { error?: { message?: string } };
        },
    );
  const catalog = messages.find((m) => m.type === 'CATALOG')?.catalog;
  if (catalog) return catalog.streams;
  const error = messages.find((m) => m.type === 'TRACE')?.trace?.error?.message ?? stderr.trim();
  throw new DestinationError(`discover failed: ${error || 'no catalog'}`);
}

export function configuredCatalog(offered: DiscoveredStream[], names: string[] | undefined, fullRefresh: boolean) {
  const unknown = (names ?? []).filter((n) => !offered.some((s) => s.name === n));
  if (unknown.length)
    throw new DestinationError(
      `unknown stream(s) ${unknown.join(', ')}; the connector offers ${offered.map((s) => s.name).join(', ')}`,
    );
  return {
    streams: offered
      .filter((s) => !names || names.includes(s.name))
      .map((stream) => {
        const incremental = stream.supported_sync_modes.includes('incremental');
        return {
          stream,
          sync_mode: incremental ? 'incremental' : 'full_refresh',
          destination_sync_mode: incremental && !fullRefresh ? 'append_dedup' : 'overwrite',
          ...(incremental ? { cursor_field: stream.default_cursor_field } : {}),
        };
      }),
  };
}
