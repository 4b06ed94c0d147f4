#!/usr/bin/env node
// `shipstation-sql FILE "SELECT …"` (also `npm run sql --`): runs one query on a synced DuckDB file and prints a
// plain text table, so querying needs no DuckDB CLI (one more install, often behind a proxy) beside the package.
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { say } from '../destination/cliArgs.js';
import { loadDuckDB } from '../destination/duckdb.js';
import { DestinationError } from '../destination/errors.js';
import { duckdbFailure } from '../destination/failures.js';
import { textTable } from '../destination/textTable.js';
import { useUtcProcessZone } from '../time/processZone.js';

const USAGE = `usage: shipstation-sql FILE "SELECT …"

Runs the query on the DuckDB file (read-only: it never changes the file, and fails while a sync writes it) and prints the result as a
table on stdout. Date-times are stored in UTC and shown in UTC; convert with AT TIME ZONE 'America/Los_Angeles'.
Exit codes: 0 done; 1 no such file or the query failed (one sentence on stderr); 2 a usage error.
`;

async function main(): Promise<number> {
  let positionals: string[];
  try {
    const parsed = parseArgs({ options: { help: { type: 'boolean', short: 'h' } }, allowPositionals: true });
    if (parsed.values.help) {
      process.stderr.write(USAGE);
      return 0;
    }
    positionals = parsed.positionals;
  } catch (err) {
    say(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const [file, sql, ...extra] = positionals;
  if (!file || !sql?.trim() || extra.length) {
    say(`${extra.length ? 'give the query as one argument, in quotes' : 'give a DuckDB file and a query'}\n${USAGE}`);
    return 2;
  }
  // DuckDB would create a missing file, or refuse it in words about its own internals.
  if (!existsSync(file)) {
    say(`shipstation-sql: no such file ${file}: run shipstation-sync --duckdb ${file} first`);
    return 1;
  }
  try {
    const duckdb = await loadDuckDB();
    // A lock, a permission, a file that is no database: the loader's sentences for the same failures.
    const instance = await duckdb.DuckDBInstance.create(file, { access_mode: 'READ_ONLY' }).catch((err: Error) => {
      const sentence = duckdbFailure(err, file);
      throw sentence instanceof DestinationError
        ? sentence
        : new DestinationError(`cannot open ${file}: ${firstLine(err.message)}`);
    });
    const db = await instance.connect();
    try {
      // Stored UTC; shown UTC whatever the machine's zone, as the README's examples assume.
      await db.run("SET TimeZone = 'UTC'");
      const reader = await db.runAndReadAll(sql).catch((err: Error) => {
        throw new DestinationError(firstLine(err.message));
      });
      const rows = reader.getRows().map((row) => row.map((v) => (v === null ? null : String(v))));
      const numeric = reader.columnTypes().map((t) => NUMERIC.test(t.toString()));
      process.stdout.write(textTable(reader.columnNames(), rows, numeric));
      return 0;
    } finally {
      db.closeSync();
      instance.closeSync();
    }
  } catch (err) {
    if (!(err instanceof DestinationError)) throw err;
    say(`shipstation-sql: ${err.message}`);
    return 1;
  }
}

/** Numbers are right-aligned, as a reader compares them digit by digit. */
const NUMERIC = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|U\w*INT|FLOAT|DOUBLE|DECIMAL)/;

/** DuckDB's errors add the query and a caret on later lines: the first says what is wrong. */
const firstLine = (message: string): string => message.split('\n')[0]!.trim();

// The client formats TIMESTAMPTZ values in the process's zone: UTC, as the session's.
useUtcProcessZone();
process.exitCode = await main();
