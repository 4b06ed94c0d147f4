// What a stream is, as data: the engine reads every stream through these fields and nothing else.

/** How one cursor field is filtered and sorted on the server. */
export interface CursorDefinition {
  /** Record field holding the cursor value (a date-time in the dialect's clock in the API, UTC once converted). */
  field: string;
  /** Query parameters bounding the field, inclusive, in the dialect's filter form (dialect.ts `listQuery`). */
  startParam: string;
  endParam: string;
  /** The sort parameter's value ordering by this field (v1 `sortBy`, v2 `sort_by`). */
  sortBy: string;
}

export interface StreamDefinition {
  name: string;
  path: string;
  /** Key of the record list in the response envelope; null for endpoints answering with a bare array. */
  envelope: string | null;
  /** Top-level primary key field(s). */
  primaryKey: string[];
  /** Fixed query parameters sent on every request. */
  params?: Record<string, string>;
  /** One request without page parameters, though the list comes in an envelope (GET /webhooks). */
  singleRequest?: boolean;
  /**
   * A full refresh reads by this cursor (a key of `cursors`: a creation date, which edits cannot change), with
   * the incremental reader and no window end.
   */
  fullRefreshCursor?: string;
  /**
   * For streams without date filters: the sort of a full refresh (one edits cannot change, new records go last)
   * and the record field it sorts by, whose values prove that two overlapping pages met.
   */
  fullRefreshSort?: { sortBy: string; sortDir: 'ASC'; field: string };
  /**
   * For paged streams the server neither sorts nor filters on request (ShipStation v2 products, users,
   * manifests, pickups, inventory): a full refresh reads its pages in the server's own order, each repeating the
   * last rows of the one before, and proves by their ids that nothing shifted between two answers.
   */
  fullRefreshUnsorted?: boolean;
  /** The most rows a page of this endpoint may hold (v2 products and users: 100); caps the configured size. */
  maxPageSize?: number;
  /**
   * Incremental without a date filter (v1 products, customers): sorted by `sortBy` newest first, pages are read
   * from the top down to the last sync's window end (engine/plan/newestFirst.ts). `field` is the cursor.
   */
  newestFirst?: { field: string; sortBy: string };
  /** Cursor options for incremental sync, by field name; absent = full refresh only. */
  cursors?: Record<string, CursorDefinition>;
  defaultCursor?: string;
  /** Config key of an opt-in trailing re-scan window in days (records with no modification date). */
  lookbackConfigKey?: 'shipmentsLookbackDays' | 'fulfillmentsLookbackDays';
  /** Records voided after they were created (shipments, labels): read by their void date after the main pass. */
  voids?: VoidDefinition;
  /** One line for the README's streams table and the catalog description. */
  description: string;
}

/**
 * How an incremental sync reads the records voided since its last window: by keyset on the stream's own cursor,
 * narrowed to voids by a filter on the void date (v1 `voidDateStart/End`) or, where there is none, by fixed
 * parameters (v2 `label_status=voided`), keeping the records whose void date is in the window.
 */
export interface VoidDefinition {
  /** Record field holding the void date (null until voided). */
  field: string;
  /** The void date's filter parameters, inclusive, in the dialect's filter form. */
  range?: { startParam: string; endParam: string };
  /** Fixed parameters selecting voided records, for an API with no filter on the void date. */
  params?: Record<string, string>;
}

/** The cursor fields an incremental sync of the stream may choose (none: full refresh only). */
export function cursorChoices(def: StreamDefinition): string[] {
  return def.newestFirst ? [def.newestFirst.field] : Object.keys(def.cursors ?? {});
}

export function isIncremental(def: StreamDefinition): boolean {
  return cursorChoices(def).length > 0;
}

/**
 * A table derived from another stream's records: one row per element of an array field of the parent, emitted
 * while the parent is read (no request of its own). It follows the parent's sync mode and cursor.
 */
export interface ChildStreamDefinition {
  name: string;
  /** Name of the parent stream (a StreamDefinition). */
  parent: string;
  /** Array field of the parent record whose elements become the child's rows (null/absent = no rows). */
  parentField: string;
  /**
   * Parent fields copied into every row, child field name → parent field name: the parent's key, and its
   * cursor fields (the child's cursor choices are the carried parent cursors). Copied after the parent's
   * date-times are converted, so carried date-times are UTC too.
   */
  carry: Record<string, string>;
  /** Name of a synthetic field holding the element's position (0-based) in the parent's array, if any. */
  index?: string;
  primaryKey: string[];
  /** One line for the README's streams table and the catalog description. */
  description: string;
}

/** A stream as the configured catalog selects it. */
export interface SelectedStream {
  name: string;
  syncMode: 'full_refresh' | 'incremental';
  /** The cursor field chosen for an incremental stream. */
  cursorField?: string;
}
