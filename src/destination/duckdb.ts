// The DuckDB client, loaded on demand: an optional peer dependency (native, ~60 MB), left out of the bundles and
// the image, so a missing install must be one sentence naming the command that installs it, never a trace.
import type * as DuckDB from '@duckdb/node-api';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DestinationError } from './errors.js';

export type DuckDBModule = typeof DuckDB;

const PACKAGE = '@duckdb/node-api';

let loaded: Promise<DuckDBModule> | undefined;

export function loadDuckDB(): Promise<DuckDBModule> {
  loaded ??= import(PACKAGE).catch(() => {
    throw new DestinationError(`the DuckDB client ${PACKAGE} is not installed: run ${installCommand()}`);
  });
  return loaded;
}

/** What installs DuckDB where this command looks for it: the package's own prefix, or the clone's `npm ci`. */
function installCommand(): string {
  const root = packageRoot(dirname(fileURLToPath(import.meta.url)));
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    peerDependencies?: Record<string, string>;
  };
  const spec = `${PACKAGE}@${pkg.peerDependencies?.[PACKAGE] ?? 'latest'}`;
  const modules = dirname(root);
  if (basename(modules) !== 'node_modules') return `\`npm ci\` in ${root}`;
  // A global install lives in <prefix>/lib/node_modules, a project's in <project>/node_modules.
  const global = basename(dirname(modules)) === 'lib';
  const prefix = global ? dirname(dirname(modules)) : dirname(modules);
  return global ? `\`npm install -g --prefix ${prefix} ${spec}\`` : `\`npm install --prefix ${prefix} ${spec}\``;
}

/** The nearest folder at or above `dir` holding a package.json (dist/, build/destination/ and src/destination/ alike). */
function packageRoot(dir: string): string {
  return existsSync(join(dir, 'package.json')) || dirname(dir) === dir ? dir : packageRoot(dirname(dir));
}
