// How one list page is cut and reported: the page's rows in sort order (ties by id ascending, or shuffled per
// request with unstableTies), short pages, the lies on `total`, and the `pages` quirk of the official examples,
// which report `pages: 0` for a result that fits on one page.
import { Rng, hash32 } from './random.js';
import { searchKey } from './sortedIndex.js';
import type { ResultView } from './query.js';

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 500;

/**
 * The rows of one page. Descending order reverses the key order but keeps ties ordered by id ascending
 * (the documented tiebreak), so each run of equal keys is walked forwards. With a `tieSeed` (unstableTies),
 * each run of equal keys that touches the page is served in a shuffled order drawn from (tieSeed, run) instead:
 * one request's pages are slices of one order, and the next request, with another seed, gets another.
 */
export function pageRows(
  view: ResultView,
  desc: boolean,
  offset: number,
  limit: number,
  tieSeed: number | null = null,
): number[] {
  const total = view.to - view.from;
  const end = Math.min(total, offset + limit);
  const out: number[] = [];
  if (!desc && tieSeed === null) {
    for (let r = offset; r < end; r++) out.push(view.rows[view.from + r] as number);
    return out;
  }
  let runStart = 0;
  let runEnd = -1;
  let order: Int32Array | null = null;
  for (let r = offset; r < end; r++) {
    const p = desc ? view.to - 1 - r : view.from + r;
    if (p < runStart || p >= runEnd) {
      const k = view.key[view.rows[p] as number] as number;
      runStart = searchKey(view.rows, view.key, view.from, view.to, k, false);
      runEnd = searchKey(view.rows, view.key, runStart, view.to, k, true);
      order =
        tieSeed === null || runEnd - runStart < 2
          ? null
          : shuffled(view.rows.subarray(runStart, runEnd), hash32(tieSeed, runStart));
    }
    // Position within the run of equal keys, which both directions walk forwards.
    const i = desc ? runEnd - 1 - p : p - runStart;
    out.push(order ? (order[i] as number) : (view.rows[runStart + i] as number));
  }
  return out;
}

/** A seeded Fisher–Yates shuffle of a copy. Only runs touching the page are shuffled, so a page stays cheap. */
function shuffled(rows: Int32Array, seed: number): Int32Array {
  const out = rows.slice();
  const rng = new Rng(seed);
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    const t = out[i] as number;
    out[i] = out[j] as number;
    out[j] = t;
  }
  return out;
}

/**
 * How many of the `rows` rows a page would hold it serves: with probability `rate` (drawn from `seed`), a page of
 * two or more rows is cut to a random shorter non-empty length. The cut rows appear on no page of that request.
 */
export function shortPageLength(rows: number, rate: number, seed: number): number {
  if (rate === 0 || rows < 2) return rows;
  const rng = new Rng(seed);
  return rng.next() < rate ? rng.int(1, rows - 1) : rows;
}

/** What the server reports as `total`: the true one plus offset and drift, never below 0 nor above the cap. */
export function reportedTotal(
  total: number,
  lies: { readonly offset: number; readonly drift: number; readonly cap: number | null },
): number {
  const shifted = Math.max(0, total + lies.offset + lies.drift);
  return lies.cap === null ? shifted : Math.min(lies.cap, shifted);
}

/**
 * How `pages` is reported. The official examples of /shipments, /fulfillments and /products show
 * `"total": 2, "pages": 0`; `singlePage` reproduces that (0 whenever the whole result fits on one page),
 * `always` reports 0 for every response, `off` reports ceil(total / pageSize).
 */
export type PagesQuirk = 'off' | 'singlePage' | 'always';

export function pagesValue(total: number, pageSize: number, quirk: PagesQuirk): number {
  if (quirk === 'always' || (quirk === 'singlePage' && total <= pageSize)) return 0;
  return Math.ceil(total / pageSize);
}
