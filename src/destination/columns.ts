// A stream's JSON Schema → typed DuckDB columns, and whether a value's JSON text fits its column exactly. A value
// that does not (a string in an integer column, 1.5 in a BIGINT, an impossible date, more digits than a double
// holds) is never coerced, rounded or dropped: the caller keeps its text in the extras column and counts it.
import { decimalKey, exactAsDouble, FALSE, type Member, NULL, NUMBER, STRING, stringOf, TRUE } from './jsonText.js';

/** Exact decimals: precision 18 (DuckDB stores them in 64 bits), the scale from the schema. */
export type DecimalType = `DECIMAL(18,${number})`;
export type ColumnType = 'TIMESTAMPTZ' | 'DATE' | 'BIGINT' | 'DOUBLE' | DecimalType | 'BOOLEAN' | 'VARCHAR' | 'JSON';

export interface Column {
  /** The property name in the records, also the column name (quoted). */
  name: string;
  type: ColumnType;
}

/** Columns every stream table carries after its schema's own. */
export const EXTRACTED_AT = '_airbyte_extracted_at';
export const EXTRAS = '_airbyte_extras';
/** Names the destination keeps for itself (Airbyte's convention): a property named so gets no column. */
export const RESERVED_PREFIX = '_airbyte_';
export const DECIMAL_PRECISION = 18;
/** The most decimal places a `decimal_places` annotation may ask for. */
export const MAX_SCALE = 12;

type JsonSchema = {
  type?: unknown;
  format?: unknown;
  airbyte_type?: unknown;
  decimal_places?: unknown;
  properties?: unknown;
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The scale of a DECIMAL column type, or -1 for any other type. */
export function scaleOf(type: ColumnType): number {
  return type.startsWith('DECIMAL(') ? Number(type.slice(type.indexOf(',') + 1, -1)) : -1;
}

/**
 * The column type for one property schema: one non-null JSON type maps to a scalar; anything else is JSON. A
 * number annotated `decimal_places: N` (money, in the connector's schemas) is an exact DECIMAL with N places.
 */
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
    case 'number': {
      if (s.airbyte_type === 'integer') return 'BIGINT';
      const places = s.decimal_places;
      if (typeof places === 'number' && Number.isInteger(places) && places >= 0 && places <= MAX_SCALE)
        return `DECIMAL(${DECIMAL_PRECISION},${places})`;
      return 'DOUBLE';
    }
    case 'boolean':
      return 'BOOLEAN';
    default:
      return 'JSON';
  }
}

/** A property name a column can carry: not empty, no NUL (DuckDB refuses both), not one of ours. */
export const usableName = (name: string): boolean =>
  name !== '' && !name.includes('\u0000') && !name.toLowerCase().startsWith(RESERVED_PREFIX);

/**
 * One column per top-level property. DuckDB column names are case-insensitive: a property whose name differs
 * from an earlier one only by case gets no column, nor does one whose name is not usable; their values go to
 * the extras.
 */
