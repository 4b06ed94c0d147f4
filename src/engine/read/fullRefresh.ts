// Full refresh: every record there is, read so that what the pages show proves no row was passed over, whatever
// was created, deleted or edited between two answers.
// - A stream with a creation-date filter (orders, shipments, fulfillments) is read by the incremental reader
//   over its creation date, with no window end and no checkpoints: keyset pages and overlapping fans.
// - A stream without filters (products, customers) is read in creation order as a chain of pages that each
//   repeat a couple of rows of the one before (pageChain.ts), fetched at once after page 1 has told the total.
//   Two answers that overlap in value prove the rows between them read; where they do not (rows deleted or
//   created between the two answers shifted the rest), pages around the gap are read until one bridges it.
// - A stream the server neither sorts nor filters (API v2 products, users, ...) is read in the server's own order
//   as a chain whose repeated rows must keep their places (unsortedPages.ts).
// - A reference list (one response) is one request.
import { TransientError } from '../../errors.js';
import type { StreamDefinition } from '../../streams/types.js';
import { readEnvelope, type ApiRecord } from '../plan/envelope.js';
import { OPEN_WINDOW, readIncremental, type ReaderPacer } from './incremental.js';
import type { PageRow, RecordId } from '../plan/page.js';
import { checkShortRounds, checkSortValues, endsRows, keysetRows, plausibleTotal } from '../plan/serverChecks.js';
import {
  CHAIN_OVERLAP,
  linkStart,
  nextChainLink,
  planPageChain,
  straddleLink,
  type ChainLink,
} from '../plan/pageChain.js';
import type { ReadTarget } from './streamContext.js';
import type { Dialect } from '../../dialects/dialect.js';
import { WorkerPool } from './workerPool.js';
import { readUnsortedPages } from './unsortedPages.js';

export interface FullRefreshOptions {
  pageSize: number;
  /** Requests of the stream at once at most (1 = one page after another). */
  maxSlices: number;
  dialect: Dialect;
}

/** Pages read around one gap (or past the last proven row) without closing it, before giving up for this sync. */
export const MAX_FUTILE_PAGES = 8;

export async function readFullRefresh(
  def: StreamDefinition,
  ctx: ReadTarget,
  opts: FullRefreshOptions,
  pacer: ReaderPacer,
): Promise<void> {
  if (def.envelope === null || def.singleRequest === true) {
    await ctx.read(def.path, { ...def.params }, async (body, response) => {
      const result = readEnvelope(body, def.path, def.envelope);
      await ctx.estimateRows(result.total ?? result.rows.length);
      await ctx.records(result.rows, response.serverTime);
    });
  } else if (def.fullRefreshCursor !== undefined) {
    const cursor = def.cursors![def.fullRefreshCursor]!;
    const fresh = { idsAtLast: [] };
    const plan = {
      cursor,
      resume: { frontier: fresh, pending: [] },
      window: OPEN_WINDOW,
      pageSize: opts.pageSize,
      dialect: opts.dialect,
      lookbackDays: 0,
      maxSlices: opts.maxSlices,
      fresh,
      checkpoints: false,
    };
    await readIncremental(def, ctx, plan, pacer);
  } else if (def.fullRefreshUnsorted === true) {
    await readUnsortedPages(def, ctx, opts, pacer);
  } else {
    await readPageChain(def, ctx, opts, pacer);
  }
  pacer.report(def.name, 0);
  await ctx.checkpoint({});
}

/** Every record of a stream without date filters, in creation order as a chain of overlapping pages. */
export function readPageChain(
  def: StreamDefinition,
  ctx: ReadTarget,
  opts: FullRefreshOptions,
  pacer: ReaderPacer,
): Promise<void> {
  return new PageChainReader(def, ctx, opts, pacer).read();
}

/** What an answered page of the chain shows. */
interface Answer {
  link: ChainLink;
  /** Rows it held. */
  count: number;
  /** First and last rows by sort value, its last rows (`id|value`), and whether no row follows it. */
  first?: Key;
  last?: Key;
  tail: string[];
  end: boolean;
  total?: number;
}

const EDGE_ROWS = 16;

