// npm run bench:duckdb: is the DuckDB loader as fast as the connector feeds it? Same data, same run:
// 100k orders and every other stream (the complete catalog, incremental where supported), limit off:
//   A. the connector alone, stdout drained into a pipe and discarded;
//   B. the connector piped into shipstation-load (a fresh DuckDB file), the way shipstation-sync runs it;
//   C. shipstation-load alone on a file holding that same output.
// Figures: B / A (the sync's wall time against the bare read) and C / A (the loader's own pace against the
// connector's). Both share the 2 cores with the simulator (and, for B, with each other).
import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configure, readArgs, readChild } from './lib/connector.mjs';
import { figure, machineInfo, median, printTable, round, storedFigures, writeResults } from './lib/measure.mjs';
import { DIST, ENTRY } from './lib/paths.mjs';
import { LIMIT_OFF, catalogs, withSim } from './lib/scenarios.mjs';

const COUNTS = { orders: 100_000 };
const REPEATS = 2;
const LOAD = `${DIST}/shipstation-load.js`;
const log = (msg) => process.stderr.write(`[bench:duckdb] ${msg}\n`);
const fixed = (d) => (v) => (Number.isFinite(v) ? v.toFixed(d) : String(v));
const env = { ...process.env, NODE_OPTIONS: '', SHIPSTATION_PROGRESS: 'off' };

function exited(child, what) {
  return new Promise((resolve, reject) => {
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(stderr) : reject(new Error(`${what} exited ${code}: ${stderr}`)),
    );
  });
}

/** The connector's stdout into `sink` (a file or the loader's stdin); resolves with the wall time. */
async function pipeRead(args, sink, sinkDone) {
  const started = performance.now();
  const connector = spawn(process.execPath, [ENTRY, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
  connector.stdout.pipe(sink);
  await Promise.all([exited(connector, 'connector'), sinkDone]);
  return performance.now() - started;
}

function loader(database, catalogPath, stdin) {
  const child = spawn(process.execPath, [LOAD, '--duckdb', database, '--catalog', catalogPath], {
    stdio: [stdin ?? 'pipe', 'ignore', 'pipe'],
    env,
  });
  return { child, done: exited(child, 'shipstation-load') };
}

async function main() {
  const started = performance.now();
  const machine = machineInfo();
  log(`${machine.node}, ${machine.cpuModel}, ${machine.cores} cores, load average ${machine.loadAverage.join(' ')}`);
  if (machine.loadAverage[0] > 0.5)
    log('WARNING: the machine is busy (load average above 0.5): the figures will be noisy');
  const discovered = await catalogs();
  const catalog = configure(
    discovered,
    discovered.streams.map((s) => s.name),
  );
  for (const s of catalog.streams)
    s.destination_sync_mode = s.sync_mode === 'incremental' ? 'append_dedup' : 'overwrite';
  const dir = mkdtempSync(join(tmpdir(), 'ss-bench-duckdb-'));
  try {
    return await withSim({ counts: COUNTS, rateLimit: LIMIT_OFF }, async (sim) => {
      const args = readArgs({ config: sim.config, catalog });
      const catalogPath = args[args.indexOf('--catalog') + 1];
      const output = join(dir, 'read.jsonl');
      log('capturing the read output for the loader-alone runs');
      const file = createWriteStream(output);
      await pipeRead(args, file, new Promise((resolve) => file.on('close', resolve)));
      const bytes = statSync(output).size;
      const runs = { read: [], piped: [], loadAlone: [] };
      for (let i = 0; i < REPEATS; i++) {
        log(`round ${i + 1}/${REPEATS}: A. read alone`);
        const a = await readChild(args);
        if (a.code !== 0) throw new Error(`read exited ${a.code}: ${a.stderr}`);
        runs.read.push(a.wallMs);
        log(`round ${i + 1}/${REPEATS}: B. read | shipstation-load`);
        const db = join(dir, `piped-${i}.duckdb`);
        const l = loader(db, catalogPath);
        runs.piped.push(await pipeRead(args, l.child.stdin, l.done));
        log(`round ${i + 1}/${REPEATS}: C. shipstation-load < file`);
        const t0 = performance.now();
        const alone = loader(join(dir, `alone-${i}.duckdb`), catalogPath, 'pipe');
        createReadStream(output).pipe(alone.child.stdin);
        await alone.done;
        runs.loadAlone.push(performance.now() - t0);
        rmSync(db, { force: true });
        rmSync(join(dir, `alone-${i}.duckdb`), { force: true });
      }
      const [a, b, c] = [median(runs.read), median(runs.piped), median(runs.loadAlone)];
      const ms = (v) => `${(v / 1000).toFixed(1)} s`;
      const figures = [
        figure('duckdb_sync_over_read', 'read | shipstation-load, wall time / read alone', b / a, {
          fmt: fixed(2),
          goal: '≤ 1.0',
          pass: b / a <= 1,
          detail: `medians of ${REPEATS}: piped [${runs.piped.map(ms).join(', ')}] vs read alone [${runs.read.map(ms).join(', ')}]; ${COUNTS.orders} orders, every stream, ${(bytes / 1e6).toFixed(0)} MB of messages`,
        }),
        figure('duckdb_load_over_read', 'shipstation-load alone on the same output / read alone', c / a, {
          fmt: fixed(2),
          goal: '≤ 1.0',
          pass: c / a <= 1,
          detail: `loader alone [${runs.loadAlone.map(ms).join(', ')}] = ${(bytes / 1e6 / (c / 1000)).toFixed(1)} MB/s`,
        }),
      ];
      printTable(
        `DuckDB destination bench — ${machine.node}, ${machine.cpuModel}, ${machine.cores} cores, ${machine.date}`,
        figures,
      );
      const seconds = (performance.now() - started) / 1000;
      console.log(`\nbench:duckdb took ${seconds.toFixed(0)} s; results in bench/results.json`);
      writeResults('duckdb', {
        machine,
        durationSeconds: round(seconds, 1),
        figures: storedFigures(figures),
        raw: { counts: COUNTS, bytes, runs },
      });
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
