import { describe, expect, it } from '@jest/globals';
import { ConfigError, SystemError, TransientError } from '../../src/errors.js';
import { createRedactor, noRedaction } from '../../src/protocol/redact.js';
import { authHeaders, basicAuthorization, looksLikeV2ApiKey } from '../../src/shipstation/credentials.js';
import {
  errorCode,
  errorForStatus,
  looksLikeHtml,
  networkErrorDetail,
  networkFailure,
  refusedBeforeSending,
  serverMessageFrom,
  unreachableMessage,
} from '../../src/shipstation/httpErrors.js';

const V1_KEY = '0123456789abcdef0123456789abcdef';
const V1_SECRET = 'FEDCBA9876543210FEDCBA9876543210';

describe('credentials', () => {
  it('builds the Basic header from key and secret', () => {
    expect(basicAuthorization('ShipStation', 'Rocks')).toBe('Basic U2hpcFN0YXRpb246Um9ja3M=');
  });

  it('sends a v2 key alone in the API-Key header, and v1 credentials as Basic only', () => {
    expect(authHeaders('v2', { apiKey: 'TEST_abc' })).toEqual({ 'api-key': 'TEST_abc' });
    expect(authHeaders('v1', { apiKey: 'ShipStation', apiSecret: 'Rocks' })).toEqual({
      authorization: 'Basic U2hpcFN0YXRpb246Um9ja3M=',
    });
  });

  it.each([
    [V1_KEY, V1_SECRET, false],
    ['TEST_abcdefghijklmnopqrstuvwxyz0123456789', '', true],
    ['k3Jd8sLmQp0aZ7xYvW2nB5cR9tE1uI4oP6gH+/aBc', 'k3Jd8sLmQp0aZ7xYvW2nB5cR9tE1uI4oP6gH+/aBc', true],
    ['TEST_abcdefghijklmnopqrstuvwxyz0123456789', V1_SECRET, false],
    ['typo', V1_SECRET, false],
  ])('looksLikeV2ApiKey(%s, %s) is %s', (key, secret, expected) => {
    expect(looksLikeV2ApiKey(key, secret)).toBe(expected);
  });
});

describe('errorForStatus', () => {
  const ctx = {
    path: '/orders',
    baseUrl: 'https://ssapi.shipstation.com',
    version: 'v1' as const,
    credentials: { apiKey: V1_KEY, apiSecret: V1_SECRET },
    bodyText: '',
    redact: noRedaction,
  };
  const v2ctx = { ...ctx, version: 'v2' as const, credentials: { apiKey: 'TEST_abcdefghijklmnop' } };

  it('maps each status to its failure type', () => {
    expect(errorForStatus(401, ctx)).toBeInstanceOf(ConfigError);
    expect(errorForStatus(403, ctx)).toBeInstanceOf(ConfigError);
    expect(errorForStatus(404, ctx)).toBeInstanceOf(SystemError);
    expect(errorForStatus(400, ctx)).toBeInstanceOf(SystemError);
    expect(errorForStatus(409, ctx)).toBeInstanceOf(SystemError);
    expect(errorForStatus(500, ctx)).toBeInstanceOf(TransientError);
    expect(errorForStatus(503, ctx)).toBeInstanceOf(TransientError);
    expect(errorForStatus(408, ctx)).toBeInstanceOf(TransientError);
  });

  it('names the base URL on 404', () => {
    expect(errorForStatus(404, ctx).message).toBe(
      'ShipStation answered 404 Not Found for /orders at https://ssapi.shipstation.com. ' +
        'Is base_url the ShipStation v1 API address (https://ssapi.shipstation.com)?',
    );
    expect(errorForStatus(404, { ...v2ctx, path: '/v2/shipments' }).message).toMatch(
      /for \/v2\/shipments .*API v2 address \(https:\/\/api\.shipstation\.com\)\?$/,
    );
  });

  it('says which kind of key is needed, in one sentence', () => {
    const v1 = errorForStatus(401, ctx).message;
    expect(v1).toMatch(/^ShipStation authentication failed \(HTTP 401\): the API key and secret were not accepted/);
    expect(v1).not.toMatch(/v2/);
    const v2KeyOnV1 = errorForStatus(401, { ...ctx, credentials: { apiKey: 'TEST_abcdefghijklmnop', apiSecret: 'x' } });
    expect(v2KeyOnV1.message).toMatch(/may be an API v2 key; set api_version to v2/);
    const v1KeyOnV2 = errorForStatus(401, { ...v2ctx, credentials: { apiKey: V1_KEY } });
    expect(v1KeyOnV2.message).toMatch(/shape of a v1 API key.*create an API v2 key under .*V2 API/);
    expect(errorForStatus(401, v2ctx).message).toMatch(/the API v2 key was not accepted/);
    for (const e of [v1, v2KeyOnV1.message, v1KeyOnV2.message]) expect(e.split('. ')).toHaveLength(1);
    expect(errorForStatus(403, v2ctx).message).toMatch(/^ShipStation denied access \(HTTP 403\)/);
  });
});

