// The one Ajv set-up for the whole connector: strict mode stays on, and Airbyte's own annotation keywords
// are declared deliberately instead of being waved through. The config and catalog validators are compiled
// ahead of time with this same set-up (scripts/gen-types.mjs → src/generated/validators.ts), so Ajv itself
// loads only when a schema is compiled at run time (validate_records, tests).
import type { Ajv, ErrorObject } from 'ajv';
import type { FormatsPlugin } from 'ajv-formats';

/** A compiled validator, ahead of time or not: true when valid, otherwise `errors` says why. */
export type Validator = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };

/**
 * Annotation keywords used by Airbyte specs, stream schemas and the protocol schema: no validation effect.
 * `decimal_places` is ours: a money field's most decimal places, so a destination can store it exactly.
 */
const ANNOTATION_KEYWORDS = [
  'decimal_places',
  'airbyte_secret',
  'airbyte_type',
  'airbyte_hidden',
  'order',
  'pattern_descriptor',
  'existingJavaType',
  'version',
];

export async function createAjv(): Promise<Ajv> {
  // Imported on first use (and left lazy in the bundle), so spec, check and discover never load Ajv.
  const { Ajv: AjvClass } = await import('ajv');
  // CommonJS: Node's default export is module.exports, whose own `default` is the plugin too.
  const formats = (await import('ajv-formats')).default as FormatsPlugin & { default?: FormatsPlugin };
  const ajv = new AjvClass({ allErrors: true, strict: true, allowUnionTypes: true });
  (formats.default ?? formats)(ajv);
  for (const keyword of ANNOTATION_KEYWORDS) ajv.addKeyword({ keyword, schemaType: ['string', 'boolean', 'number'] });
  return ajv;
}

/** One readable line per ajv error, naming the field as a dotted path: `streams[0].sync_mode must be ...`. */
export function describeAjvError(error: ErrorObject, root: string): string {
  const path = pointerToPath(error.instancePath);
  const where = path ? `${root}.${path}` : root;
  switch (error.keyword) {
    case 'required':
      return `${where === root ? root : where}: missing required field '${String(error.params.missingProperty)}'`;
    case 'additionalProperties':
      return `${where}: unknown field '${String(error.params.additionalProperty)}'`;
    case 'enum':
      return `${where} ${error.message ?? 'is invalid'}: ${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return `${where} ${error.message ?? 'is invalid'}`;
  }
}

function pointerToPath(pointer: string): string {
  if (!pointer) return '';
  return pointer
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, part) => (/^\d+$/.test(part) ? `${acc}[${part}]` : acc ? `${acc}.${part}` : part), '');
}
