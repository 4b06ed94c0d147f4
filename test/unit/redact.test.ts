// Masking by value: random secrets (short ones, ones equal to JSON tokens or protocol words) over real protocol
// lines. Every masked line must parse to the same structure, and no secret form may survive in any value.
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { describe, expect, test } from '@jest/globals';
import { Emitter } from '../../src/protocol/emitter.js';
import {
  catalogMessage,
  connectionStatusMessage,
  errorTraceMessage,
  estimateTraceMessage,
  logMessage,
  specMessage,
  streamStateMessage,
  streamStatusMessage,
} from '../../src/protocol/messages.js';
import { createRedactor, MIN_MASKED_IN_SENTENCES, secretForms } from '../../src/protocol/redact.js';
import { connectorSpecification } from '../../src/cli/main.js';
import { buildCatalog } from '../../src/streams/catalog.js';
import type { AirbyteMessage } from '../../src/generated/protocol.js';
import { v1 } from '../../src/dialects/v1.js';

const example = (name: string, key: string) =>
  (
    JSON.parse(readFileSync(new URL(`../fixtures/examples/${name}.json`, import.meta.url), 'utf8')) as Record<
      string,
      Array<Record<string, unknown>>
    >
  )[key]!;
const ORDERS = example('orders', 'orders');
const SHIPMENTS = example('shipments', 'shipments');

/** Deterministic PRNG (mulberry32): a failing case can be replayed from its seed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const JSON_TOKENS = [
  'type',
  '1000',
  'true',
  'null',
  '"',
  '\\',
  ':',
  ',',
  '{',
  '}',
  '[',
  ']',
  'RECORD',
  'orders',
  'data',
  'stream',
  '0',
  'a',
  '*',
  '\n',
  '\u2028',
  'é',
  ' ',
];
const CHARSET = 'abcdefABCDEF0123456789:"\\/+=%&? {}[],.-_*#~é\u2028\n\t€😀';

function randomSecret(random: () => number, minLength = 1): string {
  if (minLength === 1 && random() < 0.4) return JSON_TOKENS[Math.floor(random() * JSON_TOKENS.length)]!;
  const length = minLength + Math.floor(random() * (41 - minLength));
  let s = '';
  while (s.length < length) s += [...CHARSET][Math.floor(random() * [...CHARSET].length)];
  return s;
}

/** Real protocol messages, with the secrets planted in the places they can reach in practice. */
function messagesWith(key: string, secret: string): AirbyteMessage[] {
  const basic = `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`;
  return [
    specMessage(connectorSpecification()),
    catalogMessage(buildCatalog(v1.streams)),
    connectionStatusMessage('FAILED', `ShipStation rejected ${key}`),
    logMessage('WARN', `GET /orders?x=${encodeURIComponent(secret)} failed; header was ${basic}`),
    streamStatusMessage('orders', 'RUNNING', 1_700_000_000_000),
    estimateTraceMessage('orders', 1000),
    streamStateMessage(
      'orders',
      { version: 1, cursor_field: 'modifyDate', cursor: '2024-01-01T00:00:00.000Z', ids_at_cursor: [1000, 'true'] },
      1000,
    ),
    errorTraceMessage({
      message: `HTTP 400: ${basic}`,
      failureType: 'system_error',
      internalMessage: `echo ${secret} and ${key}`,
      stream: 'orders',
    }),
  ];
}

function recordsWith(key: string, secret: string): Array<Record<string, unknown>> {
  return [
    ...ORDERS,
    {
      ...ORDERS[0]!,
      orderId: 1000,
      customerNotes: `notes ${secret} ${Buffer.from(`${key}:${secret}`).toString('base64url')}`,
      internalNotes: key,
    },
    ...SHIPMENTS,
  ];
}

async function emitAll(
  key: string,
  secret: string,
  messages: AirbyteMessage[],
  records: Array<Record<string, unknown>>,
): Promise<string> {
  let out = '';
  const sink = new Writable({ write: (chunk, _enc, done) => ((out += String(chunk)), done()) });
  const emitter = new Emitter(sink, createRedactor([key, secret]));
  for (const m of messages) await emitter.emit(m);
  await emitter.emitRecords('orders', records, 1_700_000_000_000);
  return out;
}

