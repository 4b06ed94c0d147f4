// The two destination commands' shared front door: parse the options, answer --help, name a missing one.
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
