// How a request proves who it is, per API: v1 sends key and secret as HTTP Basic (key as user name, secret as
// password); API v2 sends its single key in an `API-Key` header. Also the shapes of the two kinds of key, so a
// message can say which kind a user pasted.

export type ApiVersion = 'v1' | 'v2';

export interface Credentials {
  apiKey: string;
  /** v1 only. */
  apiSecret?: string;
}

const V1_TOKEN = /^[0-9a-f]{32}$/i;

export function basicAuthorization(apiKey: string, apiSecret: string): string {
  return `Basic ${Buffer.from(`${apiKey}:${apiSecret}`, 'utf8').toString('base64')}`;
}

/** The headers that authenticate a request to the given API. */
export function authHeaders(version: ApiVersion, { apiKey, apiSecret }: Credentials): Record<string, string> {
  return version === 'v2' ? { 'api-key': apiKey } : { authorization: basicAuthorization(apiKey, apiSecret ?? '') };
}

/** Whether a token has the shape of a v1 key or secret: 32 hexadecimal characters. */
export function looksLikeV1Token(value: string): boolean {
  return V1_TOKEN.test(value.trim());
}

/**
 * Whether the credentials look like a ShipStation v2 API key pasted into v1 fields. v1 keys and secrets are
 * 32 hex characters; a v2 key is one longer token (often `TEST_…`, with non-hex characters) that comes
 * without a secret, so users leave the secret empty or paste the key twice.
 */
export function looksLikeV2ApiKey(apiKey: string, apiSecret: string): boolean {
  const key = apiKey.trim();
  const secret = apiSecret.trim();
  if (V1_TOKEN.test(key)) return false;
  const v2ShapedKey = key.startsWith('TEST_') || key.length > 32 || /[^0-9a-f]/i.test(key);
  const noRealSecret = secret === '' || secret === key || !V1_TOKEN.test(secret);
  return v2ShapedKey && noRealSecret;
}
