// The account's reference lists, each served whole in one response: carriers, marketplaces, users, webhooks
// and tags. Built once from the seed. Field names follow public SDK types (see README.md, Assumptions).
import {
  CARRIER_ACCOUNTS,
  MARKETPLACES,
  MORE_MARKETPLACES,
  TAGS as TAG_POOL,
  TAG_COLORS,
  WEBHOOK_EVENTS,
} from '../pools.js';
import { Rng, hash32, recordRng } from '../random.js';
import type { ApiAccountTag, ApiCarrier, ApiMarketplace, ApiUser, ApiWebhook } from '../records.js';
import { personName } from './addresses.js';
import { nextId } from './ids.js';
import { TAGS, type GenContext } from './pagedStream.js';
import type { StoresStream } from './stores.js';

/** A list built once; truth() hands out copies so callers cannot alter the served data. */
abstract class FixedList<R> {
  protected readonly records: R[] = [];

  get count(): number {
    return this.records.length;
  }

  list(): R[] {
    return this.records;
  }
}

/** One connection per carrier that orders and shipments use (carrierCode), plus DHL; the first is the primary. */
export class CarriersList extends FixedList<ApiCarrier> {
  constructor(ctx: GenContext) {
    super();
    const idRng = new Rng(hash32(ctx.seed, TAGS.ids, TAGS.carrier));
    let providerId = 100_000 + idRng.int(0, 400_000);
    CARRIER_ACCOUNTS.forEach((carrier, k) => {
      const rng = recordRng(ctx.seed, TAGS.carrier, k);
      providerId = nextId(providerId, idRng);
      this.records.push({
        name: carrier.name,
        code: carrier.code,
        accountNumber: carrier.requiresFundedAccount && rng.chance(0.5) ? `SS${rng.digits(6)}` : rng.digits(9),
        requiresFundedAccount: carrier.requiresFundedAccount,
        balance: carrier.requiresFundedAccount ? rng.money(0, 500) : 0,
        nickname: rng.chance(0.6) ? null : `${carrier.name.split(' ')[0]!}-${rng.hex(3).toUpperCase()}`,
        shippingProviderId: providerId,
        primary: true,
      });
    });
  }
}

/** Marketplace capabilities: fixed per marketplace (ShipStation's catalog, the same for every account). */
function capabilities(marketplaceId: number): Omit<ApiMarketplace, 'name' | 'marketplaceId'> {
  if (marketplaceId === 0)
    return {
      canRefresh: false,
      supportsCustomMappings: false,
      supportsCustomStatuses: false,
      canConfirmShipments: false,
    };
  const h = hash32(marketplaceId, 77);
  return {
    canRefresh: true,
    supportsCustomMappings: (h & 1) === 1,
    supportsCustomStatuses: (h & 2) === 2,
    canConfirmShipments: (h & 4) !== 4 || marketplaceId === 2,
  };
}

/** Every marketplace stores refer to, and a few more, by name (case-insensitive). Independent of the seed. */
export class MarketplacesList extends FixedList<ApiMarketplace> {
  constructor() {
    super();
    const all = [...MARKETPLACES, ...MORE_MARKETPLACES].sort((a, b) =>
      a.name.toUpperCase().localeCompare(b.name.toUpperCase()),
    );
    for (const m of all)
      this.records.push({ name: m.name, marketplaceId: m.marketplaceId, ...capabilities(m.marketplaceId) });
  }
}

/** Users: the first is the account owner; the last is inactive whenever there are two or more. */
export class UsersList extends FixedList<ApiUser> {
  private readonly active: boolean[] = [];

  constructor(ctx: GenContext, count: number) {
    super();
    for (let k = 0; k < count; k++) {
      const rng = recordRng(ctx.seed, TAGS.user, k);
      const name = personName(rng);
      const login = name
        .normalize('NFD')
        .replace(/[^A-Za-z ]/g, '')
        .trim()
        .toLowerCase()
        .replace(/\s+/g, '.');
      this.records.push({ userId: rng.uuid(), userName: `${login || 'user'}${k}@example.com`, name });
      this.active.push(count < 2 || k !== count - 1);
    }
  }

  /** Active users only unless `showInactive`: the records themselves carry no active flag. */
  listUsers(showInactive: boolean): ApiUser[] {
    return showInactive ? this.records : this.records.filter((_, k) => this.active[k]);
  }
}

/** Webhook subscriptions, one per event type in turn; some limited to one store, the last one disabled. */
export class WebhooksList extends FixedList<ApiWebhook> {
  constructor(ctx: GenContext, count: number, stores: StoresStream) {
    super();
    const idRng = new Rng(hash32(ctx.seed, TAGS.ids, TAGS.webhook));
    const sellerId = 100_000 + idRng.int(0, 800_000);
    let id = 10_000 + idRng.int(0, 90_000);
    for (let k = 0; k < count; k++) {
      const rng = recordRng(ctx.seed, TAGS.webhook, k);
      const event = WEBHOOK_EVENTS[k % WEBHOOK_EVENTS.length]!;
      id = nextId(id, idRng);
      this.records.push({
        IsLabelAPIHook: false,
        WebHookID: id,
        SellerID: sellerId,
        StoreID: stores.count > 0 && rng.chance(0.4) ? stores.idAt(rng.int(0, stores.count - 1)) : null,
        HookType: event,
        MessageFormat: 'Json',
        Url: `https://hooks.example.com/shipstation/${event.toLowerCase()}/${rng.hex(8)}`,
        Name: rng.chance(0.2) ? null : `${event.toLowerCase().replace(/_/g, ' ')} hook ${k + 1}`,
        BulkCopyBatchID: null,
        BulkCopyRecordID: null,
        Active: count < 2 || k !== count - 1,
        WebhookLogs: [],
        Seller: null,
        Store: null,
      });
    }
  }
}

/** The account's tags: exactly those orders, products and customers carry (tagIds, tags[]), with a colour. */
export class AccountTagsList extends FixedList<ApiAccountTag> {
  constructor(ctx: GenContext) {
    super();
    TAG_POOL.forEach((tag, k) => {
      const rng = recordRng(ctx.seed, TAGS.accountTag, k);
      this.records.push({ tagId: tag.tagId, name: tag.name, color: rng.pick(TAG_COLORS) });
    });
  }
}
