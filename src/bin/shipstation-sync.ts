#!/usr/bin/env node
// `shipstation-sync --config c.json --duckdb f.duckdb [--streams a,b] [--full-refresh] [--max-line-mb N]` (also
// `npm run sync --`).
import { maxLineBytes, parseCommand, say, signalExitCode, stopOnSignals } from '../destination/cliArgs.js';
import { DestinationError } from '../destination/errors.js';
import { summaryLines } from '../destination/report.js';
import { sync } from '../destination/syncRun.js';
import { ownerOnly } from '../destination/tempFiles.js';
import { useUtcProcessZone } from '../time/processZone.js';

const USAGE = `usage: shipstation-sync --config config.json --duckdb FILE [--streams a,b,...] [--full-refresh] [--max-line-mb N]

Syncs ShipStation into a DuckDB file: every stream (or those listed), incremental where the stream supports it,
from the state the file holds. The first run reads everything; later runs read what changed.
--full-refresh reads every stream from the start and replaces every table.
Exit codes: 0 complete; 1 the connector or the load failed, or a stream is incomplete (the message says which);
2 a usage error; 130/143 stopped by SIGINT/SIGTERM (what the connector sent before stopping is loaded).
`;

const stop = stopOnSignals('shipstation-sync');

async function main(): Promise<number> {
  const values = parseCommand(
    { required: ['config', 'duckdb'], optional: ['streams', 'max-line-mb'], flags: ['full-refresh'] },
    USAGE,
  );
  if (typeof values === 'number') return values;
  const maxLine = maxLineBytes(values['max-line-mb'], USAGE);
  if (typeof maxLine === 'object') return maxLine.exit;
  try {
    const { connector, summary } = await sync({
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
      signal: stop.signal,
      ...(maxLine ? { maxLineBytes: maxLine } : {}),
    });
    if (summary) for (const line of summaryLines(summary, values.duckdb)) say(line);
    const signal = stop.stoppedBy();
    if (signal) {
      say(
        connector
          ? `shipstation-sync: stopped by ${signal}; what the connector sent before it stopped is loaded; run again to resume from the stored state`
          : `shipstation-sync: stopped by ${signal} before the connector ran; nothing was loaded`,
      );
      return signalExitCode(signal);
    }
    if (!connector || !summary) return 1;
    const incomplete = summary.incomplete.length ? ` (incomplete: ${summary.incomplete.join(', ')})` : '';
    if (connector.signal) {
      say(`the connector was killed by ${connector.signal}${incomplete}; run again to resume from the stored state`);
      return 1;
    }
    if (connector.code !== 0) {
      say(
        summary.configError
          ? `the connector stopped on a config error (above): fix it, then run again`
          : `the connector exited with code ${connector.code}${incomplete}; run again to resume from the stored state`,
      );
      return 1;
    }
    return 0;
  } catch (err) {
    if (!(err instanceof DestinationError)) throw err;
    say(`shipstation-sync: ${err.message}`);
    return 1;
  }
}

ownerOnly();
useUtcProcessZone();
process.exitCode = await main();
