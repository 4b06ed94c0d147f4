// A sync into DuckDB as an orchestrator runs one: the configured catalog from `discover` (every stream,
// incremental where supported, default cursors), the state from the database, the connector's real entry
// point as a child process (`read --config --catalog --state`), and its stdout loaded as it comes.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadDuckDB } from './duckdb.js';
import { DuckDBWriter } from './duckdbWriter.js';
import { DestinationError } from './errors.js';
import { type LoadSummary, type Say, load } from './loader.js';
import { planStreams } from './loadPlan.js';
import { makeTempDir } from './tempFiles.js';
import { DEFAULT_FULL_PASS_HOURS, FULL_PASS_FIELD, fullPassDue } from '../fullPass.js';

// The connector's bundle sits beside this one's (dist/); it runs with the heap caps its own bin starts node with.
const ENTRY = fileURLToPath(new URL('./shipstation-source.js', import.meta.url));
const HEAP_FLAGS = ['--max-old-space-size=128', '--max-semi-space-size=4'];
/** The connector stops within about 3 s of a SIGTERM (its exit guard); one that does not is killed. */
const KILL_AFTER_MS = 10_000;

export interface SyncOptions {
  config: string;
  duckdb: string;
  /** Stream names; all of them when absent. */
  streams?: string[];
  /** Read every stream from the start (incremental ones without state) and replace every table. */
  fullRefresh?: boolean;
  say: Say;
  /** Aborted (a signal): the connector is asked to stop, or never started; what it sent is loaded. */
  signal?: AbortSignal;
  /** The longest line the loader takes. */
  maxLineBytes?: number;
  env?: NodeJS.ProcessEnv;
}

export interface SyncResult {
  /** How the connector ended; absent when the sync stopped before it ran. */
  connector?: { code: number | null; signal: NodeJS.Signals | null };
  summary?: LoadSummary;
}

interface DiscoveredStream {
  name: string;
  supported_sync_modes: string[];
  default_cursor_field?: string[] | null;
  [key: string]: unknown;
}

