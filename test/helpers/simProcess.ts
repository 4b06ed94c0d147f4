// The simulator in a Node process of its own (dist/shipstation-simulator.js), driven over its control endpoints: a suite
// that runs dozens of reads against it keeps the test process free, which would otherwise serve every page.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { ConnectorConfig, MutationResult, MutationSpec, StreamName } from '../../src/simulator/index.js';
import { ROOT } from './cli.js';

type Data = Record<string, unknown>;

export interface SimProcess {
  readonly config: ConnectorConfig;
  /** A mutation just before the `atRequest`-th API request from now (POST /__sim/mutate). */
  schedule(atRequest: number, spec: MutationSpec): Promise<void>;
  mutationLog(): Promise<MutationResult[]>;
  /** Every current record in API form (GET /__sim/truth/<stream>). */
  truth(stream: StreamName): Promise<Data[]>;
  close(): Promise<void>;
}

/** Starts the simulator CLI with these flags (a free port); rate-limit headers on, the limit far above any test's. */
export async function startSimProcess(flags: string[]): Promise<SimProcess> {
  const child = spawn(
    process.execPath,
    [join(ROOT, 'dist', 'shipstation-simulator.js'), '--rate-limit', '100000', '--rate-window-ms', '1000', ...flags],
    {
      env: { ...process.env, NODE_OPTIONS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const config = await firstLine(child);
  const control = async (method: string, path: string, body?: unknown): Promise<Response> => {
    const response = await fetch(`${config.base_url}/__sim/${path}`, {
      method,
      ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    });
    if (!response.ok)
      throw new Error(`simulator ${method} /__sim/${path}: ${response.status} ${await response.text()}`);
    return response;
  };
  return {
    config,
    schedule: async (atRequest, spec) => void (await control('POST', 'mutate', { ...spec, atRequest })),
    mutationLog: async () => (await (await control('GET', 'mutations')).json()) as MutationResult[],
    truth: async (stream) =>
      (await (await control('GET', `truth/${stream}`)).text())
        .split('\n')
        .filter((line) => line.length > 0)
        .map((line) => JSON.parse(line) as Data),
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('close', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** The CLI's one line of stdout: the connector's config. */
function firstLine(child: ChildProcess): Promise<ConnectorConfig> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const end = out.indexOf('\n');
      if (end >= 0) resolve((JSON.parse(out.slice(0, end)) as { config: ConnectorConfig }).config);
    });
    child.once('close', (code) =>
      reject(new Error(`the simulator exited (${code}) before it printed its config: ${err.slice(0, 1000)}`)),
    );
  });
}
