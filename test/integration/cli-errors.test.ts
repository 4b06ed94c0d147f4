// Bad input of every kind, through the real CLI: the exact message type, failure_type and exit code,
// one line naming the problem, no stack trace, no secret.
import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import {
  leakedSecrets,
  ofType,
  registerSecret,
  runCli,
  traceErrors,
  writeFiles,
  type CliResult,
} from '../helpers/cli.js';
import { invalidMessages } from '../helpers/protocol.js';

const KEY = '3c0123456789abcdef0123456789abcd';
const SECRET = '5e0fedcba9876543210fedcba9876543';
registerSecret(KEY, SECRET);
const goodConfig = { api_key: KEY, api_secret: SECRET, base_url: 'http://127.0.0.1:9' };
const catalogOf = (streams: unknown[]) => ({ streams });
const ordersStream = {
  stream: { name: 'orders', json_schema: {}, supported_sync_modes: ['full_refresh', 'incremental'] },
  sync_mode: 'incremental',
  destination_sync_mode: 'append',
  cursor_field: ['modifyDate'],
};

function expectClean(r: CliResult) {
  const all = r.stdout + r.stderr;
  expect(all).not.toContain(KEY);
  expect(all).not.toContain(SECRET);
  expect(all).not.toMatch(/\n\s+at .+\(.*:\d+:\d+\)/);
  expect(invalidMessages(r.messages)).toEqual([]);
}

async function expectConfigError(args: string[], pattern: RegExp) {
  const r = await runCli(args);
  expect(r.code).toBe(1);
  expect(r.messages).toHaveLength(1);
  const [error] = traceErrors(r.messages);
  expect(error?.failure_type).toBe('config_error');
  expect(error?.message).toMatch(pattern);
  expect(error?.message).not.toContain('\n');
  expect(error?.stack_trace).toBeUndefined();
  expectClean(r);
  return error!;
}

async function expectCheckFailed(args: string[], pattern: RegExp) {
  const r = await runCli(args);
  expect(r.code).toBe(0);
  expect(r.messages).toHaveLength(1);
  const status = r.messages[0]!.connectionStatus as { status: string; message: string };
  expect(r.messages[0]!.type).toBe('CONNECTION_STATUS');
  expect(status.status).toBe('FAILED');
  expect(status.message).toMatch(pattern);
  expectClean(r);
}

