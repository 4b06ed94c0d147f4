// Running the connector: as a child process (the CLI an orchestrator runs) or in process through main().
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { BUILD, ENTRY } from './paths.mjs';

/** The catalog `discover` prints (run in process), with the names of the child streams (rows unnested from a parent). */
export async function discover(config) {
  const { code, kept } = await readInProcess(['discover', '--config', writeInput('config.json', config)], {
    keep: '{"type":"CATALOG"',
  });
  if (code !== 0 || kept.length !== 1) throw new Error(`discover failed (exit ${code})`);
  const streams = JSON.parse(kept[0]).catalog.streams;
  const { CHILD_STREAMS } = await import(`${BUILD}/streams/definitions.js`);
  const children = new Set(CHILD_STREAMS.map((child) => child.name));
  return { streams, children, parents: streams.map((s) => s.name).filter((n) => !children.has(n)) };
}

/** Configured catalog for `names`: incremental on the default cursor where the stream supports it, else full refresh. */
export function configure(discovered, names) {
  return {
    streams: discovered.streams
      .filter((s) => names.includes(s.name))
      .map((stream) => {
        const incremental = stream.supported_sync_modes.includes('incremental');
        return {
          stream,
          sync_mode: incremental ? 'incremental' : 'full_refresh',
          destination_sync_mode: 'append',
          ...(incremental ? { cursor_field: stream.default_cursor_field } : {}),
        };
      }),
  };
}

/** The last STATE per stream among `lines` (STATE messages as printed): the state the next sync starts from. */
export function lastStates(lines) {
  const last = new Map();
  for (const line of lines) {
    const { state } = JSON.parse(line);
    last.set(state.stream.stream_descriptor.name, state);
  }
  return [...last.values()];
}

export const incrementalNames = (configured) =>
  configured.streams.filter((s) => s.sync_mode === 'incremental').map((s) => s.stream.name);

const dirs = [];
process.once('exit', () => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function writeInput(name, value) {
  const dir = mkdtempSync(join(tmpdir(), 'ss-bench-'));
  dirs.push(dir);
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(value));
  return path;
}

/** Writes config, catalog and (optional) state files; returns the `read` argv. */
export function readArgs({ config, catalog, state }) {
  const args = [
    'read',
    '--config',
    writeInput('config.json', config),
    '--catalog',
    writeInput('catalog.json', catalog),
  ];
  if (state !== undefined) args.push('--state', writeInput('state.json', state));
  return args;
}

/**
 * A stdout that drops everything. Optionally keeps the lines starting with `keep` and counts those starting
 * with `count` (both cost CPU: not used in measured runs).
 */
export function sink({ keep, count } = {}) {
  const kept = [];
  const counter = { n: 0 };
  let tail = '';
  const stream = new Writable({
    decodeStrings: false,
    write(chunk, _enc, done) {
      if (keep || count) {
        const lines = (tail + chunk.toString()).split('\n');
        tail = lines.pop();
        for (const line of lines) {
          if (keep && line.startsWith(keep)) kept.push(line);
          if (count && line.startsWith(count)) counter.n++;
        }
      }
      done();
    },
  });
  return { stream, kept, counter };
}

let mainFn;
/** The connector's main() in this process, stdout discarded (see `sink`). */
export async function readInProcess(args, sinkOptions = {}) {
  process.env.SHIPSTATION_PROGRESS = 'off';
  if (!mainFn) {
    // As every entry point in src/bin does before anything reads a date.
    (await import(`${BUILD}/time/processZone.js`)).useUtcProcessZone();
    mainFn = (await import(`${BUILD}/cli/main.js`)).main;
  }
  const out = sink(sinkOptions);
  const code = await mainFn(args, { stdout: out.stream, stderr: sink().stream });
  return { code, kept: out.kept, counted: out.counter.n };
}

export const TIME_BIN = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

function readStatus(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key) => {
      const m = status.match(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm'));
      return m ? Number(m[1]) : undefined;
    };
    return { hwmKb: kb('VmHWM'), rssKb: kb('VmRSS') };
  } catch {
    return undefined;
  }
}

function childPids(pid) {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/**
 * Runs the CLI as a child. stdout goes to a pipe that is drained (kept only when `keepPrefix` is given).
 * With `measureRss`, the run is wrapped in /usr/bin/time -f %M when available, and the node process's VmHWM is
 * also polled from /proc every 50 ms and read once more when its stdout ends (just before it exits).
 */
export function readChild(args, { keepPrefix, measureRss = false, asCommand = false, env = {} } = {}) {
  return new Promise((resolve, reject) => {
    const useTime = measureRss && TIME_BIN !== null;
    // asCommand: the bundle run as a program, as the package's bin runs it (its first line execs node, same pid).
    const program = asCommand ? [ENTRY] : [process.execPath, ENTRY];
    const command = useTime ? TIME_BIN : program[0];
    const argv = [...(useTime ? ['-f', 'BENCH_MAXRSS_KB=%M', ...program] : program.slice(1)), ...args];
    const started = performance.now();
    const child = spawn(command, argv, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NODE_OPTIONS: '', SHIPSTATION_PROGRESS: 'off', ...env },
    });
    let nodePid = useTime ? undefined : child.pid;
    let hwmKb;
    const poll = () => {
      nodePid ??= childPids(child.pid)[0];
      if (nodePid === undefined) return;
      const s = readStatus(nodePid);
      if (s?.hwmKb !== undefined) hwmKb = Math.max(hwmKb ?? 0, s.hwmKb);
    };
    const timer = measureRss ? setInterval(poll, 50) : undefined;
    const kept = [];
    let tail = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      if (!keepPrefix) return;
      const lines = (tail + chunk.toString()).split('\n');
      tail = lines.pop();
      for (const line of lines) if (line.startsWith(keepPrefix)) kept.push(line);
    });
    child.stdout.on('end', () => {
      if (measureRss) poll();
    });
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(timer);
      const wallMs = performance.now() - started;
      const m = stderr.match(/BENCH_MAXRSS_KB=(\d+)/);
      resolve({
        code,
        wallMs,
        kept,
        stderr: stderr.replace(/BENCH_MAXRSS_KB=\d+\n?/, ''),
        procHwmKb: hwmKb,
        timeMaxRssKb: m ? Number(m[1]) : undefined,
      });
    });
  });
}
