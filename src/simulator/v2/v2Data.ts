// Everything the v2 API serves, derived from the one seeded v1 dataset so a change made through the mutations shows
// in both: the paged views (shipments from orders, labels from shipments, fulfillments, products, users, batches,
// manifests, pickups, inventory) and the whole lists (warehouses, carriers, packages, tags, webhooks), plus the
// ground truth of every v2 stream in the form the API prints.
import type { Dataset } from '../dataset.js';
import * as lists from './accountLists.js';
import { V2Context, type V2DateSuffix } from './context.js';
import {
  FixedListView,
  V2_PAGED_STREAMS,
  type V2ListStreamName,
  type V2PagedStreamName,
  type V2PagedView,
  type V2StreamName,
} from './endpoint.js';
import { V2FulfillmentsView } from './fulfillmentsView.js';
import { V2LabelsView } from './labelsView.js';
import { LabelBatches, manifestsView, pickupsView } from './logistics.js';
import { V2ProductsView } from './productsView.js';
import type { V2Record } from './records.js';
import { V2ShipmentsView } from './shipmentsView.js';

export class V2Data {
  private readonly views: Record<V2PagedStreamName, V2PagedView>;
  private readonly lists: Record<V2ListStreamName, readonly V2Record[]>;

  constructor(
    dataset: Dataset,
    seed: number,
    range: { readonly startUtc: number; readonly endUtc: number },
    suffix: V2DateSuffix,
  ) {
    const ctx = new V2Context(dataset, seed, range, suffix);
    const batches = new LabelBatches(ctx);
    const inventory = lists.inventoryViews(ctx);
    this.views = {
      shipments: new V2ShipmentsView(ctx),
      labels: new V2LabelsView(ctx, batches),
      fulfillments: new V2FulfillmentsView(ctx),
      products: new V2ProductsView(ctx),
      users: lists.usersView(ctx),
      batches: batches.view(),
      manifests: manifestsView(ctx),
      pickups: pickupsView(ctx),
      inventory_warehouses: inventory.warehouses,
      inventory_locations: inventory.locations,
    };
    this.lists = {
      warehouses: lists.warehouses(ctx),
      carriers: lists.carriers(ctx),
      packages: lists.packageTypes(ctx),
      tags: lists.tags(ctx),
      webhooks: lists.webhooks(ctx),
    };
  }

  paged(name: V2PagedStreamName): V2PagedView {
    return this.views[name];
  }

  list(name: V2ListStreamName): readonly V2Record[] {
    return this.lists[name];
  }

  count(stream: V2StreamName): number {
    return isPaged(stream) ? this.views[stream].count : this.lists[stream].length;
  }

  /**
   * Every current record of a v2 stream as the API prints it, in id order (whole lists in the order served).
   * Records kept as objects are handed out as copies, so callers cannot alter the served data.
   */
  *truth(stream: V2StreamName): Generator<V2Record, void, undefined> {
    if (!isPaged(stream)) {
      for (const record of this.lists[stream]) yield structuredClone(record);
      return;
    }
    const view = this.views[stream];
    const copy = view instanceof FixedListView;
    for (const row of view.liveRows()) yield copy ? structuredClone(view.render(row)) : view.render(row);
  }
}

function isPaged(stream: V2StreamName): stream is V2PagedStreamName {
  return (V2_PAGED_STREAMS as readonly string[]).includes(stream);
}
