// Basic auth as ShipStation v1 checks it: the account's key and secret pass, a second account whose plan has no
// API access gets 403, anything else 401. A missing or malformed header is told apart from wrong credentials because
// the real API answers the two with different bodies (text/plain vs JSON).
import type { Credentials } from './options.js';

export type AuthOutcome = 'ok' | 'missing' | 'invalid' | 'noApiAccess';

export interface BasicCredentials {
  readonly key: string;
  readonly secret: string;
}

/** Decodes `Authorization: Basic base64(key:secret)`; null when absent or malformed. */
export function parseBasicAuth(header: string | undefined): BasicCredentials | null {
  const match = header === undefined ? null : /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!match) return null;
  const decoded = Buffer.from(match[1] as string, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? null : { key: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

export function authorize(
  presented: BasicCredentials | null,
  account: Credentials,
  noAccess: Credentials,
): AuthOutcome {
  if (!presented) return 'missing';
  if (presented.key === account.apiKey && presented.secret === account.apiSecret) return 'ok';
  if (presented.key === noAccess.apiKey && presented.secret === noAccess.apiSecret) return 'noApiAccess';
  return 'invalid';
}
