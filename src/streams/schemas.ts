// The stream JSON Schemas in schemas/, read at run time (they ship beside dist/) and cached, and the Ajv set-up
// they are checked with.
import { readFileSync } from 'node:fs';
import type { Ajv } from 'ajv';
import { createAjv } from '../ajv.js';
import { packageFile } from '../packageFiles.js';

/** The parts of a stream schema this connector reads; the files hold more (descriptions, formats). */
export type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  format?: string;
  airbyte_type?: string;
  description?: string;
  [keyword: string]: unknown;
};

/** An Ajv set up for stream schemas (createSchemaAjv). */
export type SchemaAjv = Ajv;

const cache = new Map<string, JsonSchema>();

/** A dialect's folder of schemas/: v1's streams sit at the top, v2's in `v2/` (both have a `shipments`). */
export type SchemaFolder = '' | 'v2';

/** The schema of one stream, `schemas/[<folder>/]<name>.json`; throws if there is none. */
export function loadStreamSchema(name: string, folder: SchemaFolder = ''): JsonSchema {
  const file = folder === '' ? name : `${folder}/${name}`;
  let schema = cache.get(file);
  if (!schema) {
    if (!/^[a-z_]+$/.test(name) || (folder !== '' && folder !== 'v2')) throw new Error(`not a stream name: '${file}'`);
    const text = readFileSync(packageFile(`schemas/${file}.json`), 'utf8');
    schema = JSON.parse(text) as JsonSchema;
    cache.set(file, schema);
  }
  return schema;
}

/**
 * Ajv for stream schemas and records: strict mode, formats (date-time, date), and the Airbyte annotation
 * keywords (airbyte_type, airbyte_secret, airbyte_hidden, order) declared rather than tolerated.
 * `examples` is a standard draft-07 annotation and needs no declaration.
 */
export function createSchemaAjv(): Promise<Ajv> {
  return createAjv();
}
