// npm run bench:v2: the API v2 backfill figure alone (npm run bench measures it with the rest): 110,000 shipments
// and 50,000 labels at 2.5 s pages under v2's 200 requests a minute, time against the budget's minimum.
// `-- --config '{"max_concurrency":40}'` runs it with other connector settings, to weigh memory against time.
import { v2Backfill } from './lib/latency.mjs';
import { figure, printTable } from './lib/measure.mjs';

const extra = process.argv.indexOf('--config');
const config = extra === -1 ? {} : JSON.parse(process.argv[extra + 1] ?? '{}');
const v2 = await v2Backfill(config);
printTable(`API v2 backfill${extra === -1 ? '' : ` with ${JSON.stringify(config)}`}`, [
  figure('v2_backfill_time_ratio', 'time / budget minimum', v2.ratio.toFixed(3), {
    goal: '≤ 1.05',
    pass: v2.ratio <= 1.05,
    detail:
      `${(v2.spanMs / 1000).toFixed(1)} s for ${v2.requests} requests (ideal ${v2.idealRequests}; ${v2.rejected} refused), minimum ${(v2.minimumMs / 1000).toFixed(1)} s; per window ${v2.budget.perWindow.join(' + ')}; ` +
      `the simulator rendered the last window's pages, one at a time, until ${(v2.budget.lastWindowMs / 1000).toFixed(1)} s after it opened; ` +
      `peak RSS ${v2.peakRssMB} MB (as the command, 128 MB heap); whole process ${(v2.wallMs / 1000).toFixed(1)} s`,
  }),
]);
