// Id and sort-key helpers for the generated streams: auto-increment-like ids with occasional gaps (as deleted
// rows and other accounts leave them), and case-insensitive ordinal ranks that turn string sorts (products' SKU)
// into numeric sort keys.
import type { Rng } from '../random.js';

/** Next auto-increment-like id: mostly +1, sometimes a gap (deleted or other-account rows). */
export function nextId(previous: number, rng: Rng): number {
  return previous + 1 + (rng.chance(0.1) ? rng.int(1, 20) : 0);
}

/** Rank of each row's string under case-insensitive ordinal comparison (equal strings share a rank). */
export function stringRanks(values: readonly string[]): Float64Array {
  const upper = values.map((v) => v.toUpperCase());
  const order = upper.map((_, i) => i).sort((a, b) => ((upper[a] as string) < (upper[b] as string) ? -1 : (upper[a] as string) > (upper[b] as string) ? 1 : a - b));
  const ranks = new Float64Array(values.length);
  let rank = 0;
  for (let i = 0; i < order.length; i++) {
    const row = order[i] as number;
    if (i > 0 && upper[row] !== upper[order[i - 1] as number]) rank++;
    ranks[row] = rank;
  }
  return ranks;
}
