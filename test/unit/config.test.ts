// parseConfig's checks added for issue #21: values that go into a request header, and a start_date in the future.
// The header rule is held against undici's own (what its Request refuses), so an undici upgrade that changes
// the rule shows up here rather than as a request refused at run time.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from '@jest/globals';
import { parseConfig, unknownFieldWarnings } from '../../src/config.js';
import { ConfigError } from '../../src/errors.js';

const base = { api_key: '0123456789abcdef0123456789abcdef', api_secret: 'fedcba9876543210fedcba9876543210' };

function messageOf(raw: unknown, now?: number): string | undefined {
  try {
    parseConfig(raw, { now });
    return undefined;
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
}

/** undici's own test for a header value (lib/core/util.js), the one its Request applies. */
const undiciUtil = createRequire(import.meta.url)('undici/lib/core/util.js') as {
  isValidHeaderValue(value: string): boolean;
};

describe('values sent in a header', () => {
  it('refuses every partner_key character undici refuses, and tab and C1 controls besides, naming the field only', () => {
    const refusedByUndici: string[] = [];
    for (let code = 0; code <= 0x2ff; code++) {
      const value = `pk-VALUE${String.fromCharCode(code)}x`;
      const message = messageOf({ ...base, partner_key: value });
      if (!undiciUtil.isValidHeaderValue(value)) {
        refusedByUndici.push(value);
        expect(message).toBe(
          'config.partner_key contains a line break or a character that cannot be sent in an HTTP header; copy it again without spaces or line breaks',
        );
      }
      if (message !== undefined) expect(message).not.toContain('VALUE');
      const extra = code === 0x09 || (code >= 0x80 && code <= 0x9f);
      if (undiciUtil.isValidHeaderValue(value) && !extra) expect(message).toBeUndefined();
    }
    expect(refusedByUndici.length).toBeGreaterThan(0);
    expect(messageOf({ ...base, partner_key: 'pk\u{1F600}' })).toMatch(/^config\.partner_key contains/);
  });

  it.each([
    [
      'api_key',
      { ...base, api_key: 'key\n' },
      /^config\.api_key contains a line break or another control character, which HTTP Basic authentication cannot carry/,
    ],
    [
      'api_secret',
      { ...base, api_secret: '\u0000secret' },
      /^config\.api_secret contains a line break or another control character/,
    ],
    [
      'password (alias)',
      { username: 'key', password: 'sec\u0085ret' },
      /^config\.password contains a line break or another control character/,
    ],
    [
      'api_key colon',
      { ...base, api_key: 'key:part' },
      /^config\.api_key contains a colon, which HTTP Basic authentication cannot carry in the user name/,
    ],
  ])('%s: a config error naming the field', (_name, raw, pattern) => {
    expect(messageOf(raw)).toMatch(pattern);
  });

  it('refuses a value longer than a header carries, naming the field only', () => {
    expect(messageOf({ ...base, api_secret: 's'.repeat(4_097) })).toBe(
      'config.api_secret is longer than 4,096 characters, more than an HTTP header carries (a ShipStation key has 32); copy it again',
    );
    expect(messageOf({ ...base, partner_key: 'p'.repeat(4_096) })).toBeUndefined();
  });

  it('partner_key and API v2 keys have no checked shape: non-ASCII and spaces pass', () => {
    expect(messageOf({ ...base, partner_key: 'pk with spaces é' })).toBeUndefined();
    expect(messageOf({ api_key: 'clé avec espace', api_version: 'v2' })).toBeUndefined();
    expect(parseConfig({ ...base, partner_key: '' }).partnerKey).toBeUndefined();
  });
});

describe('v1 key and secret shapes (issue #26): what was given, never the value', () => {
  it.each<[string, Record<string, unknown>, string]>([
    [
      'one character',
      { ...base, api_secret: 'x' },
      'config.api_secret has 1 character, some other than 0-9 and a-f, where a v1 API secret has 32 hexadecimal characters',
    ],
    [
      'cut short',
      { ...base, api_key: '0123456789abcdef' },
      'config.api_key has 16 characters where a v1 API key has 32 hexadecimal characters',
    ],
    [
      'not hex',
      { ...base, api_secret: 'z'.repeat(32) },
      'config.api_secret has 32 characters, but contains characters other than 0-9 and a-f, where a v1 API secret has 32 hexadecimal characters',
    ],
    [
      'a space',
      { ...base, api_key: ` ${base.api_key.slice(1)}` },
      'config.api_key has 32 characters, but contains characters other than 0-9 and a-f (spaces or line breaks among them), where a v1 API key has 32 hexadecimal characters',
    ],
    [
      'v1 chosen explicitly',
      { api_key: 'TEST_k', api_secret: base.api_secret, api_version: 'v1' },
      'config.api_key has 6 characters, some other than 0-9 and a-f, where a v1 API key has 32 hexadecimal characters',
    ],
    [
      'alias',
      { username: base.api_key, password: 'abc' },
      'config.password has 3 characters where a v1 API secret has 32 hexadecimal characters',
    ],
  ])('%s', (_name, raw, start) => {
    const message = messageOf(raw)!;
    expect(message.startsWith(`${start}: copy it again from Settings > Account > API Settings`)).toBe(true);
  });

  it('upper-case hex is a v1 token too', () => {
    expect(messageOf({ api_key: base.api_key.toUpperCase(), api_secret: base.api_secret })).toBeUndefined();
  });
});

/** Phrases of a validator or a regex that must never reach a person. */
const VALIDATOR_PHRASING =
  /must NOT|must be integer|must be string|must be boolean|must match|must be [<>]=|must be equal to one of|missing required|\^|\$|\\/;

describe('every spec.json field and keyword in plain words (issue #26)', () => {
  const spec = JSON.parse(readFileSync(new URL('../../spec.json', import.meta.url), 'utf8')) as {
    properties: Record<string, Record<string, unknown>>;
  };
  /** For each keyword a field has, a value that breaks it. */
  const breakers: Record<string, (p: Record<string, unknown>) => unknown> = {
    type: (p) => (p.type === 'string' ? 42 : p.type === 'boolean' ? 'yes' : 'ten'),
    minimum: (p) => Number(p.minimum) - 1,
    maximum: (p) => Number(p.maximum) + 1,
    enum: () => 'TRACE',
    minLength: () => '',
    pattern: () => 'not-a-value',
  };
  const rows = Object.entries(spec.properties).flatMap(([field, p]) =>
    Object.keys(breakers)
      .filter((k) => k in p)
      .map((k) => [field, k, breakers[k]!(p)] as const),
  );
  it('covers every keyword that can fire', () => {
    expect(new Set(rows.map(([, k]) => k))).toEqual(new Set(Object.keys(breakers)));
  });
  it.each(rows)('%s %s', (field, _keyword, value) => {
    const message = messageOf({ ...base, [field]: value })!;
    expect(message.startsWith(`config.${field} `)).toBe(true);
    expect(message).not.toMatch(VALIDATOR_PHRASING);
  });
  it('a missing api_key says where the key is found', () => {
    expect(messageOf({})).toBe(
      'config has no api_key: copy your ShipStation API key from Settings > Account > API Settings (v1: with its api_secret; API v2: the key alone)',
    );
  });
});

describe('a start_date in the future', () => {
  const now = Date.UTC(2026, 5, 15, 12, 0, 0);

  it('is refused when the config is read to read data, naming the field and the value as written', () => {
    expect(messageOf({ ...base, start_date: '2026-06-16' }, now)).toBe(
      'config.start_date (2026-06-16) lies in the future: nothing would be read. Set a date in the past, or leave it empty to read the whole history.',
    );
    expect(messageOf({ ...base, start_date: '2026-06-15T12:00:01Z' }, now)).toMatch(
      /^config\.start_date \(2026-06-15T12:00:01Z\) lies in the future/,
    );
  });

  it('is accepted up to now, and always when no time is given (discover)', () => {
    expect(messageOf({ ...base, start_date: '2026-06-15T12:00:00Z' }, now)).toBeUndefined();
    expect(messageOf({ ...base, start_date: '2026-06-15' }, now)).toBeUndefined();
    expect(messageOf({ ...base, start_date: '2999-01-01' })).toBeUndefined();
  });

  it('leaves end_date free to lie in the future', () => {
    expect(messageOf({ ...base, start_date: '2026-01-01', end_date: '2030-01-01' }, now)).toBeUndefined();
    expect(messageOf({ ...base, end_date: '2030-01-01' }, now)).toBeUndefined();
  });
});

describe("a value not in its field's form", () => {
  it.each([
    [
      'start_date',
      '01/02/2024',
      'config.start_date is not a valid UTC date or date-time (YYYY-MM-DD or YYYY-MM-DDTHH:mm:ssZ)',
    ],
    [
      'end_date',
      '2024-01-01 00:00',
      'config.end_date is not a valid UTC date or date-time (YYYY-MM-DD or YYYY-MM-DDTHH:mm:ssZ)',
    ],
    [
      'base_url',
      'ssapi.shipstation.com',
      'config.base_url must be an http:// or https:// address such as https://ssapi.shipstation.com',
    ],
  ])('%s = %j is named in words, never as the pattern', (field, value, message) => {
    expect(messageOf({ ...base, [field]: value })).toBe(message);
  });
});

describe('which API the credentials are for (issue #23)', () => {
  const V1_KEY = '0123456789abcdef0123456789abcdef';
  const parse = (raw: Record<string, unknown>) => parseConfig(raw);

  it('a key with a secret is v1 on its host at 40 a minute; a key alone is API v2 on its host at 200', () => {
    const v1 = parse({ api_key: V1_KEY, api_secret: V1_KEY });
    expect([v1.apiVersion, v1.baseUrl, v1.requestsPerMinute, v1.apiSecret]).toEqual([
      'v1',
      'https://ssapi.shipstation.com',
      40,
      V1_KEY,
    ]);
    const v2 = parse({ api_key: 'TEST_abc/def+ghi', api_secret: '' });
    expect([v2.apiVersion, v2.baseUrl, v2.requestsPerMinute, v2.apiSecret]).toEqual([
      'v2',
      'https://api.shipstation.com',
      200,
      undefined,
    ]);
    expect(parse({ api_key: V1_KEY, api_version: 'v2' }).apiVersion).toBe('v2');
    expect(parse({ api_key: 'k', api_version: 'v2', requests_per_minute: 20 }).requestsPerMinute).toBe(20);
    expect(parse({ api_key: 'k', api_version: 'v2', base_url: 'http://127.0.0.1:9/' }).baseUrl).toBe(
      'http://127.0.0.1:9',
    );
  });

  it('requests in flight and slices per stream default to one window: 40 for v1, 200 for API v2', () => {
    const inFlight = (c: { maxConcurrency: number; maxParallelSlices: number }) => [
      c.maxConcurrency,
      c.maxParallelSlices,
    ];
    expect(inFlight(parse({ api_key: V1_KEY, api_secret: V1_KEY }))).toEqual([40, 40]);
    expect(inFlight(parse({ api_key: 'k' }))).toEqual([200, 200]);
    expect(inFlight(parse({ api_key: 'k', max_concurrency: 40, max_parallel_slices: 1 }))).toEqual([40, 1]);
    expect(() => parse({ api_key: 'k', max_concurrency: 201 })).toThrow(/max_concurrency/);
  });

  it('credentials of one kind given for the other get one sentence naming the key needed and where it is made', () => {
    expect(messageOf({ api_key: 'k', api_version: 'v1' })).toMatch(
      /^config\.api_secret is required for api_version v1: copy the API secret shown beside the v1 API key under Settings > Account > API Settings/,
    );
    expect(messageOf({ api_key: 'k', api_secret: 's', api_version: 'v2' })).toMatch(
      /^config\.api_secret is set, but API v2 takes one API key and no secret: .*V2 API chosen under Select API Version/,
    );
    expect(messageOf({ api_key: V1_KEY })).toMatch(
      /^config\.api_secret is empty, but api_key has the shape of a v1 API key \(32 hexadecimal characters\)/,
    );
    expect(messageOf({ username: 'k', password: '', api_version: 'v1' })).toMatch(
      /^config\.password is required for api_version v1/,
    );
    expect(messageOf({ api_key: 'k', api_version: 'v3' })).toMatch(/api_version/);
  });

  it("refuses the other API's address as base_url", () => {
    expect(messageOf({ api_key: 'k', base_url: 'https://ssapi.shipstation.com' })).toBe(
      "config.base_url https://ssapi.shipstation.com is the address of ShipStation's v1 API, but the credentials are for API v2: leave base_url empty (https://api.shipstation.com)",
    );
    expect(messageOf({ ...base, base_url: 'https://api.shipstation.com/' })).toMatch(
      /is the address of ShipStation's API v2, but the credentials are for the v1 API/,
    );
  });

  it('an API v2 key may hold a colon (it is not Basic), but nothing a header cannot carry', () => {
    expect(parse({ api_key: 'a:b', api_version: 'v2' }).apiKey).toBe('a:b');
    expect(messageOf({ api_key: 'a\nb', api_version: 'v2' })).toMatch(
      /^config\.api_key contains a line break or a character that cannot be sent in an HTTP header/,
    );
  });
});

describe('config keys that do nothing (issue #26)', () => {
  it.each<[Record<string, unknown>, string[]]>([
    [{ baseurl: 1 }, ["unknown config field 'baseurl' (did you mean 'base_url'?); it is ignored"]],
    [{ BASE_URL: 1 }, ["unknown config field 'BASE_URL' (did you mean 'base_url'?); it is ignored"]],
    [{ 'page-size': 1 }, ["unknown config field 'page-size' (did you mean 'page_size'?); it is ignored"]],
    [{ start_dte: 1 }, ["unknown config field 'start_dte' (did you mean 'start_date'?); it is ignored"]],
    [{ api_sercet: 1 }, ["unknown config field 'api_sercet' (did you mean 'api_secret'?); it is ignored"]],
    [{ colour: 1 }, ["unknown config field 'colour'; it is ignored"]],
    [{ api_key: undefined, username: 'k', password: 's' }, []],
    [{ username: 'k' }, ["config field 'username' is ignored: 'api_key' is set too, and wins"]],
    [
      {
        __injected_declarative_manifest: {},
        __injected_components_py: '',
        __injected_components_py_checksums: {},
        __command: 'test_read',
        __test_read_config: {},
      },
      [],
    ],
  ])('%j', (extra, want) => {
    expect(unknownFieldWarnings({ api_key: 'k', ...extra })).toEqual(want);
  });
});
