// The connector's configuration: validated against spec.json (the single source of truth for names,
// types and defaults), aliases resolved, and turned into one typed object.
import type { ErrorObject } from 'ajv';
import { describeAjvError, type Validator } from './ajv.js';
import { ConfigError } from './errors.js';
import type { LogLevel } from './protocol/logger.js';
import { API_HOSTS, validateBaseUrl } from './shipstation/baseUrl.js';
import { type ApiVersion, looksLikeV1Token } from './shipstation/credentials.js';
import { API_SETTINGS, V2_KEYS } from './shipstation/httpErrors.js';
import type { ShipStationClientOptions } from './shipstation/client.js';
import { config as configValidator } from './generated/validators.js';
import { readSpec } from './spec.js';

export interface Config {
  /** Which ShipStation API the key is for: it chooses the dialect (src/dialects/). */
  apiVersion: ApiVersion;
  apiKey: string;
  /** v1 only. */
  apiSecret?: string;
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
  /** Hours between full passes of the streams read newest first (products, customers); 0 = every sync. */
  fullPassHours: number;
  logLevel: LogLevel;
  validateRecords: boolean;
}

export interface ConnectorSpec {
  properties: Record<string, { default?: unknown; airbyte_secret?: boolean; pattern_descriptor?: string }>;
  required?: string[];
  [key: string]: unknown;
}

/** spec.json, compiled ahead of time. */
const validator: Validator = configValidator;

/** The client options a config sets, the same for check and read; each caller adds its own concurrency and limits. */
export function connectionOptions(
  config: Config,
): Pick<
  ShipStationClientOptions,
  | 'baseUrl'
  | 'apiVersion'
  | 'apiKey'
  | 'apiSecret'
  | 'partnerKey'
  | 'maxResponseBytes'
  | 'requestsPerMinute'
  | 'requestTimeoutMs'
  | 'maxRetryTimeMs'
> {
  return {
    baseUrl: config.baseUrl,
    apiVersion: config.apiVersion,
    apiKey: config.apiKey,
    apiSecret: config.apiSecret,
    partnerKey: config.partnerKey,
    maxResponseBytes: config.maxResponseBytes,
    requestsPerMinute: config.requestsPerMinute,
    requestTimeoutMs: config.requestTimeoutMs,
    maxRetryTimeMs: config.maxRetryMs,
  };
}

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

/**
 * Keys Airbyte itself puts into a config, which are not the user's and get no warning: all start with `__`.
 * The connector builder and the declarative-manifest runner add `__injected_declarative_manifest`,
 * `__injected_components_py` and `__injected_components_py_checksums` (airbytehq/airbyte-python-cdk,
 * airbyte_cdk/sources/declarative/parsers/custom_code_compiler.py), `__command` and `__test_read_config`
 * (airbytehq/airbyte-platform, airbyte-connector-builder-server/.../requester/AirbyteCdkRequesterImpl.java).
 */
const AIRBYTE_PREFIX = '__';

/**
 * One sentence per config key that does nothing, with the closest known key when there is one: a typo such as
 * `baseurl` would otherwise send a simulator config to the real ShipStation without a word.
 */
export function unknownFieldWarnings(raw: unknown): string[] {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return [];
  const record = raw as Record<string, unknown>;
  const known = [...Object.keys(loadSpec().properties), ...Object.keys(ALIASES)];
  const warnings: string[] = [];
  for (const key of Object.keys(record)) {
    if (key.startsWith(AIRBYTE_PREFIX)) continue;
    if (known.includes(key)) {
      const target = ALIASES[key];
      if (target !== undefined && record[target] !== undefined && record[key] !== undefined)
        warnings.push(`config field '${key}' is ignored: '${target}' is set too, and wins`);
      continue;
    }
    const near = closestKey(key, known);
    warnings.push(`unknown config field '${key}'${near ? ` (did you mean '${near}'?)` : ''}; it is ignored`);
  }
  return warnings;
}

