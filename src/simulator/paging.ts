import { searchKey } from './sortedIndex.js';
import type { ResultView } from './query.js';

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 500;

/**
 * The rows of one page. Descending order reverses the key order but keeps ties ordered by id ascending
 * (the documented tiebreak), so each run of equal keys is walked forwards.
 */
export function pageRows(view: ResultView, desc: boolean, offset: number, limit: number): number[] {
  const total = view.to - view.from;
  const end = Math.min(total, offset + limit);
  const out: number[] = [];
  if (!desc) {
    for (let r = offset; r < end; r++) out.push(view.rows[view.from + r] as number);
    return out;
  }
  let groupStart = 0;
  let groupEnd = -1;
  for (let r = offset; r < end; r++) {
    const p = view.to - 1 - r;
    if (p < groupStart || p >= groupEnd) {
      const k = view.key[view.rows[p] as number] as number;
      groupStart = searchKey(view.rows, view.key, view.from, view.to, k, false);
      groupEnd = searchKey(view.rows, view.key, groupStart, view.to, k, true);
    }
    out.push(view.rows[groupStart + groupEnd - 1 - p] as number);
  }
  return out;
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