/** Rows between two answers that do not overlap: after the one's last row (its tail already out), before the other's first. */
interface Gap {
  after: Key;
  tail: string[];
  /** The answer after the gap: its first and last rows. */
  next: { first: Key; last: Key };
  offset: number;
}

/** Where a row sorts: its sort value, and its id among equal values when the server orders those by id. */
type Key = { value: number; id: RecordId };

function compareIds(a: RecordId, b: RecordId): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}
const rowKey = (row: PageRow) => `${row.id}|${row.value}`;
/** Where the rows after an answer begin: its page's start plus the rows it held (fewer than asked when cut short). */
const servedEnd = (answer: Answer) => linkStart(answer.link) + answer.count;

class PageChainReader {
  private readonly answers: Answer[] = [];
  private readonly sort: NonNullable<StreamDefinition['fullRefreshSort']>;
  /**
   * Whether every page so far ordered rows of equal sort values by ascending id: then ids break ties in the
   * proofs (a run of equal creation dates longer than a page, an imported catalog, can still be proven read).
   * One page that does not, and equal values prove nothing from then on.
   */
  private idsOrderTies = true;
  /** Rows asked per page: the configured page size, or what the server serves when that is fewer (see read). */
  private size: number;

  /** `a` sorts strictly before `b`. */
  private less(a: Key, b: Key): boolean {
    return a.value < b.value || (this.idsOrderTies && a.value === b.value && compareIds(a.id, b.id) < 0);
  }

  constructor(
    private readonly def: StreamDefinition,
    private readonly ctx: ReadTarget,
    private readonly opts: FullRefreshOptions,
    private readonly pacer: ReaderPacer,
  ) {
    this.sort = def.fullRefreshSort!;
    this.size = opts.pageSize;
  }

  async read(): Promise<void> {
    let held = new Set<RecordId>();
    let first = await this.fetch({ page: 1, size: this.size }, (_, rows, records, asOf) => {
      held = new Set(rows.map((r) => r.id));
      return this.ctx.records(records, asOf);
    });
    if (first.end) return;
    if (first.count < this.size) first = await this.askPageOneAgain(first, held);
    if (this.opts.maxSlices > 1 && first.total !== undefined)
      await this.fetchPlanned(first, planPageChain(this.size, first.total));
    // Gaps between answers that do not overlap, then whatever follows the last proven row.
    for (;;) {
      const sweep = this.sweep();
      if (sweep.gaps.length === 0) {
        if (sweep.ended) return;
        await this.cover(sweep.covered, sweep.tail, sweep.coveredEnd, undefined);
        continue;
      }
      for (const gap of sweep.gaps) await this.cover(gap.after, gap.tail, gap.offset, gap.next);
    }
  }

  /**
   * Page 1 came back short while its total promises more: the server's own page limit, or a page cut short once.
   * A limit serves the same count again: from then on every page asks for that many, so that page numbers mean
   * the rows they are planned for (pages of the configured size would start elsewhere). The second answer's rows
   * the first did not hold go out; the longer of the two is page 1 for the chain.
   */
  private async askPageOneAgain(first: Answer, held: Set<RecordId>): Promise<Answer> {
    const asked = this.size;
    const again = await this.fetch({ page: 1, size: asked }, (_, rows, records, asOf) =>
      this.ctx.records(
        records.filter((__, i) => !held.has(rows[i]!.id)),
        asOf,
      ),
    );
    if (again.count === first.count && first.count > CHAIN_OVERLAP) {
      this.size = first.count;
      first.link = again.link = { page: 1, size: this.size };
      this.ctx.logger.info(
        `${this.def.name}: ShipStation served ${this.size} records where ${asked} were asked; asking for ${this.size} a page from now on`,
      );
    }
    return again.count > first.count ? again : first;
  }

