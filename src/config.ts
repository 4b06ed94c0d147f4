// The connector's configuration: validated against spec.json (the single source of truth for names,
// types and defaults), aliases resolved, and turned into one typed object.
import { describeAjvError, type Validator } from './ajv.js';
import { ConfigError } from './errors.js';
import type { LogLevel } from './protocol/logger.js';
import { validateBaseUrl } from './shipstation/baseUrl.js';
import { config as configValidator } from './generated/validators.js';
import { readSpec } from './spec.js';

export interface Config {
  apiKey: string;
  apiSecret: string;
  /** Sent as the x-partner header (accounts on a higher API tier); undefined = not sent. */
  partnerKey?: string;
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
  /** A response body past this size is abandoned (transient failure). */
  maxResponseBytes: number;
  /** How far before the server's clock an incremental window ends. */
  settleMs: number;
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

/** spec.json, compiled ahead of time. */
const validator: Validator = configValidator;

export function loadSpec(): ConnectorSpec {
  return readSpec() as ConnectorSpec;
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
  // An optional field written as null (how many UIs and Python clients write "not set") is an absent one.
  const input: Record<string, unknown> = Object.fromEntries(Object.entries(raw as Record<string, unknown>).filter(([, v]) => v !== null));
  for (const [alias, target] of Object.entries(ALIASES)) {
    if (input[target] === undefined && input[alias] !== undefined) input[target] = input[alias];
    delete input[alias];
  }
  const spec = loadSpec();
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
    partnerKey: value<string | undefined>('partner_key') || undefined,
    startDate,
    endDate,
    baseUrl,
    pageSize: value<number>('page_size'),
    requestsPerMinute: value<number>('requests_per_minute'),
    maxConcurrency: value<number>('max_concurrency'),
    maxParallelSlices: value<number>('max_parallel_slices'),
    requestTimeoutMs: value<number>('request_timeout_seconds') * 1000,
    maxRetryMs: value<number>('max_retry_seconds') * 1000,
    maxResponseBytes: value<number>('max_response_mb') * 1024 * 1024,
    settleMs: value<number>('settle_seconds') * 1000,
    shipmentsLookbackDays: value<number>('shipments_lookback_days'),
    fulfillmentsLookbackDays: value<number>('fulfillments_lookback_days'),
    logLevel,
    validateRecords: value<boolean>('validate_records'),
  };
}

/** Dates the Pacific time rules are trusted for (see src/shipstation/time.ts). */
const FIRST_YEAR = 1900;
const LAST_YEAR = 9999;

/**
 * A UTC date or date-time (shape already checked by the spec's pattern) as epoch ms. Date.parse would roll an
 * impossible day over (2024-02-30 → March 1), so every field is read and checked against the calendar.
 */
function optionalInstant(value: unknown, field: string): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const text = String(value);
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?Z)?$/.exec(text);
  if (!m) throw new ConfigError(`config.${field} is not a valid UTC date or date-time (YYYY-MM-DD or YYYY-MM-DDTHH:mm:ssZ)`);
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map((part) => Number(part ?? 0)) as [number, number, number, number, number, number];
  if (year < FIRST_YEAR || year > LAST_YEAR) throw new ConfigError(`config.${field} must lie in the years ${FIRST_YEAR}–${LAST_YEAR}: ${text}`);
  const ms = Date.UTC(year, month - 1, day, hour, minute, second) + Math.floor(Number(`0.${m[7] ?? '0'}`) * 1000);
  const d = new Date(ms);
  const real =
    d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day && d.getUTCHours() === hour && d.getUTCMinutes() === minute && d.getUTCSeconds() === second;
  if (!real) throw new ConfigError(`config.${field} is not a real calendar date or time: ${text}`);
  return ms;
}
