// A stream's JSON Schema → typed DuckDB columns, and whether a JSON value fits its column's type. A value that
// does not fit (a string in an integer column, 1.5 in a BIGINT, an impossible date) is never coerced or dropped:
// the caller keeps it in the extras column and counts it.

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

const MAX_BIGINT = 2 ** 63;
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

/** `YYYY-MM-DD` at the start of text is a real calendar day (leap years checked). */
function validDay(text: string): boolean {
  if (text.length < 10 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return false;
  const y = digits(text, 0, 4);
  const m = digits(text, 5, 2);
  const d = digits(text, 8, 2);
  if (y < 0 || m < 1 || m > 12 || d < 1) return false;
  const leap = m === 2 && y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  return d <= DAYS_IN_MONTH[m - 1]! + (leap ? 1 : 0);
}

/** A calendar date `YYYY-MM-DD`. */
export function isDate(text: string): boolean {
  return text.length === 10 && validDay(text);
}

/**
 * An ISO 8601 date-time `YYYY-MM-DD[T ]HH:MM:SS[.fraction][Z|±HH[[:]MM]]`: the forms DuckDB's cast to
 * TIMESTAMPTZ reads the same way (no offset = UTC, the session's zone; digits past the microsecond truncated).
 * Lower-case t/z and times without seconds are not among them, so they are kept aside rather than guessed.
 * Checked by hand: this runs for every date-time of every record.
 */
export function isTimestamp(text: string): boolean {
  const sep = text.charCodeAt(10);
  if (
    text.length < 19 ||
    !validDay(text) ||
    (sep !== 84 && sep !== 32) ||
    text.charCodeAt(13) !== 58 ||
    text.charCodeAt(16) !== 58
  )
    return false;
  const h = digits(text, 11, 2);
  const mi = digits(text, 14, 2);
  const s = digits(text, 17, 2);
  if (h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 59) return false;
  let i = 19;
  if (text.charCodeAt(i) === 46) {
    let n = 0;
    while (digits(text, i + 1 + n, 1) >= 0) n++;
    if (n === 0 || n > 9) return false;
    i += 1 + n;
  }
  if (i === text.length) return true;
  if (text.charCodeAt(i) === 90) return i + 1 === text.length;
  const sign = text.charCodeAt(i);
  if (sign !== 43 && sign !== 45) return false;
  const rest = text.slice(i + 1);
  const oh = digits(rest, 0, 2);
  if (oh < 0 || oh > 23) return false;
  if (rest.length === 2) return true;
  const om =
    rest.length === 4 ? digits(rest, 2, 2) : rest.length === 5 && rest.charCodeAt(2) === 58 ? digits(rest, 3, 2) : -1;
  return om >= 0 && om <= 59;
}

/**
 * Strict typing: a value fits its column only as the JSON type the column declares (no string → number, no
 * rounding, only real dates); null fits every column (SQL NULL). A value that does not fit is kept in the extras.
 */
export function fits(type: ColumnType, value: unknown): boolean {
  if (value === null) return true;
  switch (type) {
    case 'VARCHAR':
      return typeof value === 'string';
    case 'BIGINT':
      return typeof value === 'number' && Number.isInteger(value) && value >= -MAX_BIGINT && value < MAX_BIGINT;
    case 'DOUBLE':
      return typeof value === 'number';
    case 'BOOLEAN':
      return typeof value === 'boolean';
    case 'TIMESTAMPTZ':
      return typeof value === 'string' && isTimestamp(value);
    case 'DATE':
      return typeof value === 'string' && isDate(value);
    case 'JSON':
      return true;
  }
}
