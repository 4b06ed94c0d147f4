// The connector's version from package.json, for `--version` and the HTTP User-Agent. This file sits
// one level below the package root both as src/version.ts (tests) and as dist/version.js (built).
import { readFileSync } from 'node:fs';

/** package.json's version; '0.0.0' when the file or its version cannot be read (a broken install still runs). */
export function packageVersion(): string {
  try {
    const pkg: unknown = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    const version = typeof pkg === 'object' && pkg !== null ? (pkg as { version?: unknown }).version : undefined;
    return typeof version === 'string' ? version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}
