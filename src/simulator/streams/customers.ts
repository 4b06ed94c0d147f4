import { chronologicalInstants, modifyLagMs, wallAfter } from '../instants.js';
import { formatWall, wallTicksFromUtc } from '../pacificTime.js';
import { ADDRESS_VERIFIED, COMPANIES, FIRST_NAMES, LAST_NAMES, MARKETPLACES, STREET_NAMES } from '../pools.js';
import { QueryEngine } from '../query.js';
import { Rng, hash32, recordRng } from '../random.js';
import type { ApiCustomer, ApiMarketplaceUsername } from '../records.js';
import { SortedIndex } from '../sortedIndex.js';
import { Table } from '../table.js';
import { locality, phone } from './addresses.js';
import { nextId, stringRanks } from './ids.js';
import { TAGS, type GenContext, type PagedStream, type StreamParams } from './pagedStream.js';
import { someTags } from './tags.js';

type Column = 'createDate' | 'modifyDate' | 'createUtc' | 'nameRank';

/** The customer fields orders copy. */
export interface CustomerCore {
  readonly customerId: number;
  readonly name: string;
  readonly email: string;
}

const PARAMS: StreamParams<Column> = {
  dateRanges: [],
  sortBy: { Name: 'nameRank', ModifyDate: 'modifyDate', CreateDate: 'createDate' },
  defaultSort: 'id',
};

function emailLocalPart(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[^A-Za-z ]/g, '')
    .toLowerCase()
    .replace(/ +/g, '.');
}

export class CustomersStream implements PagedStream<Column> {
  readonly name = 'customers';
  readonly params = PARAMS;
  readonly table: Table<Column>;
  readonly engine: QueryEngine<Column>;
  private readonly cores: CustomerCore[] = [];

  constructor(
    private readonly ctx: GenContext,
    count: number,
  ) {
    this.table = new Table<Column>(['createDate', 'modifyDate', 'createUtc', 'nameRank'], count);
    const created = chronologicalInstants(count, ctx.range, ctx.pins, new Rng(hash32(ctx.seed, TAGS.customerDates)), 0.01);
    const pinned = new Set(ctx.pins);
    const idRng = new Rng(hash32(ctx.seed, TAGS.ids, TAGS.customer));
    let id = 40_000_000 + idRng.int(0, 9_000_000);
    for (let row = 0; row < count; row++) {
      const rng = recordRng(ctx.seed, TAGS.customerDates, row);
      const createUtc = created[row] as number;
      id = nextId(id, idRng);
      this.table.append({
        id,
        createDate: wallTicksFromUtc(createUtc),
        modifyDate: wallAfter(createUtc, pinned.has(createUtc) ? rng.int(0, 60_000) : modifyLagMs(rng, createUtc, ctx.range), ctx.range),
        createUtc,
        nameRank: 0,
      });
      this.cores.push(this.coreAt(row, id));
    }
    this.table.col('nameRank').set(stringRanks(this.cores.map((core) => core.name)));
    const indexes = new Map<Column | 'id', SortedIndex<Column>>();
    for (const column of ['id', 'createDate', 'modifyDate', 'nameRank'] as const) indexes.set(column, new SortedIndex<Column>(this.table, column));
    this.engine = new QueryEngine(this.table, indexes);
  }

  get count(): number {
    return this.table.size;
  }

  /** Customers never change, so the cores orders copy are derived once. */
  core(row: number): CustomerCore {
    return this.cores[row] as CustomerCore;
  }

  private coreAt(row: number, customerId: number): CustomerCore {
    const rng = recordRng(this.ctx.seed, TAGS.customerCore, row);
    const name = `${rng.pick(FIRST_NAMES)} ${rng.pick(LAST_NAMES)}`;
    return { customerId, name, email: `${emailLocalPart(name)}${rng.int(1, 999)}@example.com` };
  }

  render(row: number): ApiCustomer {
    const core = this.core(row);
    const rng = recordRng(this.ctx.seed, TAGS.customer, row);
    const place = locality(rng, 0.1);
    const createUtc = this.table.col('createUtc')[row] as number;
    const usernames: ApiMarketplaceUsername[] = [];
    const accounts = rng.int(1, 3);
    for (let k = 0; k < accounts; k++) {
      const marketplace = MARKETPLACES[(row + k) % MARKETPLACES.length] as (typeof MARKETPLACES)[number];
      // Some marketplace accounts come back with null dates (see the official example).
      const dated = !rng.chance(0.25);
      const linked = rng.int(0, 30 * 86_400_000);
      usernames.push({
        customerUserId: 60_000_000 + row * 4 + k,
        customerId: core.customerId,
        createDate: dated ? formatWall(wallAfter(createUtc, linked, this.ctx.range), 'fixed7') : null,
        modifyDate: dated ? formatWall(wallAfter(createUtc, linked + modifyLagMs(rng, createUtc + linked, this.ctx.range), this.ctx.range), 'fixed7') : null,
        marketplaceId: marketplace.marketplaceId,
        marketplace: marketplace.name,
        username: k === 0 ? core.email : `${emailLocalPart(core.name)}${k}@${marketplace.name.toLowerCase()}.example.com`,
      });
    }
    return {
      customerId: core.customerId,
      createDate: formatWall(this.table.col('createDate')[row] as number, 'fixed7'),
      modifyDate: formatWall(this.table.col('modifyDate')[row] as number, 'fixed7'),
      name: core.name,
      company: rng.chance(0.6) ? (rng.chance(0.5) ? '' : null) : rng.pick(COMPANIES),
      street1: `${rng.int(1, 9999)} ${rng.pick(STREET_NAMES)}`,
      street2: rng.chance(0.8) ? '' : `Suite ${rng.int(1, 500)}`,
      city: place.city,
      state: place.state,
      postalCode: place.postalCode,
      countryCode: place.country,
      phone: rng.chance(0.2) ? '' : phone(rng),
      email: core.email,
      addressVerified: rng.pick(ADDRESS_VERIFIED),
      marketplaceUsernames: usernames,
      // The real API sometimes sends "" where an array of tags is expected.
      tags: rng.chance(0.15) ? '' : rng.chance(0.4) ? [] : someTags(rng),
    };
  }
}
