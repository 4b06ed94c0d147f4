// Where the pages of a fan start. Once a slice's page 1 reports its query's total, the rest of the slice is
// fetched at once, and each page must repeat a couple of rows of the one before: what two overlapping answers
// show proves that no row fell between them (slices.ts), whatever changed on the server between the two.
// Page numbers of one query tile its rows exactly and never overlap, so a page can start elsewhere only through
// a query of its own: a start filter that skips the first `c` rows of page 1 makes page n of that query start
// at row c + (n − 1)·size of the slice's query. Page 1's rows tell where such filters can go: on a second no
// row of page 1 occupies, where inclusive, exclusive and whole-second readings of the filter all skip the same
// rows. Pure: numbers in, requests out.
import { floorSecond } from '../../time/wallClock.js';

/** One fanned request: the slice's query with its own start filter (wall ms, whole second) and page number. */
export interface FanLink {
  from: number | undefined;
  page: number;
}

/** Rows each link repeats of the one before: two distinct values among them prove the links meet (three make
 * a run of equal values at the seam, which proves nothing, rare). */
export const FAN_OVERLAP = 3;

/** Links planned at most for one fan; a longer slice reads on by keyset after it and fans again. */
export const MAX_FAN_LINKS = 2000;

interface Shift {
  /** Rows of page 1 the filter skips: at least `least`, at most `most`, depending on how the server reads it. */
  least: number;
  most: number;
  from: number | undefined;
}

/**
 * The starts a link's query can have: the slice's own (nothing skipped); the second after a row followed by an
 * empty second (every reading skips the same rows); and each occupied second but page 1's last, which skips
 * the rows before it and, under some readings, the rows in it too. Rows without a cursor value make the places
 * unknowable: then only the slice's own.
 */
export function fanShifts(values: readonly (number | null)[], baseFrom: number | undefined): Shift[] {
  const shifts: Shift[] = [{ least: 0, most: 0, from: baseFrom }];
  if (values.some((v) => v === null)) return shifts;
  const usable = (second: number) => baseFrom === undefined || second > baseFrom;
  for (let i = 0; i < values.length; ) {
    const second = floorSecond(values[i]!);
    let j = i;
    while (j + 1 < values.length && floorSecond(values[j + 1]!) === second) j++;
    const following = j + 1 < values.length ? floorSecond(values[j + 1]!) : undefined;
    if (following !== undefined && second + 1000 < following && usable(second + 1000))
      shifts.push({ least: j + 1, most: j + 1, from: second + 1000 });
    // Not page 1's last second: rows of it beyond page 1 could be skipped too.
    else if (following !== undefined && usable(second)) shifts.push({ least: i, most: j + 1, from: second });
    i = j + 1;
  }
  return shifts.sort((a, b) => a.most - b.most);
}

/**
 * The links after a full page 1 whose query holds `total` rows: each starts, however the server reads its
 * filter, at least `overlap` rows before the previous one can end, and reaches as far as that allows, until
 * the planned pages reach the total. Empty when no link can overlap its predecessor (page 1's rows crowd into
 * too few seconds): the slice then reads on by keyset.
 */
export function planFanLinks(
  values: readonly (number | null)[],
  baseFrom: number | undefined,
  pageSize: number,
  total: number,
  overlap = FAN_OVERLAP,
  maxLinks = MAX_FAN_LINKS,
): FanLink[] {
  const shifts = fanShifts(values, baseFrom);
  const links: FanLink[] = [];
  const last = values[values.length - 1];
  /** Where the previous link ends at the earliest. */
  let end = values.length;
  while (end < total && links.length < maxLinks) {
    const latest = end - overlap;
    let best: { end: number; link: FanLink } | undefined;
    for (const { least, most, from } of shifts) {
      if (most > latest) break;
      const page = Math.floor((latest - most) / pageSize) + 1;
      // The first link proves it meets page 1 only by starting below page 1's last value (slices.ts, overlaps):
      // not when page 1 ends in a run of that value (a bulk edit) long enough to hold the link's first row.
      // Those rows are read on by keyset, the run as one group by one reader, not as a gap and a rest both
      // holding its second.
      const start = values[most + (page - 1) * pageSize];
      if (
        links.length === 0 &&
        last !== null &&
        last !== undefined &&
        start !== null &&
        start !== undefined &&
        start >= last
      )
        continue;
      const earliestEnd = least + page * pageSize;
      if (earliestEnd > end && (!best || earliestEnd > best.end)) best = { end: earliestEnd, link: { from, page } };
    }
    if (!best) break;
    links.push(best.link);
    end = best.end;
  }
  return links;
}
