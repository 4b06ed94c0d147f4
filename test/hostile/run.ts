// Running the CLI against a hostile server, and the checks every hostile scenario makes.
import { expect } from '@jest/globals';
import { registerSecret, runCli, traceErrors, writeFiles, type CliResult, type Message } from '../helpers/cli.js';
import { invalidMessages } from '../helpers/protocol.js';
import { configuredCatalog, statusesOf, type Selection } from '../helpers/sim.js';
import type { HostileServer } from './server.js';

export interface ReadOptions {
  config?: Record<string, unknown>;
  state?: unknown;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

/** A read of `selections` against the server; every run is checked for secrets in every form. */
export async function read(server: HostileServer, selections: Selection[], opts: ReadOptions = {}): Promise<CliResult> {
  const config = server.config(opts.config);
  const files = writeFiles({
    'config.json': config,
    'catalog.json': configuredCatalog(selections),
    ...(opts.state === undefined ? {} : { 'state.json': opts.state }),
  });
  const args = [
    'read',
    '--config',
    files['config.json']!,
    '--catalog',
    files['catalog.json']!,
    ...(opts.state === undefined ? [] : ['--state', files['state.json']!]),
  ];
  const result = await runCli(args, { env: { SHIPSTATION_PROGRESS: 'off', ...opts.env }, timeoutMs: opts.timeoutMs });
  expectNoSecret(
    result,
    [config.api_key, config.api_secret, config.partner_key].filter((v): v is string => typeof v === 'string'),
  );
  return result;
}

/**
 * Every form a credential can leak in, computed here independently of the connector's masking: as is,
 * JSON-escaped, URL-encoded, base64, and the Basic pair `key:secret` in base64, base64url and URL-encoded.
 */
export function leakForms(secrets: string[]): string[] {
  const forms = new Set<string>();
  const add = (s: string) => {
    forms.add(s);
    forms.add(JSON.stringify(s).slice(1, -1));
    forms.add(encodeURIComponent(s));
  };
  for (const s of secrets) {
    add(s);
    forms.add(Buffer.from(s).toString('base64'));
  }
  for (const a of secrets) {
    for (const b of secrets) {
      if (a === b) continue;
      const pair = Buffer.from(`${a}:${b}`);
      add(pair.toString('base64'));
      forms.add(pair.toString('base64url'));
    }
  }
  return [...forms];
}

export function expectNoSecret(result: CliResult, secrets: string[]): void {
  registerSecret(...secrets.filter((s) => s.length >= 8));
  const output = result.stdout + result.stderr;
  const credible = leakForms(secrets.filter((s) => s.length >= 6));
  expect(credible.filter((form) => output.includes(form))).toEqual([]);
}

/** Exit code, final status per stream and the error TRACEs, for one assertion that shows all of them. */
export function outcome(result: CliResult, streams: string[]) {
  return {
    code: result.code,
    statuses: Object.fromEntries(streams.map((s) => [s, statusesOf(result.messages, s).at(-1)])),
    invalid: invalidMessages(result.messages),
  };
}

export function errorsOf(messages: Message[]) {
  return traceErrors(messages);
}

/** No stack trace anywhere a person reads (stderr, or a message's stack_trace). */
export function expectNoStack(result: CliResult): void {
  expect(result.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
  expect(traceErrors(result.messages).map((e) => e.stack_trace)).toEqual(
    traceErrors(result.messages).map(() => undefined),
  );
}
