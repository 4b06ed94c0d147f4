// The guarantee suites' view of one API dialect ('v1' or 'v2'): how to start its simulator, its stream names, a
// configured catalog, the ground truth in the form the connector must emit (child tables included), a record's key,
// and the names the suites' changes go by in it (v1 orders are v2 shipments, v1 shipments v2 labels: the
// simulator's mutations change both views). v1 delegates to sim.ts, so its suites behave as before; v2's expected
// records are computed here from the v2 schemas alone, independently of the connector's conversion.
import { registerSecret } from './cli.js';
import * as v1Sim from './sim.js';
import { DEFAULT_V2_KEYS, type Simulator, type SimulatorOptions } from '../../src/simulator/index.js';
import { startSimulator } from './nativeSimulator.js';
import { loadStreamSchema, type JsonSchema } from '../../src/streams/schemas.js';
import { v1 } from '../../src/dialects/v1.js';
import { v2 } from '../../src/dialects/v2.js';
import type { Dialect } from '../../src/dialects/dialect.js';

export type Api = 'v1' | 'v2';
export const APIS: readonly Api[] = ['v1', 'v2'];
export type Data = Record<string, unknown>;
/** Either dialect's simulator: the suites only use what both share. */
export type AnySimulator = Simulator<'v1'> | Simulator<'v2'>;
export type Selection = v1Sim.Selection;

// Every CLI run is checked for these (runCli's secret guard), v2 runs included.
registerSecret(DEFAULT_V2_KEYS.apiKey, DEFAULT_V2_KEYS.noAccessKey);

export interface DialectHarness {
  readonly api: Api;
  readonly dialect: Dialect;
  /** Rate limit far above what tests use (v1 sends its headers, v2 its Retry-After), then `options`. */
  simulator(options?: SimulatorOptions<Api>): Promise<AnySimulator>;
  /** Streams read by requests of their own; incremental ones; child tables. */
  readonly streams: readonly string[];
  readonly incremental: readonly string[];
  readonly children: readonly string[];
  /** API path of a stream (what the simulator counts and `failNext` targets). */
  path(stream: string): string;
  catalog(selections: Selection[]): unknown;
  /** The current truth in the connector's output form, key → record; child tables cut from their parent's. */
  truth(sim: AnySimulator, stream: string): Map<unknown, Data>;
  keyOf(record: Data, stream: string): unknown;
  /** What the suites change: v1 orders / v2 shipments (modifyOrders, createOrders, bulkEditOrders, deleteOrders). */
  readonly orders: string;
  /** v1 shipments / v2 labels (voidShipments, createShipments). */
  readonly labels: string;
  /** The ids a mutation changed, as this dialect's records key them. */
  changedIds(result: { ids: readonly number[]; v2Ids?: readonly string[] }): unknown[];
  /** The cursor a stream's child carries for the parent's cursor (v1 orders' modifyDate → orderModifyDate). */
  childCursor(child: string, parentCursor: string): string;
}

const RATE = { rateLimit: { limit: 100_000, windowMs: 1000 } };

const v1Harness: DialectHarness = {
  api: 'v1',
  dialect: v1,
  simulator: (options = {}) => v1Sim.simulator(options as SimulatorOptions),
  streams: v1Sim.ALL_STREAMS,
  incremental: v1Sim.INCREMENTAL_STREAMS,
  children: v1Sim.CHILD_STREAM_NAMES,
  path: (stream) => v1.streams.find(stream)!.path,
  catalog: (selections) => v1Sim.configuredCatalog(selections),
  truth: (sim, stream) =>
    v1.streams.findChild(stream)
      ? v1Sim.expectedChildTruth(sim as Simulator<'v1'>, stream)
      : v1Sim.expectedTruth(sim as Simulator<'v1'>, stream),
  keyOf: (record, stream) => v1Sim.keyOf(record, stream),
  orders: 'orders',
  labels: 'shipments',
  changedIds: (result) => [...result.ids],
  childCursor: (child, parentCursor) => {
    const def = v1.streams.findChild(child)!;
    return Object.entries(def.carry).find(([, parentField]) => parentField === parentCursor)![0];
  },
};

// ------------------------------------------------------------------------------------------------------------
// v2

/**
 * What the connector must emit for a v2 truth value, computed from the schema alone: a date-time (any offset, any
 * fraction) becomes UTC with `Z` to the millisecond, a calendar date keeps its day.
 */
