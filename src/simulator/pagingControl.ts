// How list pages and totals are answered right now (maxPageSize, short pages, total lies, unstable ties), as
// settings that can change at run time, and the per-request plan they give. A request's draws are seeded from
// (seed, its number among API requests), so one seed and one request sequence give the same pages on every run.
import { DEFAULT_PAGING, resolvePaging, type PagingOptions, type ResolvedPaging } from './options.js';
import { MAX_PAGE_SIZE, reportedTotal, shortPageLength } from './paging.js';
import { hash32 } from './random.js';

/** How one API request answers a list query. */
export interface PagePlan {
  readonly maxPageSize: number;
  /** sortBy and sortDir are ignored (the default order, by id). */
  readonly ignoreSort: boolean;
  /** Seed of this request's order of equal sort keys; null keeps ties by id ascending. */
  readonly tieSeed: number | null;
  /** How many of the `rows` rows a page would hold it serves (short pages). */
  keep(rows: number): number;
  /** The total reported for a true total. */
  report(total: number): number;
}

export const TRUTHFUL_PLAN: PagePlan = {
  maxPageSize: MAX_PAGE_SIZE,
  ignoreSort: false,
  tieSeed: null,
  keep: (rows) => rows,
  report: (total) => total,
};

const TIES_SEED_TAG = 0x71e5;
const SHORT_SEED_TAG = 0x5407;

export class PagingControl {
  private current: ResolvedPaging;
  private requests = 0;
  /** What totalDrift has added so far, since it was last set. */
  private drift = 0;

  constructor(
    initial: ResolvedPaging,
    private readonly seed: number,
  ) {
    // Picks the paging fields out of whatever carries them (the resolved options), so settings() holds only those.
    this.current = resolvePaging(DEFAULT_PAGING, initial);
  }

  get settings(): ResolvedPaging {
    return this.current;
  }

  /** Merges new settings into the current ones. Setting totalDrift (even to its value) restarts the drift at 0. */
  configure(update: PagingOptions): ResolvedPaging {
    this.current = resolvePaging(this.current, update);
    if (update.totalDrift !== undefined) this.drift = 0;
    return this.current;
  }

  /** Call once per API request, in arrival order, whatever the request turns out to be. */
  nextRequest(): PagePlan {
    const n = ++this.requests;
    const { maxPageSize, shortPageRate, totalCap, totalOffset, totalDrift, unstableTies, ignoreSort } = this.current;
    this.drift += totalDrift;
    const lies = { offset: totalOffset, drift: this.drift, cap: totalCap };
    const shortSeed = hash32(this.seed, SHORT_SEED_TAG, n);
    return {
      maxPageSize,
      ignoreSort,
      tieSeed: unstableTies ? hash32(this.seed, TIES_SEED_TAG, n) : null,
      keep: (rows) => shortPageLength(rows, shortPageRate, shortSeed),
      report: (total) => reportedTotal(total, lies),
    };
  }
}
