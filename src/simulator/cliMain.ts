// The simulator CLI without the process concerns (signals and exit codes live in src/bin/shipstation-simulator.ts),
// so tests can run it in process: starts the simulator, prints exactly one JSON line of connection config on stdout
// for scripts to read, optionally writes the connector's config file (--config-out), and logs the rest to stderr.
import { writeFileSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { HELP, parseCliArgs } from './cliArgs.js';
import type { ApiVersion } from './options.js';
import { startSimulator, type Simulator } from './simulator.js';

/**
 * Runs the CLI: starts the simulator and writes exactly one JSON line with the connection config to `stdout`;
 * everything else goes to `stderr`. Returns null after --help.
 */
export async function runCli(
  argv: readonly string[],
  stdout: Writable,
  stderr: Writable,
): Promise<Simulator<ApiVersion> | null> {
  const parsed = parseCliArgs(argv);
  if (parsed === null) {
    stderr.write(HELP);
    return null;
  }
  const { configOut, ...options } = parsed;
  const started = Date.now();
  const sim = await startSimulator(options);
  stdout.write(
    `${JSON.stringify({ base_url: sim.baseUrl, config: sim.config, no_access_config: sim.noAccessConfig })}\n`,
  );
  // A config file the connector takes as it is (`--config FILE`): the quick start needs no JSON surgery.
  if (configOut !== undefined) writeFileSync(configOut, `${JSON.stringify(sim.config, null, 2)}\n`, { mode: 0o600 });
  const counts = Object.entries(sim.options.counts)
    .map(([stream, count]) => `${stream}=${count}`)
    .join(' ');
  const limit = sim.options.rateLimit
    ? `${sim.options.rateLimit.limit} per ${sim.options.rateLimit.windowMs} ms`
    : 'off';
  // With --clock-start the clock is not the machine's: say where it stands, so logs and stamps can be read.
  const clock = options.clock ? `; clock at ${new Date(sim.options.clock()).toISOString()}` : '';
  stderr.write(
    `shipstation simulator listening on ${sim.baseUrl} (${sim.api === 'v2' ? 'API v2; ' : ''}seed ${sim.options.seed}; ${counts}; rate limit ${limit}${clock}; ready in ${Date.now() - started} ms)\n`,
  );
  return sim;
}
