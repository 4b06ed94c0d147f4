// Arithmetic of the figures (pure functions), machine info, the table and results.json.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { ROOT } from './paths.mjs';

export const PAGE_SIZE = 500;
export const RESULTS = `${ROOT}bench/results.json`;

/**
 * Fewest requests a full read of `streams` can take: ceil(N/500) per paged endpoint (at least 1), 1 per
 * endpoint answering a bare array; child streams (not served by an endpoint of their own) take none.
 * `sim` is the simulator module (DEFAULT_COUNTS, PAGED_STREAMS, STREAM_NAMES).
 */
export function idealRequests(sim, counts, streams) {
  let n = 0;
  for (const stream of streams) {
    if (!sim.STREAM_NAMES.includes(stream)) continue;
    const count = counts[stream] ?? sim.DEFAULT_COUNTS[stream];
    n += sim.PAGED_STREAMS.includes(stream) ? Math.max(1, Math.ceil(count / PAGE_SIZE)) : 1;
  }
  return n;
}

/** Minimum time for n requests at `limit` per fixed window of `windowMs`: the first window opens at the first request. */
export function minimumMs(n, limit, windowMs) {
  return (Math.ceil(n / limit) - 1) * windowMs;
}

/**
 * Rebuilds the simulator's fixed windows from its request timeline: a window opens at the first request at or
 * after the previous window's end and lasts exactly windowMs (as the simulator's limiter does). Timeline `t`
 * is when the response was decided, a few ms after the limiter counted it.
 */
export function windowsOf(timeline, windowMs) {
  const windows = [];
  let current;
  for (const e of timeline) {
    if (e.status === 429) {
      if (current) current.rejected++;
      continue;
    }
    if (!current || e.t >= current.start + windowMs) {
      current = { start: e.t, used: 0, rejected: 0 };
      windows.push(current);
    }
    current.used++;
  }
  return windows;
}

/**
 * Rate-budget use. allowed = limit × (windows − 1) + requests of the last window: every full window could have
 * carried `limit` requests; the last one is counted as used because the work ran out in it (a run that needs
 * 206 requests at 40 per window cannot use more than 206 of the 240 units of 6 windows).
 */
export function budgetUse(timeline, limit, windowMs) {
  const windows = windowsOf(timeline, windowMs);
  const made = windows.reduce((s, w) => s + w.used, 0);
  const last = windows.at(-1)?.used ?? 0;
  const allowed = limit * Math.max(0, windows.length - 1) + last;
  const rejected = timeline.filter((e) => e.status === 429).length;
  const starts = windows.map((w) => w.start);
  const lateMs = starts.slice(1).map((start, i) => start - starts[i] - windowMs);
  return {
    made,
    allowed,
    ratio: allowed > 0 ? made / allowed : NaN,
    windows: windows.length,
    perWindow: windows.map((w) => w.used),
    naiveAllowed: limit * windows.length,
    rejected,
    /** A window carrying more than `limit` means the reconstruction is wrong: reported, never hidden. */
    overfull: windows.filter((w) => w.used > limit).length,
    /** How long after the previous window's end each new window was opened (the limiter's margin + round trip). */
    meanWindowChangeMs: lateMs.length ? lateMs.reduce((a, b) => a + b, 0) / lateMs.length : 0,
    /** From the opening of the last window to the last response. */
    lastWindowMs: timeline.length && windows.length ? timeline.at(-1).t - windows.at(-1).start : 0,
  };
}

export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function machineInfo() {
  let cpuModel = os.cpus()[0]?.model ?? 'unknown';
  try {
    const m = readFileSync('/proc/cpuinfo', 'utf8').match(/^model name\s*:\s*(.+)$/m);
    if (m) cpuModel = m[1].trim();
  } catch {
    /* not Linux */
  }
  return {
    node: process.version,
    cpuModel,
    cores: os.availableParallelism?.() ?? os.cpus().length,
    memoryGB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    date: new Date().toISOString(),
    /** At the start: other work on the machine skews CPU and time figures. */
    loadAverage: os.loadavg().map((v) => round(v, 2)),
  };
}

/** A figure: value (number), how to print it, goal text and pass (true/false/null = no goal). */
export function figure(id, label, value, { fmt = (v) => String(v), goal = '—', pass = null, detail = '' } = {}) {
  return { id, label, value, display: fmt(value), goal, pass, detail };
}

export function printTable(title, figures) {
  const rows = figures.map((f) => [f.label, f.display, f.goal, f.pass === null ? 'info' : f.pass ? 'PASS' : 'MISS']);
  const head = ['figure', 'measured', 'goal', 'result'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  console.log(`\n${title}`);
  console.log(line(head));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows) console.log(line(r));
  const details = figures.filter((f) => f.detail);
  if (details.length) {
    console.log('');
    for (const f of details) console.log(`  ${f.label}: ${f.detail}`);
  }
  const missed = figures.filter((f) => f.pass === false);
  console.log(
    missed.length ? `\nMISSED GOALS (${missed.length}): ${missed.map((f) => f.label).join('; ')}` : '\nall goals met',
  );
}

/** Merges one section into bench/results.json, keeping the other command's section. */
/** Figures as results.json keeps them: the fields a reader compares, values to 4 digits. */
export function storedFigures(figures) {
  return figures.map(({ id, label, value, goal, pass, detail }) => ({
    id,
    label,
    value: round(value, 4),
    goal,
    pass,
    detail,
  }));
}

export function writeResults(section, data) {
  let results = {};
  if (existsSync(RESULTS)) {
    try {
      results = JSON.parse(readFileSync(RESULTS, 'utf8'));
    } catch {
      results = {};
    }
  }
  results[section] = data;
  writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`);
}

export const mb = (kb) => (kb === undefined ? undefined : Math.round((kb / 1024) * 10) / 10);
export const round = (v, digits = 2) => (Number.isFinite(v) ? Math.round(v * 10 ** digits) / 10 ** digits : v);
