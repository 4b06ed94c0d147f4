// The /customers stream (no date filters; sortBy Name, ModifyDate, CreateDate): customers can be created and
// deleted mid-run, but orders refer only to those generated at start, so neither re-assigns an order. Records
// carry the real API's quirks: tags sometimes "" instead of an array, marketplace usernames with null dates.
import { chronologicalInstants, modifyLagMs, wallAfter } from '../instants.js';
import { formatWall, wallTicksFromUtc } from '../pacificTime.js';
import { ADDRESS_VERIFIED, COMPANIES, FIRST_NAMES, LAST_NAMES, MARKETPLACES, STREET_NAMES } from '../pools.js';
import { Rng, hash32, recordRng } from '../random.js';
import type { ApiCustomer, ApiMarketplaceUsername } from '../records.js';
import { locality, phone } from './addresses.js';
import { IdSequence } from './ids.js';
import { TAGS, type GenContext, type Stamp, type StreamParams } from './pagedStream.js';
import { TableStream } from './tableStream.js';
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

let nameOrder: Map<string, number> | null = null;

/**
 * The Name sort key: the position of the name, upper-cased (case-insensitive ordinal order, equal names share
 * it), among every name `coreAt` can form. Fixed for all customers, so ones created later sort exactly too.
 */
function nameRank(name: string): number {
  if (!nameOrder) {
    const keys = new Set(FIRST_NAMES.flatMap((first) => LAST_NAMES.map((last) => `${first} ${last}`.toUpperCase())));
    nameOrder = new Map([...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map((key, rank) => [key, rank]));
  }
  const rank = nameOrder.get(name.toUpperCase());
  if (rank === undefined) throw new Error(`customer name outside the pools: ${name}`);
  return rank;
}

export class CustomersStream extends TableStream<Column> {
  readonly name = 'customers';
  readonly params = PARAMS;
  /** Customers generated at start; orders refer to these only, so created or deleted customers re-assign no order. */
  readonly generatedCount: number;
  private readonly cores: CustomerCore[] = [];
  private readonly ids: IdSequence;

  constructor(ctx: GenContext, count: number) {
    super(ctx, ['createDate', 'modifyDate', 'createUtc', 'nameRank'], count);
    this.generatedCount = count;
    const created = chronologicalInstants(
      count,
      ctx.range,
      ctx.pins,
      new Rng(hash32(ctx.seed, TAGS.customerDates)),
      0.01,
    );
    const pinned = new Set(ctx.pins);
    this.ids = new IdSequence(ctx.seed, TAGS.customer, 40_000_000, 9_000_000);
    for (let row = 0; row < count; row++) {
      const rng = recordRng(ctx.seed, TAGS.customerDates, row);
      const createUtc = created[row] as number;
      const id = this.ids.next();
      this.table.append({
        id,
        createDate: wallTicksFromUtc(createUtc),
        modifyDate: wallAfter(
          createUtc,
          pinned.has(createUtc) ? rng.int(0, 60_000) : modifyLagMs(rng, createUtc, ctx.range),
          ctx.range,
        ),
        createUtc,
        nameRank: 0,
      });
      const core = this.coreAt(row, id);
      this.cores.push(core);
      this.table.col('nameRank')[row] = nameRank(core.name);
    }
    this.buildIndexes();
  }

  /** Appends one new customer per stamp (its createDate and modifyDate) and returns their rows. */
  create(stamps: readonly Stamp[]): number[] {
    const rows: number[] = [];
    for (const stamp of stamps) {
      const row = this.table.size;
      const id = this.ids.next();
      const core = this.coreAt(row, id);
      this.cores.push(core);
      rows.push(
        this.table.append({
          id,
          createDate: stamp.ticks,
          modifyDate: stamp.ticks,
          createUtc: stamp.utc,
          nameRank: nameRank(core.name),
        }),
      );
    }
    this.appended();
    return rows;
  }

  /** New modifyDates (the customers' fields stay): each moves to its new place in the ModifyDate order. */
  touch(rows: readonly number[], stamps: readonly Stamp[]): void {
    const modify = this.table.col('modifyDate');
    rows.forEach((row, k) => {
      modify[row] = (stamps[k] as Stamp).ticks;
    });
    this.changed(rows, ['modifyDate']);
  }

  /** Deletes customers: they vanish from every query and from the truth (their orders keep the customerId). */
  delete(rows: readonly number[]): void {
    this.removeRows(rows);
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
    const createDate = formatWall(this.table.col('createDate')[row] as number, 'fixed7');
    // A customer created during the run links its marketplace accounts as it is created (no dates past "now").
    const fresh = row >= this.generatedCount;
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
        createDate: !dated
          ? null
          : fresh
            ? createDate
            : formatWall(wallAfter(createUtc, linked, this.ctx.range), 'fixed7'),
        modifyDate: !dated
          ? null
          : fresh
            ? createDate
            : formatWall(
                wallAfter(createUtc, linked + modifyLagMs(rng, createUtc + linked, this.ctx.range), this.ctx.range),
                'fixed7',
              ),
        marketplaceId: marketplace.marketplaceId,
        marketplace: marketplace.name,
        username:
          k === 0 ? core.email : `${emailLocalPart(core.name)}${k}@${marketplace.name.toLowerCase()}.example.com`,
      });
    }
    return {
      customerId: core.customerId,
      createDate,
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
