// Every record the v2 simulator serves, read over HTTP as the connector reads it (API-Key header, every page of
// every v2 stream's path), validates strictly against its schema in schemas/v2/ once its dates are converted:
// every field declared (each object closed for the check), every type right, every date-time UTC with `Z`. The
// simulator's records follow ShipStation's OpenAPI file, so a field the schemas miss or mistype fails here.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { v2 } from '../../src/dialects/v2.js';
import { readEnvelope, type ApiRecord } from '../../src/engine/plan/envelope.js';
import { silentLogger } from '../../src/protocol/logger.js';
import { startSimulator, type Simulator } from '../../src/simulator/index.js';
import { childRows } from '../../src/streams/children.js';
import { createDateConverter, dateTimePaths } from '../../src/streams/dateConverter.js';
import { createSchemaAjv, loadStreamSchema, type JsonSchema } from '../../src/streams/schemas.js';
import type { StreamDefinition } from '../../src/streams/types.js';

const set = v2.streams;
let sim: Simulator<'v2'>;

beforeAll(async () => {
  // `mixed`: stamps end in `Z` or `+00:00` record by record, as v2 may write them.
  sim = await startSimulator({
    api: 'v2',
    seed: 5,
    counts: { orders: 300, shipments: 250, fulfillments: 80, products: 120, users: 5, webhooks: 4 },
    rateLimit: null,
    v2DateSuffix: 'mixed',
  });
});
afterAll(async () => sim.close());

async function get(path: string, query: Record<string, string | number> = {}): Promise<unknown> {
  const search = new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]));
  const response = await fetch(`${sim.config.base_url}${path}?${search}`, {
    headers: { 'API-Key': sim.config.api_key },
  });
  expect([path, response.status]).toEqual([path, 200]);
  return response.json();
}

/** Every record of a stream: one request, or pages in the dialect's words until the total is read. */
async function readAll(def: StreamDefinition): Promise<ApiRecord[]> {
  if (def.envelope === null || def.singleRequest)
    return readEnvelope(await get(def.path, def.params), def.path, def.envelope).rows;
  const rows: ApiRecord[] = [];
  const pageSize = Math.min(100, def.maxPageSize ?? 100);
  for (let page = 1; ; page++) {
    const body = readEnvelope(
      await get(def.path, v2.listQuery({ params: def.params, page, pageSize })),
      def.path,
      def.envelope,
    );
    rows.push(...body.rows);
    if (body.rows.length < pageSize) return rows;
  }
}

/** The schema with every object level closed: a field the schema does not declare is an error. */
function closed(schema: JsonSchema): JsonSchema {
  const copy: JsonSchema = { ...schema };
  if (copy.properties) {
    copy.additionalProperties = false;
    copy.properties = Object.fromEntries(Object.entries(copy.properties).map(([k, v]) => [k, closed(v)]));
  }
  if (copy.items) copy.items = closed(copy.items);
  return copy;
}

/** Values at a dotted path (`items[].created_at`) of a record. */
function valuesAt(value: unknown, path: string[]): unknown[] {
  if (path.length === 0) return [value];
  if (value === null || typeof value !== 'object') return [];
  const [head, ...rest] = path;
  const list = head!.endsWith('[]') ? (value as ApiRecord)[head!.slice(0, -2)] : (value as ApiRecord)[head!];
  if (head!.endsWith('[]')) return Array.isArray(list) ? list.flatMap((v) => valuesAt(v, rest)) : [];
  return valuesAt(list, rest);
}

const UTC_Z = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe.each(set.streams.map((def) => [def.name, def] as const))('v2 %s', (name, def) => {
  test('every record the simulator serves validates strictly once converted, date-times UTC with Z', async () => {
    const schema = loadStreamSchema(name, 'v2');
    const ajv = await createSchemaAjv();
    const validate = ajv.compile(closed(schema));
    const convert = createDateConverter(name, schema, silentLogger, v2.dates.toUtc);
    const records = await readAll(def);
    expect(records.length).toBe([...sim.truth(name as Parameters<typeof sim.truth>[0])].length);
    expect(records.length).toBeGreaterThan(0);
    const paths = dateTimePaths(schema);
    const problems = new Set<string>();
    for (const record of records) {
      convert(record);
      if (!validate(record)) for (const e of validate.errors ?? []) problems.add(`${e.instancePath} ${e.message}`);
      for (const path of paths)
        for (const value of valuesAt(record, path.split('.')))
          if (value !== null && !(typeof value === 'string' && UTC_Z.test(value)))
            problems.add(`${path}: ${String(value)}`);
    }
    expect([...problems]).toEqual([]);

    for (const child of set.childrenOf(name)) {
      const check = ajv.compile(closed(loadStreamSchema(child.name, 'v2')));
      const rows = childRows(child, records);
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows)
        if (!check(row)) problems.add(`${child.name}${check.errors?.[0]?.instancePath} ${check.errors?.[0]?.message}`);
      // item_id is nullable: shipment and position key the rows.
      expect(new Set(rows.map((r) => `${r.shipment_id}|${r.item_index}`)).size).toBe(rows.length);
      expect([...problems]).toEqual([]);
    }
  });
});

test('the date filters of the incremental streams take every stamp inside the seconds asked for', async () => {
  for (const def of set.streams.filter((s) => s.cursors)) {
    const truth = [...sim.truth(def.name as Parameters<typeof sim.truth>[0])] as unknown as ApiRecord[];
    for (const cursor of Object.values(def.cursors!)) {
      // A second holding a stamp with a fraction: a range of that second alone must return it.
      const stamped = truth.find((r) => /\.\d+/.test(String(r[cursor.field])))!;
      const wall = v2.dates.parse(stamped[cursor.field])!;
      const second = Math.floor(wall / 1000) * 1000;
      const query = v2.listQuery({
        params: def.params,
        ranges: [{ startParam: cursor.startParam, endParam: cursor.endParam, from: second, to: second }],
        sort: { by: cursor.sortBy, dir: 'ASC' },
        page: 1,
        pageSize: 500,
      });
      const rows = readEnvelope(await get(def.path, query), def.path, def.envelope).rows;
      const key = def.primaryKey[0]!;
      expect([def.name, cursor.field, rows.some((r) => r[key] === stamped[key])]).toEqual([
        def.name,
        cursor.field,
        true,
      ]);
      const inSecond = truth.filter((r) => Math.floor(v2.dates.parse(r[cursor.field])! / 1000) * 1000 === second);
      expect(rows.map((r) => r[key]).sort()).toEqual(inSecond.map((r) => r[key]).sort());
    }
  }
});
