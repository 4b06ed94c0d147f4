// Full refresh: every page of the endpoint in an order that new records cannot disturb, until a short or
// empty page (`pages` is not trusted alone: ShipStation sometimes answers pages = 0 with rows present).
import type { StreamDefinition } from '../streams/types.js';
import { readEnvelope } from './envelope.js';
import type { ReadTarget } from './streamContext.js';

export async function readFullRefresh(def: StreamDefinition, ctx: ReadTarget, pageSize: number): Promise<void> {
  const sort = def.fullRefreshSort ?? {};
  const single = def.envelope === null || def.singleRequest === true;
  for (let page = 1; ; page++) {
    const query = single ? { ...def.params } : { ...def.params, ...sort, page, pageSize };
    const result = readEnvelope(await ctx.get(def.path, query), def.path, def.envelope);
    await ctx.estimateRows(result.total ?? (single ? result.rows.length : undefined));
    await ctx.records(result.rows);
    const last = single || result.rows.length < pageSize || (result.pages !== undefined && result.pages > 0 && page >= result.pages);
    if (last) break;
  }
  await ctx.checkpoint({});
}
