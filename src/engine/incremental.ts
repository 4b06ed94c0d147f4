// Incremental: the window frozen at the start of the sync, read as cursor-range slices (slices.ts), each by
// keyset paging (keyset.ts) sorted ascending, several at once when the rate budget has room (the pacer). Each
// page is checked (pageChecks.ts) before its records go out, and a checkpoint covering every slice's position
// follows every page. Optional re-scan passes re-read a trailing window for streams whose records change
// without a modification date (shipment voids).
import type { CursorDefinition, StreamDefinition } from '../streams/types.js';
import { readEnvelope } from './envelope.js';
import { applyPage, planRequest, plausibleTotal, type PageRow } from './keyset.js';
import { keysetRows } from './pageChecks.js';
import { largestSplittable, pagesLeftIn, SliceSet, type ResumePlan, type Slice } from './slices.js';
import type { ReadTarget } from './streamContext.js';
import { checkedState, type WallClockZone } from './streamState.js';
import { floorSecond, formatWallFilter } from './wallClock.js';
import { WorkerPool } from './workerPool.js';

export interface IncrementalPlan {
  cursor: CursorDefinition;
  resume: ResumePlan;
  /** Upper bound sent for this sync's window (wall ms, whole second: the moment the sync started). */
  windowEnd: number;
  pageSize: number;
  zone: WallClockZone;
  /** Days of trailing window to re-read after the main pass (0 = none). */
  lookbackDays: number;
  /** Slices read at once at most (1 = strictly in cursor order). */
  maxSlices: number;
}

/** Decides whether more readers would pay off now (shared by every stream of the sync). */
export interface ReaderPacer {
  spare(): number;
  report(stream: string, pagesLeft: number): void;
}

export async function readIncremental(def: StreamDefinition, ctx: ReadTarget, plan: IncrementalPlan, pacer: ReaderPacer): Promise<void> {
  // Rows at the window's last second may still be arriving: the range ends one second before it, and those
  // rows are read by the next sync (its keyset restarts at or before them).
  const set = new SliceSet(plan.resume, plan.windowEnd - 1000);
  const save = () => ctx.checkpoint({ ...checkedState(set.checkpoint(), plan.cursor.field, plan.zone) });
  await readSlices(def, ctx, plan.cursor, set, plan.pageSize, plan.maxSlices, pacer, save);
  if (plan.lookbackDays > 0) {
    const from = floorSecond(plan.windowEnd - plan.lookbackDays * 86_400_000);
    ctx.logger.info(`${def.name}: re-scanning the last ${plan.lookbackDays} days by ${plan.cursor.field}`);
    const rescan = new SliceSet({ frontier: { from, idsAtLast: [] }, pending: [] }, plan.windowEnd - 1000);
    await readSlices(def, ctx, plan.cursor, rescan, plan.pageSize, plan.maxSlices, pacer, save);
    for (const cursor of def.lookbackExtraCursors ?? []) {
      ctx.logger.info(`${def.name}: re-scanning the last ${plan.lookbackDays} days by ${cursor.field}`);
      await windowPass(def, ctx, cursor, from, plan.windowEnd, plan.pageSize, save);
    }
  }
  await save();
}

/**
 * Reads every open slice of the set. One reader starts; after each page the pacer may ask for more, which
 * take a slice not yet being read or split the largest one (work stealing). A failing reader stops the others
 * at their next request; the first error is thrown once all have emitted their last checkpoint.
 */
