// Incremental sync of a stream without date filters (v1 products, customers), by its modification date read newest
// first (plan/newestFirst.ts says why that is lossless). A first sync, or one whose full pass is due, reads every
// record as a full refresh does (a page chain in creation order); so does a sync whose pages show the server not
// sorting as asked, with one WARN. One request when nothing changed. The one STATE comes at the end: the window
// end of this sync (and when its full pass began); a sync stopped before it reads again from the stored one.
import type { Dialect } from '../../dialects/dialect.js';
import type { StreamDefinition } from '../../streams/types.js';
import { readEnvelope } from '../plan/envelope.js';
import {
  applyHeadPage,
  headFloor,
  newestFirstState,
  startHeadWalk,
  type NewestFirstDecision,
  type NewestFirstPosition,
} from '../plan/newestFirst.js';
import type { RecordId } from '../plan/page.js';
import { fullRefreshIds } from '../plan/serverChecks.js';
import { readPageChain } from './fullRefresh.js';
import { readUnsortedPages } from './unsortedPages.js';
import type { ReaderPacer, WindowTarget } from './incremental.js';
import type { ReadTarget } from './streamContext.js';

export interface NewestFirstOptions {
  pageSize: number;
  maxSlices: number;
  dialect: Dialect;
  window: WindowTarget;
  decision: NewestFirstDecision;
  /** The stored position, if any: a sync that is no full pass keeps its `fullPassAt`. */
  position?: NewestFirstPosition;
}

export async function readNewestFirst(
  def: StreamDefinition,
  ctx: ReadTarget,
  opts: NewestFirstOptions,
  pacer: ReaderPacer,
): Promise<void> {
  const sort = def.newestFirst!;
  const { decision, dialect } = opts;
  if (decision.kind === 'full') {
    ctx.logger.info(
      decision.why === 'first'
        ? `${def.name}: no stored position; reading every record`
        : `${def.name}: a full pass is due (full_pass_hours); reading every record so that removed ones can be found`,
    );
    await readPageChain(def, ctx, opts, pacer);
  } else {
    const verdict = await readHead(def, ctx, opts, headFloor(decision.fromUtc, dialect.zone));
    if (verdict !== undefined) {
      const say = `${def.name}: ${verdict.sentence}; reading every record this sync`;
      if (verdict.why === 'unsorted') {
        // A server ignoring the sort is a fault worth a WARN; as it may ignore the other sort too, read in its own
        // order, proven by ids.
        ctx.logger.warn(say);
        await readUnsortedPages(def, ctx, opts, pacer);
      } else {
        // A bulk edit on one second is normal use.
        ctx.logger.info(say);
        await readPageChain(def, ctx, opts, pacer);
      }
    }
  }
  pacer.report(def.name, 0);
  const windowEnd = dialect.zone.wallToUtc(opts.window.settled() ?? opts.window.provisional);
  // Only a planned full pass moves `full_pass_at`: shipstation-sync replaces the table for exactly those.
  const fullPassAt = decision.kind === 'full' ? windowEnd : opts.position?.fullPassAt;
  await ctx.checkpoint(
    newestFirstState(sort.field, { windowEnd, ...(fullPassAt === undefined ? {} : { fullPassAt }) }),
  );
}

/** Reads from the top until the pages reach below `floor` (wall ms); a sentence when every record must be read instead. */
async function readHead(
  def: StreamDefinition,
  ctx: ReadTarget,
  opts: NewestFirstOptions,
  floor: number,
): Promise<{ why: 'unsorted' | 'ties'; sentence: string } | undefined> {
  const sort = def.newestFirst!;
  const emitted = new Set<RecordId>();
  let walk = startHeadWalk(opts.pageSize, floor);
  for (;;) {
    const link = walk.next;
    const query = opts.dialect.listQuery({
      params: def.params,
      sort: { by: sort.sortBy, dir: 'DESC' },
      page: link.page,
      pageSize: link.size,
    });
    const step = await ctx.read(def.path, query, async (body, response) => {
      const result = readEnvelope(body, def.path, def.envelope);
      if (link.page === 1) await ctx.estimateRows(result.total);
      const ids = fullRefreshIds(result.rows, def.primaryKey[0]!);
      const rows = ids.map((id, i) => ({ id, value: opts.dialect.dates.parse(result.rows[i]![sort.field]) }));
      const step = applyHeadPage(walk, rows);
      if (step.kind !== 'fallback') {
        // Every record a page holds is real: those changed since the floor and not yet out go, whether or not
        // the page met the others. Older ones were read by an earlier sync; undated ones only by full passes.
        const fresh = result.rows.filter((_, i) => {
          const value = rows[i]!.value;
          return value !== null && value >= floor && !emitted.has(ids[i]!);
        });
        for (const id of ids) emitted.add(id);
        await ctx.records(fresh, response.serverTime);
      }
      return step;
    });
    if (step.kind === 'done') return undefined;
    if (step.kind === 'fallback')
      return {
        why: step.why,
        sentence:
          step.why === 'unsorted'
            ? `ShipStation did not return the records sorted by ${sort.sortBy} newest first as asked (${step.detail})`
            : step.detail,
      };
    walk = step.walk;
  }
}
