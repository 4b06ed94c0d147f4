// Batches, manifests and pickups: v2 lists with no v1 counterpart, built once at start from the generated labels
// (v1 shipments) they group, so their label ids, carriers and dates agree with GET /v2/labels. Labels created later
// join none of them. Batch membership is also what a label's batch_id says.
import { hash32, recordRng, type Rng } from '../random.js';
import type { ApiShipment } from '../records.js';
import { utcTicks } from '../utcTime.js';
import { seId, V2_TAGS, type V2Context } from './context.js';
import { COMMON_PARAMS, FixedListView, type V2ListParams } from './endpoint.js';
import type { BatchMembership } from './labelsView.js';
import type { V2Address, V2Batch, V2Manifest, V2Pickup } from './records.js';

const TICKS_PER_SECOND = 10_000_000;
const TICKS_PER_HOUR = 3600 * TICKS_PER_SECOND;
const TICKS_PER_DAY = 24 * TICKS_PER_HOUR;
const API = 'https://api.shipstation.com/v2';
const BATCH_STATUSES: readonly V2Batch['status'][] = [
  'open',
  'queued',
  'processing',
  'completed',
  'completed_with_errors',
  'archived',
  'notifying',
  'invalid',
];

function parseBatchStatus(value: string): number | null {
  const code = (BATCH_STATUSES as readonly string[]).indexOf(value);
  return code < 0 ? null : code;
}

const BATCH_PARAMS: V2ListParams = {
  ...COMMON_PARAMS,
  sortBy: { created_at: 'createdAt', processed_at: 'processedAt', ship_date: 'shipDate' },
  defaultSort: 'createdAt',
  matches: [{ param: 'status', column: 'status', parse: parseBatchStatus }],
};

/** Manifests and pickups take no sort: newest first. */
const MANIFEST_PARAMS: V2ListParams = {
  ...COMMON_PARAMS,
  dateRanges: [
    { start: 'created_at_start', end: 'created_at_end', column: 'createdAt' },
    { start: 'ship_date_start', end: 'ship_date_end', column: 'shipDate' },
  ],
  defaultSort: 'createdAt',
  sortDir: false,
  fixedDesc: true,
};

const PICKUP_PARAMS: V2ListParams = {
  ...MANIFEST_PARAMS,
  dateRanges: [{ start: 'created_at_start', end: 'created_at_end', column: 'createdAt' }],
  errorsBeside: true,
};

function midnight(ticks: number): number {
  return Math.floor(ticks / TICKS_PER_DAY) * TICKS_PER_DAY;
}

function pickupId(rng: Rng): string {
  const alphabet = '23456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
  let out = 'pik_';
  for (let i = 0; i < 22; i++) out += alphabet[rng.int(0, alphabet.length - 1)];
  return out;
}

/** Groups of consecutive generated labels, each a batch; one more batch, still open and empty, at the end. */
export class LabelBatches implements BatchMembership {
  private readonly generated: number;
  private readonly groups: number;
  private readonly step: number;
  private readonly sizes: number[] = [];
  private readonly ids: number[] = [];

  constructor(private readonly ctx: V2Context) {
    this.generated = ctx.data.shipments.table.size;
    this.groups = this.generated === 0 ? 0 : Math.min(60, Math.ceil(this.generated / 40));
    this.step = this.groups === 0 ? 1 : Math.floor(this.generated / this.groups);
    const base = 400_000 + (hash32(ctx.seed, V2_TAGS.batch) % 100_000);
    for (let k = 0; k <= this.groups; k++) {
      this.sizes.push(k === this.groups ? 0 : 1 + (hash32(ctx.seed, V2_TAGS.batch, k) % Math.min(10, this.step)));
      this.ids.push(base + k * 3);
    }
  }

  batchIdOf(row: number): number | null {
    if (row >= this.generated) return null;
    const k = Math.floor(row / this.step);
    return k < this.groups && row - k * this.step < (this.sizes[k] as number) ? (this.ids[k] as number) : null;
  }

  view(): FixedListView<V2Batch, 'createdAt' | 'processedAt' | 'shipDate' | 'status'> {
    const ctx = this.ctx;
    const createdAt = ctx.data.shipments.table.col('createdAt');
    const rows: { batch: V2Batch; created: number; processed: number; status: number }[] = [];
    for (let k = 0; k <= this.groups; k++) {
      const size = this.sizes[k] as number;
      const first = k * this.step;
      const open = size === 0;
      const created = open
        ? utcTicks(ctx.range.endUtc) - TICKS_PER_DAY
        : (createdAt[first] as number) - 5 * 60 * TICKS_PER_SECOND;
      const processed = open ? Number.POSITIVE_INFINITY : (createdAt[first + size - 1] as number) + TICKS_PER_SECOND;
      const errors = !open && k % 9 === 4 ? 1 : 0;
      const status: V2Batch['status'] = open ? 'open' : errors > 0 ? 'completed_with_errors' : 'completed';
      const id = seId(this.ids[k] as number);
      const suffix = ctx.suffix(V2_TAGS.batch, k);
      rows.push({
        batch: {
          label_layout: '4x6',
          label_format: 'pdf',
          batch_id: id,
          batch_number: String(100_000 + k),
          external_batch_id: null,
          batch_notes: k % 4 === 0 ? 'Morning run' : '',
          created_at: ctx.instant(created, suffix),
          processed_at: open ? null : ctx.instant(processed, suffix),
          errors,
          process_errors: [],
          warnings: 0,
          completed: size - errors,
          forms: 0,
          count: size,
          batch_shipments_url: { href: `${API}/shipments?batch_id=${id}` },
          batch_labels_url: { href: `${API}/labels?batch_id=${id}` },
          batch_errors_url: { href: `${API}/batches/${id}/errors` },
          label_download: open ? {} : { href: `${API}/downloads/1/batch-${id}.pdf` },
          form_download: {},
          paperless_download: { instructions: null, handoff_code: null },
          status,
        },
        created,
        processed,
        status: BATCH_STATUSES.indexOf(status),
      });
    }
    return new FixedListView(
      'batches',
      BATCH_PARAMS,
      rows.map((r) => r.batch),
      ['createdAt', 'processedAt', 'shipDate', 'status'],
      (_, k) => {
        const r = rows[k] as (typeof rows)[number];
        // An unprocessed batch sorts after every processed one (ascending).
        return {
          id: k,
          createdAt: r.created,
          processedAt: r.processed,
          shipDate: midnight(r.created),
          status: r.status,
        };
      },
    );
  }
}

