// The tags products and customers carry: one or two from the account's fixed tag list, the one
// /accounts/listtags serves, so every tag a record shows is a tag the account lists.
import { TAGS as TAG_POOL } from '../pools.js';
import type { Rng } from '../random.js';
import type { ApiTag } from '../records.js';

/** One or two distinct tags. */
export function someTags(rng: Rng): ApiTag[] {
  const first = rng.int(0, TAG_POOL.length - 1);
  const tags = [{ ...(TAG_POOL[first] as ApiTag) }];
  if (rng.chance(0.4)) tags.push({ ...(TAG_POOL[(first + 1) % TAG_POOL.length] as ApiTag) });
  return tags;
}