  /**
   * The planned links, several at once. A link's head repeats the end of the link before it: it goes out once
   * that link's rows are all out, but for the rows that link already returned (held back until then).
   */
  private async fetchPlanned(page1: Answer, links: ChainLink[]): Promise<void> {
    interface Entry {
      answer: Answer;
      held?: { rows: PageRow[]; records: ApiRecord[]; asOf?: number };
    }
    const entries = new Map<number, Entry>([[-1, { answer: page1 }]]);
    const repeated = (before: Entry, row: PageRow) => before.answer.tail.includes(rowKey(row));
    const releaseFrom = async (first: number) => {
      for (let k = first; ; k++) {
        const before = entries.get(k - 1);
        const waiting = entries.get(k);
        if (!before || before.held || !waiting?.held) return;
        const { rows, records, asOf } = waiting.held;
        waiting.held = undefined;
        await this.ctx.records(
          records.filter((_, i) => !repeated(before, rows[i]!)),
          asOf,
        );
      }
    };
    let next = 0;
    const pool = new WorkerPool();
    const worker = async () => {
      while (next < links.length && !pool.failed) {
        const index = next++;
        this.pacer.report(this.def.name, links.length - next + 1);
        await this.fetch(links[index]!, async (answer, rows, records, asOf) => {
          const before = entries.get(index - 1);
          const entry: Entry = { answer };
          entries.set(index, entry);
          if (before && !before.held) {
            await this.ctx.records(
              records.filter((_, i) => !repeated(before, rows[i]!)),
              asOf,
            );
            await releaseFrom(index + 1);
          } else {
            entry.held = { rows: rows.slice(0, EDGE_ROWS), records: records.slice(0, EDGE_ROWS), asOf };
            await this.ctx.records(records.slice(EDGE_ROWS), asOf);
          }
        });
      }
    };
    const readers = Math.max(1, Math.min(this.opts.maxSlices, links.length));
    for (let i = 0; i < readers; i++) pool.start(worker);
    await pool.done();
  }

  /**
   * Reads pages until the rows after `after` (sort value) are proven up to the answer `next` (a gap), or to the
   * end of the rows (`next` undefined). `offset` is where the rows after `after` began when last seen; pages that
   * prove nothing move the guess (rows deleted before it move the rest earlier). `tail` holds the last rows
   * (`id|value`) of the answer that reached `after`: already out, so not emitted again; so are the rows `next`
   * holds. Every other row a page holds goes out: the sweep counts each answer's rows as read, and a page that
   * reaches past `next` (one cut short) holds rows nothing else has emitted.
   */
  private async cover(
    after: Key,
    tail: readonly string[],
    offset: number,
    next: { first: Key; last: Key } | undefined,
  ): Promise<void> {
    const before = next?.first;
    const size = this.size;
    let covered = after;
    let out = tail;
    let at = offset;
    /** Short pages in a row that met the proven rows and brought none after them, rows following them. */
    let rounds = 0;
    /** Pages that proved nothing since the last that did, and how many of them held fewer rows than asked. */
    let futile = 0;
    let cut = 0;
    for (;;) {
      if (futile >= MAX_FUTILE_PAGES) {
        // What the pages showed: rows deleted or created meanwhile move them; pages cut short end early.
        const short =
          cut > 0 ? ` or came back short (${cut} of them held fewer records than asked while more followed)` : '';
        throw new TransientError(
          `${this.def.name}: ${MAX_FUTILE_PAGES} pages in a row did not show where the records continue: ShipStation's pages moved while they were read${short}; the next sync reads the stream again`,
        );
      }
      const link =
        (before === undefined ? nextChainLink(at, size) : undefined) ?? straddleLink(Math.max(0, at - 1), size);
      const from = covered;
      const repeated = out;
      const keep = (row: PageRow) =>
        row.value === null ||
        (!this.less(row as Key, from) &&
          !repeated.includes(rowKey(row)) &&
          (next === undefined || !this.less(next.first, row as Key) || this.less(next.last, row as Key)));
      const answer = await this.fetch(link, (_, rows, records, asOf) =>
        this.ctx.records(
          records.filter((__, i) => keep(rows[i]!)),
          asOf,
        ),
      );
      const wasCut = answer.count > 0 && answer.count < link.size && !answer.end;
      if (answer.first === undefined || !this.less(answer.first, covered)) {
        // Nothing here, or it starts after the proven rows: the rest moved to earlier places.
        futile++;
        if (wasCut) cut++;
        const back = Math.max(0, Math.min(linkStart(link), answer.total ?? linkStart(link)) - Math.ceil(size / 2));
        at = Math.max(0, Math.min(at - 1, back));
        continue;
      }
      if (answer.end || (before !== undefined && this.less(before, answer.last!))) return;
      if (this.less(covered, answer.last!)) {
        covered = answer.last!;
        out = answer.tail;
        futile = 0;
        cut = 0;
        rounds = 0;
      } else if (before === undefined && answer.count < link.size) {
        // Short, and nothing after the proven rows although its total promises more: the end of the rows (the
        // total promises rows the server does not serve), or a page cut short. The one row after it tells: none,
        // and this answer ends the rows for the sweep; one (emitted: the sweep counts every answer's rows as
        // read), and the same page is asked again.
        const probe = await this.fetch(
          { page: linkStart(link) + answer.count + 1, size: 1 },
          (_, rows, records, asOf) =>
            this.ctx.records(
              records.filter((__, i) => keep(rows[i]!)),
              asOf,
            ),
        );
        if (probe.count === 0) {
          answer.end = true;
          return;
        }
        checkShortRounds(++rounds);
        continue;
      } else {
        futile++;
        if (wasCut) cut++;
      }
      at = servedEnd(answer);
    }
  }

