// Backfills at real-shaped page latency: the simulator answers each request after baseMs + perRecordMs per
// record (a 500-order page in ~2.5 s, like ShipStation's), under a fixed window of `limit` requests. Each
// figure compares the timeline with what the budget allows, and the connector with slices against the same
// connector reading one page at a time (max_parallel_slices: 1), in the same run.
import { configure, readArgs, readChild } from './connector.mjs';
import { budgetUse, idealRequests } from './measure.mjs';
import { withSim } from './scenarios.mjs';
// The budget's minimum: (⌈n / limit⌉ − 1) × window + one full page's response time, the demo's formula too.
import { budgetMinimumMs } from '../../build/budget/pace.js';

/**
 * One backfill through the CLI. Span: first request → last response (request time + its delay, both from the
 * simulator's timeline). In flight on average: Σ response delays / span.
 */
export async function latencyBackfill({ name, counts, streams, latency, rateLimit, config = {} }, discovered, sim) {
  const catalog = configure(discovered, streams);
  return withSim({ counts, rateLimit, latency }, async (server) => {
    const run = await readChild(readArgs({ config: { ...server.config, ...config }, catalog }));
    if (run.code !== 0) throw new Error(`${name} exited ${run.code}: ${run.stderr}`);
    const stats = await server.stats();
    if (stats.timelineDropped) throw new Error('simulator timeline overflowed');
    const tl = stats.timeline;
    const start = tl[0].t;
    const end = Math.max(...tl.map((e) => e.t + (e.delayMs ?? 0)));
    const spanMs = end - start;
    const parents = streams.filter((s) => sim.STREAM_NAMES.includes(s));
    const ideal = idealRequests(sim, counts, parents);
    const minimumMs = budgetMinimumMs(ideal, { ...rateLimit, latency });
    const busyMs = tl.reduce((sum, e) => sum + (e.delayMs ?? 0), 0);
    return {
      name,
      counts,
      latency,
      rateLimit,
      config,
      requests: stats.requests,
      idealRequests: ideal,
      budget: budgetUse(tl, rateLimit.limit, rateLimit.windowMs),
      spanMs,
      minimumMs,
      ratio: spanMs / minimumMs,
      wallMs: run.wallMs,
      averageInFlight: busyMs / spanMs,
    };
  });
}
