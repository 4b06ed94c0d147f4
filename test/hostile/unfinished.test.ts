// A command left awaiting a promise nothing will settle (issue #21: a request undici never answered) used to end
// with exit code 13 and no final message at all. Here the engine is swapped, through Node's module hooks, for
// one that never finishes (test/hostile/stalled/): check must still end with a CONNECTION_STATUS, read with a
// TRACE error, both on stdout, the same sentence on stderr, exit code 1.
import { describe, expect, test } from '@jest/globals';
import { UNBUNDLED_ENTRY, runCli, traceErrors, writeFiles } from '../helpers/cli.js';
import { invalidMessages } from '../helpers/protocol.js';
import { configuredCatalog } from '../helpers/sim.js';
import { expectNoSecret, expectNoStack } from './run.js';

const REGISTER = new URL('./stalled/register.mjs', import.meta.url).href;
const env = { NODE_OPTIONS: `--import ${REGISTER}`, SHIPSTATION_PROGRESS: 'off' };
const config = {
  api_key: '57a11e0123456789abcdef0123456789',
  api_secret: '57a11e5ec0123456789abcdef0123456',
  base_url: 'http://127.0.0.1:9',
};
const STOPPED = (command: string) =>
  new RegExp(
    `^The connector stopped without finishing the ${command} command: an internal step was left waiting for something that can no longer happen`,
  );

describe('a command whose work never settles', () => {
  test('check: a FAILED CONNECTION_STATUS saying so, the sentence on stderr, exit 1', async () => {
    const files = writeFiles({ 'config.json': config });
    const r = await runCli(['check', '--config', files['config.json']!], {
      env,
      entry: UNBUNDLED_ENTRY,
      timeoutMs: 20_000,
    });
    expect(r.signal).toBeNull();
    expect(r.code).toBe(1);
    expect(r.messages).toHaveLength(1);
    expect(r.messages[0]!.type).toBe('CONNECTION_STATUS');
    const status = r.messages[0]!.connectionStatus as { status: string; message: string };
    expect(status.status).toBe('FAILED');
    expect(status.message).toMatch(STOPPED('check'));
    expect(r.stderr).toMatch(/^error: The connector stopped without finishing the check command/m);
    expect(invalidMessages(r.messages)).toEqual([]);
    expectNoStack(r);
    expectNoSecret(r, [config.api_key, config.api_secret]);
  });

  test('read: a system_error TRACE saying so, the sentence on stderr, exit 1', async () => {
    const files = writeFiles({ 'config.json': config, 'catalog.json': configuredCatalog([{ name: 'stores' }]) });
    const r = await runCli(['read', '--config', files['config.json']!, '--catalog', files['catalog.json']!], {
      env,
      entry: UNBUNDLED_ENTRY,
      timeoutMs: 20_000,
    });
    expect(r.signal).toBeNull();
    expect(r.code).toBe(1);
    const errors = traceErrors(r.messages);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.failure_type).toBe('system_error');
    expect(errors[0]!.message).toMatch(STOPPED('read'));
    expect(r.messages.at(-1)!.type).toBe('TRACE');
    expect(r.stderr).toMatch(/^error: The connector stopped without finishing the read command/m);
    expect(invalidMessages(r.messages)).toEqual([]);
    expectNoStack(r);
    expectNoSecret(r, [config.api_key, config.api_secret]);
  });
});
