// The one Ajv set-up for the whole connector: strict mode stays on, and Airbyte's own annotation keywords
// are declared deliberately instead of being waved through.
import { Ajv, type ErrorObject } from 'ajv';
import addFormatsModule, { type FormatsPlugin } from 'ajv-formats';

// ajv-formats is CommonJS: under NodeNext its plugin arrives as the module object's `default` field.
const formatsModule = addFormatsModule as unknown as FormatsPlugin & { default?: FormatsPlugin };
const addFormats: FormatsPlugin = formatsModule.default ?? formatsModule;

/** Annotation keywords used by Airbyte specs, stream schemas and the protocol schema: no validation effect. */
const ANNOTATION_KEYWORDS = [
  'airbyte_secret',
  'airbyte_type',
  'airbyte_hidden',
  'order',
  'pattern_descriptor',
  'existingJavaType',
  'version',
];

export function createAjv(): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
  addFormats(ajv);
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