export async function sync(options: SyncOptions): Promise<SyncResult> {
  const { signal } = options;
  if (signal?.aborted) return {};
  // A missing DuckDB is said before the connector runs, not after a discover.
  await loadDuckDB();
  const offered = await discover(options.config, options.env, signal);
  if (offered === undefined) return {};
  const dir = makeTempDir('sync');
  try {
    const writer = await DuckDBWriter.open(options.duckdb);
    try {
      const stored = options.fullRefresh ? [] : await writer.states(offered.map((s) => s.name));
      const refreshed = duePasses(stored, fullPassHours(options.config), Date.now());
      for (const name of refreshed)
        options.say(`${name}: a full pass is due (full_pass_hours): its table is replaced when the stream completes`);
      const catalog = configuredCatalog(offered, options.streams, options.fullRefresh === true, refreshed);
      await writer.prepare(planStreams(catalog), catalog);
      const names = new Set(catalog.streams.map((s) => s.stream.name));
      // A stream read as a refresh starts without its state: the source reads it whole.
      const states = stored.filter((text) => {
        const name = streamOf(text);
        return name !== undefined && names.has(name) && !refreshed.has(name);
      });
      if (signal?.aborted) return {};
      const catalogPath = join(dir, 'configured_catalog.json');
      writeFileSync(catalogPath, JSON.stringify(catalog));
      const args = ['read', '--config', options.config, '--catalog', catalogPath];
      if (states.length) {
        // The states as the connector wrote them: never parsed and written again.
        writeFileSync(join(dir, 'state.json'), `[${states.join(',')}]`);
        args.push('--state', join(dir, 'state.json'));
      }
      const child = spawn(process.execPath, [...HEAP_FLAGS, ENTRY, ...args], {
        stdio: ['ignore', 'pipe', 'inherit'],
        // The loader reports the source's errors itself: the source need not repeat them on the shared stderr.
        env: { ...(options.env ?? process.env), SHIPSTATION_STDERR_ECHO: 'off' },
      });
      const exited = once(child, 'close') as Promise<[number | null, NodeJS.Signals | null]>;
      const stopChild = stopOnAbort(child, signal);
      let summary: LoadSummary;
      try {
        summary = await load(child.stdout, writer, options.say, { maxLineBytes: options.maxLineBytes });
      } catch (err) {
        child.kill('SIGTERM');
        await exited.catch(() => undefined);
        throw err;
      } finally {
        stopChild();
      }
      const [code, killedBy] = await exited;
      return { connector: { code, signal: killedBy }, summary };
    } finally {
      await writer.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** On abort, SIGTERM to the child, and SIGKILL if it is still there after KILL_AFTER_MS; returns the undo. */
function stopOnAbort(child: ChildProcess, signal: AbortSignal | undefined): () => void {
  let timer: NodeJS.Timeout | undefined;
  const stop = () => {
    child.kill('SIGTERM');
    timer = setTimeout(() => child.kill('SIGKILL'), KILL_AFTER_MS);
    timer.unref();
  };
  if (signal?.aborted) stop();
  else signal?.addEventListener('abort', stop, { once: true });
  return () => {
    signal?.removeEventListener('abort', stop);
    clearTimeout(timer);
  };
}

/** Runs `discover` and returns its streams (undefined when stopped); the connector's own error when it fails. */
async function discover(
  config: string,
  env: NodeJS.ProcessEnv | undefined,
  signal: AbortSignal | undefined,
): Promise<DiscoveredStream[] | undefined> {
  const child = spawn(process.execPath, [...HEAP_FLAGS, ENTRY, 'discover', '--config', config], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: env ?? process.env,
  });
  const stopChild = stopOnAbort(child, signal);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  try {
    await once(child, 'close');
  } finally {
    stopChild();
  }
  if (signal?.aborted) return undefined;
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

/** The stream a stored STATE message is for. */
function streamOf(text: string): string | undefined {
  const state = JSON.parse(text) as { stream?: { stream_descriptor?: { name?: unknown } } };
  const name = state.stream?.stream_descriptor?.name;
  return typeof name === 'string' ? name : undefined;
}

/** config.full_pass_hours as the source reads it (its default when absent; the source refuses a bad one). */
function fullPassHours(configPath: string): number {
  try {
    const hours = (JSON.parse(readFileSync(configPath, 'utf8')) as { full_pass_hours?: unknown }).full_pass_hours;
    return typeof hours === 'number' && Number.isInteger(hours) && hours >= 0 ? hours : DEFAULT_FULL_PASS_HOURS;
  } catch {
    return DEFAULT_FULL_PASS_HOURS;
  }
}

/**
 * The streams whose state says when their last full pass began (those the source reads newest first) and whose
 * next one is due: the source reads them whole when given no state, and the same rule (fullPass.ts) tells.
 */
export function duePasses(states: readonly string[], hours: number, nowUtc: number): Set<string> {
  const due = new Set<string>();
  for (const text of states) {
    const state = JSON.parse(text) as { stream?: { stream_state?: Record<string, unknown> } };
    const last = state.stream?.stream_state?.[FULL_PASS_FIELD];
    const name = streamOf(text);
    if (name !== undefined && typeof last === 'string' && fullPassDue(last, hours, nowUtc)) due.add(name);
  }
  return due;
}

export function configuredCatalog(
  offered: DiscoveredStream[],
  names: string[] | undefined,
  fullRefresh: boolean,
  refreshed: ReadonlySet<string> = new Set(),
) {
  // A refresh is a new generation; seconds since the epoch only grow.
  const generation = Math.floor(Date.now() / 1000);
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
          ...(incremental && stream.default_cursor_field ? { cursor_field: stream.default_cursor_field } : {}),
          ...(refreshed.has(stream.name) ? { generation_id: generation, minimum_generation_id: generation } : {}),
        };
      }),
  };
}
