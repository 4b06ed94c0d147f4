#!/usr/bin/env node
// `shipstation-load --duckdb FILE [--catalog FILE]`: loads a source's Airbyte messages from stdin into DuckDB,
// e.g. `shipstation-source read --config c.json --catalog cat.json | shipstation-load --duckdb shop.duckdb`.
import { readFileSync } from 'node:fs';
import { planStreams } from '../destination/loadPlan.js';
import { parseCommand, say } from '../destination/cliArgs.js';
import { DestinationError } from '../destination/errors.js';
import { load } from '../destination/loader.js';
import { summaryLines } from '../destination/report.js';
import { DuckDBWriter } from '../destination/duckdbWriter.js';
import { useUtcProcessZone } from '../time/processZone.js';

const USAGE = `usage: shipstation-load --duckdb FILE [--catalog configured_catalog.json]

Reads Airbyte messages (a source's read output) on stdin and loads them into the DuckDB file: one typed table
per stream, the per-stream state in _shipstation_state. Without --catalog, the configured catalog of the
file's last sync is used.
`;

async function main(): Promise<number> {
  const values = parseCommand({ required: ['duckdb'], optional: ['catalog'] }, USAGE);
  if (typeof values === 'number') return values;
  let writer: DuckDBWriter | undefined;
  try {
    writer = await DuckDBWriter.open(values.duckdb);
    const catalog = values.catalog ? readCatalog(values.catalog) : await writer.storedCatalog();
    if (catalog === undefined)
      throw new DestinationError(`${values.duckdb} has no stored catalog yet: pass --catalog configured_catalog.json`);
    await writer.prepare(planStreams(catalog), values.catalog ? catalog : undefined);
    const summary = await load(process.stdin, writer, say);
    for (const line of summaryLines(summary, values.duckdb)) say(line);
    return summary.errors.length || summary.incomplete.length ? 1 : 0;
  } catch (err) {
    if (!(err instanceof DestinationError)) throw err;
    say(`shipstation-load: ${err.message}`);
    return 1;
  } finally {
    await writer?.close();
  }
}

function readCatalog(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new DestinationError(`cannot read the catalog ${path}: ${(err as Error).message}`);
  }
}

useUtcProcessZone();
process.exitCode = await main();