async function readSlices(
  def: StreamDefinition,
  ctx: ReadTarget,
  cursor: CursorDefinition,
  set: SliceSet,
  pageSize: number,
  maxSlices: number,
  pacer: ReaderPacer,
  save: () => Promise<void>,
): Promise<void> {
  const idField = def.primaryKey[0]!;
  const reading = new Set<Slice>();
  const pool = new WorkerPool();
  const report = () => pacer.report(def.name, set.pagesLeft(pageSize));
  const unclaimed = () => set.open.find((s) => !reading.has(s));

  /** A slice to read next: one nobody reads, else part of the largest one being read, if more readers pay off. */
  const claim = (steal: boolean): Slice | undefined => {
    const free = unclaimed();
    if (free || !steal) return free;
    const victim = largestSplittable(set.open, pageSize);
    if (!victim) return undefined;
    const parts = Math.min(pagesLeftIn(victim, pageSize), Math.max(2, pacer.spare() + 1));
    set.split(victim, parts);
    report();
    return unclaimed();
  };

  const widen = () => {
    let spare = Math.min(pacer.spare(), maxSlices - pool.size);
    while (spare-- > 0 && !pool.failed) {
      const slice = claim(true);
      if (!slice) return;
      startReader(slice);
    }
  };

  const readSlice = async (slice: Slice): Promise<void> => {
    for (;;) {
      if (pool.failed) return;
      const request = planRequest(slice.pos, slice.targetEnd);
      if (request === null) {
        set.finish(slice);
        report();
        await save();
        return;
      }
      const query = {
        ...def.params,
        ...(request.from !== undefined ? { [cursor.startParam]: formatWallFilter(request.from) } : {}),
        [cursor.endParam]: formatWallFilter(request.to),
        sortBy: cursor.sortBy,
        sortDir: 'ASC',
        page: request.page,
        pageSize,
      };
      await ctx.read(def.path, query, async (body) => {
        const page = readEnvelope(body, def.path, def.envelope);
        await ctx.estimateRows(page.total);
        const rows = keysetRows(page.rows, { cursorField: cursor.field, idField, request });
        // The slice may have been split while this page was in flight: its end now is what counts.
        const outcome = applyPage(slice.pos, request, rows, page.total, pageSize, slice.targetEnd);
        await ctx.records(outcome.emit.map((i) => page.rows[i]!));
        slice.pos = outcome.next;
        const total = plausibleTotal(page.total, request.page, page.rows.length, pageSize);
        slice.remaining = total === undefined ? undefined : Math.max(0, total - (request.page - 1) * pageSize - page.rows.length);
        slice.lastSpanMs = spanOf(rows);
        if (outcome.done) set.finish(slice);
        report();
        await save();
      });
      if (slice.done) return;
      widen();
    }
  };

  function startReader(first: Slice): void {
    reading.add(first);
    pool.start(async () => {
      let slice: Slice | undefined = first;
      while (slice) {
        try {
          await readSlice(slice);
        } finally {
          reading.delete(slice);
        }
        if (pool.failed) return;
        slice = maxSlices > 1 && pool.size <= maxSlices ? claim(pacer.spare() > 0) : unclaimed();
        if (slice) reading.add(slice);
      }
    });
  }

  report();
  const first = unclaimed();
  if (first) startReader(first);
  await pool.done();
}

/** Time between the first and last cursor values of a page (rows are checked ascending). */
export function spanOf(rows: readonly PageRow[]): number | undefined {
  const values = rows.map((r) => r.value).filter((v): v is number => v !== null);
  return values.length < 2 ? undefined : values[values.length - 1]! - values[0]!;
}

/**
 * Page numbers over a window on a field the API cannot sort by (voidDate). Rows entering the window while
 * it is read can only push others to a later page (read twice), and a row missed that way is still inside
 * the trailing window at the next sync.
 */
async function windowPass(
  def: StreamDefinition,
  ctx: ReadTarget,
  cursor: CursorDefinition,
  from: number,
  windowEnd: number,
  pageSize: number,
  checkpoint: () => Promise<void>,
): Promise<void> {
  for (let page = 1; ; page++) {
    const query = {
      ...def.params,
      [cursor.startParam]: formatWallFilter(from),
      [cursor.endParam]: formatWallFilter(windowEnd),
      sortBy: cursor.sortBy,
      sortDir: 'ASC',
      page,
      pageSize,
    };
    const full = await ctx.read(def.path, query, async (body) => {
      const result = readEnvelope(body, def.path, def.envelope);
      await ctx.records(result.rows);
      await checkpoint();
      return result.rows.length >= pageSize;
    });
    if (!full) return;
  }
}
