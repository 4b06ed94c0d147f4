// Where the API lives, checked before any request: credentials only ever travel over TLS, except to a
// loopback host (a simulator or a local proxy). Kept apart from the HTTP client so config checks stay light.
import { ConfigError } from '../errors.js';
import type { ApiVersion } from './credentials.js';

/** Each API's address: the base_url when the config gives none. */
export const API_HOSTS: Record<ApiVersion, string> = {
  v1: 'https://ssapi.shipstation.com',
  v2: 'https://api.shipstation.com',
};

/** Accepts https, or plain http only for loopback hosts, so credentials never cross a network in clear text. */
export function validateBaseUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`base_url is not a valid absolute URL; expected for example ${API_HOSTS.v1}`);
  }
  if (url.username || url.password) {
    throw new ConfigError(
      'base_url must not contain a user name or password; put the credentials in api_key and api_secret',
    );
  }
  if (url.search || url.hash) {
    throw new ConfigError(`base_url must not contain a query string or fragment (${url.origin}${url.pathname})`);
  }
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:') {
    if (isLoopback(url.hostname)) return url;
    throw new ConfigError(
      `base_url ${url.origin} uses plain http://, which is accepted only for loopback hosts ` +
        '(localhost, 127.0.0.0/8, ::1) so credentials never travel in clear text; use https://',
    );
  }
  throw new ConfigError(`base_url must start with https:// (got ${url.protocol}//)`);
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
}
