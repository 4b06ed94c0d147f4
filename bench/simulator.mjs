// Simulator benchmark: 1,000,000 orders, 500 per page over real HTTP. Build first (npx tsc -p tsconfig.build.json).
// The simulator runs in a child process so the client's work does not skew its numbers or its memory.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';

const ORDERS = 1_000_000;
const MB = 1024 * 1024;

function memory() {
  const m = process.memoryUsage();
  return {
    rssMB: m.rss / MB,
    heapUsedMB: m.heapUsed / MB,
    heapTotalMB: m.heapTotal / MB,
    arrayBuffersMB: m.arrayBuffers / MB,
  };
}

async function serve() {
  const { startSimulator } = await import('../build/simulator/index.js');
  const t0 = performance.now();
  const sim = await startSimulator({ counts: { orders: ORDERS, shipments: 300_000 }, rateLimit: null });
  const startupMs = performance.now() - t0;
  globalThis.gc?.();
  process.send({
    type: 'ready',
    baseUrl: sim.baseUrl,
    auth: `Basic ${Buffer.from(`${sim.config.api_key}:${sim.config.api_secret}`).toString('base64')}`,
    startupMs,
    memory: memory(),
  });
  process.on('message', (message) => {
    if (message === 'memory') process.send({ type: 'memory', memory: memory() });
    if (message === 'bulk-edit') {
      const t = performance.now();
      const result = sim.mutate.bulkEditOrders({ count: 1200 });
      process.send({ type: 'bulk-edit', ms: performance.now() - t, count: result.ids.length });
    }
    if (message === 'stop') void sim.close().then(() => process.exit(0));
  });
}

function ask(child, message, type) {
  return new Promise((resolve) => {
    const onMessage = (reply) => {
      if (reply.type !== type) return;
      child.off('message', onMessage);
      resolve(reply);
    };
    child.on('message', onMessage);
    child.send(message);
  });
}

async function fetchPage(pool, auth, path) {
  const t = performance.now();
  const { statusCode, body } = await pool.request({ method: 'GET', path, headers: { authorization: auth } });
  let bytes = 0;
  for await (const chunk of body) bytes += chunk.length;
  if (statusCode !== 200) throw new Error(`${path} → ${statusCode}`);
  return { ms: performance.now() - t, bytes };
}

async function run(pool, auth, label, paths, concurrency) {
  const latencies = [];
  let bytes = 0;
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < paths.length) {
        const page = await fetchPage(pool, auth, paths[next++]);
        latencies.push(page.ms);
        bytes += page.bytes;
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))].toFixed(1);
  console.log(
    `${label.padEnd(44)} ${String(paths.length).padStart(4)} pages  ${(paths.length / seconds).toFixed(1).padStart(6)} pages/s  ` +
      `p50 ${pct(0.5)} ms  p95 ${pct(0.95)} ms  ${(bytes / paths.length / 1024).toFixed(0)} KiB/page`,
  );
}

async function main() {
  const child = fork(fileURLToPath(import.meta.url), ['--serve'], { execArgv: ['--expose-gc'] });
  const ready = await new Promise((resolve) => child.once('message', resolve));
  const fmt = (m) =>
    `rss ${m.rssMB.toFixed(0)} MB, heap used ${m.heapUsedMB.toFixed(0)} MB (total ${m.heapTotalMB.toFixed(0)} MB), array buffers ${m.arrayBuffersMB.toFixed(0)} MB`;
  console.log(
    `simulator: ${ORDERS.toLocaleString('en-US')} orders (+300,000 shipments) built in ${ready.startupMs.toFixed(0)} ms`,
  );
  console.log(`memory after startup: ${fmt(ready.memory)}`);

  const pool = new Pool(ready.baseUrl, { connections: 8 });
  const pages = (n, query, firstPage = 1) =>
    Array.from({ length: n }, (_, i) => `/orders?pageSize=500&page=${firstPage + i}${query}`);
  await run(pool, ready.auth, 'warm-up', pages(20, ''), 1);
  await run(pool, ready.auth, 'orders, default sort, sequential', pages(200, '', 100), 1);
  await run(pool, ready.auth, 'orders, default sort, 4 concurrent', pages(400, '', 400), 4);
  await run(
    pool,
    ready.auth,
    'orders, sortBy=ModifyDate + modifyDateStart',
    pages(200, '&sortBy=ModifyDate&modifyDateStart=2024-01-01%2000:00:00', 50),
    1,
  );
  await run(
    pool,
    ready.auth,
    'orders, createDate filter + sortBy=OrderDate',
    pages(200, '&sortBy=OrderDate&sortDir=DESC&createDateStart=2023-06-01', 10),
    1,
  );
  const shipmentPages = Array.from(
    { length: 100 },
    (_, i) => `/shipments?pageSize=500&includeShipmentItems=true&page=${i + 1}`,
  );
  await run(pool, ready.auth, 'shipments with items, sequential', shipmentPages, 1);
  const bulk = await ask(child, 'bulk-edit', 'bulk-edit');
  console.log(`bulk edit of ${bulk.count} orders at 1M (re-sorting the ModifyDate index): ${bulk.ms.toFixed(1)} ms`);
  await run(
    pool,
    ready.auth,
    'orders after bulk edit, ModifyDate DESC',
    pages(50, '&sortBy=ModifyDate&sortDir=DESC'),
    1,
  );
  const after = await ask(child, 'memory', 'memory');
  console.log(`memory after traffic: ${fmt(after.memory)}`);
  await pool.close();
  child.send('stop');
}

if (process.argv.includes('--serve')) await serve();
else await main();