  /** The answers swept in order of their first rows: what is proven, and the gaps between. */
  private sweep(): { gaps: Gap[]; covered: Key; tail: string[]; coveredEnd: number; ended: boolean } {
    const [page1, ...rest] = this.answers;
    let covered = page1!.last!;
    let tail = page1!.tail;
    let coveredEnd = servedEnd(page1!);
    const gaps: Gap[] = [];
    const order = (a: Answer, b: Answer) =>
      this.less(a.first!, b.first!) ? -1 : this.less(b.first!, a.first!) ? 1 : 0;
    const sorted = rest.filter((a) => a.first !== undefined).sort(order);
    for (const a of sorted) {
      if (!this.less(a.first!, covered))
        gaps.push({ after: covered, tail, next: { first: a.first!, last: a.last! }, offset: coveredEnd });
      if (this.less(covered, a.last!)) {
        covered = a.last!;
        tail = a.tail;
        coveredEnd = servedEnd(a);
      }
      if (a.end) return { gaps, covered, tail, coveredEnd, ended: true };
    }
    return { gaps, covered, tail, coveredEnd, ended: false };
  }

  /** One page: checked, turned into what it shows, then handed to `emit` with its rows. */
  private fetch(
    link: ChainLink,
    emit: (answer: Answer, rows: PageRow[], records: ApiRecord[], asOf?: number) => Promise<void>,
  ): Promise<Answer> {
    const { def, ctx, sort } = this;
    const query = this.opts.dialect.listQuery({
      params: def.params,
      sort: { by: sort.sortBy, dir: sort.sortDir },
      page: link.page,
      pageSize: link.size,
    });
    return ctx.read(def.path, query, async (body, response) => {
      const result = readEnvelope(body, def.path, def.envelope);
      await ctx.estimateRows(result.total);
      const rows = keysetRows(result.rows, {
        cursorField: sort.field,
        idField: def.primaryKey[0]!,
        request: { to: Infinity, page: link.page },
        dates: this.opts.dialect.dates,
      });
      const valued = rows.filter((r): r is Key => r.value !== null);
      for (let i = 1; i < valued.length && this.idsOrderTies; i++) {
        if (valued[i]!.value === valued[i - 1]!.value && compareIds(valued[i - 1]!.id, valued[i]!.id) >= 0)
          this.idsOrderTies = false;
      }
      checkSortValues(rows, sort.field);
      const total = plausibleTotal(result.total, link.page, rows.length, link.size);
      const answer: Answer = {
        link,
        count: rows.length,
        first: valued[0],
        last: valued[valued.length - 1],
        tail: valued.slice(-EDGE_ROWS).map(rowKey),
        end: endsRows(rows.length, total, link.page, link.size),
        total,
      };
      this.answers.push(answer);
      await emit(answer, rows, result.rows, response.serverTime);
      return answer;
    });
  }
}
