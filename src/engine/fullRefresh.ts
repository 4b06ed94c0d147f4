// Full refresh: every page of the endpoint, sorted by something modifications cannot change (creation order or
// id, so new records only append at the end). Once page 1 tells the total, the other pages are read several at
// once. `pages` is never trusted (ShipStation sometimes answers 0 with rows present); a total is trusted only
// when the page does not contradict it, and a full last page is always followed by one more.
//
// A record deleted while pages are read shifts every later record up one place: a page read afterwards starts
// one record later, and the record that moved onto an earlier page already read would be missed. Totals are
// compared as pages arrive; when one drops, the pages read before the drop are read again.
import { TransientError } from '../errors.js';
import type { StreamDefinition } from '../streams/types.js';
import { readEnvelope } from './envelope.js';
import { endsRows, plausibleTotal, type RecordId } from './keyset.js';
import { fullRefreshIds, ServerFault } from './pageChecks.js';
import type { ReadTarget } from './streamContext.js';
import { WorkerPool } from './workerPool.js';
import type { ReaderPacer } from './incremental.js';

/** Re-read rounds after totals dropped, before giving up transiently. */
export const MAX_REREAD_ROUNDS = 5;

interface PageResult {
  page: number;
  full: boolean;
  /** No page after this one can hold rows (see endsRows). */
  end: boolean;
  total?: number;
  /** Order in which the response completed (for the consistency check). */
  seq: number;
}

export async function readFullRefresh(def: StreamDefinition, ctx: ReadTarget, pageSize: number, readers: number, pacer: ReaderPacer): Promise<void> {
  if (def.envelope === null || def.singleRequest === true) {
    await ctx.read(def.path, { ...def.params }, async (body) => {
      const result = readEnvelope(body, def.path, def.envelope);
      await ctx.estimateRows(result.total ?? result.rows.length);
      await ctx.records(result.rows);
    });
    await ctx.checkpoint({});
    return;
  }
  const idField = def.primaryKey[0]!;
  const sort = def.fullRefreshSort ?? {};
  let seq = 0;
  let firstPage: { first: RecordId; last: RecordId } | undefined;
  const results = new Map<number, PageResult>();

  const readPage = (page: number): Promise<PageResult> =>
    ctx.read(def.path, { ...def.params, ...sort, page, pageSize }, async (body) => {
      const result = readEnvelope(body, def.path, def.envelope);
      await ctx.estimateRows(result.total);
      const ids = fullRefreshIds(result.rows, idField);
      const full = ids.length >= pageSize;
      if (page === 1 && full) firstPage = { first: ids[0]!, last: ids[ids.length - 1]! };
      else if (page > 1 && full && firstPage && ids[0] === firstPage.first && ids[ids.length - 1] === firstPage.last) {
        throw new ServerFault(`page ${page} holds the same records as page 1: the server appears to ignore the page parameter`);
      }
      await ctx.records(result.rows);
      const total = plausibleTotal(result.total, page, ids.length, pageSize);
      const outcome: PageResult = { page, full, end: endsRows(ids.length, total, page, pageSize), total, seq: ++seq };
      results.set(page, outcome);
      return outcome;
    });

  const isLast = (r: PageResult) => r.end;

  const first = await readPage(1);
  if (!isLast(first)) {
    if (first.total === undefined || readers <= 1) {
      // Without a total to plan by (or asked for order), page after page until a short one.
      for (let page = 2; !isLast(await readPage(page)); page++);
    } else {
      await readPagesInParallel(first.total, readers, pageSize, readPage, isLast, pacer, def.name);
      await rereadAfterDrops(results, readers, readPage);
    }
  }
  pacer.report(def.name, 0);
  await ctx.checkpoint({});
}

/** Pages 2…last with several readers; `last` grows when a later total is larger or the last page is full. */
async function readPagesInParallel(
  total: number,
  readers: number,
  pageSize: number,
  readPage: (page: number) => Promise<PageResult>,
  isLast: (r: PageResult) => boolean,
  pacer: ReaderPacer,
  stream: string,
): Promise<void> {
  let last = Math.ceil(total / pageSize);
  let next = 2;
  const pool = new WorkerPool();
  const worker = async () => {
    while (next <= last && !pool.failed) {
      const page = next++;
      pacer.report(stream, last - next + 2);
      const r = await readPage(page);
      if (r.total !== undefined) last = Math.max(last, Math.ceil(r.total / pageSize));
      if (page >= last && !isLast(r)) last = page + 1;
    }
  };
  for (let i = 0; i < Math.min(readers, last - 1); i++) pool.start(worker);
  await pool.done();
}

/**
 * A total lower than one reported earlier means records were deleted while the pages were read: pages
 * answered before the drop may have missed a record that moved up onto them. They are read again, until a
 * round sees no drop.
 */
async function rereadAfterDrops(results: Map<number, PageResult>, readers: number, readPage: (page: number) => Promise<PageResult>): Promise<void> {
  for (let round = 1; ; round++) {
    const byArrival = [...results.values()].sort((a, b) => a.seq - b.seq);
    const latest = byArrival[byArrival.length - 1]?.total;
    let highest = -Infinity;
    let dropAt = -1;
    byArrival.forEach((r, i) => {
      if (r.total === undefined) return;
      if (r.total < highest) dropAt = i;
      highest = Math.max(highest, r.total);
    });
    if (dropAt < 0 || latest === undefined) return;
    if (round > MAX_REREAD_ROUNDS) {
      throw new TransientError(`records kept being deleted while the stream was read (${MAX_REREAD_ROUNDS} re-reads); the next sync reads it again`);
    }
    const stale = byArrival.slice(0, dropAt).filter((r) => r.total !== undefined && r.total > latest).map((r) => r.page);
    if (stale.length === 0) return;
    const queue = [...stale];
    const pool = new WorkerPool();
    const worker = async () => {
      for (let page = queue.shift(); page !== undefined && !pool.failed; page = queue.shift()) await readPage(page);
    };
    for (let i = 0; i < Math.min(readers, queue.length); i++) pool.start(worker);
    await pool.done();
  }
}
