// The cost of keeping an account fresh (#27): requests of a sync with no change, after 1 % of customers and
// products changed, and of the periodic full pass, on a 100k orders / 20k products / 100k customers account; the
// same no-change sync with products and customers read whole (how they were read before, and how peers read them)
// is the baseline in the same run.
import { configure, lastStates, readArgs, readChild } from './connector.mjs';
import { catalogs, LIMIT_OFF, withSim } from './scenarios.mjs';

const COUNTS = { orders: 100_000, products: 20_000, customers: 100_000 };
const CHANGED = 0.01;
const BATCH = 100;
const BULK = 1_000;
const PAGE = 500;
/** ShipStation v1's budget: 40 requests a minute, and a schedule of a sync every 15 minutes. */
const PER_MINUTE = 40;
const SYNCS_PER_DAY = (24 * 60) / 15;
const NEWEST_FIRST = ['customers', 'products'];

/** The complete catalog, incremental where offered; `wholeStreams` read as full refresh instead. */
function catalogOf(discovered, wholeStreams = []) {
  const catalog = configure(
    discovered,
    discovered.streams.map((s) => s.name),
  );
  for (const entry of catalog.streams) {
    if (!wholeStreams.includes(entry.stream.name)) continue;
    entry.sync_mode = 'full_refresh';
    delete entry.cursor_field;
  }
  return catalog;
}

/** The requests each sync of a schedule costs, measured on the simulator; figures via `figure`. */
export async function freshness(log) {
  const discovered = await catalogs();
  const incremental = catalogOf(discovered);
  const before = catalogOf(discovered, NEWEST_FIRST);
  // settle_seconds 0: the bench changes records and syncs a second later; the margin only delays changes.
  return withSim({ counts: COUNTS, rateLimit: LIMIT_OFF }, async (server) => {
    const config = { ...server.config, settle_seconds: 0 };
    const sync = async (catalog, state, extra = {}) => {
      await server.resetStats();
      const run = await readChild(readArgs({ config: { ...config, ...extra }, catalog, state }), {
        keepPrefix: '{"type":"STATE"',
      });
      if (run.code !== 0) throw new Error(`sync exited ${run.code}: ${run.stderr}`);
      const stats = await server.stats();
      return { requests: stats.requests, byPath: stats.byPath, states: lastStates(run.kept) };
    };
    const nextSecond = () => new Promise((resolve) => setTimeout(resolve, 1100));
    log(`freshness: backfill of ${JSON.stringify(COUNTS)} (limit off)`);
    const first = await sync(incremental);
    const baselineFirst = await sync(before);
    await nextSecond();
    log('freshness: no-change syncs, newest first and (baseline) read whole');
    const noChange = await sync(incremental, first.states);
    const baseline = await sync(before, baselineFirst.states);
    // 1 % of each changed in batches of 100 a few ms apart (as edits arrive through a day), then a sync.
    const changeOnePercent = async () => {
      for (const [op, stream] of [
        ['modifyCustomers', 'customers'],
        ['modifyProducts', 'products'],
      ]) {
        for (let left = Math.round(COUNTS[stream] * CHANGED); left > 0; left -= BATCH) {
          await server.mutate({ op, count: Math.min(BATCH, left) });
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }
    };
    await changeOnePercent();
    await nextSecond();
    log('freshness: a sync after 1 % of customers and products changed');
    const changed = await sync(incremental, noChange.states);
    const changedPages = NEWEST_FIRST.reduce((n, s) => n + Math.ceil((COUNTS[s] * CHANGED) / PAGE), 0);
    // A bulk edit: more customers on one stamp than a page holds (an import, a mass tag).
    await server.mutate({ op: 'modifyCustomers', count: BULK });
    await nextSecond();
    log(`freshness: a sync after ${BULK} customers were changed at one stamp`);
    const bulk = await sync(incremental, changed.states);
    log('freshness: a sync with the full pass due (full_pass_hours 0)');
    const fullPass = await sync(incremental, bulk.states, { full_pass_hours: 0 });
    const perDay = PER_MINUTE * 24 * 60;
    const share = (noChange.requests * (SYNCS_PER_DAY - 1) + fullPass.requests) / perDay;
    const shareBefore = (baseline.requests * SYNCS_PER_DAY) / perDay;
    const counted = ({ requests, byPath }) => ({ requests, byPath });
    return {
      counts: COUNTS,
      noChange: counted(noChange),
      baseline: counted(baseline),
      changed: counted(changed),
      bulk: counted(bulk),
      changedPages,
      fullPass: counted(fullPass),
      share,
      shareBefore,
    };
  });
}

/** The figures `npm run bench` and `npm run bench:freshness` print. */
export function freshnessFigures(r, figure) {
  const paths = (x) => JSON.stringify(x.byPath);
  const pct = (v) => `${(v * 100).toFixed(1)} %`;
  return [
    figure('no_change_sync_requests', 'requests, no-change sync of every stream (100k/20k/100k)', r.noChange.requests, {
      goal: '≤ 16',
      pass: r.noChange.requests <= 16,
      detail: `no full pass due; by path ${paths(r.noChange)}; with products and customers read whole ${r.baseline.requests} (${paths(r.baseline)})`,
    }),
    figure(
      'no_change_sync_request_ratio',
      'requests, no-change sync: newest first / read whole',
      r.noChange.requests / r.baseline.requests,
      {
        fmt: (v) => v.toFixed(3),
        detail: `${r.noChange.requests} / ${r.baseline.requests}, both measured in this run`,
      },
    ),
    figure(
      'changed_1pct_sync_requests',
      'requests, sync after 1 % of customers and products changed',
      r.changed.requests,
      {
        goal: `≤ 16 + ${r.changedPages}`,
        pass: r.changed.requests <= 16 + r.changedPages,
        detail: `changed in batches of ${BATCH} (distinct stamps); ${r.changedPages} pages of 500 hold the changed rows; by path ${paths(r.changed)}`,
      },
    ),
    figure('bulk_edit_sync_requests', `requests, sync after ${BULK} customers changed at one stamp`, r.bulk.requests, {
      detail: `more rows on one second than a page holds: customers are read whole for this sync; by path ${paths(r.bulk)}`,
    }),
    figure(
      'full_pass_sync_requests',
      'requests, sync with the full pass of products and customers due',
      r.fullPass.requests,
      {
        detail: `by path ${paths(r.fullPass)}`,
      },
    ),
    figure('schedule_15min_key_share', 'share of a 40/min key, a sync every 15 min (one full pass a day)', r.share, {
      fmt: pct,
      detail: `${SYNCS_PER_DAY - 1} no-change syncs + 1 full pass a day; reading products and customers whole every sync: ${pct(r.shareBefore)}`,
    }),
  ];
}
