// spec.json, the config form: read once, shared by `spec` (which needs nothing else) and the config parser.
import { readFileSync } from 'node:fs';

let cache: Record<string, unknown> | undefined;

/** spec.json sits at the package root: `../spec.json` from both src/ (tests) and dist/ (runtime). */
export function readSpec(): Record<string, unknown> {
  cache ??= JSON.parse(readFileSync(new URL('../spec.json', import.meta.url), 'utf8')) as Record<string, unknown>;
  return cache;
}