/** Case and separators do not count (`baseURL`, `base-url`); past them, at most 2 edits and fewer than a third of the name. */
function closestKey(key: string, known: readonly string[]): string | undefined {
  const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');
  const typed = squash(key);
  let best: { name: string; distance: number } | undefined;
  for (const name of known) {
    const distance = editDistance(typed, squash(name));
    if (distance <= 2 && distance * 3 < Math.max(typed.length, 1) && (!best || distance < best.distance))
      best = { name, distance };
  }
  return best?.name;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours each cost 1. */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

export interface ParseOptions {
  /**
   * When the config is read for a check or a read (epoch ms): a start_date after it is refused, since nothing
   * would be read and the empty run's checkpoint would start the next one in the future. Unset for discover,
   * which must build a catalog from any config.
   */
  now?: number;
}

export function parseConfig(raw: unknown, options: ParseOptions = {}): Config {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ConfigError('config: must be a JSON object');
  }
  // An optional field written as null (how many UIs and Python clients write "not set") is an absent one.
  const input: Record<string, unknown> = Object.fromEntries(
    Object.entries(raw as Record<string, unknown>).filter(([, v]) => v !== null),
  );
  /** The name the user wrote for each field, so a message names what is in their file (`password`, not `api_secret`). */
  const written: Record<string, string> = {};
  for (const [alias, target] of Object.entries(ALIASES)) {
    if (input[target] === undefined && input[alias] !== undefined) {
      input[target] = input[alias];
      written[target] = alias;
    }
    delete input[alias];
  }
  const spec = loadSpec();
  if (!validator(input)) {
    const first = validator.errors?.[0];
    throw new ConfigError(first ? describeConfigError(first, spec, input) : 'config: invalid');
  }
  const value = <T>(name: string): T => (input[name] ?? spec.properties[name]?.default) as T;
  const startDate = optionalInstant(input.start_date, 'start_date');
  const endDate = optionalInstant(input.end_date, 'end_date');
  if (startDate !== undefined && endDate !== undefined && endDate <= startDate) {
    throw new ConfigError('config.end_date must be later than config.start_date');
  }
  if (startDate !== undefined && options.now !== undefined && startDate > options.now) {
    throw new ConfigError(
      `config.start_date (${String(input.start_date)}) lies in the future: nothing would be read. ` +
        'Set a date in the past, or leave it empty to read the whole history.',
    );
  }
  const apiVersion = chooseApiVersion(input, (name) => written[name] ?? name);
  checkHeaderValues(input, apiVersion, (name) => written[name] ?? name);
  if (apiVersion === 'v1') checkV1Shapes(input, (name) => written[name] ?? name);
  const baseUrl = chooseBaseUrl(input.base_url, apiVersion);
  const envLevel = process.env.LOG_LEVEL?.toUpperCase();
  const logLevel =
    (['DEBUG', 'INFO', 'WARN', 'ERROR'] as const).find((l) => l === envLevel) ?? value<LogLevel>('log_level');
  return {
    apiVersion,
    apiKey: value<string>('api_key'),
    apiSecret: apiVersion === 'v1' ? value<string>('api_secret') : undefined,
    partnerKey: value<string | undefined>('partner_key') || undefined,
    startDate,
    endDate,
    baseUrl,
    pageSize: value<number>('page_size'),
    requestsPerMinute: value<number | undefined>('requests_per_minute') ?? DEFAULT_REQUESTS_PER_MINUTE[apiVersion],
    maxConcurrency: value<number | undefined>('max_concurrency') ?? DEFAULT_IN_FLIGHT[apiVersion],
    maxParallelSlices: value<number | undefined>('max_parallel_slices') ?? DEFAULT_IN_FLIGHT[apiVersion],
    requestTimeoutMs: value<number>('request_timeout_seconds') * 1000,
    maxRetryMs: value<number>('max_retry_seconds') * 1000,
    maxResponseBytes: value<number>('max_response_mb') * 1024 * 1024,
    settleMs: value<number>('settle_seconds') * 1000,
    shipmentsLookbackDays: value<number>('shipments_lookback_days'),
    fulfillmentsLookbackDays: value<number>('fulfillments_lookback_days'),
    fullPassHours: value<number>('full_pass_hours'),
    logLevel,
    validateRecords: value<boolean>('validate_records'),
  };
}

