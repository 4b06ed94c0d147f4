// Runs the bundled CLI (dist/shipstation-source.js) as a child process, exactly as an orchestrator does, and parses
// its stdout into protocol messages.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const ENTRY = join(ROOT, 'dist', 'shipstation-source.js');
/** tsc's unbundled entry point, for the tests that swap one of its modules through Node's module hooks. */
export const UNBUNDLED_ENTRY = join(ROOT, 'build', 'bin', 'shipstation-source.js');

export interface Message {
  type: string;
  [key: string]: unknown;
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  messages: Message[];
}

/**
 * Every byte any CLI run writes, in the whole test run, is checked for these: the simulator's accounts and
 * whatever a test registers. A leak fails the test that caused it.
 */
const SECRETS = new Set<string>([
  'a1b2c3d4e5f60718293a4b5c6d7e8f90',
  '5ec12e75ec12e75ec12e75ec12e75ec1',
  '0bad0bad0bad0bad0bad0bad0bad0bad',
  'dead0baddead0baddead0baddead0bad',
  // The v2 simulator's keys (src/simulator/options.ts).
  'simV2k8Qm3Tz7Wc1Lp5Xr9Hd2Jn6Bf4Y',
  'simV2noAccess4Kq8Zr2Mt6Wy1Pb5Hx9',
]);

export function registerSecret(...values: string[]): void {
  for (const v of values) SECRETS.add(v);
}

/** Every value no output may contain: the registered secrets and the simulator account's Basic credentials. */
export function secretNeedles(): string[] {
  const basic = (a: string, b: string) => Buffer.from(`${a}:${b}`).toString('base64');
  return [...SECRETS, basic('a1b2c3d4e5f60718293a4b5c6d7e8f90', '5ec12e75ec12e75ec12e75ec12e75ec1')];
}

export function leakedSecrets(output: string): string[] {
  return secretNeedles().filter((secret) => output.includes(secret));
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'ss-test-'));
}

/** Writes each value as JSON (strings verbatim) into a fresh temp dir; returns their paths. */
export function writeFiles(files: Record<string, unknown>): Record<string, string> {
  const dir = tempDir();
  const paths: Record<string, string> = {};
  for (const [name, value] of Object.entries(files)) {
    const path = join(dir, name);
    writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value));
    paths[name] = path;
  }
  return paths;
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  /** The program run; the bundle (ENTRY) unless given. */
  entry?: string;
  timeoutMs?: number;
  /** Each chunk of stdout as it arrives (to act on what the connector has written so far). */
  onStdout?: (chunk: string, pid: number) => void;
  /**
   * A destination slower than the source: after each chunk, stdout is not read for this many ms, so the pipe
   * fills and the connector's writes wait (backpressure), as they do behind a real destination.
   */
  slowReaderMs?: number;
}

/**
 * An `onStdout` that SIGKILLs the connector once it has written `n` STATE messages: a kill mid-sync, whatever
 * the machine's speed (a timer misses runs that end sooner than it fires).
 */
export function killAfterStates(n: number): (chunk: string, pid: number) => void {
  let states = 0;
  let killed = false;
  return (chunk, pid) => {
    states += chunk.split('"type":"STATE"').length - 1;
    if (killed || states < n) return;
    killed = true;
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone: the run ended on its own.
    }
  };
}

export function runCli(args: string[], opts: RunOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [opts.entry ?? ENTRY, ...args], {
      env: { ...process.env, NODE_OPTIONS: '', ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      if (child.pid) opts.onStdout?.(d, child.pid);
      if (opts.slowReaderMs) {
        child.stdout.pause();
        setTimeout(() => child.stdout.resume(), opts.slowReaderMs);
      }
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const leaks = leakedSecrets(stdout + stderr);
      if (leaks.length) {
        reject(
          new Error(`the connector wrote a secret (${leaks.length} value(s)) to stdout/stderr for: ${args.join(' ')}`),
        );
        return;
      }
      resolve({ code, signal, stdout, stderr, messages: parseLines(stdout, signal === 'SIGKILL') });
    });
  });
}

/** `partialTail`: a killed process may leave half a line at the end; it is dropped rather than parsed. */
export function parseLines(stdout: string, partialTail = false): Message[] {
  const lines = stdout.split('\n');
  if (partialTail) lines.pop();
  return lines
    .filter((line) => line.length > 0)
    .map((line) => {
      try {
        return JSON.parse(line) as Message;
      } catch {
        throw new Error(`stdout line is not JSON: ${line.slice(0, 200)}`);
      }
    });
}

export function ofType(messages: Message[], type: string): Message[] {
  return messages.filter((m) => m.type === type);
}

export function traceErrors(
  messages: Message[],
): Array<{ message: string; failure_type?: string; stack_trace?: string; internal_message?: string }> {
  return messages
    .filter((m) => m.type === 'TRACE' && (m.trace as { type: string }).type === 'ERROR')
    .map((m) => (m.trace as { error: { message: string; failure_type?: string; stack_trace?: string } }).error);
}
