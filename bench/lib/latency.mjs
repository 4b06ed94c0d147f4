// Backfills at real-shaped page latency: the simulator answers each request after baseMs + perRecordMs per
// record (a 500-order page in ~2.5 s, like ShipStation's), under a fixed window of `limit` requests. Each
// figure compares the timeline with what the budget allows, and the connector with slices against the same
// connector reading one page at a time (max_parallel_slices: 1), in the same run.
import { configure, discover, readArgs, readChild } from './connector.mjs';
import { budgetUse, idealRequests, mb } from './measure.mjs';
import { withSim } from './scenarios.mjs';
// The budget's minimum: (⌈n / limit⌉ − 1) × window + one full page's response time, the demo's formula too.
import { budgetMinimumMs } from '../../build/budget/pace.js';

/**
 * One backfill through the CLI against a simulator at `latency` under `rateLimit`, measured on its timeline. Span:
 * first request → last response (request time + its delay). In flight on average: Σ response delays / span.
 * `ideal`: the fewest requests the read can take, from which the budget's minimum follows.
 */
async function measuredBackfill({ name, counts, latency, rateLimit, config, api = 'v1', catalog, ideal, asCommand }) {
  return withSim({ counts, rateLimit, latency, api }, async (server) => {
    const run = await readChild(readArgs({ config: { ...server.config, ...config }, catalog }), {
      measureRss: asCommand,
      asCommand,
    });
    if (run.code !== 0) throw new Error(`${name} exited ${run.code}: ${run.stderr}`);
    const stats = await server.stats();
    if (stats.timelineDropped) throw new Error('simulator timeline overflowed');
    const tl = stats.timeline;
    const start = tl[0].t;
    const end = Math.max(...tl.map((e) => e.t + (e.delayMs ?? 0)));
    const spanMs = end - start;
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
      rejected: stats.rateLimited,
      budget: budgetUse(tl, rateLimit.limit, rateLimit.windowMs),
      spanMs,
      minimumMs,
      ratio: spanMs / minimumMs,
      wallMs: run.wallMs,
      averageInFlight: busyMs / spanMs,
      peakRssMB: asCommand ? mb(Math.max(run.procHwmKb ?? 0, run.timeMaxRssKb ?? 0)) : undefined,
    };
  });
}

/** A v1 backfill of `streams` (discover's catalog, configured) at real-shaped latency. */
export async function latencyBackfill({ name, counts, streams, latency, rateLimit, config = {} }, discovered, sim) {
  const parents = streams.filter((s) => sim.STREAM_NAMES.includes(s));
  return measuredBackfill({
    name,
    counts,
    latency,
    rateLimit,
    config,
    catalog: configure(discovered, streams),
    ideal: idealRequests(sim, counts, parents),
  });
}

/**
 * An API v2 backfill of shipments and labels at v2's real pace: 200 requests a minute, 500-record pages answering
 * in ~2.5 s. v2 sends no rate-limit headers, so the connector counts its own requests against a 60 s window and
 * waits out every 429's Retry-After: the figure shows whether that still uses the budget fully. The window is
 * not scaled down as v1's figures are: without headers the connector cannot learn a shorter one. Run as the
 * image runs it (the bundle as a command, its 128 MB heap), with its peak RSS: pages waiting to be parsed are memory.
 */
export async function v2Backfill(config = {}) {
  const pageSize = 500;
  // v2 shipments are the simulator's orders, v2 labels its shipments: 220 + 100 pages, two windows.
  const counts = { orders: 110_000, shipments: 50_000, fulfillments: 0, products: 0, customers: 0 };
  const run = await measuredBackfill({
    name: 'v2_backfill',
    counts,
    latency: { baseMs: 500, perRecordMs: 4 },
    rateLimit: { limit: 200, windowMs: 60_000 },
    config: { page_size: pageSize, ...config },
    api: 'v2',
    // A key alone is an API v2 config: discover offers v2's streams and cursors.
    catalog: configure(await discover({ api_key: 'bench-v2-key' }), ['shipments', 'labels']),
    ideal: Math.ceil(counts.orders / pageSize) + Math.ceil(counts.shipments / pageSize),
    asCommand: true,
  });
  return { ...run, counts: { shipments: counts.orders, labels: counts.shipments } };
}
