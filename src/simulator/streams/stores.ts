// The /stores list: a handful of stores built once from the seed, one per marketplace in turn (the first is the
// manual ShipStation store); the last is inactive when there are two or more, and listed only with showInactive=true.
import { wallAfter } from '../instants.js';
import { formatWall } from '../pacificTime.js';
import { COMPANIES, MARKETPLACES } from '../pools.js';
import { Rng, hash32, recordRng } from '../random.js';
import type { ApiStore } from '../records.js';
import { nextId } from './ids.js';
import { TAGS, type GenContext } from './pagedStream.js';

/** Stores: a handful of records built once. The last store is inactive whenever there are two or more. */
export class StoresStream {
  private readonly records: ApiStore[] = [];

  constructor(ctx: GenContext, count: number) {
    const idRng = new Rng(hash32(ctx.seed, TAGS.ids, TAGS.store));
    let id = 20_000 + idRng.int(0, 9_000);
    const span = ctx.range.endUtc - ctx.range.startUtc;
    for (let k = 0; k < count; k++) {
      const rng = recordRng(ctx.seed, TAGS.store, k);
      const marketplace = MARKETPLACES[k % MARKETPLACES.length] as (typeof MARKETPLACES)[number];
      const manual = marketplace.marketplaceId === 0;
      const createUtc = ctx.range.startUtc + Math.floor(rng.next() * span * 0.2);
      const refreshUtc = ctx.range.endUtc - rng.int(60_000, 30 * 86_400_000);
      id = nextId(id, idRng);
      const refreshed = !rng.chance(0.2);
      this.records.push({
        storeId: id,
        storeName: manual ? 'ShipStation Manual Store' : `${rng.pick(COMPANIES)} ${marketplace.name}`,
        marketplaceId: marketplace.marketplaceId,
        marketplaceName: marketplace.name,
        accountName: manual || rng.chance(0.5) ? null : `acct-${rng.digits(6)}`,
        email: rng.chance(0.7) ? null : `store${k}@example.com`,
        integrationUrl: manual || rng.chance(0.4) ? null : `https://shop${k}.example.com/`,
        active: count < 2 || k !== count - 1,
        companyName: rng.chance(0.7) ? '' : rng.pick(COMPANIES),
        phone: rng.chance(0.7) ? '' : `512555${rng.digits(4)}`,
        publicEmail: rng.chance(0.5) ? '' : `hello${k}@example.com`,
        website: rng.chance(0.7) ? '' : `https://www${k}.example.com`,
        refreshDate: refreshed ? formatWall(wallAfter(refreshUtc, 0, ctx.range), 'trimmed') : null,
        lastRefreshAttempt: refreshed
          ? formatWall(wallAfter(refreshUtc, rng.int(1_000, 60_000), ctx.range), 'trimmed')
          : null,
        createDate: formatWall(wallAfter(createUtc, 0, ctx.range), 'trimmed'),
        modifyDate: formatWall(wallAfter(createUtc, rng.int(60_000, 90 * 86_400_000), ctx.range), 'trimmed'),
        autoRefresh: !manual && rng.chance(0.7),
        statusMappings: manual ? null : '',
      });
    }
  }

  get count(): number {
    return this.records.length;
  }

  idAt(k: number): number {
    return (this.records[k] as ApiStore).storeId;
  }

  list(showInactive: boolean): ApiStore[] {
    return showInactive ? this.records : this.records.filter((store) => store.active);
  }
}
