// Data that changes during a sync: orders modified, bulk-edited, created or deleted, shipments voided or created,
// customers and products modified or deleted, customers created. New dates are the simulator's clock (less `stampLagMs` and jitter when those lies are
// on); choices come from a seeded PRNG, so a change scheduled by request count hits the same records every run.
import type { Dataset } from './dataset.js';
import { formatWall, sqlDatetimeMs, wallTicksFromUtc } from './pacificTime.js';
import { Rng, hash32, pickDistinct } from './random.js';
import type { Stamp } from './streams/pagedStream.js';
import type { Table } from './table.js';

export type MutationSpec =
  /** New modifyDate (= the stamp), new version, changed status and notes. Random live orders unless ids are given. */
  | { readonly op: 'modifyOrders'; readonly count?: number; readonly orderIds?: readonly number[] }
  | { readonly op: 'createOrders'; readonly count?: number }
  /** Many orders (default 1200) edited at once, all with the very same modifyDate. */
  | { readonly op: 'bulkEditOrders'; readonly count?: number }
  /** voided=true, voidDate=the stamp. Random live shipments unless ids are given. */
  | { readonly op: 'voidShipments'; readonly count?: number; readonly shipmentIds?: readonly number[] }
  /** New shipments created now, for random live orders unless ids are given (one shipment per id). */
  | { readonly op: 'createShipments'; readonly count?: number; readonly orderIds?: readonly number[] }
  /** Orders deleted or merged away: gone from every query, total and the truth. Random live orders unless ids are given. */
  | { readonly op: 'deleteOrders'; readonly count?: number; readonly orderIds?: readonly number[] }
  /** Customers deleted: gone from every query, total and the truth; their orders keep the customerId. */
  | { readonly op: 'deleteCustomers'; readonly count?: number; readonly customerIds?: readonly number[] }
  /** New customers with createDate = modifyDate = the stamp. */
  | { readonly op: 'createCustomers'; readonly count?: number }
  /** New modifyDate (= the stamp) for random live customers unless ids are given: they move to the top newest first. */
  | { readonly op: 'modifyCustomers'; readonly count?: number; readonly customerIds?: readonly number[] }
  /** New modifyDate (= the stamp) for random live products (inactive ones included) unless ids are given. */
  | { readonly op: 'modifyProducts'; readonly count?: number; readonly productIds?: readonly number[] }
  /** Products deleted: gone from every query, total and the truth; order items keep their productId. */
  | { readonly op: 'deleteProducts'; readonly count?: number; readonly productIds?: readonly number[] };

export type MutationOp = MutationSpec['op'];
export const MUTATION_OPS: readonly MutationOp[] = [
  'modifyOrders',
  'createOrders',
  'bulkEditOrders',
  'voidShipments',
  'createShipments',
  'deleteOrders',
  'deleteCustomers',
  'createCustomers',
  'modifyCustomers',
  'modifyProducts',
  'deleteProducts',
];

export interface MutationResult {
  readonly op: MutationOp;
  /** Ids of the records changed, created or deleted. */
  readonly ids: number[];
  /**
   * The stamp as the API prints it: the new modifyDate / createDate / voidDate, i.e. the simulator's "now"
   * less `stampLagMs` (and, for a bulk edit, less its one jitter draw).
   */
  readonly at: string;
  /** With `stampJitterMs`: each record's own stamp, in `ids` order (a bulk edit's are all `at`). */
  readonly stamps?: string[];
  /**
   * v2 mode only: the ids of the v2 records changed (`se-<orderId>` shipments for order changes, `se-<shipmentId>`
   * labels for shipment changes, none for customers, which v2 has not), and the stamps as v2 prints them (UTC).
   */
  readonly v2Ids?: string[];
  readonly atUtc?: string;
  readonly stampsUtc?: string[];
}

/** Adds what another dialect reports to a result: given the shared stamp and each record's (null for deletions). */
export type ResultDecorator = (
  result: MutationResult,
  shared: Stamp,
  stamps: readonly Stamp[] | null,
) => MutationResult;

/** How mutations date what they change (see `stampLagMs` and `stampJitterMs` in the options). */
export interface StampOptions {
  readonly lagMs: number;
  readonly jitterMs: number;
}

