// spec.json, the config form: read once, shared by `spec` (which needs nothing else) and the config parser.
import { readFileSync } from 'node:fs';
import { packageFile } from './packageFiles.js';

let cache: Record<string, unknown> | undefined;

export function readSpec(): Record<string, unknown> {
  cache ??= JSON.parse(readFileSync(packageFile('spec.json'), 'utf8')) as Record<string, unknown>;
  return cache;
}
