// The ShipStation simulator in a child process (dist/shipstation-simulator.js), so its CPU and memory never mix with
// what the bench measures. Control goes through its /__sim/ endpoints (no auth, no rate limit, not counted).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { DIST } from './paths.mjs';

const live = new Set();
process.once('exit', () => {
  for (const child of live) child.kill('SIGTERM');
});

/**
 * counts: records per stream (v1's names; v2 serves views of them); rateLimit: {limit, windowMs}; api: v1 or v2. "Limit off" runs pass a huge limit instead of
 * disabling it: without rate-limit headers the connector keeps assuming 40 requests a minute.
 */
export async function startSimChild({
  counts = {},
  rateLimit,
  seed = 7,
  timelineLimit = 100_000,
  latency,
  api = 'v1',
}) {
  const args = [
    `${DIST}/shipstation-simulator.js`,
    '--seed',
    String(seed),
    '--timeline-limit',
    String(timelineLimit),
    '--api',
    api,
  ];
  for (const [stream, n] of Object.entries(counts)) args.push(`--${stream}`, String(n));
  args.push('--rate-limit', String(rateLimit.limit), '--rate-window-ms', String(rateLimit.windowMs));
  if (latency)
    args.push('--page-latency-ms', String(latency.baseMs), '--record-latency-ms', String(latency.perRecordMs));
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  live.add(child);
  child.once('exit', () => live.delete(child));
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
  const lines = createInterface({ input: child.stdout });
  const first = await Promise.race([
    once(lines, 'line').then(([line]) => line),
    once(child, 'exit').then(([code]) => Promise.reject(new Error(`simulator exited with ${code}: ${stderr}`))),
  ]);
  lines.close();
  child.stdout.resume();
  const info = JSON.parse(first);
  const base = info.base_url;
  const control = async (path, init) => {
    const res = await fetch(`${base}/__sim/${path}`, init);
    if (!res.ok) throw new Error(`simulator ${path}: ${res.status}`);
    return res;
  };
  return {
    pid: child.pid,
    baseUrl: base,
    config: info.config,
    counts,
    rateLimit,
    async stats() {
      return (await control('stats')).json();
    },
    /** A change to the data now (the simulator's MutationSpec: {op, count, …ids}); returns what changed. */
    async mutate(spec) {
      const res = await control('mutate', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(spec),
      });
      return res.json();
    },
    async resetStats() {
      await control('stats/reset', { method: 'POST' });
    },
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}
