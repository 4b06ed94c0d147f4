// Incremental: the window, ending a settle margin before the server's own clock, read as cursor-range slices
// (slices.ts), each by keyset paging (keyset.ts) sorted ascending and fanned out once its total is known
// (fanPlan.ts), as many requests at once as the rate budget has room for (the pacer). Each page is checked
// (serverChecks.ts) before its records go out, and a checkpoint covering what the pages proved follows every
// page. The same reader serves a full refresh of a stream with a creation-date filter (no end, no checkpoints).
// Records voided later (shipments, v2 labels) are read by their void date in a second pass (plan/voidPass.ts);
// an optional re-scan re-reads a trailing window for the other changes such streams have no date for.
import type { CursorDefinition, StreamDefinition } from '../../streams/types.js';
import { readEnvelope } from '../plan/envelope.js';
import type { KeysetPosition } from '../plan/keyset.js';
import { plausibleTotal } from '../plan/serverChecks.js';
import type { PageRequest, PageRow } from '../plan/page.js';
import type { ApiRecord } from '../plan/envelope.js';
import { keysetRows } from '../plan/serverChecks.js';
import { SliceSet, type Fan, type ResumePlan, type Slice } from '../plan/slices.js';
import type { ReadTarget } from './streamContext.js';
import { checkedState } from '../plan/streamState.js';
import type { DateRange, Dialect } from '../../dialects/dialect.js';
import { floorSecond } from '../../time/wallClock.js';
import { planVoidPass, type VoidStart, type VoidWindow } from '../plan/voidPass.js';
import { WorkerPool } from './workerPool.js';

/** The window's last second (wall ms): an upper bound until the server has told its time, then final. */
export interface WindowTarget {
  readonly provisional: number;
  settled(): number | undefined;
}

/** A window without an end: a full refresh reads every row there is. */
export const OPEN_WINDOW: WindowTarget = { provisional: Infinity, settled: () => Infinity };

export interface IncrementalPlan {
  cursor: CursorDefinition;
  resume: ResumePlan;
  window: WindowTarget;
  pageSize: number;
  /** The API's words for a list request, its clock and how it writes dates. */
  dialect: Dialect;
  /** Days of trailing window to re-read after the main pass (0 = none). */
  lookbackDays: number;
  /** Slices read at once at most (1 = strictly in cursor order). */
  maxSlices: number;
  /** Where the stream starts without a usable state (start_date, or the beginning of history). */
  fresh: KeysetPosition;
  /** False for a full refresh: no STATE per page, and none of the resume checks. */
  checkpoints: boolean;
  /** For a stream with voids read by date: where its void pass starts, and the settle margin it reaches back. */
  voids?: { start: VoidStart; settleMs: number };
}

/** Decides whether more readers would pay off now (shared by every stream of the sync). */
export interface ReaderPacer {
  spare(): number;
  report(stream: string, pagesLeft: number): void;
}

export async function readIncremental(
  def: StreamDefinition,
  ctx: ReadTarget,
  plan: IncrementalPlan,
  pacer: ReaderPacer,
): Promise<void> {
  const resume = plan.checkpoints ? checkStoredFrontier(def.name, ctx, plan) : plan.resume;
  const set = new SliceSet(resume, plan.window.provisional);
  const voids = plan.checkpoints && def.voids ? plan.voids : undefined;
  // Voids read up to here (wall ms): kept from the state until this sync's void pass is done. A sync reading the
  // stream from its start reads every void up to its window's end with the records themselves.
  let voidsThrough = voids?.start.kind === 'stored' ? voids.start.through : undefined;
  const voidsNow = () => voidsThrough ?? (voids?.start.kind === 'everything' ? plan.window.settled() : undefined);
  const save = plan.checkpoints
    ? () =>
        ctx.checkpoint({
          ...checkedState(set.checkpoint(), plan.cursor.field, plan.dialect.zone, plan.dialect.name, voidsNow()),
        })
    : async () => {};
  const reader = new SliceReader(def, ctx, plan, pacer, save);
  await reader.read(set);
  const windowEnd = plan.window.settled() ?? plan.window.provisional;
  if (plan.lookbackDays > 0) {
    const from = floorSecond(windowEnd + 1000 - plan.lookbackDays * 86_400_000);
    ctx.logger.info(`${def.name}: re-scanning the last ${plan.lookbackDays} days by ${plan.cursor.field}`);
    await reader.read(new SliceSet({ frontier: { from, idsAtLast: [] }, pending: [] }, windowEnd));
  }
  // Without an answer from the server (a stored position past this sync's window) the window is not known: the
  // state keeps its position and the next sync reads the voids.
  const settled = plan.window.settled();
  if (voids && def.voids && settled !== undefined) {
    const pass = planVoidPass({
      start: voids.start,
      windowEnd: settled,
      settleMs: voids.settleMs,
      startWall: plan.fresh.from,
      zone: plan.dialect.zone,
    });
    if (pass.read) {
      // The API cannot sort by the void date: the frozen window of voids is read by keyset on the stream's own
      // cursor, from the stream's start, with every proof of the main read.
      const voidReader = new SliceReader(def, ctx, plan, pacer, save, voidFilter(def, pass.read, plan.dialect));
      await voidReader.read(new SliceSet({ frontier: plan.fresh, pending: [] }, settled));
    }
    voidsThrough = pass.through;
  }
  await save();
}

