// What each HTTP outcome means for the user, in one place: `check` and `read` import these builders so the
// same fault reads the same way in both. Messages name hosts and paths, never credentials, and undici errors
// are summarised (code + redacted message) rather than attached, since they can carry request details.
import { ConfigError, type ConnectorError, SystemError, TransientError } from '../errors.js';
import type { Redactor } from '../protocol/redact.js';
import { API_HOSTS } from './baseUrl.js';
import { type ApiVersion, type Credentials, looksLikeV1Token, looksLikeV2ApiKey } from './credentials.js';

export const API_SETTINGS = 'Settings > Account > API Settings';
/** Where API v2 keys are made (ShipStation's UI: My Profile or Settings > Account > API Settings). */
export const V2_KEYS = `${API_SETTINGS} with V2 API chosen under Select API Version`;
const MAX_SERVER_MESSAGE = 300;

export function authFailedMessage(version: ApiVersion, { apiKey, apiSecret }: Credentials): string {
  if (version === 'v2') {
    return looksLikeV1Token(apiKey)
      ? 'ShipStation authentication failed (HTTP 401): the key has the shape of a v1 API key, which API v2 does not ' +
          `accept; create an API v2 key under ${V2_KEYS}, or set api_version to v1 with the v1 key and secret.`
      : `ShipStation authentication failed (HTTP 401): the API v2 key was not accepted; copy it again from ${V2_KEYS}.`;
  }
  if (looksLikeV2ApiKey(apiKey, apiSecret ?? '')) {
    return (
      'ShipStation authentication failed (HTTP 401): the key is not a v1 API key (32 hexadecimal characters) and ' +
      'may be an API v2 key; set api_version to v2 and leave api_secret empty, or use the v1 key and secret from ' +
      `${API_SETTINGS}.`
    );
  }
  return (
    'ShipStation authentication failed (HTTP 401): the API key and secret were not accepted; copy both again from ' +
    `${API_SETTINGS} (generating new ones there replaces the pair for every other app using it).`
  );
}

export function accessDeniedMessage(version: ApiVersion): string {
  return version === 'v2'
    ? 'ShipStation denied access (HTTP 403): the API v2 key was recognised but may not read this; check that the ' +
        "account's plan includes API v2 and that the account is active."
    : 'ShipStation denied access (HTTP 403): the credentials were recognised but may not use the API. ' +
        "The v1 API is only available on ShipStation plans that include API access; check the account's plan " +
        'and that the account is active.';
}

export function notFoundMessage(version: ApiVersion, path: string, baseUrl: string): string {
  return (
    `ShipStation answered 404 Not Found for ${path} at ${baseUrl}. ` +
    `Is base_url the ShipStation ${version === 'v2' ? 'API v2' : 'v1 API'} address (${API_HOSTS[version]})?`
  );
}

export function badRequestMessage(path: string, serverMessage: string | undefined): string {
  return `ShipStation rejected the request ${path} (HTTP 400)${serverMessage ? `: ${serverMessage}` : ''}`;
}

export function unexpectedStatusMessage(status: number, path: string, serverMessage: string | undefined): string {
  return `ShipStation answered HTTP ${status} for ${path}${serverMessage ? `: ${serverMessage}` : ''}`;
}

export function serverErrorMessage(status: number, path: string): string {
  return `ShipStation answered HTTP ${status} for ${path} (a temporary server-side failure)`;
}

export type BadBodyKind = 'html' | 'invalid_json';

export function badBodyMessage(kind: BadBodyKind, status: number, path: string, bytes: number): string {
  return kind === 'html'
    ? `ShipStation returned an HTML page instead of JSON for ${path} (HTTP ${status})`
    : `ShipStation returned an incomplete or invalid JSON body for ${path} (HTTP ${status}, ${bytes} bytes)`;
}

export function unreachableMessage(host: string, detail: string): string {
  return `Could not reach ShipStation at ${host}: ${detail}`;
}

export function timeoutMessage(host: string, path: string, timeoutMs: number): string {
  return `ShipStation at ${host} did not answer ${path} within ${Math.round(timeoutMs / 1000)} s`;
}

export function tooLargeMessage(host: string, path: string, limitBytes: number): string {
  return `The response from ShipStation at ${host} for ${path} passed max_response_mb (${Math.round(limitBytes / 1048576)} MB) and was abandoned`;
}

export function truncatedBodyMessage(host: string, path: string, detail: string): string {
  return `The response from ShipStation at ${host} for ${path} was cut off: ${detail}`;
}

export function refusedRequestMessage(host: string, path: string): string {
  return (
    `The HTTP client refused to send the request for ${path} to ShipStation at ${host} (an invalid header value or path): ` +
    'nothing reached the network, so it is not retried'
  );
}

