// What an orchestrator pays on every call (issues 15 and 25): spec against a bare `node -e 0`, check, a
// no-change incremental sync of every stream, each run as the package's command runs it (the bundle executed as a
// program: its first line starts node with the heap caps), and the peak RSS of 20k- and 100k-order syncs run that
// way and as a plain `node dist/shipstation-source.js` without flags. CPU is user + system time of the child
// (all its threads) from /usr/bin/time; medians of several runs, the baseline measured in the same run,
// interleaved with what it is compared to.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configure, lastStates, readArgs, readChild, TIME_BIN } from './connector.mjs';
import { figure, median } from './measure.mjs';
import { ENTRY } from './paths.mjs';
import { LIMIT_OFF, catalogs, peakRss, withSim } from './scenarios.mjs';

const REPEATS = 11;
const SYNC_REPEATS = 5;
const fixed = (d) => (v) => (Number.isFinite(v) ? v.toFixed(d) : String(v));

/** One run of `argv` (a program and its arguments): CPU ms (user + system) and peak RSS MB; wall ms without /usr/bin/time. */
function usage(argv) {
  return new Promise((resolve, reject) => {
    const command = TIME_BIN ?? argv[0];
    const args = TIME_BIN ? ['-f', 'BENCH_USAGE=%U %S %M', ...argv] : argv.slice(1);
    const started = performance.now();
    const child = spawn(command, args, {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, NODE_OPTIONS: '', SHIPSTATION_PROGRESS: 'off' },
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`${argv.join(' ')} exited ${code}: ${stderr}`));
      const m = stderr.match(/BENCH_USAGE=([\d.]+) ([\d.]+) (\d+)/);
      resolve(
        m
          ? { cpuMs: (Number(m[1]) + Number(m[2])) * 1000, rssMB: Number(m[3]) / 1024 }
          : { cpuMs: performance.now() - started, rssMB: NaN },
      );
    });
  });
}

/** Medians of `repeats` runs of each command, interleaved so load changes hit them alike. */
async function compare(commands, repeats) {
  const runs = commands.map(() => []);
  for (let i = 0; i < repeats; i++) for (const [k, argv] of commands.entries()) runs[k].push(await usage(argv));
  return runs.map((r) => ({
    cpuMs: median(r.map((x) => x.cpuMs)),
    rssMB: median(r.map((x) => x.rssMB)),
    cpuRuns: r.map((x) => Math.round(x.cpuMs)),
  }));
}

function file(name, value) {
  const path = join(mkdtempSync(join(tmpdir(), 'ss-startup-')), name);
  writeFileSync(path, JSON.stringify(value));
  return path;
}

export async function startupFigures(log) {
  const bare = [process.execPath, '-e', '0'];
  log(`start-up: spec vs node -e 0 (${REPEATS} runs each)`);
  const [node, spec] = await compare([bare, [ENTRY, 'spec']], REPEATS);

  const discovered = await catalogs();
  const complete = configure(
    discovered,
    discovered.streams.map((s) => s.name),
  );
  const sync = await withSim({ rateLimit: LIMIT_OFF }, async (sim) => {
    const config = file('config.json', sim.config);
    log(`start-up: check (${REPEATS} runs), then a no-change incremental sync of every stream (${SYNC_REPEATS} runs)`);
    const [check] = await compare([bare, [ENTRY, 'check', '--config', config]], REPEATS).then(([, c]) => [c]);
    const first = await readChild(readArgs({ config: sim.config, catalog: complete }), {
      keepPrefix: '{"type":"STATE"',
    });
    if (first.code !== 0) throw new Error(`first sync exited ${first.code}: ${first.stderr}`);
    const args = readArgs({ config: sim.config, catalog: complete, state: lastStates(first.kept) });
    const [noChangeNode, noChange] = await compare([bare, [ENTRY, ...args]], SYNC_REPEATS);
    return { check, noChange, noChangeNode };
  });

  log('start-up: peak RSS of 20k- and 100k-order syncs, as the command and as plain node without V8 flags');
  const rss = [await peakRss(20_000), await peakRss(100_000)];
  const command = [await peakRss(20_000, '', true), await peakRss(100_000, '', true)];
  const flat = rss[1].peakMB / rss[0].peakMB;
  const noChangeRatio = sync.noChange.cpuMs / sync.noChangeNode.cpuMs;
  const cpuDetail = (r) =>
    `median of [${r.cpuRuns.join(', ')}] ms; peak RSS ${r.rssMB.toFixed(1)} MB; node -e 0: ${node.cpuMs.toFixed(0)} ms, ${node.rssMB.toFixed(1)} MB`;
  const figures = [
    figure('startup_spec_ratio', 'CPU, spec / node -e 0 (same run)', spec.cpuMs / node.cpuMs, {
      fmt: fixed(2),
      goal: '≤ 1.5',
      pass: spec.cpuMs / node.cpuMs <= 1.5,
      detail: cpuDetail(spec),
    }),
    figure('startup_check_cpu_ms', 'CPU, check (ms)', sync.check.cpuMs, {
      fmt: fixed(0),
      detail: `${(sync.check.cpuMs / node.cpuMs).toFixed(2)} × node -e 0; ${cpuDetail(sync.check)}`,
    }),
    figure('no_change_sync_cpu_ms', 'CPU, no-change incremental sync of every stream (ms)', sync.noChange.cpuMs, {
      fmt: fixed(0),
      goal: '≤ 500',
      pass: sync.noChange.cpuMs <= 500,
      detail: `simulator default counts (full-refresh streams re-read); ${cpuDetail(sync.noChange)}`,
    }),
    figure('no_change_sync_ratio', 'CPU, no-change sync / node -e 0 (interleaved in the same run)', noChangeRatio, {
      fmt: fixed(2),
      goal: '≤ 4',
      pass: noChangeRatio <= 4,
      detail: `node -e 0 interleaved: ${sync.noChangeNode.cpuMs.toFixed(0)} ms`,
    }),
    ...rss.map((r) =>
      figure(
        `startup_peak_rss_${r.orders / 1000}k`,
        `peak RSS, ${r.orders / 1000}k-order sync, no V8 flags (MB)`,
        r.peakMB,
        {
          fmt: fixed(1),
          goal: '≤ 100',
          pass: r.peakMB <= 100,
          detail: `/proc VmHWM ${r.procHwmMB ?? 'n/a'} MB, /usr/bin/time %M ${r.timeMaxRssMB ?? 'n/a'} MB; node -e 0: ${node.rssMB.toFixed(1)} MB`,
        },
      ),
    ),
    ...command.map((r) =>
      figure(
        `command_peak_rss_${r.orders / 1000}k`,
        `peak RSS, ${r.orders / 1000}k-order sync, as the command (its own heap caps) (MB)`,
        r.peakMB,
        {
          fmt: fixed(1),
          goal: '≤ 100',
          pass: r.peakMB <= 100,
          detail: `/proc VmHWM ${r.procHwmMB ?? 'n/a'} MB, /usr/bin/time %M ${r.timeMaxRssMB ?? 'n/a'} MB`,
        },
      ),
    ),
    figure('startup_peak_rss_ratio', 'peak RSS, 100k / 20k orders, no V8 flags', flat, {
      fmt: fixed(2),
      goal: 'flat (≤ 1.10)',
      pass: flat <= 1.1,
    }),
  ];
  return { figures, raw: { node, spec, ...sync, rss, command, timeBin: TIME_BIN } };
}