const DEFAULT_COUNTS: Record<MutationOp, number> = {
  modifyOrders: 10,
  createOrders: 10,
  bulkEditOrders: 1200,
  voidShipments: 5,
  createShipments: 5,
  deleteOrders: 5,
  deleteCustomers: 5,
  createCustomers: 10,
  modifyCustomers: 10,
  modifyProducts: 10,
  deleteProducts: 3,
};
const MUTATION_SEED_TAG = 0x3d17;
const JITTER_SEED_TAG = 0x717e;

function requireCount(count: number): number {
  if (!Number.isInteger(count) || count < 0)
    throw new RangeError(`mutation count must be a non-negative integer, got ${count}`);
  return count;
}

/** A stream whose records can be picked at random among the live ones. */
interface LiveRows {
  readonly count: number;
  liveRowAt(i: number): number;
}

/**
 * Applies data changes. Random choices come from one seeded PRNG drawn in mutation order, so mutations
 * triggered by request count pick the same records on every run. Stamp jitter draws from a second PRNG, so
 * turning it on changes no record choice.
 */
export class Mutator {
  private readonly rng: Rng;
  private readonly jitterRng: Rng;
  private readonly history: MutationResult[] = [];

  constructor(
    private readonly dataset: Dataset,
    private readonly clock: () => number,
    seed: number,
    private readonly stamping: StampOptions = { lagMs: 0, jitterMs: 0 },
    private readonly decorate: ResultDecorator | null = null,
  ) {
    this.rng = new Rng(hash32(seed, MUTATION_SEED_TAG));
    this.jitterRng = new Rng(hash32(seed, JITTER_SEED_TAG));
  }

  log(): readonly MutationResult[] {
    return this.history;
  }

  /**
   * Throws if the spec cannot apply now (bad count, unknown or deleted ids). A spec valid now can become
   * invalid later, when a record it names is deleted first.
   */
  validate(spec: MutationSpec): void {
    requireCount(spec.count ?? 0);
    const { orders, shipments, customers, products } = this.dataset;
    if ('productIds' in spec && spec.productIds) this.rowsOf(products.table, spec.productIds, 'productId');
    if ('orderIds' in spec && spec.orderIds) this.rowsOf(orders.table, spec.orderIds, 'orderId');
    if ('shipmentIds' in spec && spec.shipmentIds) this.rowsOf(shipments.table, spec.shipmentIds, 'shipmentId');
    if ('customerIds' in spec && spec.customerIds) this.rowsOf(customers.table, spec.customerIds, 'customerId');
    if (
      spec.op === 'createShipments' &&
      !spec.orderIds &&
      (spec.count ?? DEFAULT_COUNTS.createShipments) > 0 &&
      orders.count === 0
    )
      throw new RangeError('createShipments needs a live order');
  }

