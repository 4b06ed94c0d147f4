import { expect } from '@jest/globals';
// Test plumbing around the in-process simulator: config and catalog files for the CLI, and the ground truth
// in the form the connector must emit.
import type { Simulator, SimulatorOptions, StreamName } from '../../src/simulator/index.js';
import { startSimulator } from './nativeSimulator.js';
import { buildCatalog } from '../../src/streams/catalog.js';
import { CHILD_STREAMS, STREAMS } from '../../src/streams/definitions.js';
import { expectedRecord } from './expected.js';
import { expectEqual } from './sameValue.js';
import { ofType, writeFiles, type Message } from './cli.js';
import { v1 } from '../../src/dialects/v1.js';

export type { Simulator };

/** Rate-limit headers are always on (the connector paces by them); the limit is far above what tests use. */
export async function simulator(options: SimulatorOptions = {}): Promise<Simulator> {
  return startSimulator({ rateLimit: { limit: 100_000, windowMs: 1000 }, ...options });
}

export interface Selection {
  name: string;
  mode?: 'full_refresh' | 'incremental';
  cursor?: string;
}

export function configuredCatalog(selections: Selection[]) {
  const offered = buildCatalog(v1.streams).streams;
  return {
    streams: selections.map(({ name, mode, cursor }) => {
      const stream = offered.find((s) => s.name === name);
      const incremental = mode === 'incremental';
      return {
        stream: { name, json_schema: {}, supported_sync_modes: stream?.supported_sync_modes ?? ['full_refresh'] },
        sync_mode: mode ?? 'full_refresh',
        destination_sync_mode: incremental ? 'append_dedup' : 'overwrite',
        ...(incremental ? { cursor_field: [cursor ?? stream?.default_cursor_field?.[0] ?? 'createDate'] } : {}),
      };
    }),
  };
}

/** The streams read by requests of their own (compared with sim.truth); child streams are in CHILD_STREAM_NAMES. */
export const ALL_STREAMS = STREAMS.map((s) => s.name);
export const INCREMENTAL_STREAMS = STREAMS.filter((s) => s.cursors).map((s) => s.name);
export const CHILD_STREAM_NAMES = CHILD_STREAMS.map((s) => s.name);

/** Files for a read: config (simulator account + overrides), catalog and optional state. */
export function readArgs(
  sim: { readonly config: object },
  catalog: unknown,
  opts: { config?: Record<string, unknown>; state?: unknown } = {},
): string[] {
  const files = writeFiles({
    'config.json': { ...sim.config, ...opts.config },
    'catalog.json': catalog,
    ...(opts.state === undefined ? {} : { 'state.json': opts.state }),
  });
  return [
    'read',
    '--config',
    files['config.json']!,
    '--catalog',
    files['catalog.json']!,
    ...(opts.state === undefined ? [] : ['--state', files['state.json']!]),
  ];
}

export function configArgs(command: 'check' | 'discover', config: Record<string, unknown>): string[] {
  return [command, '--config', writeFiles({ 'config.json': config })['config.json']!];
}

const PK: Record<string, string[]> = Object.fromEntries(
  [...STREAMS, ...CHILD_STREAMS].map((s) => [s.name, s.primaryKey]),
);

/** A record's primary key: the value itself for one field, a JSON array of the values for a composite key. */
export function keyOf(record: Record<string, unknown>, stream: string): unknown {
  const fields = PK[stream]!;
  return fields.length === 1 ? record[fields[0]!] : JSON.stringify(fields.map((f) => record[f]));
}

export function recordsOf(messages: Message[], stream: string): Array<Record<string, unknown>> {
  return ofType(messages, 'RECORD')
    .map((m) => m.record as { stream: string; data: Record<string, unknown> })
    .filter((r) => r.stream === stream)
    .map((r) => r.data);
}

/** Latest version per primary key. */
export function byId(records: Array<Record<string, unknown>>, stream: string): Map<unknown, Record<string, unknown>> {
  return new Map(records.map((r) => [keyOf(r, stream), r]));
}