export function expectedV2(value: unknown, schema: JsonSchema | undefined): unknown {
  if (Array.isArray(value)) return value.map((v) => expectedV2(v, schema?.items as JsonSchema | undefined));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, expectedV2(v, schema?.properties?.[k] as JsonSchema | undefined)]),
    );
  }
  if (typeof value !== 'string' || schema === undefined) return value;
  if (schema.format === 'date') return value.slice(0, 10);
  if (schema.format !== 'date-time') return value;
  // A date alone where a date-time is declared (users' dates) is that day's midnight UTC.
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return `${value}T00:00:00.000Z`;
  const m = /^(.{19})(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})$/.exec(value);
  if (!m) return value;
  const utc = Date.parse(`${m[1]}.${(m[2] ?? '').slice(0, 3).padEnd(3, '0')}${m[3]}`);
  return new Date(utc).toISOString();
}

function v2KeyOf(record: Data, stream: string): unknown {
  const def = v2.streams.find(stream) ?? v2.streams.findChild(stream);
  if (!def) throw new Error(`not a v2 stream: ${stream}`);
  const fields = def.primaryKey;
  return fields.length === 1 ? record[fields[0]!] : JSON.stringify(fields.map((f) => record[f]));
}

function v2Truth(sim: AnySimulator, stream: string): Map<unknown, Data> {
  const child = v2.streams.findChild(stream);
  if (!child) {
    const schema = loadStreamSchema(stream, 'v2');
    const v2sim = sim as Simulator<'v2'>;
    return new Map(
      [...v2sim.truth(stream as Parameters<Simulator<'v2'>['truth']>[0])].map((r) => {
        const record = expectedV2(r, schema) as Data;
        return [v2KeyOf(record, stream), record];
      }),
    );
  }
  // Each element of the parent's list, the carried parent fields and its position.
  const rows = new Map<unknown, Data>();
  for (const parent of v2Truth(sim, child.parent).values()) {
    const list = parent[child.parentField];
    if (!Array.isArray(list)) continue;
    list.forEach((element: Data, i) => {
      const carried = Object.fromEntries(Object.entries(child.carry).map(([f, pf]) => [f, parent[pf] ?? null]));
      const row = { ...element, ...carried, ...(child.index ? { [child.index]: i } : {}) };
      rows.set(v2KeyOf(row, stream), row);
    });
  }
  return rows;
}

/** Every stream as discover offers it, in the configured form the CLI reads; a child's cursor follows its parent's. */
function v2Catalog(selections: Selection[]) {
  return {
    streams: selections.map(({ name, mode, cursor }) => {
      const child = v2.streams.findChild(name);
      const parent = v2.streams.find(name) ?? v2.streams.parentOf(child!);
      const incremental = mode === 'incremental';
      const parentCursor = parent.defaultCursor ?? 'created_at';
      const defaultCursor = child ? v2Harness.childCursor(name, parentCursor) : parentCursor;
      return {
        stream: {
          name,
          json_schema: {},
          supported_sync_modes: parent.cursors ? ['full_refresh', 'incremental'] : ['full_refresh'],
        },
        sync_mode: mode ?? 'full_refresh',
        destination_sync_mode: incremental ? 'append_dedup' : 'overwrite',
        ...(incremental ? { cursor_field: [cursor ?? defaultCursor] } : {}),
      };
    }),
  };
}

export const v2Harness: DialectHarness = {
  api: 'v2',
  dialect: v2,
  simulator: (options = {}) => startSimulator({ ...RATE, ...(options as SimulatorOptions<'v2'>), api: 'v2' }),
  streams: v2.streams.streams.map((s) => s.name),
  incremental: v2.streams.streams.filter((s) => s.cursors).map((s) => s.name),
  children: v2.streams.children.map((c) => c.name),
  path: (stream) => v2.streams.find(stream)!.path,
  catalog: v2Catalog,
  truth: v2Truth,
  keyOf: v2KeyOf,
  orders: 'shipments',
  labels: 'labels',
  changedIds: (result) => [...(result.v2Ids ?? [])],
  childCursor: (child, parentCursor) => {
    const def = v2.streams.findChild(child)!;
    return Object.entries(def.carry).find(([, parentField]) => parentField === parentCursor)![0];
  },
};

export const HARNESSES: Record<Api, DialectHarness> = { v1: v1Harness, v2: v2Harness };

export function harness(api: Api): DialectHarness {
  return HARNESSES[api];
}
