// Incremental: the window frozen at the start of the sync, read as cursor-range slices (slices.ts), each by
// keyset paging (keyset.ts) sorted ascending and fanned out by page number once its total is known, as many
// requests at once as the rate budget has room for (the pacer). Each page is checked (pageChecks.ts) before its
// records go out, and a checkpoint covering every slice's position follows every page. Optional re-scan passes re-read a trailing window for streams whose records change
// without a modification date (shipment voids).
import type { CursorDefinition, StreamDefinition } from '../streams/types.js';
import { readEnvelope } from './envelope.js';
import { applyPage, endsRows, planRequest, plausibleTotal, rowsToEmit, type PageRequest, type PageRow } from './keyset.js';
import { keysetRows, ServerFault } from './pageChecks.js';
import { SliceSet, type FanPage, type ResumePlan, type Slice } from './slices.js';
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
 * Reads every open slice of the set. One reader starts; after each page the pacer may ask for more. A slice
 * whose page 1 tells a total of several pages fans out: its other pages are work any reader may take (work
 * stealing), and gaps a fan cannot vouch for become slices of their own. A failing reader stops the others at
 * their next request; the first error is thrown once all have emitted their last checkpoint.
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
  /** Slices read by keyset right now (a fan's pages are shared out page by page instead). */
  const reading = new Set<Slice>();
  const pool = new WorkerPool();
  const report = () => pacer.report(def.name, set.pagesLeft());

  type Unit = NonNullable<ReturnType<SliceSet['claim']>>;
  const claim = (): Unit | undefined => set.claim(reading);

  const widen = () => {
    let spare = Math.min(pacer.spare(), maxSlices - pool.size);
    while (spare-- > 0 && !pool.failed) {
      const unit = claim();
      if (!unit) return;
      startReader(unit);
    }
  };

  const queryFor = (request: PageRequest) => ({
    ...def.params,
    ...(request.from !== undefined ? { [cursor.startParam]: formatWallFilter(request.from) } : {}),
    [cursor.endParam]: formatWallFilter(request.to),
    sortBy: cursor.sortBy,
    sortDir: 'ASC',
    page: request.page,
    pageSize,
  });

  const readKeyset = async (slice: Slice): Promise<void> => {
    for (;;) {
      if (pool.failed) return;
      const request = planRequest(slice.pos, slice.targetEnd);
      if (request === null) {
        set.finish(slice);
        report();
        await save();
        return;
      }
      const fanning = await ctx.read(def.path, queryFor(request), async (body) => {
        const page = readEnvelope(body, def.path, def.envelope);
        await ctx.estimateRows(page.total);
        const rows = keysetRows(page.rows, { cursorField: cursor.field, idField, request });
        const outcome = applyPage(slice.pos, request, rows, page.total, pageSize, slice.targetEnd);
        await ctx.records(outcome.emit.map((i) => page.rows[i]!));
        const atStart = request.page === 1 && !slice.pos.group && !slice.pos.skip;
        slice.pos = outcome.next;
        const total = plausibleTotal(page.total, request.page, page.rows.length, pageSize);
        const pages = total === undefined ? 1 : Math.ceil(total / pageSize);
        // Keyset reading from page 1 with more pages to come: hand the rest out by page number.
        const fan = maxSlices > 1 && atStart && !outcome.done && !outcome.next.group && pages > 1;
        if (outcome.done) set.finish(slice);
        else if (fan) set.startFan(slice, request, { total, end: false, idsAtLast: [] }, pages);
        report();
        await save();
        return fan;
      });
      if (slice.done || fanning) return;
      widen();
    }
  };

  const readFanPage = async (slice: Slice, pageNumber: number): Promise<void> => {
    const fan = slice.fan!;
    const request: PageRequest = { ...fan.request, page: pageNumber };
    await ctx.read(def.path, queryFor(request), async (body) => {
      const page = readEnvelope(body, def.path, def.envelope);
      const rows = keysetRows(page.rows, { cursorField: cursor.field, idField, request });
      const start = fan.start.lastValue;
      // Later pages only ever hold rows after page 1's (rows leave, they never join a past window).
      if (start !== undefined && rows.some((r) => r.value !== null && r.value < start)) {
        throw new ServerFault(`page ${pageNumber} repeats records of page 1: the server appears to ignore the page parameter`);
      }
      const { emit, beyond } = rowsToEmit(fan.start, rows, slice.targetEnd);
      await ctx.records(emit.map((i) => page.rows[i]!));
      set.recordFanPage(slice, pageNumber, fanPageOf(rows, slice.targetEnd, plausibleTotal(page.total, pageNumber, rows.length, pageSize), pageNumber, pageSize, beyond));
      report();
      await save();
    });
  };

  function startReader(first: Unit): void {
    pool.start(async () => {
      for (let unit: Unit | undefined = first; unit; unit = pool.failed ? undefined : claim()) {
        try {
          if (unit.fanPage === undefined) await readKeyset(unit.slice);
          else await readFanPage(unit.slice, unit.fanPage);
        } finally {
          reading.delete(unit.slice);
        }
        widen();
      }
    });
  }

  report();
  const first = claim();
  if (first) startReader(first);
  await pool.done();
}

/**
 * What a fanned page tells: its first and last cursor values within the slice, the ids at the last, and whether
 * the rows end on it (a short page, rows past the slice, or the total reached).
 */
export function fanPageOf(rows: readonly PageRow[], targetEnd: number, total: number | undefined, page: number, pageSize: number, beyond: boolean): FanPage {
  const end = beyond || endsRows(rows.length, total, page, pageSize);
  const inside = rows.filter((r): r is PageRow & { value: number } => r.value !== null && floorSecond(r.value) <= targetEnd);
  const first = inside[0]?.value;
  const last = inside[inside.length - 1]?.value;
  const idsAtLast = inside.filter((r) => r.value === last).map((r) => r.id);
  return { total, end, first, last, idsAtLast };
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
