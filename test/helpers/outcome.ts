// What a read's output is judged by, beyond "every record of the truth" (sim.ts): the records that had to come
// when others were created or deleted meanwhile, emissions beyond one per id, the ids mutations touched, and the
// promise every read makes under a lying server (COMPLETE with everything, or INCOMPLETE saying why).
import { expect } from '@jest/globals';
import type { MutationSpec, Simulator, StreamName } from '../../src/simulator/index.js';
import { traceErrors, type Message } from './cli.js';
import { expectedUtc } from './expected.js';
import { byId, expectedTruth, keyOf, recordsOf, statusesOf } from './sim.js';

type Data = Record<string, unknown>;

/** Ids of the records the simulator's mutations of these kinds touched so far. */
export function mutatedIds(sim: Simulator, ops: readonly MutationSpec['op'][]): Set<number> {
  return new Set(sim.mutationLog().flatMap((m) => (ops.includes(m.op) ? m.ids : [])));
}

/**
 * Every record of the truth but those in `excused` arrived, in its current version (the latest emission per id
 * wins); and nothing arrived that the truth does not know, unless `excused` holds it (a record deleted meanwhile).
 */
export function expectHolds(
  sim: Simulator,
  emitted: Data[],
  stream: string,
  excused: ReadonlySet<unknown> = new Set(),
): void {
  const got = byId(emitted, stream);
  const want = expectedTruth(sim, stream);
  const missing = [...want.keys()].filter((id) => !excused.has(id) && !got.has(id));
  const stale = [...want.entries()]
    .filter(([id, record]) => !excused.has(id) && got.has(id) && !isEqual(got.get(id), record))
    .map(([id]) => id);
  const unknown = [...got.keys()].filter((id) => !want.has(id) && !excused.has(id));
  expect({
    stream,
    missing: missing.slice(0, 10),
    missingCount: missing.length,
    stale: stale.slice(0, 10),
    unknown: unknown.slice(0, 10),
  }).toEqual({
    stream,
    missing: [],
    missingCount: 0,
    stale: [],
    unknown: [],
  });
}

/** Equal as a destination would store them: JSON with sorted keys (key order and undefined fields aside). */
function isEqual(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Data).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** Emissions beyond one per primary key. */
export function duplicatesOf(records: Data[], stream: string): number {
  return records.length - new Set(records.map((r) => JSON.stringify(keyOf(r, stream)))).size;
}

/** A stream's outcome: its last status, the error messages of the run, what was missing from the truth. */
export interface Outcome {
  status: string | undefined;
  errors: string[];
  missing: unknown[];
}

/** Ids only: whether each record of the truth arrived (its version is another check's). */
export function outcomeOf(
  sim: Simulator,
  messages: Message[],
  stream: StreamName,
  emitted: Data[] = recordsOf(messages, stream),
): Outcome {
  const got = new Set(emitted.map((r) => JSON.stringify(keyOf(r, stream))));
  return {
    status: statusesOf(messages, stream).at(-1),
    errors: traceErrors(messages).map((e) => e.message),
    missing: [...sim.truth(stream)]
      .map((r) => keyOf(r as unknown as Data, stream))
      .filter((id) => !got.has(JSON.stringify(id))),
  };
}

/**
 * Ids whose latest emission is not the current version, told by a field every change stamps anew (orders'
 * modifyDate): cheaper than comparing whole records, for checks repeated many times.
 */
export function staleOf(sim: Simulator, emitted: Data[], stream: StreamName, field: string): unknown[] {
  const latest = new Map(emitted.map((r) => [JSON.stringify(keyOf(r, stream)), r[field]]));
  return [...sim.truth(stream)]
    .map((r) => r as unknown as Data)
    .filter((r) => {
      const got = latest.get(JSON.stringify(keyOf(r, stream)));
      return got !== undefined && got !== expectedUtc(String(r[field]));
    })
    .map((r) => keyOf(r, stream));
}
