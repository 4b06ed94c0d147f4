// discover's catalog, derived from a dialect's stream set and schemas/.
import type { AirbyteCatalog, AirbyteStream } from '../generated/protocol.js';
import { childCursors, childDefaultCursor, childIsIncremental } from './children.js';
import { loadStreamSchema, type SchemaFolder } from './schemas.js';
import type { StreamSet } from './streamSet.js';
import { cursorChoices, type ChildStreamDefinition, type StreamDefinition } from './types.js';

function entry(
  folder: SchemaFolder,
  name: string,
  primaryKey: string[],
  cursorChoices: string[],
  defaultCursor: string | undefined,
): AirbyteStream {
  const incremental = cursorChoices.length > 0;
  return {
    name,
    json_schema: loadStreamSchema(name, folder),
    supported_sync_modes: incremental ? ['full_refresh', 'incremental'] : ['full_refresh'],
    source_defined_primary_key: primaryKey.map((field) => [field]),
    ...(incremental
      ? {
          // A stream with one cursor fixes it; orders (and order_items) let the user pick modifyDate or createDate.
          source_defined_cursor: cursorChoices.length === 1,
          default_cursor_field: [defaultCursor ?? cursorChoices[0]!],
          is_resumable: true,
        }
      : {}),
  };
}

export function airbyteStream(def: StreamDefinition, folder: SchemaFolder = ''): AirbyteStream {
  return entry(folder, def.name, def.primaryKey, cursorChoices(def), def.defaultCursor);
}

/** A child stream offers its parent's sync modes, its cursor being the carried copy of the parent's. */
export function airbyteChildStream(
  def: ChildStreamDefinition,
  parent: StreamDefinition,
  folder: SchemaFolder = '',
): AirbyteStream {
  return entry(
    folder,
    def.name,
    def.primaryKey,
    childIsIncremental(def, parent) ? Object.keys(childCursors(def, parent)) : [],
    childDefaultCursor(def, parent),
  );
}

export function buildCatalog(offered: StreamSet): AirbyteCatalog {
  return {
    streams: offered.streams.flatMap((def) => [
      airbyteStream(def, offered.schemaFolder),
      ...offered.childrenOf(def.name).map((child) => airbyteChildStream(child, def, offered.schemaFolder)),
    ]),
  };
}
