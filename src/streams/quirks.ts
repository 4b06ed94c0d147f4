// Values ShipStation sends that contradict a field's declared type, and the one value each becomes, so a typed
// destination loads every record without casts. The list is data: each field's schema declares the clean type
// and its description carries the quirk's note (a test keeps the two in step); the README's Streams section lists
// them for people.
import type { Logger } from '../protocol/logger.js';
import type { JsonSchema } from './schemas.js';

type JsonObject = Record<string, unknown>;

/** The declared-type value for a quirk value; undefined when there is no lossless one (the value then passes). */
type Fix = (value: unknown) => { value: unknown } | undefined;

export interface Quirk {
  stream: string;
  /** Dotted path of object fields from the record (`shipTo.residential`). */
  path: string;
  /** The quirk values, and what they become, for the schema description and the README. */
  seen: string;
  becomes: string;
  fix: Fix;
}

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

const emptyStringToList: Fix = (v) => (v === '' ? { value: [] } : undefined);

const stringToBoolean: Fix = (v) => {
  if (typeof v !== 'string') return undefined;
  const text = v.trim().toLowerCase();
  if (text === '') return { value: null };
  return text === 'true' || text === 'false' ? { value: text === 'true' } : undefined;
};

const stringToInteger: Fix = (v) => {
  if (typeof v !== 'string') return undefined;
  const text = v.trim();
  if (text === '') return { value: null };
  return /^-?\d+$/.test(text) && Number.isSafeInteger(Number(text)) ? { value: Number(text) } : undefined;
};

/** A list of at most one object is that object (or null); a longer list has no lossless object form. */
const singletonListToObject: Fix = (v) => {
  if (!Array.isArray(v) || v.length > 1) return undefined;
  if (v.length === 0) return { value: null };
  return isObject(v[0]) ? { value: v[0] } : undefined;
};

const EMPTY_LIST = { seen: '""', becomes: '[]', fix: emptyStringToList };
const BOOLEAN = { seen: '"" or "true"/"false"', becomes: 'null or the boolean', fix: stringToBoolean };
const residential = (stream: string, address: string): Quirk => ({
  stream,
  path: `${address}.residential`,
  ...BOOLEAN,
});

/** ShipStation v1's quirks (API v2 has none known). */
export const QUIRKS: readonly Quirk[] = [
  { stream: 'customers', path: 'tags', ...EMPTY_LIST },
  { stream: 'products', path: 'tags', ...EMPTY_LIST },
  { stream: 'stores', path: 'statusMappings', ...EMPTY_LIST },
  {
    stream: 'products',
    path: 'productCategory',
    seen: 'a list of one category',
    becomes: 'that category (an empty list: null)',
    fix: singletonListToObject,
  },
  residential('orders', 'billTo'),
  residential('orders', 'shipTo'),
  residential('shipments', 'shipTo'),
  residential('fulfillments', 'shipTo'),
  residential('warehouses', 'originAddress'),
  residential('warehouses', 'returnAddress'),
  { stream: 'warehouses', path: 'registerFedexMeter', ...BOOLEAN },
  {
    stream: 'warehouses',
    path: 'sellerIntegrationId',
    seen: '"" or a number as text',
    becomes: 'null or the number',
    fix: stringToInteger,
  },
];

/** The sentence a quirk field's schema description carries. */
export function quirkNote(quirk: Quirk): string {
  return `ShipStation sometimes sends ${quirk.seen} here; the connector emits ${quirk.becomes}.`;
}

/** The schema of a dotted object path, if declared. */
export function schemaAt(schema: JsonSchema, path: string): JsonSchema | undefined {
  let at: JsonSchema | undefined = schema;
  for (const key of path.split('.')) at = at?.properties?.[key];
  return at;
}

/** The JSON types a schema declares besides null. */
export function declaredTypes(schema: JsonSchema): string[] {
  const type = schema.type;
  return (Array.isArray(type) ? type : type === undefined ? [] : [type]).filter((t) => t !== 'null');
}

function hasDeclaredType(value: unknown, types: string[]): boolean {
  if (value === null) return true;
  const actual = Array.isArray(value)
    ? 'array'
    : typeof value === 'number'
      ? Number.isInteger(value)
        ? 'integer'
        : 'number'
      : typeof value;
  return types.includes(actual) || (actual === 'integer' && types.includes('number'));
}

/**
 * Returns a function that rewrites one record of `stream` in place: each listed quirk value becomes its declared
 * type. One line per field for the life of the function (a sync): INFO when a listed quirk was normalised (it is
 * ShipStation's normal behaviour, nothing for a person to act on), WARN when a value passed unchanged.
 */
export function createQuirkNormalizer(
  stream: string,
  schema: JsonSchema,
  logger: Logger,
  /** The dialect's quirks (its StreamSet's). */
  quirks: readonly Quirk[],
): (record: JsonObject) => void {
  const fields = quirks
    .filter((q) => q.stream === stream)
    .map((quirk) => {
      const declared = schemaAt(schema, quirk.path);
      if (!declared) throw new Error(`quirk ${stream}.${quirk.path} is not in the stream schema`);
      const keys = quirk.path.split('.');
      return { quirk, types: declaredTypes(declared), parents: keys.slice(0, -1), key: keys.at(-1)! };
    });
  if (fields.length === 0) return () => {};
  const reported = new Set<string>();
  const reportOnce = (level: 'info' | 'warn', path: string, message: string): void => {
    if (reported.has(`${level} ${path}`)) return;
    reported.add(`${level} ${path}`);
    logger[level](`${stream}: ${path} ${message} (reported once per field and sync)`);
  };
  return (record) => {
    for (const { quirk, types, parents, key } of fields) {
      let target: unknown = record;
      for (const parent of parents) target = isObject(target) ? target[parent] : undefined;
      if (!isObject(target) || !(key in target)) continue;
      const value = target[key];
      if (hasDeclaredType(value, types)) continue;
      const shown = JSON.stringify(value).slice(0, 60);
      const fixed = quirk.fix(value);
      if (fixed) {
        target[key] = fixed.value;
        reportOnce(
          'info',
          quirk.path,
          `held ${shown} where the schema declares ${types.join(' or ')}; emitted ${JSON.stringify(fixed.value).slice(0, 60)}`,
        );
      } else {
        reportOnce(
          'warn',
          quirk.path,
          `held ${shown}, which the schema's ${types.join(' or ')} cannot hold without loss; passed through unchanged`,
        );
      }
    }
  };
}
