// Full refresh of a paged stream the server neither sorts nor filters on request (ShipStation v2 products,
// users, manifests, pickups, inventory): its pages in the server's own order, one after another, each link of
// the chain (plan/pageChain.ts) repeating the last rows of the one before. The repeated places must hold the
// same ids as before: then no row was deleted or inserted ahead of them between the two answers, so none was
// passed over. A chain that shifted is read again from page 1, emitting only ids not yet out; one that keeps
// shifting ends the stream incomplete for this sync. A page 1 short of its total is asked again (a cut costs no
// pass); it is the server's page limit only when it comes back at the same count twice in a row and a chain can
// be planned at that count (one short answer is not a limit, as in v1's fans), and a server that keeps serving
// page 1 short of its total, MAX_SHORT_ROUNDS times in a row, is blamed.
import { ServerFault, TransientError } from '../../errors.js';
import type { StreamDefinition } from '../../streams/types.js';
import type { Dialect } from '../../dialects/dialect.js';
import { readEnvelope } from '../plan/envelope.js';
import type { RecordId } from '../plan/page.js';
import { CHAIN_OVERLAP, type ChainLink, linkStart, nextChainLink } from '../plan/pageChain.js';
import { checkShortFirstPages, endsRows, fullRefreshIds, plausibleTotal } from '../plan/serverChecks.js';
import type { ReaderPacer } from './incremental.js';
import type { ReadTarget } from './streamContext.js';

/** Passes over the chain before giving up for this sync (rows keep moving: a live import, an unstable order). */
export const MAX_UNSORTED_PASSES = 3;

export interface UnsortedOptions {
  pageSize: number;
  dialect: Dialect;
}

/** Reads every page of `def` in the server's order; throws TransientError when every pass saw the rows move. */
export async function readUnsortedPages(
  def: StreamDefinition,
  ctx: ReadTarget,
  opts: UnsortedOptions,
  pacer: ReaderPacer,
): Promise<void> {
  const out = new Set<RecordId>();
  let size = opts.pageSize;
  /** Page 1s in a row short of their total, the count of the last, and whether all came back at that count. */
  let short = { rounds: 0, served: 0, always: true };
  for (let pass = 1; pass <= MAX_UNSORTED_PASSES; ) {
    const result = await readPass(def, ctx, opts.dialect, pacer, size, out);
    if (result.done) return;
    if (result.shortCount === undefined) {
      short = { rounds: 0, served: 0, always: true };
      if (pass++ < MAX_UNSORTED_PASSES)
        ctx.logger.info(`${def.name}: ${result.why}; reading its pages again (pass ${pass})`);
      continue;
    }
    // A page 1 cut short is asked again and costs no pass (passes are for rows that move). The same smaller count
    // on two page 1s in a row is learned as the server's page size (sizes only shrink), but only a size a chain
    // can be planned at: a smaller count, from a limit or two equal cuts, is asked again at the size before.
    const served = result.shortCount;
    if (served === short.served && nextChainLink(served, served) !== undefined) {
      size = served;
      short = { rounds: 0, served: 0, always: true };
      continue;
    }
    short = {
      rounds: short.rounds + 1,
      served,
      always: short.always && (short.rounds === 0 || served === short.served),
    };
    checkShortFirstPages(short.rounds, served, short.always, CHAIN_OVERLAP);
    ctx.logger.info(`${def.name}: ${result.why}; asking for it again`);
  }
  throw new TransientError(
    `${def.name}: its records moved between pages on ${MAX_UNSORTED_PASSES} reads in a row (created or deleted while read, or listed in a changing order), so no read can be proven complete; the next sync reads the stream again`,
  );
}

type Pass = { done: true } | { done: false; why: string; shortCount?: number };

async function readPass(
  def: StreamDefinition,
  ctx: ReadTarget,
  dialect: Dialect,
  pacer: ReaderPacer,
  size: number,
  out: Set<RecordId>,
): Promise<Pass> {
  /** Ids by place in the server's order, as the answers of this pass showed them. */
  const places = new Map<number, RecordId>();
  let link: ChainLink | undefined = { page: 1, size };
  let total: number | undefined;
  while (link !== undefined) {
    const asked: ChainLink = link;
    const answer = await ctx.read(
      def.path,
      dialect.listQuery({ params: def.params, page: asked.page, pageSize: asked.size }),
      async (body, response) => {
        const page = readEnvelope(body, def.path, def.envelope);
        const ids = fullRefreshIds(page.rows, def.primaryKey[0]!);
        const start = linkStart(asked);
        const moved = ids.findIndex((id, i) => places.has(start + i) && places.get(start + i) !== id);
        if (moved >= 0) return { moved: true as const, count: ids.length, total: page.total };
        for (const [i, id] of ids.entries()) places.set(start + i, id);
        const fresh = page.rows.filter((_, i) => !out.has(ids[i]!));
        for (const id of ids) out.add(id);
        await ctx.records(fresh, response.serverTime);
        return {
          moved: false as const,
          count: ids.length,
          total: plausibleTotal(page.total, asked.page, ids.length, asked.size),
        };
      },
    );
    if (answer.moved)
      return { done: false, why: `the record at place ${linkStart(asked) + 1} changed between two pages` };
    if (asked.page === 1) {
      total = answer.total;
      await ctx.estimateRows(total);
      // Page 1 short of what its total promises: an answer cut short, or the server's own page limit (learned
      // when it repeats: chain links must be of sizes it serves whole). Either way page 1 is read again.
      if (answer.count < asked.size && total !== undefined && total > answer.count)
        return {
          done: false,
          why: `page 1 came back with ${answer.count} of ${total} records`,
          shortCount: answer.count,
        };
    }
    if (endsRows(answer.count, answer.total ?? total, asked.page, asked.size)) return { done: true };
    const end = linkStart(asked) + answer.count;
    pacer.report(def.name, total === undefined ? 1 : Math.max(1, Math.ceil((total - end) / (size - CHAIN_OVERLAP))));
    link = nextChainLink(end, size);
    // No page of this size can both repeat the last rows and bring a new one. Where the total shows rows remain,
    // stopping here would pass them over unread.
    if (link === undefined && (total === undefined || end < total))
      throw new ServerFault(
        `${def.name}: the server serves pages of ${size} rows, too few to repeat ${CHAIN_OVERLAP} rows of the page before and bring new ones, so the rows after place ${end} cannot be proven read`,
      );
  }
  return { done: true };
}
