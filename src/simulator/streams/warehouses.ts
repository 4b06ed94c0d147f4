// The /warehouses list: a handful of ship-from locations built once from the seed, the first the default.
// Return addresses send residential as null or "" and the integration fields are "", as in a real fixture.
import { utcAfter } from '../instants.js';
import { formatWall, wallTicksFromUtc } from '../pacificTime.js';
import { COMPANIES, STREET_NAMES, US_LOCALITIES } from '../pools.js';
import { Rng, hash32, recordRng } from '../random.js';
import type { ApiWarehouse, ApiWarehouseAddress } from '../records.js';
import { nextId } from './ids.js';
import { TAGS, type GenContext } from './pagedStream.js';

function warehouseAddress(rng: Rng, name: string, residential: boolean | null | ''): ApiWarehouseAddress {
  const place = rng.pick(US_LOCALITIES);
  return {
    name,
    company: rng.chance(0.5) ? '' : rng.pick(COMPANIES),
    street1: `${rng.int(100, 9999)} ${rng.pick(STREET_NAMES).toUpperCase()}  `,
    street2: '',
    street3: '',
    city: place.city,
    state: place.state,
    postalCode: place.postalCode,
    country: place.country,
    phone: `512${rng.digits(7)}`,
    residential,
  };
}

/** Ship-from locations: a handful of records built once; the first is the default. */
export class WarehousesStream {
  private readonly records: ApiWarehouse[] = [];
  /** Each warehouse's createDate as a UTC instant (ms), which v2 prints. */
  readonly createdUtc: number[] = [];

  constructor(ctx: GenContext, count: number) {
    const idRng = new Rng(hash32(ctx.seed, TAGS.ids, TAGS.warehouse));
    let id = 14_000 + idRng.int(0, 4_000);
    for (let k = 0; k < count; k++) {
      const rng = recordRng(ctx.seed, TAGS.warehouse, k);
      const name = k === 0 ? 'Main warehouse' : `${rng.pick(US_LOCALITIES).city} ${k}`;
      id = nextId(id, idRng);
      const originAddress = warehouseAddress(rng, name, false);
      // Return addresses: residential unknown, as null or (every other one) as "".
      const returnAddress = warehouseAddress(rng, `${name} returns`, k % 2 === 1 ? '' : null);
      const createUtc = utcAfter(ctx.range.startUtc, rng.int(0, 60 * 86_400_000), ctx.range);
      this.createdUtc.push(createUtc);
      this.records.push({
        warehouseId: id,
        warehouseName: name,
        originAddress,
        returnAddress,
        createDate: formatWall(wallTicksFromUtc(createUtc), 'fixed7'),
        isDefault: k === 0,
        extInventoryIdentity: '',
        registerFedexMeter: '',
        sellerIntegrationId: '',
      });
    }
  }

  get count(): number {
    return this.records.length;
  }

  idAt(k: number): number {
    return (this.records[k] as ApiWarehouse).warehouseId;
  }

  list(): ApiWarehouse[] {
    return this.records;
  }
}