/** The void pass's narrowing: the void-date filter, or the API's fixed words for voided records and a date test. */
function voidFilter(def: StreamDefinition, window: VoidWindow, dialect: Dialect): PassFilter {
  const voids = def.voids!;
  if (voids.range) return { ranges: [{ ...voids.range, from: window.from, to: window.to }] };
  return {
    params: voids.params,
    // Only voids of the window go out: one voided before it was read by the sync whose window it fell in.
    keep: (record) => {
      const at = dialect.dates.parse(record[voids.field]);
      return at !== null && (window.from === undefined || at >= window.from);
    },
  };
}

/** What narrows a pass beside the cursor's own range. */
interface PassFilter {
  ranges?: DateRange[];
  params?: Record<string, string>;
  /** Which of the rows read go out. */
  keep?: (record: ApiRecord) => boolean;
}

/**
 * A stored frontier past this machine's clock that covers no emitted record (a future start_date stored by an
 * older version, or another connector's state) would read nothing for ever: the stream starts afresh, saying
 * so. One that covers emitted records is kept (clocks differ; the window catches up with it).
 */
function checkStoredFrontier(stream: string, ctx: ReadTarget, plan: IncrementalPlan): ResumePlan {
  const { frontier } = plan.resume;
  if (
    frontier.lastValue !== undefined ||
    frontier.group ||
    frontier.from === undefined ||
    frontier.from <= plan.window.provisional
  )
    return plan.resume;
  const from = new Date(plan.dialect.zone.wallToUtc(frontier.from)).toISOString();
  const start =
    plan.fresh.from === undefined
      ? 'the beginning of its history'
      : new Date(plan.dialect.zone.wallToUtc(plan.fresh.from)).toISOString();
  ctx.logger.warn(
    `${stream}: the stored position ${from} lies in the future and no record was read there; reading from ${start} instead`,
  );
  return { ...plan.resume, frontier: plan.fresh };
}

/**
 * Reads every open slice of a set. One reader starts; after each page the pacer may ask for more. A slice
 * whose page 1 tells a total of several pages fans out: its links are work any reader may take (work
 * stealing), and gaps a fan cannot prove become slices of their own. A failing reader stops the others at
 * their next request; the first error is thrown once all have emitted their last checkpoint.
 */
class SliceReader {
  /** Rows asked per page: lowered to what the server serves once two page 1s in a row show it serves fewer. */
  pageSize: number;
  /**
   * Rows the last page 1 served where more were asked and its total promised more. A server's own page limit
   * serves the same count every time; a page cut short once does not, and lowering the size to it would ask for
   * a few rows a page from then on.
   */
  private servedShort: number | undefined;
  private readonly idField: string;
  /** Heads of link pages waiting for the link before them, by fan and link (see SliceSet.applyLinkPage). */
  private readonly held = new Map<Fan, Map<number, Held>>();

  constructor(
    private readonly def: StreamDefinition,
    private readonly ctx: ReadTarget,
    private readonly plan: IncrementalPlan,
    private readonly pacer: ReaderPacer,
    private readonly save: () => Promise<void>,
    /** A narrowing beside the cursor's own range (the void pass). */
    private readonly filter?: PassFilter,
  ) {
    this.pageSize = plan.pageSize;
    this.idField = def.primaryKey[0]!;
  }

  async read(set: SliceSet): Promise<void> {
    /** Slices read by keyset right now (a fan's links are shared out one by one instead). */
    const reading = new Set<Slice>();
    const pool = new WorkerPool();
    const report = () => this.pacer.report(this.def.name, set.pagesLeft());
    type Unit = NonNullable<ReturnType<SliceSet['claim']>>;
    const claim = (): Unit | undefined => set.claim(reading);
    const widen = () => {
      let spare = Math.min(this.pacer.spare(), this.plan.maxSlices - pool.size);
      while (spare-- > 0 && !pool.failed) {
        const unit = claim();
        if (!unit) return;
        startReader(unit);
      }
    };
    const settle = () => {
      const end = this.plan.window.settled();
      if (end !== undefined) set.settleWindowEnd(end);
    };
    const startReader = (first: Unit): void => {
      pool.start(async () => {
        for (let unit: Unit | undefined = first; unit; unit = pool.failed ? undefined : claim()) {
          try {
            if (unit.link === undefined) await this.readKeyset(set, unit.slice, pool, settle, report, widen);
            else await this.readLink(set, unit.slice, unit.link, report);
          } finally {
            // Only a keyset read holds its slice: a link of the slice's fan must not free the slice while another
            // reader reads it by keyset (the fan settled meanwhile), or a second keyset reader would take it too.
            if (unit.link === undefined) reading.delete(unit.slice);
          }
          widen();
        }
      });
    };
    report();
    const first = claim();
    if (first) startReader(first);
    await pool.done();
  }

