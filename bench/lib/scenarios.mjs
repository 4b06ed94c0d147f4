// Scenarios shared by run.mjs and scale.mjs.
import { configure, discover, readArgs, readChild } from './connector.mjs';
import { mb } from './measure.mjs';
import { BUILD } from './paths.mjs';
import { startSimChild } from './sim.mjs';

/** "Limit off": the rate-limit headers are present (the connector paces by them) but never bind. */
export const LIMIT_OFF = { limit: 1_000_000, windowMs: 1000 };

/** The simulator's public module (DEFAULT_COUNTS, PAGED_STREAMS, STREAM_NAMES): data only, nothing started. */
export const simModule = () => import(`${BUILD}/simulator/index.js`);

let discovered;
/** discover's catalog, once per process. */
export async function catalogs() {
  discovered ??= await discover({ api_key: 'be9c4'.padEnd(32, '0'), api_secret: '5ec7e7'.padEnd(32, '0') });
  return discovered;
}

export async function withSim(options, fn) {
  const sim = await startSimChild(options);
  try {
    return await fn(sim);
  } finally {
    await sim.close();
  }
}

/** Peak RSS and throughput of the CLI reading `orders` only (limit off, stdout drained and discarded). */
/** `nodeOptions`: V8 flags in NODE_OPTIONS (empty = plain `node dist/shipstation-source.js`); `asCommand`: the bundle run as a program, with the heap caps its first line passes. */
export async function peakRss(orders, nodeOptions = '', asCommand = false) {
  const catalog = configure(await catalogs(), ['orders']);
  return withSim({ counts: { orders }, rateLimit: LIMIT_OFF }, async (sim) => {
    const run = await readChild(readArgs({ config: sim.config, catalog }), {
      measureRss: true,
      asCommand,
      env: { NODE_OPTIONS: nodeOptions },
    });
    if (run.code !== 0) throw new Error(`read of ${orders} orders exited ${run.code}: ${run.stderr}`);
    return {
      orders,
      procHwmMB: mb(run.procHwmKb),
      timeMaxRssMB: mb(run.timeMaxRssKb),
      peakMB: mb(Math.max(run.procHwmKb ?? 0, run.timeMaxRssKb ?? 0)),
      wallMs: run.wallMs,
      recordsPerSecond: orders / (run.wallMs / 1000),
    };
  });
}
