// The v1 API authenticates with HTTP Basic: API key as user name, API secret as password.

const V1_TOKEN = /^[0-9a-f]{32}$/i;

export function basicAuthorization(apiKey: string, apiSecret: string): string {
  return `Basic ${Buffer.from(`${apiKey}:${apiSecret}`, 'utf8').toString('base64')}`;
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
