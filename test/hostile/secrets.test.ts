// Secrets against a server that echoes them, and secrets no substring masking could survive: short ones, ones
// equal to JSON tokens. Every run: each stdout line is valid JSON of the protocol, no secret in any form leaks.
import { afterEach, describe, expect, test } from '@jest/globals';
import { runCli, writeFiles } from '../helpers/cli.js';
import { byId, lastStates, recordsOf } from '../helpers/sim.js';
import { errorsOf, expectNoSecret, expectNoStack, leakForms, outcome, read } from './run.js';
import { orders, send, startHostile, type HostileServer, type Row } from './server.js';

let server: HostileServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('a server that echoes the credentials', () => {
  test('a 400 body quoting the Authorization header: a one-line system_error, no stack, no credential in any form', async () => {
    const key = '0123456789abcdef0123456789abcdef';
    const secret = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
    server = await startHostile({
      apiKey: key,
      apiSecret: secret,
      data: { '/orders': orders(3) },
      hook: (req, res) => {
        if (req.path !== '/orders') return false;
        send(res, 400, {
          Message: `Bad request.\nYou sent: ${req.headers.authorization}\nQuery: ${encodeURIComponent(secret)}`,
        });
        return true;
      },
    });
    const r = await read(server, [{ name: 'orders', mode: 'incremental' }, { name: 'stores' }]);
    expect(outcome(r, ['orders', 'stores'])).toEqual({
      code: 1,
      statuses: { orders: 'INCOMPLETE', stores: 'COMPLETE' },
      invalid: [],
    });
    const [error] = errorsOf(r.messages);
    expect(error!.failure_type).toBe('system_error');
    expect(error!.message).toMatch(/HTTP 400\): Bad request\. You sent: Basic \*+ Query: \*+$/);
    expectNoStack(r);
    const output = r.stdout + r.stderr;
    expect(leakForms([key, secret]).filter((form) => form.length >= 6 && output.includes(form))).toEqual([]);
  });

  test('a 404 is a system_error with a sentence, not a stack trace', async () => {
    server = await startHostile({
      hook: (req, res) => (req.path === '/customers' ? (send(res, 404, { Message: 'gone' }), true) : false),
    });
    const r = await read(server, [{ name: 'customers' }]);
    expect(outcome(r, ['customers'])).toMatchObject({ code: 1, statuses: { customers: 'INCOMPLETE' } });
    expect(errorsOf(r.messages)[0]!.message).toMatch(/404 Not Found for \/customers/);
    expectNoStack(r);
  });
});

// v1 keys and secrets are refused unless 32 hexadecimal characters (issue #26): a secret this short can only be a
// partner_key (or an API v2 key), whose shape is not checked.
const KEY = 'fedcba9876543210fedcba9876543210';
const SECRET = '0123456789abcdef0123456789abcdef';
describe('secrets no substring masking survives', () => {
  test.each<[string, string]>([
    ['1000', 'a number every record holds'],
    ['type', 'the key of every message'],
    ['null', 'a JSON literal'],
    ['"', 'JSON punctuation'],
    ['a', 'one character'],
    ['2024', 'characters of every date in the checkpoints'],
  ])('partner_key %j (%s): every line stays valid protocol JSON and no record is lost', async (secret) => {
    const key = KEY;
    const rows: Row[] = orders(12).map((o, i) => ({
      ...o,
      orderId: 1000 + i,
      orderNumber: `1000-${i}`,
      customerNotes: i === 0 ? `note with ${secret} inside` : null,
    }));
    server = await startHostile({ apiKey: key, apiSecret: SECRET, data: { '/orders': rows } });
    const r = await read(
      server,
      [
        { name: 'orders', mode: 'incremental' },
        { name: 'order_items', mode: 'incremental' },
      ],
      { config: { partner_key: secret } },
    );
    expect(outcome(r, ['orders', 'order_items'])).toEqual({
      code: 0,
      statuses: { orders: 'COMPLETE', order_items: 'COMPLETE' },
      invalid: [],
    });
    const got = byId(recordsOf(r.messages, 'orders'), 'orders');
    expect([...got.keys()].sort()).toEqual(rows.map((o) => o.orderId).sort());
    expect(recordsOf(r.messages, 'order_items').map((i) => i.orderItemId)).toEqual(
      rows.flatMap((o) => (o.items as Array<{ orderItemId: number }>).map((i) => i.orderItemId)),
    );
    // The Basic token (long whatever the secrets) never appears, in any encoding.
    const output = r.stdout + r.stderr;
    const pair = Buffer.from(`${key}:${SECRET}`);
    for (const form of [
      pair.toString('base64'),
      pair.toString('base64url'),
      encodeURIComponent(pair.toString('base64')),
    ])
      expect(output).not.toContain(form);
    const first = got.get(1000)!;
    expect(String(first.customerNotes)).not.toContain(secret);
    // The checkpoints are never masked: the next sync reads them back and finds nothing new.
    const again = await read(
      server,
      [
        { name: 'orders', mode: 'incremental' },
        { name: 'order_items', mode: 'incremental' },
      ],
      { state: lastStates(r.messages), config: { partner_key: secret } },
    );
    expect(outcome(again, ['orders'])).toEqual({ code: 0, statuses: { orders: 'COMPLETE' }, invalid: [] });
    expect(recordsOf(again.messages, 'orders').length).toBeLessThanOrEqual(1);
  });

  test('a config file that is not JSON: named with line and column, its content (the secret) never quoted', async () => {
    const secret = 'sEcReT-0123456789-not-quoted';
    const files = writeFiles({ 'config.json': `{\n  "api_key": "key-0123456789",\n  "api_secret": ${secret}\n}` });
    const r = await runCli(['check', '--config', files['config.json']!]);
    expect(r.code).toBe(0);
    const status = r.messages[0]!.connectionStatus as { status: string; message: string };
    expect(status).toEqual({
      status: 'FAILED',
      message: `config file ${files['config.json']} is not valid JSON (line 3, column 17)`,
    });
    expectNoSecret(r, [secret, 'key-0123456789']);
  });
});