/** `count` groups of up to `most` consecutive generated labels, spread evenly over them. */
function labelGroups(ctx: V2Context, tag: number, count: number, most: number, at: number): number[][] {
  const n = ctx.data.shipments.table.size;
  const groups: number[][] = [];
  for (let k = 0; k < count; k++) {
    const first = Math.floor(((k + at) * n) / count);
    const size = Math.min(n - first, 1 + (hash32(ctx.seed, tag, k) % most));
    groups.push(Array.from({ length: size }, (_, j) => first + j));
  }
  return groups;
}

/** What a group of labels shares: its v1 shipments (ids, carrier, warehouse) and latest creation. */
function groupFacts(ctx: V2Context, rows: readonly number[]): { shipments: ApiShipment[]; latest: number } {
  const shipments = rows.map((row) => ctx.data.shipments.render(row, { includeShipmentItems: false }));
  const createdAt = ctx.data.shipments.table.col('createdAt');
  return { shipments, latest: Math.max(...rows.map((row) => createdAt[row] as number)) };
}

export function manifestsView(ctx: V2Context): FixedListView<V2Manifest, 'createdAt' | 'shipDate'> {
  const n = ctx.data.shipments.table.size;
  const groups = labelGroups(ctx, V2_TAGS.manifest, n === 0 ? 0 : Math.min(40, Math.ceil(n / 100)), 5, 0.5);
  const base = 700_000 + (hash32(ctx.seed, V2_TAGS.manifest) % 100_000);
  const facts = groups.map((rows, k) => {
    const { shipments, latest } = groupFacts(ctx, rows);
    const first = shipments[0] as ApiShipment;
    const created = latest + 2 * TICKS_PER_HOUR;
    const suffix = ctx.suffix(V2_TAGS.manifest, k);
    const rng = recordRng(ctx.seed, V2_TAGS.manifest, k);
    const manifest: V2Manifest = {
      manifest_id: seId(base + k * 2),
      form_id: seId(base + k * 2 + 1),
      created_at: ctx.instant(created, suffix),
      ship_date: ctx.instant(midnight(created), suffix),
      shipments: rows.length,
      label_ids: shipments.map((s) => seId(s.shipmentId)),
      warehouse_id: seId(first.warehouseId ?? 0),
      submission_id: rng.digits(22),
      carrier_id: ctx.carrierId(first.carrierCode),
      manifest_download: { href: `${API}/downloads/1/manifest-${base + k * 2}.pdf` },
    };
    return { manifest, created };
  });
  return new FixedListView(
    'manifests',
    MANIFEST_PARAMS,
    facts.map((f) => f.manifest),
    ['createdAt', 'shipDate'],
    (_, k) => {
      const created = (facts[k] as (typeof facts)[number]).created;
      return { id: k, createdAt: created, shipDate: midnight(created) };
    },
  );
}

export function pickupsView(ctx: V2Context): FixedListView<V2Pickup, 'createdAt'> {
  const n = ctx.data.shipments.table.size;
  const groups = labelGroups(ctx, V2_TAGS.pickup, n === 0 ? 0 : Math.min(30, Math.ceil(n / 150)), 3, 0.3);
  const facts = groups.map((rows, k) => {
    const { shipments, latest } = groupFacts(ctx, rows);
    const first = shipments[0] as ApiShipment;
    const created = latest + TICKS_PER_HOUR;
    const suffix = ctx.suffix(V2_TAGS.pickup, k);
    const rng = recordRng(ctx.seed, V2_TAGS.pickup, k);
    const windowStart = midnight(created) + TICKS_PER_DAY + 15 * TICKS_PER_HOUR;
    const address: V2Address = ctx.warehouseAddresses(first.warehouseId).origin;
    const pickup: V2Pickup = {
      pickup_id: pickupId(rng),
      label_ids: shipments.map((s) => seId(s.shipmentId)),
      created_at: ctx.instant(created, suffix),
      cancelled_at: k % 7 === 3 ? ctx.instant(created + 3 * TICKS_PER_HOUR, suffix) : null,
      carrier_id: ctx.carrierId(first.carrierCode),
      confirmation_number: `${rng.digits(6)}CL${rng.hex(3).toUpperCase()}`,
      warehouse_id: seId(first.warehouseId ?? 0),
      pickup_address: address,
      contact_details: { name: address.name, email: 'shipping@example.com', phone: address.phone },
      pickup_notes: k % 3 === 0 ? 'Call before 15:00' : '',
      pickup_windows: [
        {
          start_at: ctx.instant(windowStart, suffix),
          end_at: ctx.instant(windowStart + 8 * TICKS_PER_HOUR, suffix),
        },
      ],
    };
    return { pickup, created };
  });
  return new FixedListView(
    'pickups',
    PICKUP_PARAMS,
    facts.map((f) => f.pickup),
    ['createdAt'],
    (_, k) => ({ id: k, createdAt: (facts[k] as (typeof facts)[number]).created }),
  );
}
