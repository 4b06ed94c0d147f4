// The command line: `spec`, `check --config`, `discover --config`, `read --config --catalog [--state]`.
// Stdout carries only protocol messages (through the emitter); usage and the version go to stderr.
// Each command imports what it uses when it runs: orchestrators call spec and check often, and a module
// loaded for nothing is start-up time on every call.
import { parseArgs } from 'node:util';
import type { Writable } from 'node:stream';
import type { Config } from '../config.js';
import type { SyncWatcher } from '../engine/read/session.js';
import { Emitter, emitterLogger } from '../protocol/emitter.js';
import { catalogMessage, connectionStatusMessage, specMessage } from '../protocol/messages.js';
import type { ConnectorSpecification } from '../generated/protocol.js';
import { exitSoonAfterSignal } from './exitGuard.js';
import { reportUnfinished } from './finishGuard.js';
import { errorTrace, EXIT_FAILED, EXIT_OK, EXIT_USAGE } from '../protocol/failure.js';
import { readSpec } from '../spec.js';
import { packageVersion } from '../version.js';
import type { StreamSet } from '../streams/streamSet.js';

export const USAGE = `usage: shipstation-source <command> [options]

commands:
  spec                                              print the connector specification
  check --config FILE                               test the credentials with one request
  discover --config FILE                            print the catalog of streams
  read --config FILE --catalog FILE [--state FILE]  sync the configured streams

options:
  --debug      debug LOG messages too (as log_level DEBUG or LOG_LEVEL=DEBUG)
  --version    print the connector's version
  -h, --help   print this help

Messages are Airbyte protocol JSON lines on stdout; this help, the version and progress go to stderr, and
when stdout is not a terminal, so does each failure sentence (and each warning about the config), once.
`;

interface Io {
  stdout: Writable;
  stderr: Writable;
}

type Command = 'spec' | 'check' | 'discover' | 'read';
const REQUIRED: Record<Command, string[]> = {
  spec: [],
  check: ['config'],
  discover: ['config'],
  read: ['config', 'catalog'],
};

export async function main(
  argv: string[],
  io: Io = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        config: { type: 'string' },
        catalog: { type: 'string' },
        state: { type: 'string' },
        debug: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean' },
      },
    });
  } catch (err) {
    return usage(io, (err as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stderr.write(USAGE);
    return EXIT_OK;
  }
  if (values.version) {
    io.stderr.write(`shipstation-source ${packageVersion()}\n`);
    return EXIT_OK;
  }
  const command = positionals[0];
  if (positionals.length !== 1 || !isCommand(command)) {
    return usage(io, command ? `unknown command '${positionals.join(' ')}'` : 'missing command');
  }
  const missing = REQUIRED[command].filter((name) => values[name as keyof typeof values] === undefined);
  if (missing.length) return usage(io, `${command} needs ${missing.map((m) => `--${m} FILE`).join(' and ')}`);

  const emitter = new Emitter(io.stdout, undefined, echoStream(io));
  // A failure outside every handler (a bug) still ends as one redacted protocol message, not a stack on stderr.
  const crash = (err: unknown) => void emitter.emit(errorTrace(err)).finally(() => process.exit(EXIT_FAILED));
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);
  const disarmFinishGuard = reportUnfinished(command, emitter);
  try {
    switch (command) {
      case 'spec':
        await emitter.emit(specMessage(connectorSpecification()));
        return EXIT_OK;
      case 'check':
        return await check(emitter, values.config!, values.debug === true);
      case 'discover': {
        const config = await loadConfig(emitter, values.config!);
        const [{ buildCatalog }, { dialectFor }] = await Promise.all([
          import('../streams/catalog.js'),
          import('../dialects/index.js'),
        ]);
        await emitter.emit(catalogMessage(buildCatalog(dialectFor(config).streams)));
        return EXIT_OK;
      }
      case 'read': {
        const config = await loadConfig(emitter, values.config!, { now: Date.now(), warn: true });
        const [{ parseCatalog, parseStateInput, readJsonFile }, { dialectFor }] = await Promise.all([
          import('./inputs.js'),
          import('../dialects/index.js'),
        ]);
        const dialect = dialectFor(config);
        const streams = parseCatalog(readJsonFile(values.catalog!, 'catalog'), dialect.streams);
        const state =
          values.state === undefined
            ? new Map<string, unknown>()
            : parseStateInput(readJsonFile(values.state, 'state'));
        const logger = emitterLogger(emitter, values.debug ? 'DEBUG' : config.logLevel);
        // The HTTP stack loads only for the commands that talk to ShipStation: spec and discover start faster.
        const { runSync } = await import('../engine/read/session.js');
        const watch = await progressWatcher(io.stderr, config.pageSize, dialect.streams);
        const disarm = exitSoonAfterSignal();
        try {
          return await runSync({ config, dialect, streams, state, emitter, logger, watch });
        } finally {
          disarm();
        }
      }
    }
  } catch (err) {
    await emitter.emit(errorTrace(err));
    return EXIT_FAILED;
  } finally {
    await emitter.flush();
    disarmFinishGuard();
    process.off('uncaughtException', crash);
    process.off('unhandledRejection', crash);
  }
}