describe('command line contract', () => {
  test('spec prints one SPEC message that validates against the protocol', async () => {
    const r = await runCli(['spec']);
    expect(r.code).toBe(0);
    expect(r.messages).toHaveLength(1);
    expect(r.messages[0]!.type).toBe('SPEC');
    const spec = r.messages[0]!.spec as {
      connectionSpecification: { required: string[]; properties: Record<string, { airbyte_secret?: boolean }> };
    };
    expect(spec.connectionSpecification.required).toEqual(['api_key']);
    expect(spec.connectionSpecification.properties.api_key!.airbyte_secret).toBe(true);
    expect(spec.connectionSpecification.properties.api_secret!.airbyte_secret).toBe(true);
    expect(r.stderr).toBe('');
    expectClean(r);
  });

  test.each([
    [['frobnicate'], /unknown command 'frobnicate'/],
    [[], /missing command/],
    [['check'], /check needs --config FILE/],
    [['read', '--config', 'x.json'], /read needs --catalog FILE/],
    [['spec', '--bogus'], /bogus/],
  ])('usage error %j prints usage on stderr and exits 2', async (args, pattern) => {
    const r = await runCli(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(pattern);
    expect(r.stderr).toMatch(/usage: shipstation-source/);
  });

  test('--version prints the package version on stderr (stdout is for protocol messages only); --help lists every option', async () => {
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    const v = await runCli(['--version']);
    expect([v.code, v.stdout, v.stderr]).toEqual([0, '', `shipstation-source ${version}\n`]);
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toBe('');
    for (const option of ['--config', '--catalog', '--state', '--debug', '--version', '--help'])
      expect(help.stderr).toContain(option);
  });
});

test('the secret guard on every CLI run detects a leak (so it can fail)', () => {
  expect(leakedSecrets(`{"message":"key ${KEY}"}`)).toEqual([KEY]);
  expect(leakedSecrets('{"message":"nothing here"}')).toEqual([]);
});

const HEADER_VALUE = (field: string) =>
  new RegExp(
    `^config\\.${field} contains a line break or a character that cannot be sent in an HTTP header; copy it again without spaces or line breaks$`,
  );
const BASIC_CONTROL = (field: string) =>
  new RegExp(
    `^config\\.${field} contains a line break or another control character, which HTTP Basic authentication cannot carry; copy it again without spaces or line breaks$`,
  );

describe('bad config', () => {
  const cases: Array<[string, unknown, RegExp]> = [
    ['missing file', null, /config file .*missing\.json is not found/],
    ['invalid JSON', '{"api_key": ', /config file .* is not valid JSON/],
    ['not an object', '[1,2]', /config: must be a JSON object/],
    ['missing api_secret', { api_key: KEY, api_version: 'v1' }, /^config\.api_secret is required for api_version v1: /],
    ['missing api_key', { api_secret: SECRET }, /^config has no api_key: copy your ShipStation API key from /],
    ['wrong type', { ...goodConfig, page_size: 'big' }, /^config\.page_size must be a whole number, but is text$/],
    [
      'out of range',
      { ...goodConfig, page_size: 1000 },
      /^config\.page_size must be between 1 and 500 \(given: 1000\)$/,
    ],
    // The shapes of v1 credentials (issue #26): what was given instead, never the value.
    [
      'a one-character v1 secret',
      { ...goodConfig, api_secret: 'x' },
      /^config\.api_secret has 1 character, some other than 0-9 and a-f, where a v1 API secret has 32 hexadecimal characters: /,
    ],
    [
      'a v1 key with a letter past f',
      { ...goodConfig, api_key: `${KEY.slice(0, 31)}g` },
      /^config\.api_key has 32 characters, but contains characters other than 0-9 and a-f, where a v1 API key has 32 hexadecimal characters: /,
    ],
    [
      'a 32-hex key without a secret',
      { api_key: KEY },
      /^config\.api_secret is empty, but api_key has the shape of a v1 API key \(32 hexadecimal characters\): add the v1 API secret/,
    ],
    [
      'bad start_date',
      { ...goodConfig, start_date: '01/02/2024' },
      /^config\.start_date is not a valid UTC date or date-time \(YYYY-MM-DD or YYYY-MM-DDTHH:mm:ssZ\)$/,
    ],
    [
      'base_url without a scheme',
      { ...goodConfig, base_url: 'ssapi.shipstation.com' },
      /^config\.base_url must be an http:\/\/ or https:\/\/ address such as https:\/\/ssapi\.shipstation\.com$/,
    ],
    ['plain http to a remote host', { ...goodConfig, base_url: 'http://api.example.com' }, /base_url/],
    // Values undici cannot put in a header used to be retried as network errors until the process hung (issue #21).
    [
      'partner_key with a line break',
      { ...goodConfig, partner_key: 'pk-0123456789\nabc' },
      HEADER_VALUE('partner_key'),
    ],
    ['partner_key with a NUL', { ...goodConfig, partner_key: 'pk-0123456789\u0000abc' }, HEADER_VALUE('partner_key')],
    ['partner_key past Latin-1', { ...goodConfig, partner_key: 'pk-0123456789\u20acabc' }, HEADER_VALUE('partner_key')],
    ['api_key with a trailing newline', { ...goodConfig, api_key: `${KEY}\n` }, BASIC_CONTROL('api_key')],
    ['api_secret with a carriage return', { ...goodConfig, api_secret: `${SECRET}\r` }, BASIC_CONTROL('api_secret')],
    [
      'username (alias) with a colon',
      { username: `${KEY}:x`, password: SECRET },
      /^config\.username contains a colon, which HTTP Basic authentication cannot carry in the user name/,
    ],
  ];
  const files = (value: unknown) =>
    value === null
      ? { path: '/nonexistent/missing.json' }
      : { path: writeFiles({ 'config.json': value })['config.json']! };

  test.each(cases)('%s: check -> FAILED CONNECTION_STATUS, exit 0', async (_name, value, pattern) => {
    await expectCheckFailed(['check', '--config', files(value).path], pattern);
  });

  test.each(cases)('%s: discover -> config_error TRACE, exit 1', async (_name, value, pattern) => {
    await expectConfigError(['discover', '--config', files(value).path], pattern);
  });

  test('a secret in a wrong-typed field is named, never echoed', async () => {
    const p = writeFiles({ 'config.json': { api_key: KEY, api_secret: SECRET, requests_per_minute: SECRET } });
    const error = await expectConfigError(
      ['discover', '--config', p['config.json']!],
      /^config\.requests_per_minute must be a whole number, but is text$/,
    );
    expect(JSON.stringify(error)).not.toContain(SECRET);
  });

  test("Airbyte's username/password names are accepted as aliases", async () => {
    const p = writeFiles({ 'config.json': { username: KEY, password: SECRET } });
    const r = await runCli(['discover', '--config', p['config.json']!]);
    expect(r.code).toBe(0);
    expect(ofType(r.messages, 'CATALOG')).toHaveLength(1);
    expectClean(r);
  });
});

describe('a start_date in the future', () => {
  // Nothing would be read, and the empty run's checkpoint would start the next sync in the future (issue #21).
  const future = `${new Date().getUTCFullYear() + 4}-01-01`;
  const message = `config.start_date (${future}) lies in the future: nothing would be read. Set a date in the past, or leave it empty to read the whole history.`;
  const config = () => writeFiles({ 'config.json': { ...goodConfig, start_date: future } })['config.json']!;

  test('check: a FAILED status naming it, exit 0', async () => {
    await expectCheckFailed(['check', '--config', config()], new RegExp(`^${message.replace(/[.()]/g, '\\$&')}$`));
  });

  test('read: a config_error naming it, before any request', async () => {
    const p = writeFiles({ 'catalog.json': catalogOf([ordersStream]) });
    const error = await expectConfigError(
      ['read', '--config', config(), '--catalog', p['catalog.json']!],
      /lies in the future/,
    );
    expect(error.message).toBe(message);
  });

  test('discover: still prints the catalog (it builds catalogs from any config)', async () => {
    const r = await runCli(['discover', '--config', config()]);
    expect(r.code).toBe(0);
    expect(ofType(r.messages, 'CATALOG')).toHaveLength(1);
    expectClean(r);
  });
});

describe('bad catalog and state on read', () => {
  const read = (catalog: unknown, state?: unknown) => {
    const p = writeFiles({
      'config.json': goodConfig,
      'catalog.json': catalog,
      ...(state === undefined ? {} : { 'state.json': state }),
    });
    return [
      'read',
      '--config',
      p['config.json']!,
      '--catalog',
      p['catalog.json']!,
      ...(state === undefined ? [] : ['--state', p['state.json']!]),
    ];
  };

  test.each<[string, unknown, RegExp]>([
    ['invalid JSON', '{', /catalog file .* is not valid JSON/],
    ['no streams', {}, /catalog: missing required field 'streams'/],
    [
      'unknown stream',
      catalogOf([{ ...ordersStream, stream: { ...ordersStream.stream, name: 'invoices' } }]),
      /unknown stream 'invoices'/,
    ],
    [
      'unsupported sync mode',
      catalogOf([{ ...ordersStream, stream: { ...ordersStream.stream, name: 'stores' }, cursor_field: [] }]),
      /'stores' does not support incremental/,
    ],
    [
      'bad sync mode value',
      catalogOf([{ ...ordersStream, sync_mode: 'sometimes' }]),
      /sync_mode must be equal to one of the allowed values/,
    ],
    [
      'foreign cursor',
      catalogOf([{ ...ordersStream, cursor_field: ['orderDate'] }]),
      /cursor_field: 'orderDate' is not a cursor of stream 'orders' \(use modifyDate or createDate\)/,
    ],
  ])('catalog %s -> config_error naming it', async (_name, catalog, pattern) => {
    await expectConfigError(read(catalog), pattern);
  });

  test.each<[string, unknown, RegExp]>([
    ['invalid JSON', '[{', /state file .* is not valid JSON/],
    ['unknown state type', [{ type: 'SOMETIMES' }], /state\[0\]\.type: must be STREAM, GLOBAL or LEGACY/],
    [
      'stream state without a name',
      [{ type: 'STREAM', stream: { stream_state: {} } }],
      /state\[0\]\.stream\.stream_descriptor\.name: missing/,
    ],
    ['global without stream_states', [{ type: 'GLOBAL', global: {} }], /global\.stream_states: missing/],
    [
      'malformed cursor',
      [
        {
          type: 'STREAM',
          stream: {
            stream_descriptor: { name: 'orders' },
            stream_state: { version: 1, cursor_field: 'modifyDate', cursor: 'soon' },
          },
        },
      ],
      /state for stream 'orders'.*cursor: not a date-time/,
    ],
    ['legacy blob with junk', { orders: { foo: 1 } }, /state for stream 'orders': not a state this connector wrote/],
  ])('state %s -> config_error naming it', async (_name, state, pattern) => {
    await expectConfigError(read(catalogOf([ordersStream]), state), pattern);
  });
});
