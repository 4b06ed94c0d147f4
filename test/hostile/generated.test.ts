// Generated inputs (test/hostile/inputGen.ts) through the real CLI against a loopback server that answers at once,
// so no case waits on a network. Whatever the files hold, every run must: end by itself with exit code 0, or 1
// where the command documents it; write only Airbyte messages to stdout, one JSON object a line; end with its
// command's final message (check: a CONNECTION_STATUS, a failed discover or read: a TRACE error); show no stack
// trace or Node error text anywhere; and never write a secret of the config, in any form. `npm test` runs one
// seed; FAULT_MATRIX=full runs several with more cases; HOSTILE_SEED=N[,M…] runs those seeds instead.
import { afterAll, describe, expect, test } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ofType, runCli, tempDir, traceErrors, type CliResult } from '../helpers/cli.js';
import { invalidMessages } from '../helpers/protocol.js';
import { generateCases, type Command, type GeneratedCase } from './inputGen.js';
import { expectNoSecret, expectNoStack } from './run.js';
import { orders, startHostile, type HostileServer } from './server.js';

const FULL = process.env.FAULT_MATRIX === 'full';
const SEEDS = process.env.HOSTILE_SEED
  ? process.env.HOSTILE_SEED.split(',').map(Number)
  : FULL
    ? [21, 1021, 2021, 3021]
    : [21];
const CASES = FULL ? 60 : 24;

/** The exit codes each command documents (README, "command | what it does | exit code"). */
const EXIT_CODES: Record<Command, number[]> = { spec: [0], check: [0], discover: [0, 1], read: [0, 1] };

let server: Promise<HostileServer> | undefined;
/** One server for every case, started by the first (concurrent tests start before a beforeAll would run). */
function hostile(): Promise<HostileServer> {
  server ??= startHostile({
    data: { '/orders': orders(5), '/stores': [{ storeId: 1, storeName: 'Shop' }], '/warehouses': [{ warehouseId: 1 }] },
  });
  return server;
}
afterAll(async () => {
  await (await server)?.close();
});

/** A placeholder config the generator starts from; the server's own address and account replace it per run. */
const ACCOUNT_MARK = 'http://127.0.0.1:1';

async function run(c: GeneratedCase): Promise<CliResult> {
  const s = await hostile();
  const dir = tempDir();
  const file = (name: string, content: string | Buffer): string => {
    const path = join(dir, name);
    // The generator writes a fixed placeholder address: cases stay the same whatever port the server got.
    writeFileSync(path, typeof content === 'string' ? content.replaceAll(ACCOUNT_MARK, s.url) : content);
    return path;
  };
  const config = file('config.json', c.config);
  const args: Record<Command, string[]> = {
    spec: ['spec'],
    check: ['check', '--config', config],
    discover: ['discover', '--config', config],
    read: [
      'read',
      '--config',
      config,
      '--catalog',
      file('catalog.json', c.catalog),
      ...(c.state === undefined ? [] : ['--state', file('state.json', c.state)]),
    ],
  };
  return runCli(args[c.command], { env: { SHIPSTATION_PROGRESS: 'off', LOG_LEVEL: '' }, timeoutMs: 30_000 });
}

/** Text Node writes for an error nobody handled: a stack frame, or a line opening with an error's name. */
const STACK_FRAME = /^\s+at .+/m;
const ERROR_LINE = /^(?:\w*Error|Uncaught \w+|node:internal)(?: \[\w+\])?[:\s]/m;

function expectWellFormed(c: GeneratedCase, r: CliResult): void {
  expect({ signal: r.signal, code: EXIT_CODES[c.command].includes(r.code ?? -1) }).toEqual({
    signal: null,
    code: true,
  });
  // runCli parsed every stdout line as JSON already (a line that is not fails the run); each must be a message.
  expect(invalidMessages(r.messages)).toEqual([]);
  expect(r.stdout.endsWith('\n') || r.stdout === '').toBe(true);
  expect(r.stderr).not.toMatch(STACK_FRAME);
  expect(r.stderr).not.toMatch(ERROR_LINE);
  expect(r.stdout).not.toMatch(/\\n\s+at \S/);
  expectNoStack(r);
  const sentences = r.messages.flatMap((m) => {
    const log = m.log as { message?: string } | undefined;
    const status = m.connectionStatus as { message?: string } | undefined;
    return [log?.message, status?.message].filter((s): s is string => typeof s === 'string');
  });
  for (const sentence of [...sentences, ...traceErrors(r.messages).map((e) => e.message)])
    expect(sentence).not.toMatch(ERROR_LINE);

  const last = r.messages.at(-1);
  const errors = traceErrors(r.messages);
  switch (c.command) {
    case 'spec':
      expect(r.messages.map((m) => m.type)).toEqual(['SPEC']);
      break;
    case 'check':
      expect(ofType(r.messages, 'CONNECTION_STATUS')).toHaveLength(1);
      expect(last?.type).toBe('CONNECTION_STATUS');
      break;
    case 'discover':
      if (r.code === 0) expect(r.messages.map((m) => m.type)).toEqual(['CATALOG']);
      else expect(errors.map((e) => e.failure_type)).toEqual(['config_error']);
      break;
    case 'read':
      if (r.code === 1) expect(errors.length).toBeGreaterThan(0);
      break;
  }
  expectNoSecret(r, c.secrets);
}

for (const seed of SEEDS) {
  // The placeholder account: the server's key and secret (so some reads get data), at a placeholder address.
  const account = {
    api_key: '405711e0123456789abcdef012345678',
    api_secret: 'fedcba9876543210fedcba98765432ff',
    base_url: ACCOUNT_MARK,
    request_timeout_seconds: 5,
    max_retry_seconds: 10,
  };
  const cases = generateCases(seed, CASES, account);
  describe(`generated inputs, seed ${seed}`, () => {
    test.concurrent.each(cases.map((c) => [`${c.id} ${c.command}: ${c.mutations.join('; ') || 'valid'}`, c] as const))(
      '%s',
      async (_name, c) => {
        const r = await run(c);
        expectWellFormed(c, r);
      },
    );
  });
}