/** ShipStation's default budgets: 40 a minute for v1 keys, 200 for API v2 keys. */
const DEFAULT_REQUESTS_PER_MINUTE: Record<ApiVersion, number> = { v1: 40, v2: 200 };

/**
 * Requests in flight and slices per stream by default: one window's budget, so the last window's requests go out
 * together when it opens (each holds at most one page in memory while it waits to be parsed).
 */
const DEFAULT_IN_FLIGHT: Record<ApiVersion, number> = { v1: 40, v2: 200 };

/**
 * The API the credentials are for: `api_version` when set, else v1 for a key with a secret and v2 for a key
 * alone. A v1 key pair is two 32-hex tokens; API v2 takes one key and no secret. Credentials of one kind given
 * for the other get one sentence naming the key that is needed and where it is made.
 */
function chooseApiVersion(input: Record<string, unknown>, nameOf: (field: string) => string): ApiVersion {
  const key = typeof input.api_key === 'string' ? input.api_key : '';
  const secret = typeof input.api_secret === 'string' ? input.api_secret.trim() : '';
  const asked = input.api_version as ApiVersion | undefined;
  if (asked === 'v1' || (asked === undefined && secret !== '')) {
    if (secret === '') {
      throw new ConfigError(
        `config.${nameOf('api_secret')} is required for api_version v1: copy the API secret shown beside the v1 API key under ${API_SETTINGS} (an API v2 key needs no secret: then set api_version to v2)`,
      );
    }
    return 'v1';
  }
  if (secret !== '') {
    throw new ConfigError(
      `config.${nameOf('api_secret')} is set, but API v2 takes one API key and no secret: leave api_secret empty for an API v2 key (made under ${V2_KEYS}), or set api_version to v1 for a v1 key and secret`,
    );
  }
  if (asked === undefined && looksLikeV1Token(key)) {
    throw new ConfigError(
      `config.${nameOf('api_secret')} is empty, but api_key has the shape of a v1 API key (32 hexadecimal characters): add the v1 API secret shown beside it under ${API_SETTINGS}, or set api_version to v2 if this is an API v2 key`,
    );
  }
  return 'v2';
}

/** base_url, or the chosen API's own address; the other API's address is refused with a sentence saying why. */
function chooseBaseUrl(raw: unknown, version: ApiVersion): string {
  if (raw === undefined || raw === '') return API_HOSTS[version];
  const url = validateBaseUrl(String(raw));
  const other: ApiVersion = version === 'v1' ? 'v2' : 'v1';
  if (url.origin === API_HOSTS[other]) {
    throw new ConfigError(
      `config.base_url ${url.origin} is the address of ShipStation's ${other === 'v1' ? 'v1 API' : 'API v2'}, but the credentials are for ${version === 'v1' ? 'the v1 API' : 'API v2'}: leave base_url empty (${API_HOSTS[version]})`,
    );
  }
  return url.href.replace(/\/+$/, '');
}

const NOT_A_DATE = 'is not a valid UTC date or date-time (YYYY-MM-DD or YYYY-MM-DDTHH:mm:ssZ)';

/**
 * How a field with a spec pattern must be written, in words: a message a person reads never shows the regex.
 * The dates read the same whichever check refuses them (the pattern here, the calendar in optionalInstant).
 */
const PATTERN_WORDS: Record<string, string> = {
  start_date: NOT_A_DATE,
  end_date: NOT_A_DATE,
  base_url: 'must be an http:// or https:// address such as https://ssapi.shipstation.com',
};

