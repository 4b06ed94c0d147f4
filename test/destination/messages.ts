// Hand-made Airbyte messages for the destination tests. Apart from helpers.ts, which loads DuckDB, so tests of
// the loader alone run without it.
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
