// Preparing a stream's records for output: values converted (date-times to UTC, calendar dates to YYYY-MM-DD,
// ShipStation's quirk values to their declared types, all driven by the schema), one WARN per field the schema
// does not declare, and, when asked for (debugging), validation against the stream schema.
import type { Logger } from '../../protocol/logger.js';
import { createDateConverter } from '../../streams/dateConverter.js';
import { createQuirkNormalizer } from '../../streams/quirks.js';
import { createSchemaDriftDetector } from '../../streams/schemaDrift.js';
import { loadStreamSchema, type SchemaAjv } from '../../streams/schemas.js';
import type { StreamSet } from '../../streams/streamSet.js';
import type { ApiRecord } from '../plan/envelope.js';
import type { ServerDates } from '../../dialects/dialect.js';

/** Invalid records logged per stream before going quiet: enough to debug, not a flood. */
const MAX_VALIDATION_WARNINGS = 5;

/** Every value conversion an emitted record of `stream` goes through, in place. */
/** Converts one record in place; `asOfUtc` is when the server wrote it (see ServerDates.toUtc). */
export type RecordConverter = (record: ApiRecord, asOfUtc?: number) => void;

/** What of the dialect's stream set converting needs: where its schemas are and its quirks. */
export type SchemaSource = Pick<StreamSet, 'schemaFolder' | 'quirks'>;

export function createValueConverter(
  stream: string,
  logger: Logger,
  serverDates: ServerDates,
  set: SchemaSource,
): RecordConverter {
  const schema = loadStreamSchema(stream, set.schemaFolder);
  const dates = createDateConverter(stream, schema, logger, serverDates.toUtc);
  const quirks = createQuirkNormalizer(stream, schema, logger, set.quirks);
  return (record, asOfUtc) => {
    dates(record, asOfUtc);
    quirks(record);
  };
}

/**
 * `dates`: how the server writes date-times; `'converted'` for child streams, whose rows are cut from parent
 * records the parent's converter has already converted (converting a date-time again would fail on the UTC form).
 * `ajv` (from createSchemaAjv) when records are validated (validate_records), so only then is Ajv loaded.
 */
export function createRecordPreparer(
  stream: string,
  logger: Logger,
  ajv: SchemaAjv | undefined,
  dates: ServerDates | 'converted',
  set: SchemaSource,
): RecordConverter {
  const schema = loadStreamSchema(stream, set.schemaFolder);
  const convert = dates === 'converted' ? () => {} : createValueConverter(stream, logger, dates, set);
  const drift = createSchemaDriftDetector(schema, (path) =>
    logger.warn(`${stream}: field '${path}' is in the data but not in the stream schema (schema drift)`),
  );
  const check = ajv?.compile(schema);
  let warnings = 0;
  return (record, asOfUtc) => {
    drift(record);
    convert(record, asOfUtc);
    if (ajv && check && !check(record) && warnings++ < MAX_VALIDATION_WARNINGS) {
      logger.warn(`${stream}: a record does not match the schema: ${ajv.errorsText(check.errors)}`);
    }
  };
}
