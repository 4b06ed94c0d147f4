// Id and sort-key helpers for the generated streams: auto-increment-like ids with occasional gaps (as deleted
// rows and other accounts leave them), and case-insensitive ordinal ranks that turn string sorts (products' SKU)
// into numeric sort keys.
import { Rng, hash32 } from '../random.js';
import { TAGS } from './pagedStream.js';

/** Next auto-increment-like id: mostly +1, sometimes a gap (deleted or other-account rows). */
export function nextId(previous: number, rng: Rng): number {
  return previous + 1 + (rng.chance(0.1) ? rng.int(1, 20) : 0);
}

/** One stream's ids in creation order: a seeded first id, then `nextId` steps drawn from the stream's own id generator. */
export class IdSequence {
  private readonly rng: Rng;
  private last: number;

  /** The first id is `first` plus a draw in [0, spread]; `tag` is the stream's record tag (TAGS.order, …). */
  constructor(seed: number, tag: number, first: number, spread: number) {
    this.rng = new Rng(hash32(seed, TAGS.ids, tag));
    this.last = first + this.rng.int(0, spread);
  }

  next(): number {
    this.last = nextId(this.last, this.rng);
    return this.last;
  }
}

/** Rank of each row's string under case-insensitive ordinal comparison (equal strings share a rank). */
export function stringRanks(values: readonly string[]): Float64Array {
  const upper = values.map((v) => v.toUpperCase());
  const order = upper
    .map((_, i) => i)
    .sort((a, b) =>
      (upper[a] as string) < (upper[b] as string) ? -1 : (upper[a] as string) > (upper[b] as string) ? 1 : a - b,
    );
  const ranks = new Float64Array(values.length);
  let rank = 0;
  for (let i = 0; i < order.length; i++) {
    const row = order[i] as number;
    if (i > 0 && upper[row] !== upper[order[i - 1] as number]) rank++;
    ranks[row] = rank;
  }
  return ranks;
}
