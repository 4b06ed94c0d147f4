#!/usr/bin/env node
import { CliUsageError, HELP } from './cliArgs.js';
import { runCli } from './cliMain.js';

try {
  const sim = await runCli(process.argv.slice(2), process.stdout, process.stderr);
  if (sim) {
    const stop = (signal: string): void => {
      process.stderr.write(`shipstation simulator: ${signal}, shutting down\n`);
      void sim.close().then(() => process.exit(0));
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  }
} catch (error) {
  if (error instanceof CliUsageError || error instanceof RangeError) {
    process.stderr.write(`error: ${error.message}\n\n${HELP}`);
    process.exitCode = 2;
  } else {
    throw error;
  }
}
