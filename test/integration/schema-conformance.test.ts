// A typed destination loads what the schemas declare: every record of a full simulator sync of every stream
// validates strictly against its stream schema (exact JSON types, formats, and no field the schema does not
// declare), with zero violations, although the simulator sends ShipStation's quirk values (tags "", flags "",
// calendar dates as midnight date-times).
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { ErrorObject } from 'ajv';
import { createAjv } from '../../src/ajv.js';
import { loadStreamSchema, type JsonSchema } from '../../src/streams/schemas.js';
import { runCli, type CliResult } from '../helpers/cli.js';
import {
  ALL_STREAMS,
  CHILD_STREAM_NAMES,
  INCREMENTAL_STREAMS,
  configuredCatalog,
  readArgs,
  recordsOf,
  simulator,
  type Simulator,
} from '../helpers/sim.js';

const ajv = await createAjv();

/** The schema with every declared object closed: a field the data carries but the schema omits is a violation. */
function closed(schema: JsonSchema): JsonSchema {
  const copy: JsonSchema = { ...schema };
  if (schema.properties) {
    copy.properties = Object.fromEntries(Object.entries(schema.properties).map(([k, v]) => [k, closed(v)]));
    copy.additionalProperties = false;
  }
  if (schema.items) copy.items = closed(schema.items);
  return copy;
}

const STREAMS = [...ALL_STREAMS, ...CHILD_STREAM_NAMES];
const incremental = (name: string) => INCREMENTAL_STREAMS.includes(name) || name.endsWith('_items');

let sim: Simulator;
let run: CliResult;

beforeAll(async () => {
  sim = await simulator({
    seed: 61,
    counts: { orders: 900, shipments: 500, fulfillments: 120, customers: 300, products: 200, stores: 5, warehouses: 4 },
  });
  run = await runCli(
    readArgs(
      sim,
      configuredCatalog(
        STREAMS.map((name) => ({
          name,
          mode: incremental(name) ? ('incremental' as const) : ('full_refresh' as const),
        })),
      ),
    ),
  );
}, 120_000);
afterAll(() => sim.close());

describe('every record of a full sync validates strictly against its schema', () => {
  test('the sync completes', () => {
    expect(run.code).toBe(0);
  });

  test('the simulator sent the quirks this test is about', () => {
    const raw = (stream: Parameters<Simulator['truth']>[0]) =>
      [...sim.truth(stream)] as unknown as Record<string, unknown>[];
    expect(raw('customers').some((c) => c.tags === '')).toBe(true);
    expect(raw('stores').some((s) => s.statusMappings === '')).toBe(true);
    expect(raw('warehouses').some((w) => w.registerFedexMeter === '' && w.sellerIntegrationId === '')).toBe(true);
    expect(raw('warehouses').some((w) => (w.returnAddress as Record<string, unknown>).residential === '')).toBe(true);
    expect(raw('fulfillments').some((f) => String(f.shipDate).endsWith('T00:00:00.0000000'))).toBe(true);
    expect(raw('orders').some((o) => typeof o.shipByDate === 'string')).toBe(true);
  });

  test.each(STREAMS)('%s: zero violations', (stream) => {
    const validate = ajv.compile(closed(loadStreamSchema(stream)));
    const records = recordsOf(run.messages, stream);
    expect(records.length).toBeGreaterThan(0);
    const violations = new Map<string, { count: number; example: unknown }>();
    for (const record of records) {
      if (validate(record)) continue;
      for (const error of validate.errors as ErrorObject[]) {
        const key = `${error.instancePath || '/'} ${error.message ?? error.keyword}${error.keyword === 'additionalProperties' ? ` '${String(error.params.additionalProperty)}'` : ''}`;
        const seen = violations.get(key);
        if (seen) seen.count++;
        else violations.set(key, { count: 1, example: error.data });
      }
    }
    expect(Object.fromEntries(violations)).toEqual({});
  });
});