export function expectedTruth(sim: Simulator, stream: string): Map<unknown, Record<string, unknown>> {
  return byId(
    [...sim.truth(stream as StreamName)].map((r) => expectedRecord(r as unknown as Record<string, unknown>)),
    stream,
  );
}

/**
 * What a child stream must emit for the parent's current truth, built here from the definition's data (not
 * with the connector's code): each element of the parent's array field, the carried parent fields and the
 * index added, date-times converted independently.
 */
export function expectedChildTruth(sim: Simulator, child: string): Map<unknown, Record<string, unknown>> {
  const def = CHILD_STREAMS.find((c) => c.name === child)!;
  const rows: Array<Record<string, unknown>> = [];
  for (const raw of sim.truth(def.parent as StreamName)) {
    const parent = expectedRecord(raw as unknown as Record<string, unknown>);
    const list = parent[def.parentField];
    if (!Array.isArray(list)) continue;
    list.forEach((element: Record<string, unknown>, i) => {
      const carried = Object.fromEntries(
        Object.entries(def.carry).map(([field, parentField]) => [field, parent[parentField] ?? null]),
      );
      rows.push({ ...element, ...carried, ...(def.index ? { [def.index]: i } : {}) });
    });
  }
  return byId(rows, child);
}

/** The last STATE per stream, as the input state of the next read (the array form Airbyte passes). */
export function lastStates(messages: Message[]): unknown[] {
  const last = new Map<string, unknown>();
  for (const m of ofType(messages, 'STATE')) {
    const state = m.state as { stream: { stream_descriptor: { name: string } } };
    last.set(state.stream.stream_descriptor.name, m.state);
  }
  return [...last.values()];
}

export type StateMessage = {
  stream: { stream_descriptor: { name: string }; stream_state: Record<string, unknown> };
  sourceStats: { recordCount: number };
};

export function statesOf(messages: Message[], stream: string): StateMessage[] {
  return ofType(messages, 'STATE')
    .map((m) => m.state as StateMessage)
    .filter((s) => s.stream.stream_descriptor.name === stream);
}

/** Every STATE follows the records it counts: its recordCount equals its stream's records since the previous one. */
export function expectCheckpointCounts(messages: Message[], expectCount: (got: number, want: number) => void): void {
  const counts = new Map<string, number>();
  for (const m of messages) {
    if (m.type === 'RECORD') {
      const name = (m.record as { stream: string }).stream;
      counts.set(name, (counts.get(name) ?? 0) + 1);
    } else if (m.type === 'STATE') {
      const s = m.state as StateMessage;
      expectCount(s.sourceStats.recordCount, counts.get(s.stream.stream_descriptor.name) ?? 0);
      counts.set(s.stream.stream_descriptor.name, 0);
    }
  }
}

export function statusesOf(messages: Message[], stream: string): string[] {
  return ofType(messages, 'TRACE')
    .map((m) => m.trace as { type: string; stream_status?: { stream_descriptor: { name: string }; status: string } })
    .filter((t) => t.type === 'STREAM_STATUS' && t.stream_status!.stream_descriptor.name === stream)
    .map((t) => t.stream_status!.status);
}

/** Every record of the truth arrived, in its current version (the latest emission per id wins). */
export function expectComplete(s: Simulator, emitted: Array<Record<string, unknown>>, stream: string): void {
  expectEveryRecord(stream, expectedTruth(s, stream), byId(emitted, stream));
}

/** Every record of `want` is in `got` (each by key), as it is in `want`; `got` may hold more. */
export function expectEveryRecord(
  stream: string,
  want: ReadonlyMap<unknown, unknown>,
  got: ReadonlyMap<unknown, unknown>,
): void {
  const missing = [...want.keys()].filter((id) => !got.has(id));
  expect({ stream, missing: missing.slice(0, 10), missingCount: missing.length }).toEqual({
    stream,
    missing: [],
    missingCount: 0,
  });
  for (const [id, record] of want) expectEqual([id, got.get(id)], [id, record]);
}
