// Validates emitted messages against the official Airbyte protocol schema (v0.18.0, protocol/).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createAjv } from '../../src/ajv.js';
import { ROOT, type Message } from './cli.js';

const ajv = await createAjv();
const schema = JSON.parse(readFileSync(join(ROOT, 'protocol', 'airbyte_protocol.json'), 'utf8')) as { $id: string };
ajv.addSchema(schema);
const validateMessage = ajv.getSchema(`${schema.$id}#/definitions/AirbyteMessage`)!;

/** Returns a description of every message that does not validate, so a failing test says which. */
export function invalidMessages(messages: Message[]): string[] {
  const problems: string[] = [];
  for (const m of messages) {
    if (!validateMessage(m))
      problems.push(`${JSON.stringify(m).slice(0, 200)}: ${ajv.errorsText(validateMessage.errors)}`);
  }
  return problems;
}
