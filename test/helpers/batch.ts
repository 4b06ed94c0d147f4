// Many reads of the built connector in one Node process (runMany.mjs: the code dist/shipstation-source.js bundles, each read
// with its own stdout): dozens of syncs resuming from dozens of checkpoints cost one process start, and run
// beside the test process, which serves the simulator. Same arguments, protocol lines and exit codes as
// runCli; RECORD messages come cut to the fields asked for (the whole output is read on demand), so that the
// test process does not parse every record of every run. Use runCli where the process itself matters.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseLines, ROOT, secretNeedles, tempDir, type Message } from './cli.js';

export interface BatchResult {
  code: number;
  /** Protocol messages, each RECORD's data cut to the fields asked for. */
  messages: Message[];
  /** Every message with whole records, parsed when asked for. */
  full(): Message[];
}

interface Job {
  args: string[];
  stdout: string;
  messages: string;
}

/**
 * Runs every read, `parallel` at a time in each of `processes` Node processes (the reads split between them in
 * turn), and gives their results in the order of `runs`.
 */
export async function runBatch(
  runs: string[][],
  opts: { keep?: string[]; processes?: number; parallel?: number; timeoutMs?: number } = {},
): Promise<BatchResult[]> {
  const dir = tempDir();
  const jobs = runs.map((args, i) => ({ args, stdout: join(dir, `${i}.out`), messages: join(dir, `${i}.json`) }));
  const processes = Math.max(1, Math.min(opts.processes ?? 2, jobs.length));
  const shares = Array.from({ length: processes }, (_, p) => jobs.filter((_, i) => i % processes === p));
  const answers = await Promise.all(shares.map((share, p) => runShare(share, join(dir, `jobs-${p}.json`), opts)));
  const results = jobs.map((_, i) => answers[i % processes]![Math.floor(i / processes)]!);
  return jobs.map((job, i) => {
    const { code, leaks } = results[i]!;
    if (leaks > 0)
      throw new Error(`the connector wrote a secret (${leaks} value(s)) to stdout/stderr for: ${job.args.join(' ')}`);
    return {
      code,
      messages: JSON.parse(readFileSync(job.messages, 'utf8')) as Message[],
      full: () => parseLines(readFileSync(job.stdout, 'utf8')),
    };
  });
}

function runShare(
  jobs: Job[],
  spec: string,
  opts: { keep?: string[]; parallel?: number; timeoutMs?: number },
): Promise<{ code: number; leaks: number }[]> {
  writeFileSync(spec, JSON.stringify({ jobs, keep: opts.keep ?? null, needles: secretNeedles() }));
  return new Promise<{ code: number; leaks: number }[]>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [join(ROOT, 'test', 'helpers', 'runMany.mjs'), spec, String(opts.parallel ?? 3)],
      {
        env: { ...process.env, NODE_OPTIONS: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) reject(new Error(`runMany.mjs exited with ${code}: ${err.slice(0, 2000)}`));
      else resolve(JSON.parse(out) as { code: number; leaks: number }[]);
    });
  });
}