  apply(spec: MutationSpec): MutationResult {
    this.validate(spec);
    const now = this.stampAt(Math.floor(this.clock()) - this.stamping.lagMs);
    const count = spec.count ?? DEFAULT_COUNTS[spec.op];
    const { orders, shipments, customers, products } = this.dataset;
    let rows: number[];
    let ids: Float64Array;
    // Each record's stamp; null for deletions, which leave nothing dated behind.
    let stamps: Stamp[] | null;
    switch (spec.op) {
      case 'modifyOrders':
      case 'bulkEditOrders':
        rows =
          spec.op === 'modifyOrders' && spec.orderIds
            ? this.rowsOf(orders.table, spec.orderIds, 'orderId')
            : this.pickLive(orders, count);
        // A bulk edit's one shared stamp is what defines it: one jitter draw for all its rows.
        stamps = this.stamps(now, rows.length, spec.op === 'bulkEditOrders');
        orders.touch(rows, stamps);
        ids = orders.table.col('id');
        break;
      case 'createOrders':
        stamps = this.stamps(now, count, false);
        rows = orders.create(stamps);
        ids = orders.table.col('id');
        break;
      case 'voidShipments': {
        if (spec.shipmentIds) {
          rows = this.rowsOf(shipments.table, spec.shipmentIds, 'shipmentId');
        } else {
          const live = shipments.liveRows();
          rows = pickDistinct(this.rng, live.length, count).map((i) => live[i] as number);
        }
        stamps = this.stamps(now, rows.length, false);
        shipments.void(rows, stamps);
        ids = shipments.table.col('id');
        break;
      }
      case 'createShipments': {
        const orderRows = spec.orderIds
          ? this.rowsOf(orders.table, spec.orderIds, 'orderId')
          : Array.from({ length: count }, () => orders.liveRowAt(this.rng.int(0, orders.count - 1)));
        stamps = this.stamps(now, orderRows.length, false);
        rows = shipments.create(orderRows, stamps);
        ids = shipments.table.col('id');
        break;
      }
      case 'deleteOrders':
        rows = spec.orderIds
          ? [...new Set(this.rowsOf(orders.table, spec.orderIds, 'orderId'))]
          : this.pickLive(orders, count);
        orders.delete(rows);
        stamps = null;
        ids = orders.table.col('id');
        break;
      case 'deleteCustomers':
        rows = spec.customerIds
          ? [...new Set(this.rowsOf(customers.table, spec.customerIds, 'customerId'))]
          : this.pickLive(customers, count);
        customers.delete(rows);
        stamps = null;
        ids = customers.table.col('id');
        break;
      case 'createCustomers':
        stamps = this.stamps(now, count, false);
        rows = customers.create(stamps);
        ids = customers.table.col('id');
        break;
      case 'modifyCustomers':
        rows = spec.customerIds
          ? this.rowsOf(customers.table, spec.customerIds, 'customerId')
          : this.pickLive(customers, count);
        stamps = this.stamps(now, rows.length, false);
        customers.touch(rows, stamps);
        ids = customers.table.col('id');
        break;
      case 'modifyProducts':
        rows = spec.productIds
          ? this.rowsOf(products.table, spec.productIds, 'productId')
          : this.pickLive(products, count);
        stamps = this.stamps(now, rows.length, false);
        products.touch(rows, stamps);
        ids = products.table.col('id');
        break;
      case 'deleteProducts':
        rows = spec.productIds
          ? [...new Set(this.rowsOf(products.table, spec.productIds, 'productId'))]
          : this.pickLive(products, count);
        products.delete(rows);
        stamps = null;
        ids = products.table.col('id');
        break;
    }
    const shared = spec.op === 'bulkEditOrders' && stamps?.[0] ? stamps[0] : now;
    const plain: MutationResult = {
      op: spec.op,
      ids: rows.map((row) => ids[row] as number),
      at: formatWall(shared.ticks, 'fixed7'),
      ...(this.stamping.jitterMs > 0 && stamps
        ? { stamps: stamps.map((stamp) => formatWall(stamp.ticks, 'fixed7')) }
        : {}),
    };
    const result = this.decorate ? this.decorate(plain, shared, stamps) : plain;
    this.history.push(result);
    return result;
  }

  /** `count` distinct random live rows, in id order. With nothing deleted, row i is the i-th live row. */
  private pickLive(stream: LiveRows, count: number): number[] {
    return pickDistinct(this.rng, stream.count, count).map((i) => stream.liveRowAt(i));
  }

  /** `n` stamps at `now`, each moved back by its own jitter draw, or by one shared draw. */
  private stamps(now: Stamp, n: number, shared: boolean): Stamp[] {
    const jitter = this.stamping.jitterMs;
    if (jitter === 0) return Array.from({ length: n }, () => now);
    if (shared) {
      const stamp = this.stampAt(now.utc - this.jitterRng.int(0, jitter));
      return Array.from({ length: n }, () => stamp);
    }
    return Array.from({ length: n }, () => this.stampAt(now.utc - this.jitterRng.int(0, jitter)));
  }

  /** A UTC instant stored the way SQL `datetime` rounds it, with its Pacific wall ticks. */
  private stampAt(utcMs: number): Stamp {
    const utc = sqlDatetimeMs(utcMs);
    return { utc, ticks: wallTicksFromUtc(utc) };
  }

  private rowsOf(table: Table<string>, ids: readonly number[], name: string): number[] {
    return ids.map((id) => {
      const row = table.rowOfId(id);
      if (row < 0) throw new RangeError(`${name} ${id} does not exist`);
      if (table.isDeleted(row)) throw new RangeError(`${name} ${id} was deleted`);
      return row;
    });
  }
}
