// A stream's JSON Schema → typed DuckDB columns, and the strict conversion of a JSON value to its column's
// type. A value that does not fit (a string in an integer column, 1.5 in a BIGINT, an impossible date) is never
// coerced or dropped: the caller keeps it in the extras column and counts it.

export type ColumnType = 'TIMESTAMPTZ' | 'DATE' | 'BIGINT' | 'DOUBLE' | 'BOOLEAN' | 'VARCHAR' | 'JSON';

export interface Column {
  /** The property name in the records, also the column name (quoted). */
  name: string;
  type: ColumnType;
}

/** Columns every stream table carries after its schema's own. */
export const EXTRACTED_AT = '_airbyte_extracted_at';
export const EXTRAS = '_airbyte_extras';
const RESERVED = new Set([EXTRACTED_AT, EXTRAS].map((n) => n.toLowerCase()));

type JsonSchema = { type?: unknown; format?: unknown; airbyte_type?: unknown; properties?: unknown };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The column type for one property schema: one non-null JSON type maps to a scalar; anything else is JSON. */
export function columnType(schema: unknown): ColumnType {
  if (!isObject(schema)) return 'JSON';
  const s = schema as JsonSchema;
  const declared = Array.isArray(s.type) ? s.type : s.type === undefined ? [] : [s.type];
  const types = declared.filter((t) => t !== 'null');
  if (types.length !== 1) return 'JSON';
  switch (types[0]) {
    case 'string':
      if (s.format === 'date-time' || s.airbyte_type === 'timestamp_with_timezone') return 'TIMESTAMPTZ';
      if (s.format === 'date' || s.airbyte_type === 'date') return 'DATE';
      return 'VARCHAR';
    case 'integer':
      return 'BIGINT';
    case 'number':
      return s.airbyte_type === 'integer' ? 'BIGINT' : 'DOUBLE';
    case 'boolean':
      return 'BOOLEAN';
    default:
      return 'JSON';
  }
}

/**
 * One column per top-level property. DuckDB column names are case-insensitive: a property whose name differs
 * from an earlier one (or from the `_airbyte_` columns) only by case gets no column; its values go to extras.
 */
export function columnsOf(jsonSchema: unknown): Column[] {
  const properties = isObject(jsonSchema) && isObject(jsonSchema.properties) ? jsonSchema.properties : {};
  const seen = new Set(RESERVED);
  const columns: Column[] = [];
  for (const [name, schema] of Object.entries(properties)) {
    const folded = name.toLowerCase();
    if (seen.has(folded)) continue;
    seen.add(folded);
    columns.push({ name, type: columnType(schema) });
  }
  return columns;
}

/** Marks a value that does not fit its column. */
export const MISFIT: unique symbol = Symbol('misfit');

/** A converted value: what the appender gets for the column (null = SQL NULL), or MISFIT. */
export type Converted = bigint | number | boolean | string | null | typeof MISFIT;

const MAX_BIGINT = 2 ** 63;
const DAY_MS = 86_400_000;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Digits of text[from, from + count) as a number, or -1 when any is not a digit. */
function digits(text: string, from: number, count: number): number {
  let n = 0;
  for (let i = from; i < from + count; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return count > 0 ? n : -1;
}

function validDay(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const leap = m === 2 && y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  return d <= DAYS_IN_MONTH[m - 1]! + (leap ? 1 : 0);
}

/** Epoch milliseconds of `YYYY-MM-DD`, or undefined. Years 0000-9999. */
function dayMs(text: string): number | undefined {
  if (text.length < 10 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return undefined;
  const y = digits(text, 0, 4);
  const m = digits(text, 5, 2);
  const d = digits(text, 8, 2);
  if (y < 0 || m < 0 || d < 0 || !validDay(y, m, d)) return undefined;
  if (y >= 100) return Date.UTC(y, m - 1, d);
  // Date.UTC reads years 0-99 as 1900-1999.
  const early = new Date(0);
  early.setUTCFullYear(y, m - 1, d);
  return early.getTime();
}

/**
 * Epoch microseconds of an ISO 8601 date-time `YYYY-MM-DD[T ]HH:MM[:SS[.fraction]][Z|±HH[:]MM]`; no offset
 * means UTC (Airbyte's rule for timestamp_with_timezone). Digits past the microsecond are truncated
 * (TIMESTAMPTZ holds microseconds). Parsed by hand: this runs for every date-time of every record.
 */
export function parseTimestampMicros(text: string): bigint | undefined {
  const day = dayMs(text);
  const sep = text.charCodeAt(10);
  if (day === undefined || (sep !== 84 && sep !== 116 && sep !== 32) || text.charCodeAt(13) !== 58) return undefined;
  const h = digits(text, 11, 2);
  const mi = digits(text, 14, 2);
  if (h < 0 || h > 23 || mi < 0 || mi > 59) return undefined;
  let i = 16;
  let s = 0;
  let micros = 0;
  if (text.charCodeAt(i) === 58) {
    s = digits(text, i + 1, 2);
    if (s < 0 || s > 59) return undefined;
    i += 3;
    if (text.charCodeAt(i) === 46) {
      let n = 0;
      while (digits(text, i + 1 + n, 1) >= 0) n++;
      if (n === 0 || n > 9) return undefined;
      micros = n >= 6 ? digits(text, i + 1, 6) : digits(text, i + 1, n) * 10 ** (6 - n);
      i += 1 + n;
    }
  }
  let offsetMinutes = 0;
  const zone = text.slice(i);
  if (zone === 'Z' || zone === 'z') {
    offsetMinutes = 0;
  } else if (zone !== '') {
    const sign = zone.charCodeAt(0) === 43 ? 1 : zone.charCodeAt(0) === 45 ? -1 : 0;
    const rest = zone.slice(1).replace(':', '');
    const oh = digits(rest, 0, 2);
    const om = rest.length === 2 ? 0 : rest.length === 4 ? digits(rest, 2, 2) : -1;
    if (sign === 0 || oh < 0 || oh > 23 || om < 0 || om > 59) return undefined;
    offsetMinutes = sign * (oh * 60 + om);
  }
  const ms = day + h * 3_600_000 + mi * 60_000 + s * 1000 - offsetMinutes * 60_000;
  return BigInt(ms) * 1000n + BigInt(micros);
}

/** Days since 1970-01-01 of a calendar date `YYYY-MM-DD`. */
export function parseDateDays(text: string): number | undefined {
  if (text.length !== 10) return undefined;
  const ms = dayMs(text);
  return ms === undefined ? undefined : ms / DAY_MS;
}

/** Strict conversion: only the JSON type the column declares is accepted (no string → number, no rounding). */
export function convert(type: ColumnType, value: unknown): Converted {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'VARCHAR':
      return typeof value === 'string' ? value : MISFIT;
    case 'BIGINT':
      return typeof value === 'number' && Number.isInteger(value) && value >= -MAX_BIGINT && value < MAX_BIGINT ? BigInt(value) : MISFIT;
    case 'DOUBLE':
      return typeof value === 'number' ? value : MISFIT;
    case 'BOOLEAN':
      return typeof value === 'boolean' ? value : MISFIT;
    case 'TIMESTAMPTZ':
      return (typeof value === 'string' ? parseTimestampMicros(value) : undefined) ?? MISFIT;
    case 'DATE':
      return (typeof value === 'string' ? parseDateDays(value) : undefined) ?? MISFIT;
    case 'JSON':
      return JSON.stringify(value);
  }
}
