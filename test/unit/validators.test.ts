// The config and catalog validators compiled ahead of time (src/generated/validators.ts) must judge exactly as
// the run-time Ajv set-up (src/ajv.ts) compiling the same schemas: same verdicts, same first error. Their
// freshness against spec.json and the protocol schema is checked with the generated types (packaging.test.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { createAjv, type Validator } from '../../src/ajv.js';
import { config, configuredCatalog } from '../../src/generated/validators.js';
import { ROOT } from '../helpers/cli.js';

const runtimeAjv = await createAjv();

const json = (path: string): unknown => JSON.parse(readFileSync(join(ROOT, path), 'utf8'));

function runtime(): { config: Validator; catalog: Validator } {
  const ajv = runtimeAjv;
  const protocol = json('protocol/airbyte_protocol.json') as { $id: string };
  ajv.addSchema(protocol);
  return {
    config: ajv.compile(json('spec.json') as object),
    catalog: ajv.getSchema(`${protocol.$id}#/definitions/ConfiguredAirbyteCatalog`)!,
  };
}

function verdict(validate: Validator, input: unknown) {
  const ok = validate(input);
  return {
    ok,
    first: ok
      ? null
      : {
          path: validate.errors?.[0]?.instancePath,
          keyword: validate.errors?.[0]?.keyword,
          message: validate.errors?.[0]?.message,
        },
  };
}

const configs: unknown[] = [
  json('examples/config.json'),
  { api_key: 'k', api_secret: 's' },
  { api_key: 'k' },
  { api_key: 'k', api_secret: 's', page_size: 501 },
  { api_key: 'k', api_secret: 's', page_size: '500' },
  { api_key: 'k', api_secret: 's', start_date: '2024-01-01' },
  { api_key: 'k', api_secret: 's', start_date: '2024-01-01T00:00:00.123Z' },
  { api_key: 'k', api_secret: 's', start_date: 'yesterday' },
  { api_key: 'k', api_secret: 's', base_url: 'ftp://x' },
  { api_key: 'k', api_secret: 's', log_level: 'TRACE' },
  { api_key: 'k', api_secret: 's', validate_records: 1 },
  { api_key: 'k', api_secret: 's', something_new: true },
  { api_key: '', api_secret: 's' },
  [],
  null,
];

const stream = (name: string, extra: Record<string, unknown> = {}) => ({
  stream: { name, json_schema: {}, supported_sync_modes: ['full_refresh', 'incremental'] },
  sync_mode: 'incremental',
  destination_sync_mode: 'append_dedup',
  ...extra,
});
const catalogs: unknown[] = [
  json('examples/configured_catalog.json'),
  { streams: [] },
  { streams: [stream('orders', { cursor_field: ['modifyDate'] })] },
  { streams: [stream('orders', { sync_mode: 'sometimes' })] },
  { streams: [stream('orders', { destination_sync_mode: undefined })] },
  { streams: [{ stream: { name: 'orders' }, sync_mode: 'full_refresh', destination_sync_mode: 'overwrite' }] },
  { streams: [stream('orders', { cursor_field: 'modifyDate' })] },
  { streams: 'orders' },
  {},
];

describe('ahead-of-time validators judge as the run-time Ajv set-up', () => {
  const live = runtime();
  test.each(configs.map((c) => [JSON.stringify(c)?.slice(0, 80), c]))('config %s', (_name, input) => {
    expect(verdict(config as Validator, input)).toEqual(verdict(live.config, input));
  });
  test.each(catalogs.map((c) => [JSON.stringify(c)?.slice(0, 80), c]))('catalog %s', (_name, input) => {
    expect(verdict(configuredCatalog as Validator, input)).toEqual(verdict(live.catalog, input));
  });
  test('both accept the examples and reject the broken inputs above', () => {
    // A key alone is valid since API v2 (which key kind it is, config.ts decides).
    expect(configs.filter((c) => (config as Validator)(c))).toHaveLength(6);
    expect(catalogs.filter((c) => (configuredCatalog as Validator)(c))).toHaveLength(3);
  });
});
