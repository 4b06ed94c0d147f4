// Rewrites a record's date-times (as the dialect's server writes them) as UTC in place, and its calendar dates as `YYYY-MM-DD`. Which fields
// are which comes from the stream schema (`airbyte_type: timestamp_with_timezone`; `format: date`), compiled
// once into a plan so records are not matched against the schema one by one.
import type { Logger } from '../protocol/logger.js';
import type { JsonSchema } from './schemas.js';

type JsonObject = Record<string, unknown>;

/** What to convert inside one object: its own date-time and date fields and the nested values that hold more. */
interface ObjectPlan {
  dates: { key: string; path: string }[];
  calendarDates: { key: string; path: string }[];
  nested: { key: string; plan: ValuePlan }[];
}

/** A nested value may be an object, an array of objects, or either (e.g. products' productCategory). */
interface ValuePlan {
  object?: ObjectPlan;
  items?: ValuePlan;
}

/**
 * Compiles the converter for one stream and one run. Unparseable values are left as they are and reported
 * with one WARN per field path for the life of the converter, not one per record.
 */
/** `asOfUtc`: when the server wrote the record (its response's Date), which settles fall-back-hour stamps. */
export type DateConverter = (record: JsonObject, asOfUtc?: number) => void;

/** `toUtc`: the dialect's reading of a server date-time as UTC with `Z` (null when it is none). */
export function createDateConverter(
  stream: string,
  schema: JsonSchema,
  logger: Logger,
  toUtc: (value: string, asOfUtc?: number) => string | null,
): DateConverter {
  const plan = planObject(schema, '');
  const warned = new Set<string>();
  const reportOnce = (
    path: string,
    value: unknown,
    what = 'which is not a date-time; passed through unconverted',
  ): void => {
    if (warned.has(path)) return;
    warned.add(path);
    const shown = JSON.stringify(value).slice(0, 60);
    logger.warn(`${stream}: ${path} holds ${shown}, ${what} (reported once per run)`);
  };

  const convertObject = (target: JsonObject, objectPlan: ObjectPlan, asOf: number | undefined): void => {
    for (const { key, path } of objectPlan.dates) {
      const value = target[key];
      if (value === null || value === undefined) continue;
      const utc = typeof value === 'string' ? toUtc(value, asOf) : null;
      if (utc === null) reportOnce(path, value);
      else target[key] = utc;
    }
    for (const { key, path } of objectPlan.calendarDates) {
      const value = target[key];
      if (value === null || value === undefined) continue;
      const parts = typeof value === 'string' ? CALENDAR_DATE.exec(value) : null;
      if (parts === null) reportOnce(path, value, 'which is not a date; passed through unconverted');
      else {
        // ShipStation sends these dates as .NET midnight date-times: the date is the value.
        if (parts[2] !== undefined && !/^[0:. ]*$/.test(parts[2]))
          reportOnce(path, value, 'a date with a time of day; emitted its date');
        target[key] = parts[1];
      }
    }
    for (const { key, plan: nestedPlan } of objectPlan.nested) convertValue(target[key], nestedPlan, asOf);
  };

  const convertValue = (value: unknown, valuePlan: ValuePlan, asOf: number | undefined): void => {
    if (typeof value !== 'object' || value === null) return;
    if (Array.isArray(value)) {
      if (valuePlan.items) for (const element of value) convertValue(element, valuePlan.items, asOf);
    } else if (valuePlan.object) {
      convertObject(value as JsonObject, valuePlan.object, asOf);
    }
  };

  return (record, asOfUtc) => {
    if (plan) convertObject(record, plan, asOfUtc);
  };
}

/** Dotted paths (`items[].createDate`) of every date-time field in a schema, in schema order. */
export function dateTimePaths(schema: JsonSchema): string[] {
  const paths: string[] = [];
  const collect = (objectPlan: ObjectPlan | undefined): void => {
    if (!objectPlan) return;
    for (const { path } of objectPlan.dates) paths.push(path);
    for (const { plan } of objectPlan.nested) collectValue(plan);
  };
  const collectValue = (valuePlan: ValuePlan): void => {
    collect(valuePlan.object);
    if (valuePlan.items) collectValue(valuePlan.items);
  };
  collect(planObject(schema, ''));
  return paths;
}

/** `YYYY-MM-DD`, optionally followed by a time of day (group 2) and, as v2 writes its midnights, a zone. */
const CALENDAR_DATE = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)(?:Z|[+-]\d{2}:?\d{2})?)?$/;

function isDateTime(schema: JsonSchema): boolean {
  return schema.airbyte_type === 'timestamp_with_timezone';
}

function isCalendarDate(schema: JsonSchema): boolean {
  return schema.format === 'date';
}

/** The plan for an object schema, or undefined when nothing inside it needs converting. */
function planObject(schema: JsonSchema, prefix: string): ObjectPlan | undefined {
  if (!schema.properties) return undefined;
  const plan: ObjectPlan = { dates: [], calendarDates: [], nested: [] };
  for (const [key, property] of Object.entries(schema.properties)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (isDateTime(property)) plan.dates.push({ key, path });
    else if (isCalendarDate(property)) plan.calendarDates.push({ key, path });
    else {
      const nested = planValue(property, path);
      if (nested) plan.nested.push({ key, plan: nested });
    }
  }
  return plan.dates.length > 0 || plan.calendarDates.length > 0 || plan.nested.length > 0 ? plan : undefined;
}

function planValue(schema: JsonSchema, path: string): ValuePlan | undefined {
  const object = planObject(schema, path);
  const items = schema.items ? planValue(schema.items, `${path}[]`) : undefined;
  if (!object && !items) return undefined;
  return { ...(object && { object }), ...(items && { items }) };
}
