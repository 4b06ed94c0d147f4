#!/usr/bin/env node
// `shipstation-sync --config c.json --duckdb f.duckdb [--streams a,b] [--full-refresh]` (also `npm run sync --`).
import type { ChildProcess } from 'node:child_process';
import { parseCommand, say } from '../destination/cliArgs.js';
import { DestinationError } from '../destination/errors.js';
import { summaryLines } from '../destination/report.js';
import { sync } from '../destination/syncRun.js';
import { useUtcProcessZone } from '../time/processZone.js';

const USAGE = `usage: shipstation-sync --config config.json --duckdb FILE [--streams a,b,...] [--full-refresh]

Syncs ShipStation into a DuckDB file: every stream (or those listed), incremental where the stream supports it,
from the state the file holds. The first run reads everything; later runs read what changed.
--full-refresh reads every stream from the start and replaces every table.
`;

async function main(): Promise<number> {
  const values = parseCommand(
    { required: ['config', 'duckdb'], optional: ['streams'], flags: ['full-refresh'] },
    USAGE,
  );
  if (typeof values === 'number') return values;
  // Ctrl-C reaches the connector too (same process group); SIGTERM is passed on. Either way the connector
  // stops with its last checkpoints, which are loaded before this exits.
  let connector: ChildProcess | undefined;
  const stop = () => connector?.kill('SIGTERM');
  process.on('SIGINT', () => undefined);
  process.on('SIGTERM', stop);
  try {
    const { code, summary } = await sync({
      config: values.config,
      duckdb: values.duckdb,
      ...(values.streams
        ? {
            streams: values.streams
              .split(',')
              .map((s) => s.trim())
              .filter(Boolean),
          }
        : {}),
      fullRefresh: values['full-refresh'] === true,
      say,
      onConnector: (child) => (connector = child),
    });
    for (const line of summaryLines(summary, values.duckdb)) say(line);
    if (code !== 0)
      say(
        `the connector exited with code ${code}${summary.incomplete.length ? ` (incomplete: ${summary.incomplete.join(', ')})` : ''}; run again to resume from the stored state`,
      );
    return code === 0 ? 0 : 1;
  } catch (err) {
    if (!(err instanceof DestinationError)) throw err;
    say(`shipstation-sync: ${err.message}`);
    return 1;
  }
}

useUtcProcessZone();
process.exitCode = await main();
