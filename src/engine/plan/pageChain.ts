// Where the pages of a stream without date filters go (products, customers: sorted by creation date, no filter
// to start a query elsewhere). Proof is by overlap, as for fans (slices.ts): each page must repeat a couple of
// rows of the one before. With one query, a page can start elsewhere only through its size: page p of size z
// holds rows [(p − 1)·z, p·z), so each link picks the size (at most the configured page size) and number
// that start it just before the previous link ends and reach furthest. That costs a few percent more requests
// than pages of one size (which tile exactly and prove nothing). Pure: numbers in, requests out.

/** One request: page `page` of `size` rows, i.e. rows [(page − 1)·size, page·size) of the sorted answer. */
export interface ChainLink {
  page: number;
  size: number;
}

/** Rows each link repeats of the one before. */
export const CHAIN_OVERLAP = 2;

export const linkStart = (link: ChainLink) => (link.page - 1) * link.size;
export const linkEnd = (link: ChainLink) => link.page * link.size;

/**
 * The link after rows [0, end) that starts at least `overlap` rows before `end` and reaches furthest, with a
 * size between half the page size and the page size, and not at row `avoidStart`. Undefined when none brings a
 * new row.
 */
export function nextChainLink(
  end: number,
  pageSize: number,
  overlap = CHAIN_OVERLAP,
  avoidStart?: number,
): ChainLink | undefined {
  const latest = end - overlap;
  if (latest < 0) return undefined;
  let best: ChainLink | undefined;
  for (let size = pageSize; size >= Math.max(overlap + 1, Math.ceil(pageSize / 2)); size--) {
    const link = { page: Math.floor(latest / size) + 1, size };
    if (linkStart(link) === avoidStart) continue;
    if (linkEnd(link) > end && (!best || linkEnd(link) > linkEnd(best))) best = link;
    // No link can reach past latest + pageSize.
    if (best && linkEnd(best) === latest + pageSize) break;
  }
  return best;
}

/** The links after a full page 1 of `pageSize` rows until the planned pages hold `total` rows. */
export function planPageChain(
  pageSize: number,
  total: number,
  overlap = CHAIN_OVERLAP,
  maxLinks = 20_000,
): ChainLink[] {
  const links: ChainLink[] = [];
  let end = pageSize;
  while (end < total && links.length < maxLinks) {
    const link = nextChainLink(end, pageSize, overlap);
    if (!link) break;
    links.push(link);
    end = linkEnd(link);
  }
  return links;
}

/** A page of at most `pageSize` rows (at least half that) with row `offset` as near its middle as page numbers allow. */
export function straddleLink(offset: number, pageSize: number): ChainLink {
  let best: { link: ChainLink; margin: number } | undefined;
  for (let size = pageSize; size >= Math.max(1, Math.ceil(pageSize / 2)); size--) {
    const page = Math.max(0, Math.round((offset - size / 2) / size)) + 1;
    const link = { page, size };
    const margin = Math.min(offset - linkStart(link), linkEnd(link) - 1 - offset);
    if (!best || margin > best.margin) best = { link, margin };
  }
  return best!.link;
}
