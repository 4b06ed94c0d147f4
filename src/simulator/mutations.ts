import type { Dataset } from './dataset.js';
import { formatWall, sqlDatetimeMs, wallTicksFromUtc } from './pacificTime.js';
import { Rng, hash32, pickDistinct } from './random.js';

export type MutationSpec =
  /** New modifyDate (= now), new version, changed status and notes. Random orders unless ids are given. */
  | { readonly op: 'modifyOrders'; readonly count?: number; readonly orderIds?: readonly number[] }
  | { readonly op: 'createOrders'; readonly count?: number }
  /** Many orders (default 1200) edited at once, all with the very same modifyDate. */
  | { readonly op: 'bulkEditOrders'; readonly count?: number }
  /** voided=true, voidDate=now. Random live shipments unless ids are given. */
  | { readonly op: 'voidShipments'; readonly count?: number; readonly shipmentIds?: readonly number[] }
  /** New shipments created now, for random orders unless ids are given (one shipment per id). */
  | { readonly op: 'createShipments'; readonly count?: number; readonly orderIds?: readonly number[] };

export type MutationOp = MutationSpec['op'];
export const MUTATION_OPS: readonly MutationOp[] = ['modifyOrders', 'createOrders', 'bulkEditOrders', 'voidShipments', 'createShipments'];

export interface MutationResult {
  readonly op: MutationOp;
  /** Ids of the records changed or created. */
  readonly ids: number[];
  /** The simulator's "now" as the API prints it (the new modifyDate / createDate / voidDate). */
  readonly at: string;
}

const DEFAULT_COUNTS: Record<MutationOp, number> = { modifyOrders: 10, createOrders: 10, bulkEditOrders: 1200, voidShipments: 5, createShipments: 5 };
const MUTATION_SEED_TAG = 0x3d17;

function requireCount(count: number): number {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`mutation count must be a non-negative integer, got ${count}`);
  return count;
}

/**
 * Applies data changes. Random choices come from one seeded PRNG drawn in mutation order, so mutations
 * triggered by request count pick the same records on every run.
 */
export class Mutator {
  private readonly rng: Rng;
  private readonly history: MutationResult[] = [];

  constructor(
    private readonly dataset: Dataset,
    private readonly clock: () => number,
    seed: number,
  ) {
    this.rng = new Rng(hash32(seed, MUTATION_SEED_TAG));
  }

  log(): readonly MutationResult[] {
    return this.history;
  }

  /** Throws if the spec can never apply (bad count, unknown ids). Records are never deleted, so a valid spec stays valid. */
  validate(spec: MutationSpec): void {
    requireCount(spec.count ?? 0);
    const { orders, shipments } = this.dataset;
    if ('orderIds' in spec && spec.orderIds) this.rowsOf((id) => orders.table.rowOfId(id), spec.orderIds, 'orderId');
    if ('shipmentIds' in spec && spec.shipmentIds) this.rowsOf((id) => shipments.table.rowOfId(id), spec.shipmentIds, 'shipmentId');
  }

  apply(spec: MutationSpec): MutationResult {
    this.validate(spec);
    const nowUtc = sqlDatetimeMs(Math.floor(this.clock()));
    const nowTicks = wallTicksFromUtc(nowUtc);
    const count = spec.count ?? DEFAULT_COUNTS[spec.op];
    const { orders, shipments } = this.dataset;
    let rows: number[];
    let ids: Float64Array;
    switch (spec.op) {
      case 'modifyOrders':
      case 'bulkEditOrders':
        rows = spec.op === 'modifyOrders' && spec.orderIds ? this.rowsOf((id) => orders.table.rowOfId(id), spec.orderIds, 'orderId') : pickDistinct(this.rng, orders.count, count);
        orders.touch(rows, nowTicks);
        ids = orders.table.col('id');
        break;
      case 'createOrders':
        rows = orders.create(count, nowUtc, nowTicks);
        ids = orders.table.col('id');
        break;
      case 'voidShipments': {
        if (spec.shipmentIds) {
          rows = this.rowsOf((id) => shipments.table.rowOfId(id), spec.shipmentIds, 'shipmentId');
        } else {
          const live = shipments.liveRows();
          rows = pickDistinct(this.rng, live.length, count).map((i) => live[i] as number);
        }
        shipments.void(rows, nowTicks);
        ids = shipments.table.col('id');
        break;
      }
      case 'createShipments': {
        const orderRows = spec.orderIds
          ? this.rowsOf((id) => orders.table.rowOfId(id), spec.orderIds, 'orderId')
          : Array.from({ length: count }, () => this.rng.int(0, orders.count - 1));
        rows = shipments.create(orderRows, nowTicks);
        ids = shipments.table.col('id');
        break;
      }
    }
    const result: MutationResult = { op: spec.op, ids: rows.map((row) => ids[row] as number), at: formatWall(nowTicks, 'fixed7') };
    this.history.push(result);
    return result;
  }

  private rowsOf(rowOfId: (id: number) => number, ids: readonly number[], name: string): number[] {
    return ids.map((id) => {
      const row = rowOfId(id);
      if (row < 0) throw new RangeError(`${name} ${id} does not exist`);
      return row;
    });
  }
}
