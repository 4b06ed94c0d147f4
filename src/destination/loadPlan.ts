// The configured catalog → one load plan per stream: its columns (from the stream's JSON schema, as
// `discover` printed it), how its table is written, its primary key and cursor.
import { columnsOf, type Column } from './columns.js';
import { DestinationError } from './errors.js';

/**
 * - `dedup`: rows are upserted by primary key, the newest cursor value winning (Airbyte's append_dedup);
 * - `append`: every row is added;
 * - `overwrite`: the rows of this sync replace the table when the stream completes (deduplicated by primary key,
 *   the newest cursor value or else the last arrival winning, when the stream has one).
 * A stream whose catalog entry has `minimum_generation_id` equal to its `generation_id` (above 0) is an Airbyte
 * Refresh ("refresh and remove records"): rows of older generations go once the stream completes. This
 * destination keeps no rows of the current generation from an earlier, failed attempt (nothing of an
 * overwrite stream is committed before it completes), so that is `overwrite` whatever the sync mode.
 */
export type WriteMode = 'dedup' | 'append' | 'overwrite';

export interface StreamPlan {
  name: string;
  columns: Column[];
  mode: WriteMode;
  primaryKey: string[];
  cursor?: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A top-level field from a field path ([["orderId"]] style); nested paths are refused by name. */
function topLevel(path: unknown, what: string): string {
  if (!Array.isArray(path) || path.length !== 1 || typeof path[0] !== 'string') {
    throw new DestinationError(`${what} must be a single top-level field, got ${JSON.stringify(path)}`);
  }
  return path[0];
}

export function planStreams(catalog: unknown): StreamPlan[] {
  if (!isObject(catalog) || !Array.isArray(catalog.streams))
    throw new DestinationError('catalog.streams must be an array');
  const seen = new Set<string>();
  return catalog.streams.map((entry: unknown, i) => {
    const at = `catalog.streams[${i}]`;
    if (!isObject(entry) || !isObject(entry.stream)) throw new DestinationError(`${at}.stream must be an object`);
    const { stream } = entry;
    if (
      typeof stream.name !== 'string' ||
      !/^[A-Za-z_][A-Za-z0-9_]*$/.test(stream.name) ||
      stream.name.startsWith('_')
    ) {
      throw new DestinationError(
        `${at}.stream.name must be a plain name (letters, digits, _; not starting with _), got ${JSON.stringify(stream.name)}`,
      );
    }
    const name = stream.name;
    if (seen.has(name.toLowerCase())) throw new DestinationError(`${at}: stream '${name}' is listed twice`);
    seen.add(name.toLowerCase());
    const columns = columnsOf(stream.json_schema);
    const known = new Set(columns.map((c) => c.name));
    const keyPaths = entry.primary_key ?? stream.source_defined_primary_key ?? [];
    if (!Array.isArray(keyPaths)) throw new DestinationError(`${at}.primary_key must be an array of field paths`);
    const primaryKey = keyPaths.map((p, k) => topLevel(p, `${at}.primary_key[${k}]`));
    for (const field of primaryKey) {
      if (!known.has(field))
        throw new DestinationError(`${at}: primary key field '${field}' is not in the stream's json_schema`);
    }
    const mode = refresh(entry, at) ? 'overwrite' : writeMode(entry.destination_sync_mode, at);
    if (mode === 'dedup' && primaryKey.length === 0)
      throw new DestinationError(`${at}: append_dedup needs a primary key`);
    let cursor: string | undefined;
    // Optional catalog fields may be null (the connector accepts that too): null is absent.
    if (entry.sync_mode === 'incremental' && entry.cursor_field != null) {
      cursor = topLevel(entry.cursor_field, `${at}.cursor_field`);
      if (!known.has(cursor))
        throw new DestinationError(`${at}: cursor field '${cursor}' is not in the stream's json_schema`);
    }
    return { name, columns, mode, primaryKey, ...(cursor ? { cursor } : {}) };
  });
}

/** The stream drops rows of older generations when it completes (Airbyte's Refresh contract). */
function refresh(entry: Record<string, unknown>, at: string): boolean {
  const { generation_id: generation, minimum_generation_id: minimum } = entry;
  if (minimum === undefined || minimum === null) return false;
  if (typeof minimum !== 'number' || !Number.isInteger(minimum) || minimum < 0)
    throw new DestinationError(`${at}.minimum_generation_id must be a whole number, got ${JSON.stringify(minimum)}`);
  if (typeof generation !== 'number' || !Number.isInteger(generation) || generation < minimum)
    throw new DestinationError(
      `${at}.generation_id must be a whole number of at least minimum_generation_id, got ${JSON.stringify(generation)}`,
    );
  return minimum > 0 && minimum === generation;
}

function writeMode(value: unknown, at: string): WriteMode {
  switch (value) {
    case 'append_dedup':
      return 'dedup';
    case 'append':
      return 'append';
    case 'overwrite':
    case 'overwrite_dedup':
      return 'overwrite';
    default:
      throw new DestinationError(
        `${at}.destination_sync_mode must be append, append_dedup, overwrite or overwrite_dedup, got ${JSON.stringify(value)}`,
      );
  }
}
