// The connector's configuration: validated against spec.json (the single source of truth for names,
// types and defaults), aliases resolved, and turned into one typed object.
import { readFileSync } from 'node:fs';
import type { ValidateFunction } from 'ajv';
import { createAjv, describeAjvError } from './ajv.js';
import { ConfigError } from './errors.js';
import type { LogLevel } from './protocol/logger.js';
import { validateBaseUrl } from './shipstation/baseUrl.js';

export interface Config {
  apiKey: string;
  apiSecret: string;
  /** UTC instants (ms) bounding incremental streams; undefined = unbounded. */
  startDate?: number;
  endDate?: number;
  baseUrl: string;
  pageSize: number;
  requestsPerMinute: number;
  maxConcurrency: number;
  maxParallelSlices: number;
  requestTimeoutMs: number;
  maxRetryMs: number;
  shipmentsLookbackDays: number;
  fulfillmentsLookbackDays: number;
  logLevel: LogLevel;
  validateRecords: boolean;
}

export interface ConnectorSpec {
  properties: Record<string, { default?: unknown; airbyte_secret?: boolean }>;
  required?: string[];
  [key: string]: unknown;
}

let specCache: ConnectorSpec | undefined;
let validator: ValidateFunction | undefined;

/** spec.json sits at the package root: `../spec.json` from both src/ (tests) and dist/ (runtime). */
export function loadSpec(): ConnectorSpec {
  specCache ??= JSON.parse(readFileSync(new URL('../spec.json', import.meta.url), 'utf8')) as ConnectorSpec;
  return specCache;
}

/** Airbyte's own ShipStation connector names the credentials username/password; accept them as aliases. */
const ALIASES: Record<string, string> = { username: 'api_key', password: 'api_secret' };

/** The secret values of a raw config, by the spec's airbyte_secret marks and the aliases, for redaction. */
export function secretValues(raw: unknown): string[] {
  if (typeof raw !== 'object' || raw === null) return [];
  const record = raw as Record<string, unknown>;
  const spec = loadSpec();
  const names = Object.entries(spec.properties)
    .filter(([, p]) => p.airbyte_secret === true)
    .map(([name]) => name);
  for (const [alias, target] of Object.entries(ALIASES)) if (names.includes(target)) names.push(alias);
  return names.map((n) => record[n]).filter((v): v is string => typeof v === 'string');
}

export function parseConfig(raw: unknown): Config {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ConfigError('config: must be a JSON object');
  }
  const input: Record<string, unknown> = { ...(raw as Record<string, unknown>) };
  for (const [alias, target] of Object.entries(ALIASES)) {
    if (input[target] === undefined && input[alias] !== undefined) input[target] = input[alias];
    delete input[alias];
  }
  const spec = loadSpec();
  validator ??= createAjv().compile(spec);
  if (!validator(input)) {
    const first = validator.errors?.[0];
    throw new ConfigError(first ? describeAjvError(first, 'config') : 'config: invalid');
  }
  const value = <T>(name: string): T => (input[name] ?? spec.properties[name]?.default) as T;
  const startDate = optionalInstant(input.start_date, 'start_date');
  const endDate = optionalInstant(input.end_date, 'end_date');
  if (startDate !== undefined && endDate !== undefined && endDate <= startDate) {
    throw new ConfigError('config.end_date must be later than config.start_date');
  }
  const baseUrl = validateBaseUrl(value<string>('base_url')).href.replace(/\/+$/, '');
  const envLevel = process.env.LOG_LEVEL?.toUpperCase();
  const logLevel = (['DEBUG', 'INFO', 'WARN', 'ERROR'] as const).find((l) => l === envLevel) ?? value<LogLevel>('log_level');
  return {
    apiKey: value<string>('api_key'),
    apiSecret: value<string>('api_secret'),
    startDate,
    endDate,
    baseUrl,
    pageSize: value<number>('page_size'),
    requestsPerMinute: value<number>('requests_per_minute'),
    maxConcurrency: value<number>('max_concurrency'),
    maxParallelSlices: value<number>('max_parallel_slices'),
    requestTimeoutMs: value<number>('request_timeout_seconds') * 1000,
    maxRetryMs: value<number>('max_retry_seconds') * 1000,
    shipmentsLookbackDays: value<number>('shipments_lookback_days'),
    fulfillmentsLookbackDays: value<number>('fulfillments_lookback_days'),
    logLevel,
    validateRecords: value<boolean>('validate_records'),
  };
}

function optionalInstant(value: unknown, field: string): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const text = String(value);
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text);
  if (Number.isNaN(ms)) throw new ConfigError(`config.${field} is not a valid UTC date or date-time: ${text}`);
  return ms;
}