export function connectorSpecification(): ConnectorSpecification {
  // No documentationUrl: the connector has no public page yet, and the protocol makes the field optional.
  return {
    connectionSpecification: readSpec(),
    supportsIncremental: true,
  };
}

async function check(emitter: Emitter, configPath: string, debug: boolean): Promise<number> {
  let config: Config;
  try {
    config = await loadConfig(emitter, configPath, { now: Date.now(), warn: true });
  } catch (err) {
    const { ConfigError } = await import('../errors.js');
    await emitter.emit(connectionStatusMessage('FAILED', err instanceof ConfigError ? err.message : String(err)));
    return EXIT_OK;
  }
  const logger = emitterLogger(emitter, debug ? 'DEBUG' : config.logLevel);
  const { runCheck } = await import('../engine/read/check.js');
  const { dialectFor } = await import('../dialects/index.js');
  const failure = await runCheck(config, dialectFor(config), logger);
  await emitter.emit(
    failure === null ? connectionStatusMessage('SUCCEEDED') : connectionStatusMessage('FAILED', failure),
  );
  return EXIT_OK;
}

/**
 * Reads and validates the config; from then on every line the emitter writes is redacted. The commands that read
 * data (check, read) give `now` (a start_date after it is an error there, while discover takes any) and `warn`:
 * each key that does nothing gets a WARN, before any error, since a typo is often the error's cause.
 */
async function loadConfig(
  emitter: Emitter,
  path: string,
  opts: { now?: number; warn?: boolean } = {},
): Promise<Config> {
  const [{ parseConfig, secretValues, unknownFieldWarnings }, { createRedactor }, { readJsonFile }] = await Promise.all(
    [import('../config.js'), import('../protocol/redact.js'), import('./inputs.js')],
  );
  const raw = readJsonFile(path, 'config');
  emitter.setRedactor(createRedactor(secretValues(raw)));
  if (opts.warn) for (const warning of unknownFieldWarnings(raw)) await emitter.warnPerson(warning);
  return parseConfig(raw, { now: opts.now });
}

/**
 * Where failure sentences are repeated for a person: stderr when stdout is not a terminal (a file, a pipe, an
 * orchestrator), since there nobody reads stdout as it comes; on a terminal they are on screen already.
 * SHIPSTATION_STDERR_ECHO=off turns it off for a caller that reports the protocol's errors itself (shipstation-sync).
 */
function echoStream(io: Io): Writable | undefined {
  const tty = (io.stdout as Writable & { isTTY?: boolean }).isTTY === true;
  return tty || process.env.SHIPSTATION_STDERR_ECHO === 'off' ? undefined : io.stderr;
}

/** SHIPSTATION_PROGRESS=off silences the stderr progress view; its interval off a terminal is 60 s by default. */
/** The progress view on stderr (SHIPSTATION_PROGRESS=off silences it; _INTERVAL sets its pace off a terminal). */
async function progressWatcher(
  stderr: Writable,
  pageSize: number,
  offered: StreamSet,
): Promise<SyncWatcher | undefined> {
  const setting = process.env.SHIPSTATION_PROGRESS;
  if (setting === 'off' || setting === '0') return undefined;
  const { startProgress } = await import('./progress/progress.js');
  const interval = Number(process.env.SHIPSTATION_PROGRESS_INTERVAL ?? 60);
  const intervalSeconds = Number.isFinite(interval) && interval > 0 ? interval : 60;
  return (streams, budget) =>
    startProgress(streams, {
      out: stderr,
      intervalSeconds,
      pageSize,
      budget,
      parentOf: (name) => offered.findChild(name)?.parent,
    });
}

function isCommand(value: string | undefined): value is Command {
  return value === 'spec' || value === 'check' || value === 'discover' || value === 'read';
}

function usage(io: Io, problem: string): number {
  io.stderr.write(`error: ${problem}\n\n${USAGE}`);
  return EXIT_USAGE;
}
