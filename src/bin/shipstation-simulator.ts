#!/usr/bin/env node
// `shipstation-simulator` (also `npm run -s simulator --`): the built-in ShipStation stand-in as a process, for tests,
// benchmarks and trying the connector; prints one JSON line (its URL and a config) and serves until SIGTERM.
import { CliUsageError, HELP } from '../simulator/cliArgs.js';
import { runCli } from '../simulator/cliMain.js';
import type { ApiVersion } from '../simulator/options.js';
import type { Simulator } from '../simulator/simulator.js';

// Signal handlers go in first, so a signal arriving while the data is being built still exits cleanly.
let sim: Simulator<ApiVersion> | null = null;
const stop = (signal: string): void => {
  process.stderr.write(`shipstation simulator: ${signal}, shutting down\n`);
  void (sim ? sim.close() : Promise.resolve()).then(() => process.exit(0));
};
process.once('SIGINT', () => stop('SIGINT'));
process.once('SIGTERM', () => stop('SIGTERM'));

try {
  sim = await runCli(process.argv.slice(2), process.stdout, process.stderr);
} catch (error) {
  if (error instanceof CliUsageError || error instanceof RangeError) {
    process.stderr.write(`error: ${error.message}\n\n${HELP}`);
    process.exitCode = 2;
  } else {
    throw error;
  }
}
