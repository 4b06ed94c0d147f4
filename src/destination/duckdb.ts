// The DuckDB client, loaded on demand: it is a development dependency (the Docker image, which is the Airbyte
// contract, leaves it out), so a missing install must be one clear sentence, not a module-resolution trace.
import type * as DuckDB from '@duckdb/node-api';
import { DestinationError } from './errors.js';

export type DuckDBModule = typeof DuckDB;

let loaded: Promise<DuckDBModule> | undefined;

export function loadDuckDB(): Promise<DuckDBModule> {
  loaded ??= import('@duckdb/node-api').catch(() => {
    throw new DestinationError(
      "the DuckDB client @duckdb/node-api is not installed: run `npm ci` (without --omit=dev) in the connector's folder",
    );
  });
  return loaded;
}
