// Running the loader CLI on hand-made messages (built in messages.ts), and reading the DuckDB file it wrote.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { DuckDBInstance } from '@duckdb/node-api';
import { DuckDBWriter } from '../../src/destination/duckdbWriter.js';
import { DestinationError } from '../../src/destination/errors.js';
import { load } from '../../src/destination/loader.js';
import { planStreams } from '../../src/destination/loadPlan.js';
import { summaryLines } from '../../src/destination/report.js';
import { ROOT, writeFiles } from '../helpers/cli.js';

export const LOAD = join(ROOT, 'dist', 'shipstation-load.js');
export const SYNC = join(ROOT, 'dist', 'shipstation-sync.js');

/** Lines are messages (as JSON), text, or bytes (sent as they are); a catalog given as text is written as it is. */
export function loadLines(
  database: string,
  lines: unknown[],
  catalog?: unknown,
  args: string[] = [],
  env: NodeJS.ProcessEnv = {},
) {
  const argv = [
    LOAD,
    '--duckdb',
    database,
    ...(catalog === undefined ? [] : ['--catalog', writeFiles({ 'catalog.json': catalog })['catalog.json']!]),
    ...args,
  ];
  const input = Buffer.concat(
    lines.flatMap((l) => [
      Buffer.isBuffer(l) ? l : Buffer.from(typeof l === 'string' ? l : JSON.stringify(l)),
      Buffer.from('\n'),
    ]),
  );
  return spawnSync(process.execPath, argv, {
    input,
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '', ...env },
    timeout: 60_000,
  });
}

/** Rows of a query as JSON-friendly values (BIGINT as numbers, timestamps as DuckDB prints them). */
export async function query(database: string, sql: string): Promise<Array<Record<string, unknown>>> {
  const instance = await DuckDBInstance.create(database, { access_mode: 'READ_ONLY' });
  const db = await instance.connect();
  try {
    await db.run("SET TimeZone = 'UTC'");
    const reader = await db.runAndReadAll(sql);
    return reader.getRowObjectsJson() as Array<Record<string, unknown>>;
  } finally {
    db.closeSync();
    instance.closeSync();
  }
}

/**
 * What `loadLines` does, in this process (no process start: for tests that load many small files): the load's
 * summary lines, or the sentence of a DestinationError, as the command prints them.
 */
export async function loadHere(database: string, lines: string[], catalog: unknown) {
  const writer = await DuckDBWriter.open(database);
  try {
    await writer.prepare(planStreams(catalog), catalog);
    const summary = await load(
      Readable.from([Buffer.from(lines.map((l) => `${l}\n`).join(''))]),
      writer,
      () => undefined,
    );
    return {
      status: 0,
      stderr: summaryLines(summary, database)
        .map((l) => `${l}\n`)
        .join(''),
    };
  } catch (err) {
    if (!(err instanceof DestinationError)) throw err;
    return { status: 1, stderr: `shipstation-load: ${err.message}\n` };
  } finally {
    await writer.close();
  }
}