/**
 * Error codes of a request refused before anything was sent: undici's invalid-argument error (a header value with
 * a line break, a path with a space) and Node's own argument checks. Not a network failure: a retry sends the same
 * request and is refused the same way.
 */
const REFUSED_CODES = new Set([
  'UND_ERR_INVALID_ARG',
  'ERR_INVALID_ARG_TYPE',
  'ERR_INVALID_ARG_VALUE',
  'ERR_INVALID_CHAR',
  'ERR_INVALID_HTTP_TOKEN',
  'ERR_INVALID_URL',
]);

/** Whether a failed request never left this process (see REFUSED_CODES); a TypeError without a code is one too. */
export function refusedBeforeSending(err: unknown): boolean {
  const code = codeOf(err);
  if (code !== undefined) return REFUSED_CODES.has(code);
  return err instanceof TypeError || (err instanceof Error && err.name === 'InvalidArgumentError');
}

/** A short, credential-free description of a network error code. */
export function networkErrorDetail(code: string | undefined): string {
  switch (code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
      return `the host name could not be resolved (DNS, ${code})`;
    case 'ECONNREFUSED':
      return 'the connection was refused (ECONNREFUSED)';
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_SOCKET':
      return `the connection was closed unexpectedly (${code})`;
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return `the connection timed out (${code})`;
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
      return `the response timed out (${code})`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `the network or host is unreachable (${code})`;
    default:
      if (code !== undefined && isTlsErrorCode(code)) return `the TLS certificate check failed (${code})`;
      return code ? `a network error occurred (${code})` : 'a network error occurred';
  }
}

function isTlsErrorCode(code: string): boolean {
  return /^(CERT_|ERR_TLS_|ERR_SSL_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_)/.test(code);
}

/** The error code of a network failure, looking through undici's wrappers (`cause`) one level. */
export function errorCode(err: unknown): string | undefined {
  const own = codeOf(err);
  if (own && own !== 'UND_ERR_SOCKET') return own;
  const inner = err instanceof Error ? codeOf(err.cause) : undefined;
  return inner ?? own;
}

function codeOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const code = (value as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/** The transient error for a failed exchange, with undici's own text only in `internal`, redacted. */
export function networkFailure(err: unknown, message: string, redact: Redactor): TransientError {
  const raw = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return new TransientError(message, { internal: redact(raw) });
}

/**
 * The server's own explanation from an error body (v1 sends `{"Message": …}`, API v2 `{"errors": [{"message": …}]}`),
 * shortened and redacted.
 */
export function serverMessageFrom(text: string, redact: Redactor): string | undefined {
  const trimmed = text.trim();
  if (trimmed === '' || looksLikeHtml(trimmed, undefined)) return undefined;
  let message = trimmed;
  try {
    const parsed: unknown = JSON.parse(trimmed);
    if (typeof parsed === 'object' && parsed !== null) {
      const o = parsed as Record<string, unknown>;
      const parts = [o.Message, o.message, o.ExceptionMessage, ...v2ErrorMessages(o.errors)].filter(
        (v): v is string => typeof v === 'string',
      );
      if (parts.length > 0) message = [...new Set(parts)].join(' ');
    }
  } catch {
    // not JSON: keep the text itself
  }
  const short = message.length > MAX_SERVER_MESSAGE ? `${message.slice(0, MAX_SERVER_MESSAGE)}…` : message;
  return redact(short);
}

/** API v2's error list, `errors: [{error_source, error_type, error_code, message}]`: the messages. */
function v2ErrorMessages(errors: unknown): unknown[] {
  return Array.isArray(errors)
    ? errors.map((e) => (typeof e === 'object' && e !== null ? (e as Record<string, unknown>).message : undefined))
    : [];
}

export function looksLikeHtml(text: string, contentType: string | undefined): boolean {
  if (contentType !== undefined && /text\/html/i.test(contentType)) return true;
  return /^\s*</.test(text);
}

export interface StatusContext {
  path: string;
  baseUrl: string;
  version: ApiVersion;
  credentials: Credentials;
  bodyText: string;
  redact: Redactor;
}

/** The error a non-2xx, non-429 status stands for. */
export function errorForStatus(status: number, ctx: StatusContext): ConnectorError {
  const serverMessage = (): string | undefined => serverMessageFrom(ctx.bodyText, ctx.redact);
  if (status === 401) return new ConfigError(authFailedMessage(ctx.version, ctx.credentials));
  if (status === 403) return new ConfigError(accessDeniedMessage(ctx.version));
  if (status === 404) return new SystemError(notFoundMessage(ctx.version, ctx.path, ctx.baseUrl));
  if (status === 400) return new SystemError(badRequestMessage(ctx.path, serverMessage()));
  if (status === 408 || status >= 500)
    return new TransientError(serverErrorMessage(status, ctx.path), { internal: serverMessage() });
  return new SystemError(unexpectedStatusMessage(status, ctx.path, serverMessage()));
}