/** What each JSON type is called in a message. */
const TYPE_WORDS: Record<string, string> = {
  integer: 'a whole number',
  number: 'a number',
  string: 'text in quotes',
  boolean: 'true or false',
};

/** What a value is, in words, never the value itself (it may be a secret). */
function kindOf(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'number') return Number.isInteger(value) ? 'a whole number' : 'a number with a fraction';
  if (typeof value === 'boolean') return `${value}`;
  if (typeof value === 'string') return 'text';
  return 'an object';
}

/**
 * One plain sentence for the first thing spec.json refuses, naming the field: never a validator's phrasing or a
 * regex. Values of fields marked airbyte_secret are never quoted; the others are, since seeing them helps.
 */
function describeConfigError(error: ErrorObject, spec: ConnectorSpec, input: Record<string, unknown>): string {
  const field = error.instancePath.split('/')[1];
  if (error.keyword === 'required') {
    const missing = String(error.params.missingProperty);
    return missing === 'api_key'
      ? `config has no api_key: copy your ShipStation API key from ${API_SETTINGS} (v1: with its api_secret; API v2: the key alone)`
      : `config has no ${missing}, which is required`;
  }
  if (field === undefined || error.instancePath !== `/${field}`) return describeAjvError(error, 'config');
  const property = spec.properties[field] as ConnectorSpec['properties'][string] & {
    minimum?: number;
    maximum?: number;
    enum?: unknown[];
  };
  const secret = property?.airbyte_secret === true;
  const given = (v: unknown) => (secret ? '' : ` (given: ${JSON.stringify(v).slice(0, 60)})`);
  const where = `config.${field}`;
  const value = input[field];
  switch (error.keyword) {
    case 'type':
      return `${where} must be ${TYPE_WORDS[String(error.params.type)] ?? String(error.params.type)}, but is ${kindOf(value)}`;
    case 'minimum':
    case 'maximum':
      return `${where} must be between ${property?.minimum} and ${property?.maximum}${given(value)}`;
    case 'enum':
      return `${where} must be one of ${(property?.enum ?? []).map(String).join(', ')}${field === 'api_version' ? ', or left out to choose from the credentials' : ''}${given(value)}`;
    case 'minLength':
      return field === 'api_key'
        ? `${where} is empty: copy your ShipStation API key from ${API_SETTINGS}`
        : `${where} is empty`;
    case 'pattern':
      return `${where} ${PATTERN_WORDS[field] ?? `is not written in the form this field takes${property?.pattern_descriptor ? ` (${property.pattern_descriptor})` : ''}`}`;
    default:
      return describeAjvError(error, 'config');
  }
}

/**
 * What an HTTP header value cannot carry: control characters (line breaks, NUL, tab), DEL and anything past
 * U+00FF. undici refuses all of these but tab (its rule: [^\t\x20-\x7e\x80-\xff]) and would fail the request
 * before sending it; C1 controls (U+0080–U+009F) and tab it would send, but no pasted key holds one on purpose.
 */
const NOT_SENDABLE_IN_HEADER = /[^\x20-\x7e\xa0-\xff]/;
/** RFC 7617: Basic credentials (sent base64-encoded, so any character survives) may hold no control character. */
const CONTROL_CHARACTER = /[\x00-\x1f\x7f-\x9f]/;
/**
 * Longest value sent in a header. Servers refuse request headers past 8–16 KB in all (HTTP 431); a ShipStation key
 * is 32 characters, so anything near this is a paste of something else.
 */
const MAX_HEADER_VALUE = 4_096;

/**
 * Every config value that goes into a request header, checked before any request: a value undici refuses would
 * otherwise fail every attempt, and a control character in a credential is a paste gone wrong, never part of a
 * key. Messages name the field (as the user wrote it), never the value: these are secrets.
 */