const VOCABULARY_PATHS =
  /^(type|record\.stream|state\.type|state\.stream\.stream_descriptor\.name|trace\.type|trace\.error\.failure_type|trace\.error\.stream_descriptor\.name|trace\.estimate\.(name|type)|trace\.stream_status\.(stream_descriptor\.name|status|reasons\.type)|log\.level|connectionStatus\.status)$/;
const STATIC_PATHS = /^(spec|catalog|state)(\.|$)/;

/**
 * Compares an output value with its input: same keys, same array lengths, same non-string values; strings equal
 * where masking may not touch them; elsewhere any string. Returns the paths of every difference.
 */
function shapeDiff(input: unknown, output: unknown, path = ''): string[] {
  if (typeof input === 'string') {
    if (typeof output !== 'string') return [path];
    return (VOCABULARY_PATHS.test(path) || STATIC_PATHS.test(path)) && input !== output ? [path] : [];
  }
  if (typeof input !== 'object' || input === null) return Object.is(input, output) ? [] : [path];
  if (typeof output !== 'object' || output === null || Array.isArray(input) !== Array.isArray(output)) return [path];
  if (Array.isArray(input)) {
    const out = output as unknown[];
    if (out.length !== input.length) return [path];
    return input.flatMap((v, i) => shapeDiff(v, out[i], path));
  }
  const a = Object.keys(input);
  const b = Object.keys(output);
  if (a.join('\u0000') !== b.join('\u0000')) return [`${path} keys`];
  return a.flatMap((k) =>
    shapeDiff((input as Record<string, unknown>)[k], (output as Record<string, unknown>)[k], path ? `${path}.${k}` : k),
  );
}

/** Every string value outside the vocabulary and static paths that still holds one of the forms. */
function leaks(value: unknown, forms: string[], path = ''): string[] {
  if (typeof value === 'string') {
    if (VOCABULARY_PATHS.test(path) || STATIC_PATHS.test(path)) return [];
    // Our own sentences spare forms too short to be a credential, unless they are the whole value.
    const shown = path.startsWith('record.')
      ? forms
      : forms.filter((f) => f.length >= MIN_MASKED_IN_SENTENCES || f === value);
    return shown.filter((f) => value.includes(f)).map((f) => `${path}: ${JSON.stringify(f)}`);
  }
  if (typeof value !== 'object' || value === null) return [];
  if (Array.isArray(value)) return value.flatMap((v) => leaks(v, forms, path));
  return Object.entries(value).flatMap(([k, v]) => leaks(v, forms, path ? `${path}.${k}` : k));
}

