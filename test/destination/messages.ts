// Hand-made Airbyte messages (and a small catalog) for the destination tests. Apart from helpers.ts, which loads
// DuckDB, so tests of the loader alone run without it.
export const record = (stream: string, data: Record<string, unknown>, emittedAt = 1_700_000_000_000) => ({
  type: 'RECORD',
  record: { stream, data, emitted_at: emittedAt },
});
export const state = (stream: string, cursor: string) => ({
  type: 'STATE',
  state: { type: 'STREAM', stream: { stream_descriptor: { name: stream }, stream_state: { cursor } } },
});
export const status = (stream: string, s: 'STARTED' | 'COMPLETE' | 'INCOMPLETE') => ({
  type: 'TRACE',
  trace: { type: 'STREAM_STATUS', emitted_at: 1, stream_status: { stream_descriptor: { name: stream }, status: s } },
});

/** A configured catalog of one deduplicated stream `items`: an integer key `id` and a string `pad`. */
export const itemsCatalog = {
  streams: [
    {
      stream: {
        name: 'items',
        json_schema: { type: 'object', properties: { id: { type: 'integer' }, pad: { type: ['null', 'string'] } } },
        supported_sync_modes: ['incremental'],
        source_defined_primary_key: [['id']],
      },
      sync_mode: 'incremental',
      destination_sync_mode: 'append_dedup',
    },
  ],
};

/**
 * Records `from`..`to` of `items`, each padded with its own id to about `pad` bytes (text a database cannot
 * compress away), with a STATE (cursor: the id) after every `every`th.
 */
export function itemsInput(from: number, to: number, pad: number, every: number): unknown[] {
  const lines: unknown[] = [];
  for (let id = from; id <= to; id++) {
    lines.push(record('items', { id, pad: `${id}`.repeat(Math.ceil(pad / String(id).length)) }));
    if (id % every === 0) lines.push(state('items', String(id)));
  }
  return lines;
}