function checkHeaderValues(
  input: Record<string, unknown>,
  version: ApiVersion,
  nameOf: (field: string) => string,
): void {
  for (const field of ['api_key', 'api_secret', 'partner_key']) {
    const value = input[field];
    if (typeof value === 'string' && value.length > MAX_HEADER_VALUE) {
      throw new ConfigError(
        `config.${nameOf(field)} is longer than ${MAX_HEADER_VALUE.toLocaleString('en-US')} characters, more than an HTTP header carries (a ShipStation key has 32); copy it again`,
      );
    }
  }
  // API v2 sends the key as it is, in its own header; v1 base64-encodes key and secret into one.
  for (const field of version === 'v2' ? ['partner_key', 'api_key'] : ['partner_key']) {
    const value = input[field];
    if (typeof value === 'string' && NOT_SENDABLE_IN_HEADER.test(value)) {
      throw new ConfigError(
        `config.${nameOf(field)} contains a line break or a character that cannot be sent in an HTTP header; copy it again without spaces or line breaks`,
      );
    }
  }
  if (version === 'v2') return;
  for (const field of ['api_key', 'api_secret']) {
    const value = input[field];
    if (typeof value !== 'string') continue;
    if (CONTROL_CHARACTER.test(value)) {
      throw new ConfigError(
        `config.${nameOf(field)} contains a line break or another control character, which HTTP Basic authentication cannot carry; copy it again without spaces or line breaks`,
      );
    }
  }
  // Basic authentication joins the two with a colon: a colon in the key would move the rest of it into the secret.
  if (typeof input.api_key === 'string' && input.api_key.includes(':')) {
    throw new ConfigError(
      `config.${nameOf('api_key')} contains a colon, which HTTP Basic authentication cannot carry in the user name (ShipStation would read the rest as the secret); copy the API key again`,
    );
  }
}

/**
 * A v1 key and secret are 32 hexadecimal characters each: anything else is a paste gone wrong (cut short, a
 * neighbouring column, an API v2 key), refused before a request with what was given in place of the value,
 * which is a secret. API v2 keys and partner_key have no published shape and are not checked.
 */
function checkV1Shapes(input: Record<string, unknown>, nameOf: (field: string) => string): void {
  for (const [field, what] of [
    ['api_key', 'a v1 API key'],
    ['api_secret', 'a v1 API secret'],
  ] as const) {
    const value = String(input[field] ?? '');
    if (looksLikeV1Token(value) && value === value.trim()) continue;
    const count = [...value].length;
    const others = /[^0-9a-f]/i.test(value);
    const spaces = /\s/.test(value) ? ' (spaces or line breaks among them)' : '';
    const shape =
      count === 32
        ? `has 32 characters, but contains characters other than 0-9 and a-f${spaces}, where ${what} has 32 hexadecimal characters`
        : `has ${count} character${count === 1 ? '' : 's'}${others ? `, some other than 0-9 and a-f${spaces},` : ''} where ${what} has 32 hexadecimal characters`;
    throw new ConfigError(
      `config.${nameOf(field)} ${shape}: copy it again from ${API_SETTINGS} (an API v2 key comes without a secret: then leave api_secret empty)`,
    );
  }
}

/** Dates the Pacific time rules are trusted for (see src/time/pacific.ts). */
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
  if (!m) throw new ConfigError(`config.${field} ${NOT_A_DATE}`);
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map((part) => Number(part ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (year < FIRST_YEAR || year > LAST_YEAR)
    throw new ConfigError(`config.${field} must lie in the years ${FIRST_YEAR}–${LAST_YEAR}: ${text}`);
  const ms = Date.UTC(year, month - 1, day, hour, minute, second) + Math.floor(Number(`0.${m[7] ?? '0'}`) * 1000);
  const d = new Date(ms);
  const real =
    d.getUTCFullYear() === year &&
    d.getUTCMonth() === month - 1 &&
    d.getUTCDate() === day &&
    d.getUTCHours() === hour &&
    d.getUTCMinutes() === minute &&
    d.getUTCSeconds() === second;
  if (!real) throw new ConfigError(`config.${field} is not a real calendar date or time: ${text}`);
  return ms;
}