  private emit(records: ApiRecord[], asOf: number | undefined): Promise<void> {
    const keep = this.filter?.keep;
    return this.ctx.records(keep ? records.filter(keep) : records, asOf);
  }

  private query(request: PageRequest) {
    const { cursor, dialect } = this.plan;
    return dialect.listQuery({
      params: { ...this.def.params, ...this.filter?.params },
      ranges: [
        { ...cursor, from: request.from, to: Number.isFinite(request.to) ? request.to : undefined },
        ...(this.filter?.ranges ?? []),
      ],
      sort: { by: cursor.sortBy, dir: 'ASC' },
      page: request.page,
      pageSize: request.size ?? this.pageSize,
    });
  }

  private rows(body: unknown, request: PageRequest) {
    const page = readEnvelope(body, this.def.path, this.def.envelope);
    return {
      page,
      rows: keysetRows(page.rows, {
        cursorField: this.plan.cursor.field,
        idField: this.idField,
        request,
        dates: this.plan.dialect.dates,
      }),
    };
  }

  private async readKeyset(
    set: SliceSet,
    slice: Slice,
    pool: WorkerPool,
    settle: () => void,
    report: () => void,
    widen: () => void,
  ): Promise<void> {
    const { ctx, plan } = this;
    for (;;) {
      if (pool.failed) return;
      const request = set.nextRequest(slice);
      if (request === null) {
        report();
        await this.save();
        return;
      }
      const pageSize = this.pageSize;
      const fanned = await ctx.read(this.def.path, this.query(request), async (body, response) => {
        settle();
        const { page, rows } = this.rows(body, request);
        await ctx.estimateRows(page.total);
        const first = request.page === 1 && !slice.pos.group && !slice.pos.skip;
        const step = set.applyKeysetPage(slice, request, rows, page.total, pageSize, plan.maxSlices > 1);
        await this.emit(
          step.emit.map((i) => page.rows[i]!),
          response.serverTime,
        );
        const total = plausibleTotal(page.total, request.page, rows.length, pageSize);
        if (first && this.pageSize === pageSize) {
          // A page that brought nothing new may be the end of the rows, its total promising more than there are.
          const served =
            total !== undefined && step.emit.length > 0 && rows.length < pageSize && total > rows.length
              ? rows.length
              : undefined;
          if (served !== undefined && served === this.servedShort) {
            // The server serves fewer rows a page than asked: ask for what it serves, so page numbers mean the same rows.
            this.pageSize = served;
            ctx.logger.info(
              `${this.def.name}: ShipStation served ${served} records where ${pageSize} were asked; asking for ${served} a page from now on`,
            );
          }
          this.servedShort = served === this.servedShort ? undefined : served;
        }
        report();
        await this.save();
        return step.fanned;
      });
      if (slice.done || fanned) return;
      widen();
    }
  }

  private heldOf(fan: Fan): Map<number, Held> {
    let links = this.held.get(fan);
    if (!links) this.held.set(fan, (links = new Map()));
    return links;
  }

  private async readLink(set: SliceSet, slice: Slice, link: number, report: () => void): Promise<void> {
    const request = set.linkRequest(slice, link);
    const pageSize = this.pageSize;
    const fan = slice.fan!;
    await this.ctx.read(this.def.path, this.query(request), async (body, response) => {
      const { page, rows } = this.rows(body, request);
      const step = set.applyLinkPage(slice, link, rows, page.total, pageSize);
      if (step.hold.length > 0)
        this.heldOf(fan).set(link, {
          rows: step.hold.map((i) => rows[i]!),
          records: step.hold.map((i) => page.rows[i]!),
          asOf: response.serverTime,
        });
      // The page's rows and every head it releases are handed over before any wait: the answer already counts
      // those links as proven, so a checkpoint another reader writes meanwhile must follow all of their rows.
      const handed = [
        this.emit(
          step.emit.map((i) => page.rows[i]!),
          response.serverTime,
        ),
      ];
      for (const { link: waiting, repeated } of step.release) {
        const heads = this.heldOf(fan);
        const kept = heads.get(waiting);
        heads.delete(waiting);
        if (heads.size === 0) this.held.delete(fan);
        if (kept) {
          handed.push(
            this.emit(
              kept.records.filter((_, i) => !repeated(kept.rows[i]!)),
              kept.asOf,
            ),
          );
        }
      }
      await Promise.all(handed);
      report();
      await this.save();
    });
  }
}

/** Rows a link's page holds back until the link before it answers. */
interface Held {
  rows: PageRow[];
  records: ApiRecord[];
  asOf?: number;
}