describe('masking by value', () => {
  test('a key 1000 leaves "orderItemId":1000 a number, and a key type leaves every "type" alone', async () => {
    const out = await emitAll(
      '1000',
      'type',
      [logMessage('INFO', 'key 1000 and type')],
      [{ orderItemId: 1000, type: 'type', note: 'id 1000' }],
    );
    const [log, record] = out
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, Record<string, unknown>>);
    // Too short to be a credential: our sentence stays readable; the data is masked.
    expect(log).toEqual({ type: 'LOG', log: { level: 'INFO', message: 'key 1000 and type' } });
    expect(record!.record!.data).toEqual({ orderItemId: 1000, type: '**********', note: 'id **********' });
  });

  test('masking never garbles our own words: a secret x or a key "key" leaves sentences whole (issue #26)', async () => {
    const sentences = [
      'config.api_secret has 1 character where a v1 API secret has 32 hexadecimal characters',
      "waiting because the key's budget is spent",
    ];
    const out = await emitAll('key', 'x', [logMessage('ERROR', sentences[0]!), logMessage('WARN', sentences[1]!)], []);
    expect(
      out
        .trimEnd()
        .split('\n')
        .map((l) => (JSON.parse(l) as { log: { message: string } }).log.message),
    ).toEqual(sentences);
    // A whole value equal to the secret, and any credible secret inside a sentence, are still masked.
    const redact = createRedactor(['key', 'sEcReT9']);
    expect(redact.message(logMessage('INFO', 'key'))).toEqual(logMessage('INFO', '**********'));
    expect(redact.message(logMessage('INFO', 'you sent sEcReT9'))).toEqual(logMessage('INFO', 'you sent **********'));
  });

  test('the Basic token, its base64, base64url and URL-encoded forms are masked whatever the secret lengths', () => {
    const redact = createRedactor(['ab', 'a-much-longer-secret/with+signs']);
    const token = Buffer.from('ab:a-much-longer-secret/with+signs').toString('base64');
    for (const form of [
      token,
      encodeURIComponent(token),
      Buffer.from('ab:a-much-longer-secret/with+signs').toString('base64url'),
    ]) {
      expect(redact(`Authorization: Basic ${form}`)).toBe('Authorization: Basic **********');
    }
    expect(redact('x=a-much-longer-secret%2Fwith%2Bsigns')).toBe('x=**********');
    expect(redact('x=a-much-longer-secret%2fwith%2bsigns')).toBe('x=**********');
  });

  test('a checkpoint is never masked: it must stay valid input for the next sync', async () => {
    const state = streamStateMessage(
      'orders',
      { version: 1, cursor_field: 'modifyDate', cursor: '2024-01-01T00:00:00.000Z' },
      3,
    );
    const out = await emitAll('2024', 'a', [state], []);
    expect(JSON.parse(out)).toEqual(state);
  });

  test('the mask never spells a secret: a secret made of asterisks gets another mask character', () => {
    const redact = createRedactor(['*', 'k']);
    expect(redact('a*b k')).toBe('a##########b ##########');
  });

  test('records without a secret are written unchanged (the fast path)', async () => {
    const out = await emitAll('0123456789abcdef0123456789abcdef', 'fedcba9876543210fedcba9876543210', [], ORDERS);
    expect(out).toBe(
      ORDERS.map(
        (o) =>
          `{"type":"RECORD","record":{"stream":"orders","data":${JSON.stringify(o)},"emitted_at":1700000000000}}\n`,
      ).join(''),
    );
  });

  test('property: random secrets over real protocol lines keep every line the same JSON structure and leak no form', async () => {
    const random = rng(20240614);
    for (let run = 0; run < 100; run++) {
      const key = randomSecret(random);
      const secret = randomSecret(random);
      const messages = messagesWith(key, secret);
      const records = recordsWith(key, secret);
      const out = await emitAll(key, secret, messages, records);
      const lines = out.split('\n');
      expect(lines.pop()).toBe('');
      const inputs: unknown[] = [
        ...messages.map((m) => JSON.parse(JSON.stringify(m)) as unknown),
        ...records.map((data) => ({
          type: 'RECORD',
          record: { stream: 'orders', data, emitted_at: 1_700_000_000_000 },
        })),
      ];
      expect({ run, key, secret, lines: lines.length }).toEqual({ run, key, secret, lines: inputs.length });
      const forms = secretForms([key, secret]);
      lines.forEach((line, i) => {
        expect(line).not.toMatch(/[\u2028\u2029]/);
        const parsed = JSON.parse(line) as unknown;
        expect({ run, key, secret, i, diff: shapeDiff(inputs[i], parsed) }).toEqual({ run, key, secret, i, diff: [] });
        expect({ run, key, secret, i, leaks: leaks(parsed, forms) }).toEqual({ run, key, secret, i, leaks: [] });
      });
    }
  });

  test('property: a credible secret (6+ random characters) appears in no byte of the output, in any form', async () => {
    const random = rng(7);
    for (let run = 0; run < 100; run++) {
      const key = randomSecret(random, 6);
      const secret = randomSecret(random, 6);
      const out = await emitAll(key, secret, messagesWith(key, secret), recordsWith(key, secret));
      const needles = secretForms([key, secret])
        .flatMap((f) => [f, JSON.stringify(f).slice(1, -1)])
        .filter((n) => n.length >= 6);
      expect({ run, key, secret, found: needles.filter((n) => out.includes(n)) }).toEqual({
        run,
        key,
        secret,
        found: [],
      });
    }
  });
});