export function columnsOf(jsonSchema: unknown): Column[] {
  const properties = isObject(jsonSchema) && isObject(jsonSchema.properties) ? jsonSchema.properties : {};
  const seen = new Set<string>();
  const columns: Column[] = [];
  for (const [name, schema] of Object.entries(properties)) {
    const folded = name.toLowerCase();
    if (seen.has(folded) || !usableName(name)) continue;
    seen.add(folded);
    columns.push({ name, type: columnType(schema) });
  }
  return columns;
}

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
 * TIMESTAMPTZ reads the same way (no offset = UTC, the session's zone). DuckDB keeps microseconds: a fraction
 * with non-zero digits past the sixth would be cut, so it does not fit. Lower-case t/z and times without seconds
 * are not among them either, so they are kept aside rather than guessed. Checked by hand: this runs for every
 * date-time of every record.
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
    while (digits(text, i + 1 + n, 1) >= 0) {
      if (n >= 6 && text.charCodeAt(i + 1 + n) !== 48) return false;
      n++;
    }
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

/** How a value goes into its column. */
export const DIRECT = 0;
/**
 * Exactly, but only as text cast in SQL: DuckDB reads a JSON number into a DECIMAL through a double, and prints
 * long numbers in a JSON value back differently; a cast from text keeps either as written.
 */
export const AS_TEXT = 1;
export const MISFIT = 2;
export type Fit = typeof DIRECT | typeof AS_TEXT | typeof MISFIT;

const INT64_MAX = '9223372036854775807';
const INT64_MIN = '9223372036854775808';

/** Integers DuckDB reads into a BIGINT as written: plain ones in range; others (1.0, 1e2) only below 2^53. */
function fitsBigint(m: Member, raw: Buffer): boolean {
  if (m.plain) {
    if (m.intDigits < 19) return true;
    if (m.intDigits > 19) return false;
    const negative = raw[m.start] === 45;
    return raw.toString('latin1', m.end - 19, m.end) <= (negative ? INT64_MIN : INT64_MAX);
  }
  const text = raw.toString('latin1', m.start, m.end);
  return Number.isSafeInteger(Number(text)) && exactAsDouble(text);
}

/** Numbers a double holds exactly: up to 15 significant digits always; longer ones are checked. */
function fitsDouble(m: Member, raw: Buffer): boolean {
  if (!m.long && (!m.plain || m.intDigits <= 15)) return true;
  return exactAsDouble(raw.toString('latin1', m.start, m.end));
}

/**
 * A DECIMAL(18,s) holds up to s places and 18 - s integer digits. DuckDB reads a JSON number into one through a
 * double, which is exact while the value times 10^s stays under 10^15 (a test checks it against DuckDB); past
 * that the value goes as text.
 */
function fitsDecimal(m: Member, raw: Buffer, scale: number): Fit {
  let intDigits = m.intDigits;
  let places = m.fracDigits;
  if (m.exponent) {
    const key = decimalKey(raw.toString('latin1', m.start, m.end));
    if (key === '0') return DIRECT;
    const [significand, power] = key.replace(/^-/, '').split('e') as [string, string];
    intDigits = Math.max(0, Number(power));
    places = Math.max(0, significand.length - Number(power));
  }
  if (places > scale || intDigits > DECIMAL_PRECISION - scale) return MISFIT;
  return intDigits + scale <= 15 ? DIRECT : AS_TEXT;
}

/** Whether a member of `record.data` (its JSON text in `raw`) fits a column of this type, and how. */
export function fitting(type: ColumnType, m: Member, raw: Buffer): Fit {
  if (m.kind === NULL) return DIRECT;
  switch (type) {
    case 'VARCHAR':
      return m.kind === STRING ? DIRECT : MISFIT;
    case 'BOOLEAN':
      return m.kind === TRUE || m.kind === FALSE ? DIRECT : MISFIT;
    case 'JSON':
      // DuckDB's JSON reader would print a long number back differently: such a value goes as text, kept as is.
      return m.long ? AS_TEXT : DIRECT;
    case 'BIGINT':
      return m.kind === NUMBER && fitsBigint(m, raw) ? DIRECT : MISFIT;
    case 'DOUBLE':
      return m.kind === NUMBER && fitsDouble(m, raw) ? DIRECT : MISFIT;
    case 'TIMESTAMPTZ':
      return m.kind === STRING && isTimestamp(dateText(m, raw)) ? DIRECT : MISFIT;
    case 'DATE':
      return m.kind === STRING && isDate(dateText(m, raw)) ? DIRECT : MISFIT;
    default:
      return m.kind === NUMBER ? fitsDecimal(m, raw, scaleOf(type)) : MISFIT;
  }
}

/** A date string's text: its bytes as Latin-1 (a date is ASCII; anything else fails the check anyway). */
const dateText = (m: Member, raw: Buffer) =>
  m.escaped ? stringOf(raw, m) : raw.toString('latin1', m.start + 1, m.end - 1);