describe('serverMessageFrom', () => {
  it('takes Message and ExceptionMessage from a JSON body', () => {
    expect(serverMessageFrom('{"Message":"The request is invalid.","ExceptionMessage":"x"}', noRedaction)).toBe(
      'The request is invalid. x',
    );
  });

  it("takes the messages of API v2's error list", () => {
    const body = JSON.stringify({
      request_id: 'r1',
      errors: [
        { error_source: 'shipstation', error_type: 'validation', error_code: 'invalid_field', message: 'bad page' },
      ],
    });
    expect(serverMessageFrom(body, noRedaction)).toBe('bad page');
  });

  it('ignores HTML, shortens long text and redacts secrets', () => {
    expect(serverMessageFrom('<html>error</html>', noRedaction)).toBeUndefined();
    expect(serverMessageFrom('x'.repeat(1_000), noRedaction)).toHaveLength(301);
    expect(serverMessageFrom(`{"Message":"key ${V1_KEY}"}`, createRedactor([V1_KEY, V1_SECRET]))).toBe(
      'key **********',
    );
  });
});

describe('network errors', () => {
  it('describes DNS, refused, reset and TLS failures without credentials', () => {
    expect(networkErrorDetail('ENOTFOUND')).toMatch(/could not be resolved/);
    expect(networkErrorDetail('ECONNREFUSED')).toMatch(/refused/);
    expect(networkErrorDetail('UND_ERR_SOCKET')).toMatch(/closed unexpectedly/);
    expect(networkErrorDetail('CERT_HAS_EXPIRED')).toMatch(/TLS certificate/);
    expect(networkErrorDetail('ERR_TLS_CERT_ALTNAME_INVALID')).toMatch(/TLS certificate/);
    expect(unreachableMessage('ssapi.shipstation.com', networkErrorDetail('EAI_AGAIN'))).toBe(
      'Could not reach ShipStation at ssapi.shipstation.com: the host name could not be resolved (DNS, EAI_AGAIN)',
    );
  });

  it("finds the code of undici's wrapped socket errors", () => {
    const inner = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    const wrapped = Object.assign(new Error('other side closed', { cause: inner }), { code: 'UND_ERR_SOCKET' });
    expect(errorCode(wrapped)).toBe('ECONNRESET');
    expect(errorCode(Object.assign(new Error('x'), { code: 'UND_ERR_SOCKET' }))).toBe('UND_ERR_SOCKET');
    expect(errorCode('nope')).toBeUndefined();
  });

  it('keeps the original error out of the cause chain, redacted text only in internal', () => {
    const raw = new Error(`connect failed for ${V1_KEY}`);
    const err = networkFailure(raw, 'Could not reach ShipStation at h', createRedactor([V1_KEY, V1_SECRET]));
    expect(err).toBeInstanceOf(TransientError);
    expect(err.cause).toBeUndefined();
    expect(err.internal).toBe('Error: connect failed for **********');
  });

  it('recognises HTML by content type or leading tag', () => {
    expect(looksLikeHtml('{}', 'text/html; charset=utf-8')).toBe(true);
    expect(looksLikeHtml('  <!DOCTYPE html>', undefined)).toBe(true);
    expect(looksLikeHtml('{"a":1}', 'application/json')).toBe(false);
  });
});

describe('a request refused before sending', () => {
  const coded = (name: string, code: string) => Object.assign(new Error('x'), { name, code });

  it('is told apart from network failures by its code', () => {
    expect(refusedBeforeSending(coded('InvalidArgumentError', 'UND_ERR_INVALID_ARG'))).toBe(true);
    expect(refusedBeforeSending(coded('TypeError', 'ERR_INVALID_CHAR'))).toBe(true);
    expect(refusedBeforeSending(new TypeError('no code'))).toBe(true);
    for (const code of ['ECONNREFUSED', 'ECONNRESET', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'ENOTFOUND']) {
      expect(refusedBeforeSending(coded('Error', code))).toBe(false);
    }
    expect(refusedBeforeSending(new Error('no code'))).toBe(false);
  });
});
