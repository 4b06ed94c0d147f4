// npm run bench: the connector's performance figures, each a ratio measured in this run. See bench/README.md.
// The simulator always runs in a child process (dist/shipstation-simulator.js); results go to bench/results.json.
import {
  configure,
  incrementalNames,
  lastStates,
  readArgs,
  readChild,
  readInProcess,
  TIME_BIN,
} from './lib/connector.mjs';
import { replayPages } from './lib/baseline.mjs';
import {
  budgetUse,
  figure,
  idealRequests,
  machineInfo,
  median,
  minimumMs,
  printTable,
  round,
  storedFigures,
  writeResults,
} from './lib/measure.mjs';
import { LIMIT_OFF, catalogs, peakRss, simModule, withSim } from './lib/scenarios.mjs';
import { fullPageMs } from '../build/budget/pace.js';
import { latencyBackfill, v2Backfill } from './lib/latency.mjs';
import { startupFigures } from './lib/startup.mjs';
import { freshness, freshnessFigures } from './lib/freshness.mjs';

// Two backfills of ≥ 200 pages of 500 at 40 per 2 s (20 requests/s).
// Balanced: 70 + 70 + 60 pages; the three big streams page side by side to the end, so the limit binds and
// the figures measure the limiter. Orders-heavy (the issue's example): 120 + 60 + 20 pages; once shipments
// and customers are done, orders pages alone, one request after the other (keyset paging), and in the last
// windows the connector's own speed, not the limit, sets the pace.
const RATE_LIMIT = { limit: 40, windowMs: 2000 };
const BALANCED = { orders: 35_000, shipments: 35_000, customers: 30_000 };
const ORDERS_HEAVY = { orders: 60_000, shipments: 30_000, customers: 10_000 };
const CPU_COUNTS = { orders: 20_000, shipments: 10_000, fulfillments: 2_000, products: 2_000, customers: 5_000 };
const CPU_REPEATS = 7;
const RSS_ORDERS = [10_000, 100_000];
const SYNC_COUNTS = { orders: 2_000, shipments: 1_500, customers: 500 };

// Backfills at three page latencies. At 2.5 s (ShipStation's 500-order pages) windows are ShipStation's 60 s
// and each account needs two of them. At 0.25 s the window is 6 s (the same latency : window ratio, 1 : 24); at
// 0 s it is 4 s. At those two the accounts are larger (8 windows): with pages answered at once, this process's
// own work on the last window's burst, not the budget, would otherwise dominate a two-window run.
const SMALL = { ordersOnly: { orders: 35_000 }, balanced: { orders: 14_000, shipments: 10_000, customers: 5_000 } };
const LARGE = { ordersOnly: { orders: 150_000 }, balanced: { orders: 60_000, shipments: 60_000, customers: 25_000 } };
const LATENCIES = [
  { id: '0s', latency: { baseMs: 0, perRecordMs: 0 }, rateLimit: { limit: 40, windowMs: 4000 }, accounts: LARGE },
  { id: '0.25s', latency: { baseMs: 50, perRecordMs: 0.4 }, rateLimit: { limit: 40, windowMs: 6000 }, accounts: LARGE },
  { id: '2.5s', latency: { baseMs: 500, perRecordMs: 4 }, rateLimit: { limit: 40, windowMs: 60_000 }, accounts: SMALL },
];
/** The issue's example: 12,000 orders at 2.5 s a page, 40 per 60 s (peers: 73–79 s). */
const TWELVE_K = { counts: { orders: 12_000 }, streams: ['orders', 'order_items'] };

const log = (msg) => process.stderr.write(`[bench] ${msg}\n`);
const fixed = (d) => (v) => (Number.isFinite(v) ? v.toFixed(d) : String(v));

/** One backfill of the catalog through the CLI against a rate-limited simulator. */
async function backfill(name, counts, rateLimit, catalog, sim) {
  return withSim({ counts, rateLimit }, async (server) => {
    const run = await readChild(readArgs({ config: server.config, catalog }));
    const stats = await server.stats();
    if (run.code !== 0) throw new Error(`${name} backfill exited ${run.code}: ${run.stderr}`);
    if (stats.timelineDropped) throw new Error('simulator timeline overflowed');
    const tl = stats.timeline;
    const spanMs = tl.at(-1).t - tl[0].t;
    const n = idealRequests(
      sim,
      counts,
      catalog.streams.map((s) => s.stream.name),
    );
    const minMs = minimumMs(n, rateLimit.limit, rateLimit.windowMs);
    return {
      name,
      counts,
      rateLimit,
      requests: stats.requests,
      byPath: stats.byPath,
      idealRequests: n,
      budget: budgetUse(tl, rateLimit.limit, rateLimit.windowMs),
      spanMs,
      wallMs: run.wallMs,
      minimumMs: minMs,
      timeRatio: spanMs / minMs,
      wallRatio: run.wallMs / minMs,
    };
  });
}

