// The connector's version from package.json, for `--version` and the HTTP User-Agent.
import { readFileSync } from 'node:fs';
import { packageFile } from './packageFiles.js';

/** package.json's version; '0.0.0' when the file or its version cannot be read (a broken install still runs). */
export function packageVersion(): string {
  try {
    const pkg: unknown = JSON.parse(readFileSync(packageFile('package.json'), 'utf8'));
    const version = typeof pkg === 'object' && pkg !== null ? (pkg as { version?: unknown }).version : undefined;
    return typeof version === 'string' ? version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}
