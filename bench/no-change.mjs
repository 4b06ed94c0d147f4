// Requests of a no-change incremental sync, by path, in both APIs: the complete catalog (incremental where a
// stream can be) read once, then again from its last STATEs with nothing changed between. Shipments (v2: labels)
// add their void pass to the one request of each incremental stream: v1 one request for an empty voidDate window,
// v2 one per page of voided labels (label_status=voided lists them all). `npm run bench:no-change`.
import { configure, discover, lastStates, readArgs, readChild } from './lib/connector.mjs';
import { LIMIT_OFF, withSim } from './lib/scenarios.mjs';

const ACCOUNTS = [
  { api: 'v1', counts: { orders: 2_000, shipments: 1_500, customers: 500 } },
  { api: 'v2', counts: { orders: 2_000, shipments: 1_500 } },
  { api: 'v2', counts: { orders: 20_000, shipments: 20_000 } },
];

for (const { api, counts } of ACCOUNTS) {
  await withSim({ counts, rateLimit: LIMIT_OFF, api }, async (server) => {
    const discovered = await discover(server.config);
    const catalog = configure(
      discovered,
      discovered.streams.map((s) => s.name),
    );
    const first = await readChild(readArgs({ config: server.config, catalog }), { keepPrefix: '{"type":"STATE"' });
    if (first.code !== 0) throw new Error(`first sync exited ${first.code}: ${first.stderr}`);
    await server.resetStats();
    const again = await readChild(readArgs({ config: server.config, catalog, state: lastStates(first.kept) }), {
      keepPrefix: '{"type":"RECORD"',
    });
    if (again.code !== 0) throw new Error(`second sync exited ${again.code}: ${again.stderr}`);
    const stats = await server.stats();
    const incremental = catalog.streams.filter((s) => s.sync_mode === 'incremental').map((s) => s.stream.name);
    const paths = Object.entries(stats.byPath).filter(([path]) => incremental.some((n) => path.endsWith(`/${n}`)));
    console.log(
      `${api} ${JSON.stringify(counts)}: incremental streams ${JSON.stringify(Object.fromEntries(paths))}, ` +
        `records ${again.kept.length}, all requests ${stats.requests} (full-refresh lists included)`,
    );
  });
}