/** Connector in process (main(), stdout discarded) vs the bare baseline over the same pages; CPU via process.cpuUsage(). */
async function cpuPerRecord(catalog) {
  return withSim({ counts: CPU_COUNTS, rateLimit: LIMIT_OFF }, async (server) => {
    const args = readArgs({ config: server.config, catalog });
    let records;
    const connectorRun = async (warmUp = false) => {
      await server.resetStats();
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      const r = await readInProcess(args, warmUp ? { count: '{"type":"RECORD"' } : {});
      const c = process.cpuUsage(c0);
      const wallMs = performance.now() - t0;
      if (r.code !== 0) throw new Error(`connector read exited ${r.code}`);
      if (warmUp) records = r.counted;
      return { cpuMs: (c.user + c.system) / 1000, wallMs };
    };
    // Warm-up: counts the records and captures the page list the baseline replays.
    await connectorRun(true);
    const pages = (await server.stats()).timeline.map(({ path, query }) => ({ path, query }));
    const baselineRun = async () => {
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      const r = await replayPages(server.baseUrl, server.config, pages);
      const c = process.cpuUsage(c0);
      return { cpuMs: (c.user + c.system) / 1000, wallMs: performance.now() - t0, rows: r.records };
    };
    const warm = await baselineRun();
    const connector = [];
    const baseline = [];
    for (let i = 0; i < CPU_REPEATS; i++) {
      connector.push(await connectorRun());
      baseline.push(await baselineRun());
    }
    const cMs = median(connector.map((r) => r.cpuMs));
    const bMs = median(baseline.map((r) => r.cpuMs));
    const cWall = median(connector.map((r) => r.wallMs));
    return {
      counts: CPU_COUNTS,
      streams: catalog.streams.map((s) => s.stream.name),
      records,
      pages: pages.length,
      rowsFetched: warm.rows,
      repeats: CPU_REPEATS,
      connectorCpuMs: connector.map((r) => round(r.cpuMs, 0)),
      baselineCpuMs: baseline.map((r) => round(r.cpuMs, 0)),
      connectorUsPerRecord: (cMs * 1000) / records,
      baselineUsPerRecord: (bMs * 1000) / records,
      ratio: cMs / bMs,
      connectorWallMs: cWall,
      recordsPerSecond: records / (cWall / 1000),
    };
  });
}

/**
 * Requests per sync without and with the child streams; then, for the complete catalog, a second sync with
 * the last STATE per stream and no change in between.
 */
async function syncRequests(parents, complete, sim) {
  return withSim({ counts: SYNC_COUNTS, rateLimit: LIMIT_OFF }, async (server) => {
    const read = async (catalog, { state, keep } = {}) => {
      await server.resetStats();
      const run = await readChild(readArgs({ config: server.config, catalog, state }), { keepPrefix: keep });
      if (run.code !== 0) throw new Error(`sync exited ${run.code}: ${run.stderr}`);
      return { run, stats: await server.stats() };
    };
    const withoutChildren = await read(parents);
    const first = await read(complete, { keep: '{"type":"STATE"' });
    const second = await read(complete, { state: lastStates(first.run.kept), keep: '{"type":"RECORD"' });
    const recordsSecond = {};
    for (const line of second.run.kept) {
      const stream = JSON.parse(line).record.stream;
      recordsSecond[stream] = (recordsSecond[stream] ?? 0) + 1;
    }
    return {
      counts: SYNC_COUNTS,
      idealRequests: idealRequests(
        sim,
        SYNC_COUNTS,
        parents.streams.map((s) => s.stream.name),
      ),
      withoutChildren: { requests: withoutChildren.stats.requests, byPath: withoutChildren.stats.byPath },
      withChildren: { requests: first.stats.requests, byPath: first.stats.byPath },
      noChange: { requests: second.stats.requests, byPath: second.stats.byPath, records: recordsSecond },
    };
  });
}

