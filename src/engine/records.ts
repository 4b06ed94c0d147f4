// Preparing a stream's records for output: date-times to UTC (driven by the schema), one WARN per field the
// schema does not declare, and, when asked for (debugging), validation against the stream schema.
import type { Logger } from '../protocol/logger.js';
import { createDateConverter } from '../streams/dateConverter.js';
import { createSchemaDriftDetector } from '../streams/schemaDrift.js';
import { createSchemaAjv, loadStreamSchema } from '../streams/schemas.js';
import type { ApiRecord } from './envelope.js';

/** Invalid records logged per stream before going quiet: enough to debug, not a flood. */
const MAX_VALIDATION_WARNINGS = 5;

/**
 * `convertDates: false` for child streams: their rows are cut from parent records whose date-times the
 * parent's converter has already turned into UTC (converting again would fail on the UTC form).
 */
export function createRecordPreparer(stream: string, logger: Logger, validate: boolean, { convertDates = true } = {}): (record: ApiRecord) => void {
  const schema = loadStreamSchema(stream);
  const convert = convertDates ? createDateConverter(stream, schema, logger) : () => {};
  const drift = createSchemaDriftDetector(schema, (path) =>
    logger.warn(`${stream}: field '${path}' is in the data but not in the stream schema (schema drift)`),
  );
  const ajv = validate ? createSchemaAjv() : undefined;
  const check = ajv?.compile(schema);
  let warnings = 0;
  return (record) => {
    drift(record);
    convert(record);
    if (ajv && check && !check(record) && warnings++ < MAX_VALIDATION_WARNINGS) {
      logger.warn(`${stream}: a record does not match the schema: ${ajv.errorsText(check.errors)}`);
    }
  };
}

/** Date conversion alone, for a parent read only for its children: its own schema drift is not news then. */
export function createDateOnlyPreparer(stream: string, logger: Logger): (record: ApiRecord) => void {
  return createDateConverter(stream, loadStreamSchema(stream), logger);
}
