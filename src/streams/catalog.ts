// discover's catalog, derived from the stream definitions and schemas/.
import type { AirbyteCatalog, AirbyteStream } from '../generated/protocol.js';
import { STREAMS } from './definitions.js';
import { loadStreamSchema } from './schemas.js';
import { isIncremental, type StreamDefinition } from './types.js';

export function airbyteStream(def: StreamDefinition): AirbyteStream {
  const incremental = isIncremental(def);
  const cursorChoices = Object.keys(def.cursors ?? {});
  return {
    name: def.name,
    json_schema: loadStreamSchema(def.name),
    supported_sync_modes: incremental ? ['full_refresh', 'incremental'] : ['full_refresh'],
    source_defined_primary_key: def.primaryKey.map((field) => [field]),
    ...(incremental
      ? {
          // A stream with one cursor fixes it; orders lets the user pick modifyDate or createDate.
          source_defined_cursor: cursorChoices.length === 1,
          default_cursor_field: [def.defaultCursor ?? cursorChoices[0]!],
          is_resumable: true,
        }
      : {}),
  };
}

export function buildCatalog(): AirbyteCatalog {
  return { streams: STREAMS.map(airbyteStream) };
}
