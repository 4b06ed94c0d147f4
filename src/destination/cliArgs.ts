// The two destination commands' shared front door: parse the options, answer --help, name a missing one, and
// turn SIGINT/SIGTERM into a clean stop.
import { constants } from 'node:os';
import { parseArgs } from 'node:util';

export const say = (line: string): void => void process.stderr.write(`${line}\n`);

interface CommandSpec<R extends string, O extends string, F extends string> {
  /** Options taking a file that must be given. */
  required: readonly R[];
  optional?: readonly O[];
  flags?: readonly F[];
}

type Values<R extends string, O extends string, F extends string> = { [K in R]: string } & { [K in O]?: string } & {
  [K in F]?: boolean;
};

/** The parsed values, or the exit code when the command ends here (0 for --help, 2 for a usage error). */
export function parseCommand<R extends string, O extends string = never, F extends string = never>(
  spec: CommandSpec<R, O, F>,
  usage: string,
): Values<R, O, F> | number {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = {
    help: { type: 'boolean', short: 'h' },
  };
  for (const name of [...spec.required, ...(spec.optional ?? [])]) options[name] = { type: 'string' };
  for (const name of spec.flags ?? []) options[name] = { type: 'boolean' };
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ options, strict: true }));
  } catch (err) {
    say(`${(err as Error).message}\n${usage}`);
    return 2;
  }
  if (values.help) {
    process.stderr.write(usage);
    return 0;
  }
  const missing = spec.required.find((name) => typeof values[name] !== 'string');
  if (missing) {
    say(`missing --${missing} FILE\n${usage}`);
    return 2;
  }
  return values as Values<R, O, F>;
}

/** `--max-line-mb N` (1–1024) in bytes; undefined when not given; a number (the exit code 2) when malformed. */
export function maxLineBytes(value: string | undefined, usage: string): number | undefined | { exit: number } {
  if (value === undefined) return undefined;
  const mb = Number(value);
  if (!Number.isInteger(mb) || mb < 1 || mb > 1024) {
    say(`--max-line-mb must be a whole number of megabytes from 1 to 1024, got ${JSON.stringify(value)}\n${usage}`);
    return { exit: 2 };
  }
  return mb * 1024 * 1024;
}

/**
 * SIGINT and SIGTERM stop the command cleanly: the first aborts `signal` (the command commits what is complete
 * and exits 128 + the signal's number); later ones only say it is stopping (a terminal's Ctrl-C reaches npm and
 * node both). Installed before anything else, so no signal finds the default handler.
 */
export function stopOnSignals(command: string): { signal: AbortSignal; stoppedBy: () => NodeJS.Signals | undefined } {
  const controller = new AbortController();
  let received: NodeJS.Signals | undefined;
  const on = (name: NodeJS.Signals) => {
    if (received) return say(`${command}: ${name}: already stopping`);
    received = name;
    say(`${command}: ${name}: stopping; what is complete is committed first`);
    controller.abort();
  };
  process.on('SIGINT', on);
  process.on('SIGTERM', on);
  return { signal: controller.signal, stoppedBy: () => received };
}

/** The exit code of a command stopped by a signal: 128 + its number (130 for SIGINT, 143 for SIGTERM). */
export const signalExitCode = (name: NodeJS.Signals): number => 128 + (constants.signals[name] ?? 15);
