// npm run bench:eta: how right the progress view's ETA is. A 40,000-order backfill (orders and order_items) through
// the CLI at real-shaped page latency (~2.5 s a 500-order page) and ShipStation's 40 requests a minute; each
// progress line on stderr is timed as it arrives, and the ETA it shows at 25, 50 and 75 % of the records is
// compared with the time the run really had left. Prints ratios (|ETA − left| / left), never asserts wall time.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { configure, discover, readArgs } from './lib/connector.mjs';
import { figure, machineInfo, printTable, round, storedFigures, writeResults } from './lib/measure.mjs';
import { ENTRY } from './lib/paths.mjs';
import { withSim } from './lib/scenarios.mjs';

const ORDERS = Number(process.env.ETA_ORDERS ?? 40_000);
const LATENCY = { baseMs: 500, perRecordMs: 4 };
const RATE_LIMIT = { limit: 40, windowMs: Number(process.env.ETA_WINDOW_MS ?? 60_000) };
const MARKS = [0.25, 0.5, 0.75];
/** Allowed relative error at each mark (issue #26). */
const GOAL = 0.15;
const PROGRESS = /^progress: orders ([\d,]+)\/([\d,]+) records, .*ETA ((\d+)h)?((\d+)m)?((\d+)s)?/;

const log = (msg) => process.stderr.write(`[bench:eta] ${msg}\n`);

/** The ETA shown in a progress line, in ms; undefined when it is not a number ("not started", "in parallel"). */
function etaMs(match) {
  if (match[3] === undefined && match[5] === undefined && match[7] === undefined) return undefined;
  return ((Number(match[4] ?? 0) * 60 + Number(match[6] ?? 0)) * 60 + Number(match[8] ?? 0)) * 1000;
}

async function run() {
  const catalog = configure(await discover({ api_key: 'a'.repeat(32), api_secret: 'b'.repeat(32) }), [
    'orders',
    'order_items',
  ]);
  return withSim({ counts: { orders: ORDERS }, rateLimit: RATE_LIMIT, latency: LATENCY }, async (server) => {
    const started = performance.now();
    const child = spawn(process.execPath, [ENTRY, ...readArgs({ config: server.config, catalog })], {
      stdio: ['ignore', 'ignore', 'pipe'],
      // discover (in process) turned progress off in this process's environment: on again for the read.
      env: { ...process.env, NODE_OPTIONS: '', SHIPSTATION_PROGRESS: 'on', SHIPSTATION_PROGRESS_INTERVAL: '0.5' },
    });
    const lines = [];
    createInterface({ input: child.stderr }).on('line', (line) => {
      if (process.env.ETA_DEBUG) log(line);
      const m = PROGRESS.exec(line);
      if (m)
        lines.push({
          t: performance.now(),
          done: Number(m[1].replace(/,/g, '')) / Number(m[2].replace(/,/g, '')),
          eta: etaMs(m),
        });
    });
    const code = await new Promise((resolve) => child.on('close', resolve));
    if (code !== 0) throw new Error(`the read exited ${code}`);
    const end = performance.now();
    return { lines, start: started, end, wallMs: end - started };
  });
}

const { lines, end, wallMs, start } = await run();
const percent = (v) => (Number.isFinite(v) ? `${(v * 100).toFixed(1)} %` : 'none');
/** One figure: the ETA a line shows against the time the run really had left after it. */
function etaFigure(id, label, at) {
  const left = at ? end - at.t : Number.NaN;
  const error = at?.eta === undefined ? Number.NaN : Math.abs(at.eta - left) / left;
  return figure(id, label, error, {
    fmt: percent,
    goal: `≤ ${GOAL * 100} %`,
    pass: Number.isFinite(error) && error <= GOAL,
    detail: at
      ? `at ${round((at.t - start) / 1000, 1)} s, ${percent(at.done)} of the orders: ETA ${at.eta === undefined ? 'none' : `${round(at.eta / 1000, 1)} s`}, left ${round(left / 1000, 1)} s`
      : 'no progress line there',
  });
}
// By records (the first line past each share), and by time (the last line before each share of the run): a
// budget-bound read reaches 25 % and 50 % of its records within one burst, then waits most of a window.
const figures = [
  ...MARKS.map((mark) =>
    etaFigure(
      `eta${mark * 100}`,
      `ETA error at ${mark * 100} % of the orders`,
      lines.find((l) => l.done >= mark),
    ),
  ),
  ...MARKS.map((mark) =>
    etaFigure(
      `etaTime${mark * 100}`,
      `ETA error at ${mark * 100} % of the run's time`,
      lines.findLast((l) => l.t - start <= mark * wallMs),
    ),
  ),
];
log(`${lines.length} progress lines over ${round(wallMs / 1000, 1)} s`);
printTable(`ETA of a ${ORDERS.toLocaleString('en-US')}-order backfill (2.5 s pages, 40 a minute)`, figures);
writeResults('eta', {
  machine: machineInfo(),
  orders: ORDERS,
  latency: LATENCY,
  rateLimit: RATE_LIMIT,
  figures: storedFigures(figures),
});
