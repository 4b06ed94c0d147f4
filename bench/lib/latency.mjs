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

/**
 * An API v2 backfill of shipments and labels at v2's real pace: 200 requests a minute, 500-record pages answering
 * in ~2.5 s. v2 sends no rate-limit headers, so the connector counts its own requests against a 60 s window and
 * waits out every 429's Retry-After: the figure shows whether that still uses the budget fully. The window is
 * not scaled down as v1's figures are: without headers the connector cannot learn a shorter one.
 */
export async function v2Backfill(config = {}) {
  const rateLimit = { limit: 200, windowMs: 60_000 };
  const latency = { baseMs: 500, perRecordMs: 4 };
  const pageSize = 500;
  // v2 shipments are the simulator's orders, v2 labels its shipments: 220 + 100 pages, two windows.
  const counts = { orders: 110_000, shipments: 50_000, fulfillments: 0, products: 0, customers: 0 };
  return withSim({ counts, rateLimit, latency, api: 'v2' }, async (server) => {
    const catalog = v2Catalog(['shipments', 'labels']);
    const run = await readChild(readArgs({ config: { ...server.config, page_size: pageSize, ...config }, catalog }));
    if (run.code !== 0) throw new Error(`v2 backfill exited ${run.code}: ${run.stderr}`);
    const stats = await server.stats();
    if (stats.timelineDropped) throw new Error('simulator timeline overflowed');
    const tl = stats.timeline;
    const start = tl[0].t;
    const end = Math.max(...tl.map((e) => e.t + (e.delayMs ?? 0)));
    const ideal = Math.ceil(counts.orders / pageSize) + Math.ceil(counts.shipments / pageSize);
    const minimumMs = budgetMinimumMs(ideal, { ...rateLimit, latency });
    return {
      name: 'v2_backfill',
      counts: { shipments: counts.orders, labels: counts.shipments },
      rateLimit,
      latency,
      requests: stats.requests,
      idealRequests: ideal,
      rejected: stats.rateLimited,
      budget: budgetUse(tl, rateLimit.limit, rateLimit.windowMs),
      spanMs: end - start,
      minimumMs,
      ratio: (end - start) / minimumMs,
      wallMs: run.wallMs,
    };
  });
}

/** v2's incremental streams as a configured catalog (incremental on their default cursors). */
function v2Catalog(names) {
  return {
    streams: names.map((name) => ({
      stream: { name, json_schema: {}, supported_sync_modes: ['full_refresh', 'incremental'] },
      sync_mode: 'incremental',
      destination_sync_mode: 'append',
      cursor_field: [name === 'shipments' ? 'modified_at' : 'created_at'],
    })),
  };
}