async function main() {
  const started = performance.now();
  const machine = machineInfo();
  log(
    `${machine.node}, ${machine.cpuModel}, ${machine.cores} cores, load average ${machine.loadAverage.join(' ')}; peak RSS via ${TIME_BIN ? '/usr/bin/time -f %M and ' : ''}/proc VmHWM`,
  );
  if (machine.loadAverage[0] > 0.5)
    log('WARNING: the machine is busy (load average above 0.5): CPU and time figures will be noisy');
  const sim = await simModule();
  const discovered = await catalogs();
  const parents = configure(discovered, discovered.parents);
  const complete = configure(
    discovered,
    discovered.streams.map((s) => s.name),
  );
  log(
    `streams: ${discovered.parents.join(', ')}${discovered.children.size ? `; child streams: ${[...discovered.children].join(', ')}` : ''}`,
  );

  log('backfill at 40 per 2 s, balanced dataset (~15 s)');
  const balanced = await backfill('balanced', BALANCED, RATE_LIMIT, parents, sim);
  log('backfill at 40 per 2 s, orders-heavy dataset (~15 s)');
  const heavy = await backfill('orders-heavy', ORDERS_HEAVY, RATE_LIMIT, parents, sim);
  const latencyRuns = [];
  for (const l of LATENCIES) {
    const accounts = [
      ['orders-only', { counts: l.accounts.ordersOnly, streams: ['orders', 'order_items'] }],
      ['balanced', { counts: l.accounts.balanced, streams: discovered.parents }],
    ];
    for (const [account, spec] of accounts) {
      log(
        `backfill, ${account}, pages of ${fullPageMs(l.latency)} ms, ${l.rateLimit.limit} per ${l.rateLimit.windowMs / 1000} s`,
      );
      latencyRuns.push({
        ...l,
        account,
        run: await latencyBackfill({ name: `${account}_${l.id}`, ...spec, ...l }, discovered, sim),
      });
    }
  }
  const l25 = LATENCIES.find((l) => l.id === '2.5s');
  log('12,000 orders at 2.5 s a page: sliced, then one page at a time (max_parallel_slices 1) as the baseline');
  const twelve = await latencyBackfill({ name: 'twelve_k', ...TWELVE_K, ...l25 }, discovered, sim);
  const twelveSerial = await latencyBackfill(
    { name: 'twelve_k_serial', ...TWELVE_K, ...l25, config: { max_parallel_slices: 1 } },
    discovered,
    sim,
  );
  log('API v2: 110,000 shipments and 50,000 labels at 2.5 s pages, 200 a minute, no rate-limit headers (~80 s)');
  const v2 = await v2Backfill();
  const fresh = await freshness(log);
  log(`CPU per record: warm-up + ${CPU_REPEATS} × (connector, baseline) (~40 s)`);
  const cpu = await cpuPerRecord(parents);
  log('peak RSS at 10k and 100k orders (~25 s)');
  const rss = [];
  for (const n of RSS_ORDERS) rss.push(await peakRss(n));
  log("peak RSS at 10k and 100k orders run as the image's entry point runs it (~25 s)");
  const rssImage = [];
  for (const n of RSS_ORDERS) rssImage.push(await peakRss(n, '', true));
  log('syncs without and with child streams, then a no-change incremental sync');
  const sync = await syncRequests(parents, complete, sim);
  const startup = await startupFigures(log);

  const rssRatio = rss[1].peakMB / rss[0].peakMB;
  const incremental = incrementalNames(parents);
  // Shipments read their voids by voidDate after the main read: an empty window is one request of its own.
  const voidPass = { shipments: 1 };
  const noChangeMax = Math.max(...incremental.map((s) => (sync.noChange.byPath[`/${s}`] ?? 0) - (voidPass[s] ?? 0)));
  const childRatio = sync.withChildren.requests / sync.withoutChildren.requests;
  const budgetDetail = (b) =>
    `${b.budget.made} made / ${b.budget.allowed} allowed = ${b.rateLimit.limit} × ${b.budget.windows - 1} full windows + ${b.budget.perWindow.at(-1)} in the last; ` +
    `per window [${b.budget.perWindow.join(', ')}]; limit × all windows = ${b.budget.naiveAllowed}` +
    (b.budget.overfull ? `; WARNING: ${b.budget.overfull} rebuilt windows exceed the limit` : '');
  const timeDetail = (b) =>
    `first request → last response ${(b.spanMs / 1000).toFixed(2)} s vs (⌈${b.idealRequests}/${b.rateLimit.limit}⌉ − 1) × ${b.rateLimit.windowMs / 1000} s = ${b.minimumMs / 1000} s ` +
    `(${b.requests} requests, ideal ${b.idealRequests}); new windows opened on average ${b.budget.meanWindowChangeMs.toFixed(0)} ms after the previous one ended; ` +
    `last window open → last response ${b.budget.lastWindowMs} ms; whole process ${(b.wallMs / 1000).toFixed(2)} s = ${b.wallRatio.toFixed(3)} × minimum`;
  const rateFigures = (b) => {
    const at = `${b.name}, ${b.rateLimit.limit}/${b.rateLimit.windowMs / 1000} s`;
    return [
      figure(`rate_budget_use_${b.name}`, `rate-budget use (${at})`, b.budget.ratio, {
        fmt: fixed(3),
        goal: '≥ 0.97',
        pass: b.budget.ratio >= 0.97,
        detail: budgetDetail(b),
      }),
      figure(`rate_429s_${b.name}`, `429 responses (${at})`, b.budget.rejected, {
        goal: '0',
        pass: b.budget.rejected === 0,
      }),
      figure(`backfill_time_ratio_${b.name}`, `backfill time / minimum (${at})`, b.timeRatio, {
        fmt: fixed(3),
        goal: '≤ 1.05',
        pass: b.timeRatio <= 1.05,
        detail: timeDetail(b),
      }),
    ];
  };

  const latencyFigures = latencyRuns.flatMap(({ id, account, run: r }) => {
    const at = `${account}, ${fullPageMs(r.latency) / 1000} s pages, ${r.rateLimit.limit}/${r.rateLimit.windowMs / 1000} s`;
    const detail =
      `first request → last response ${(r.spanMs / 1000).toFixed(2)} s vs (⌈${r.idealRequests}/${r.rateLimit.limit}⌉ − 1) × ${r.rateLimit.windowMs / 1000} s + ${fullPageMs(r.latency) / 1000} s = ${(r.minimumMs / 1000).toFixed(2)} s; ` +
      `${r.requests} requests (ideal ${r.idealRequests}); ${r.averageInFlight.toFixed(1)} in flight on average; per window [${r.budget.perWindow.join(', ')}]; whole process ${(r.wallMs / 1000).toFixed(1)} s`;
    return [
      figure(`latency_backfill_ratio_${account}_${id}`, `backfill time / budget minimum (${at})`, r.ratio, {
        fmt: fixed(3),
        goal: '≤ 1.05',
        pass: r.ratio <= 1.05,
        detail,
      }),
      figure(`latency_budget_use_${account}_${id}`, `rate-budget use (${at})`, r.budget.ratio, {
        fmt: fixed(3),
        goal: '≥ 0.97',
        pass: r.budget.ratio >= 0.97,
      }),
      figure(`latency_429s_${account}_${id}`, `429 responses (${at})`, r.budget.rejected, {
        goal: '0',
        pass: r.budget.rejected === 0,
      }),
    ];
  });
  const twelveDetail = (r) =>
    `${r.requests} requests (ideal ${r.idealRequests}), ${r.averageInFlight.toFixed(1)} in flight on average, whole process ${(r.wallMs / 1000).toFixed(1)} s`;

  const figures = [
    ...latencyFigures,
    figure(
      'twelve_k_seconds',
      '12,000 orders, 2.5 s pages, 40/60 s: first request → last response (s)',
      twelve.spanMs / 1000,
      {
        fmt: fixed(1),
        goal: '≤ 12',
        pass: twelve.spanMs <= 12_000,
        detail: twelveDetail(twelve),
      },
    ),
    figure(
      'twelve_k_speedup',
      '12,000 orders: one page at a time / sliced (same run)',
      twelveSerial.spanMs / twelve.spanMs,
      {
        fmt: fixed(1),
        detail: `max_parallel_slices 1: ${(twelveSerial.spanMs / 1000).toFixed(1)} s, ${twelveDetail(twelveSerial)}`,
      },
    ),
    figure('v2_backfill_time_ratio', 'API v2 backfill, 2.5 s pages, 200/60 s: time / budget minimum', v2.ratio, {
      fmt: fixed(3),
      goal: '≤ 1.05',
      pass: v2.ratio <= 1.05,
      detail:
        `${(v2.spanMs / 1000).toFixed(1)} s for ${v2.requests} requests (ideal ${v2.idealRequests}; ${v2.rejected} refused), minimum ${(v2.minimumMs / 1000).toFixed(1)} s; per window ${v2.budget.perWindow.join(' + ')}; ` +
        `the simulator rendered the last window's pages, one at a time, until ${(v2.budget.lastWindowMs / 1000).toFixed(1)} s after it opened; ` +
        `peak RSS ${v2.peakRssMB} MB (as the command, 128 MB heap); whole process ${(v2.wallMs / 1000).toFixed(1)} s`,
    }),
    ...rateFigures(balanced),
    ...rateFigures(heavy),
    figure('cpu_ratio', 'CPU per record, connector / baseline', cpu.ratio, {
      fmt: fixed(2),
      goal: '≤ 2.0',
      pass: cpu.ratio <= 2,
      detail:
        `${cpu.connectorUsPerRecord.toFixed(1)} µs vs ${cpu.baselineUsPerRecord.toFixed(1)} µs per record (medians of ${cpu.repeats}; ${cpu.records} records, ${cpu.pages} pages); ` +
        `connector CPU ms [${cpu.connectorCpuMs.join(', ')}], baseline [${cpu.baselineCpuMs.join(', ')}]`,
    }),
    figure('throughput_in_process', 'records/s, limit off (in process, median)', cpu.recordsPerSecond, {
      fmt: fixed(0),
    }),
    ...rss.map((r) =>
      figure(`peak_rss_${r.orders}`, `peak RSS, ${r.orders / 1000}k orders (MB)`, r.peakMB, {
        fmt: fixed(1),
        goal: '< 150',
        pass: r.peakMB < 150,
        detail: `/proc VmHWM ${r.procHwmMB ?? 'n/a'} MB, /usr/bin/time %M ${r.timeMaxRssMB ?? 'n/a'} MB; ${(r.wallMs / 1000).toFixed(1)} s = ${r.recordsPerSecond.toFixed(0)} records/s (CLI, orders only, stdout drained)`,
      }),
    ),
    figure('peak_rss_ratio', 'peak RSS 100k / 10k orders', rssRatio, {
      fmt: fixed(2),
      goal: 'flat (≤ 1.10)',
      pass: rssRatio <= 1.1,
    }),
    ...rssImage.map((r) =>
      figure(`peak_rss_image_${r.orders}`, `peak RSS, ${r.orders / 1000}k orders, as the command (MB)`, r.peakMB, {
        fmt: fixed(1),
        goal: '≤ 100',
        pass: r.peakMB <= 100,
        detail: `the bundle run as a program, its heap caps (the image's entry point, the package's bin); ${(r.wallMs / 1000).toFixed(1)} s = ${r.recordsPerSecond.toFixed(0)} records/s`,
      }),
    ),
    figure(
      'no_change_incremental_requests',
      'requests, no-change incremental sync (max per incremental stream, void pass apart)',
      noChangeMax,
      {
        goal: '≤ 1',
        pass: noChangeMax <= 1,
        detail: `second sync of the complete catalog, by path ${JSON.stringify(sync.noChange.byPath)} (shipments: + 1 for the void pass); records emitted ${JSON.stringify(sync.noChange.records)}`,
      },
    ),
    figure('requests_per_sync', 'requests per sync, parent streams', sync.withoutChildren.requests, {
      detail: `${JSON.stringify(sync.withoutChildren.byPath)}; ideal Σ⌈N/500⌉ = ${sync.idealRequests} for ${JSON.stringify(sync.counts)} (others at simulator defaults); backfills: balanced ${balanced.requests} (ideal ${balanced.idealRequests}), orders-heavy ${heavy.requests} (ideal ${heavy.idealRequests})`,
    }),
    ...(discovered.children.size
      ? [
          figure(
            'requests_per_sync_with_children',
            'requests per sync, with child streams',
            sync.withChildren.requests,
            { detail: JSON.stringify(sync.withChildren.byPath) },
          ),
          figure('child_streams_request_ratio', 'requests with / without child streams', childRatio, {
            fmt: fixed(2),
            goal: '= 1.00',
            pass: sync.withChildren.requests === sync.withoutChildren.requests,
          }),
        ]
      : []),
    ...freshnessFigures(fresh, figure),
    ...startup.figures,
  ];

  printTable(
    `ShipStation connector bench — ${machine.node}, ${machine.cpuModel}, ${machine.cores} cores, ${machine.date}`,
    figures,
  );
  const seconds = (performance.now() - started) / 1000;
  console.log(`\nbench took ${seconds.toFixed(0)} s; results in bench/results.json`);
  writeResults('bench', {
    machine,
    durationSeconds: round(seconds, 1),
    figures: storedFigures(figures),
    raw: {
      backfillBalanced: balanced,
      backfillOrdersHeavy: heavy,
      latencyRuns,
      twelve,
      twelveSerial,
      v2,
      cpu,
      rss,
      sync,
      startup: startup.raw,
      freshness: fresh,
    },
  });
}

await main();
