// v2's error answers: `{request_id, errors: [{error_source, error_type, error_code, message}]}` (the OpenAPI file's
// error_response_body), with a request id that is a UUID drawn from the seed and the request's number, so a seed
// replays the same bodies. A V2Error thrown while reading a request becomes one of these.
import type { ApiResult } from '../apiRoutes.js';
import { Rng, hash32 } from '../random.js';
import { V2_TAGS } from './context.js';

/** error_type values of the OpenAPI file's enum that the simulator answers with. */
export type V2ErrorType = 'account_status' | 'business_rules' | 'validation' | 'security' | 'system';

/** A request v2 refuses: its status, error_type, error_code and message. */
export class V2Error extends Error {
  constructor(
    readonly status: number,
    readonly type: V2ErrorType,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** A request refused for a bad query value (400 validation / invalid_field_value). */
export function invalidField(name: string, value: string, expected: string): V2Error {
  return new V2Error(400, 'validation', 'invalid_field_value', `${name} '${value}' is invalid: expected ${expected}.`);
}

/** Request ids: UUIDs drawn from (seed, request number). */
export class RequestIds {
  private count = 0;

  constructor(private readonly seed: number) {}

  next(): string {
    return new Rng(hash32(this.seed, V2_TAGS.requestId, ++this.count)).uuid();
  }
}

const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * The error body. `error_source` is `ShipStation`, as the OpenAPI file's enum spells it (carrier and order_source
 * errors are never simulated).
 */
export function errorResult(requestId: string, error: V2Error): ApiResult {
  const body = {
    request_id: requestId,
    errors: [{ error_source: 'ShipStation', error_type: error.type, error_code: error.code, message: error.message }],
  };
  return { status: error.status, body: Buffer.from(JSON.stringify(body)), contentType: JSON_TYPE };
}
