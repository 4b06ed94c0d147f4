#!/usr/bin/env node
// `shipstation-load --duckdb FILE [--catalog FILE] [--max-line-mb N]`: loads a source's Airbyte messages from stdin
// into DuckDB, e.g. `shipstation-source read --config c.json --catalog cat.json | shipstation-load --duckdb shop.duckdb`.
import { readFileSync } from 'node:fs';
import { maxLineBytes, parseCommand, say, signalExitCode, stopOnSignals } from '../destination/cliArgs.js';
import { DuckDBWriter } from '../destination/duckdbWriter.js';
import { DestinationError } from '../destination/errors.js';
import { fileFailure } from '../destination/failures.js';
import { load } from '../destination/loader.js';
import { planStreams } from '../destination/loadPlan.js';
import { summaryLines } from '../destination/report.js';
import { ownerOnly } from '../destination/tempFiles.js';
import { useUtcProcessZone } from '../time/processZone.js';

const USAGE = `usage: shipstation-load --duckdb FILE [--catalog configured_catalog.json] [--max-line-mb N]

Reads Airbyte messages (a source's read output) on stdin and loads them into the DuckDB file: one typed table
per stream, the per-stream state in _shipstation_state. Without --catalog, the configured catalog of the
file's last sync is used. A line longer than --max-line-mb (default 128) stops the load.
Exit codes: 0 loaded; 1 a failure or an incomplete stream (the message says which); 2 a usage error;
130/143 stopped by SIGINT/SIGTERM (what the states received cover is committed).
`;

const stop = stopOnSignals('shipstation-load');

async function main(): Promise<number> {
  const values = parseCommand({ required: ['duckdb'], optional: ['catalog', 'max-line-mb'] }, USAGE);
  if (typeof values === 'number') return values;
  const maxLine = maxLineBytes(values['max-line-mb'], USAGE);
  if (typeof maxLine === 'object') return maxLine.exit;
  let writer: DuckDBWriter | undefined;
  try {
    writer = await DuckDBWriter.open(values.duckdb);
    const catalog = values.catalog ? readCatalog(values.catalog) : await writer.storedCatalog();
    if (catalog === undefined)
      throw new DestinationError(`${values.duckdb} has no stored catalog yet: pass --catalog configured_catalog.json`);
    await writer.prepare(planStreams(catalog), values.catalog ? catalog : undefined);
    const summary = await load(process.stdin, writer, say, { signal: stop.signal, maxLineBytes: maxLine });
    for (const line of summaryLines(summary, values.duckdb)) say(line);
    const signal = stop.stoppedBy();
    if (signal) {
      say(`shipstation-load: stopped by ${signal}; what the states received cover is committed`);
      return signalExitCode(signal);
    }
    return summary.errors.length || summary.incomplete.length ? 1 : 0;
  } catch (err) {
    if (!(err instanceof DestinationError)) throw err;
    say(`shipstation-load: ${err.message}`);
    return 1;
  } finally {
    await writer?.close();
  }
}

/** The configured catalog; a UTF-8 byte-order mark before it is allowed, as the connector allows it. */
function readCatalog(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const sentence = fileFailure(err, 'read the catalog', path);
    throw sentence instanceof DestinationError
      ? sentence
      : new DestinationError(`cannot read the catalog ${path}: ${(err as Error).message}`);
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new DestinationError(`the catalog ${path} is not JSON: ${(err as Error).message}`);
  }
}

ownerOnly();
useUtcProcessZone();
process.exitCode = await main();
