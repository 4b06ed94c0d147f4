// The one place where an error becomes what the user sees: a TRACE ERROR (read, discover) or a FAILED
// CONNECTION_STATUS (check), with a failure_type and an exit code. User errors never carry a stack trace.
import { asConnectorError, type ConnectorError } from '../errors.js';
import { errorTraceMessage } from './messages.js';
import type { AirbyteMessage } from '../generated/protocol.js';

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

export function errorTrace(err: unknown, stream?: string): AirbyteMessage {
  const e: ConnectorError = asConnectorError(err);
  const systemDetail = e.failureType === 'system_error';
  return errorTraceMessage({
    message: e.message,
    failureType: e.failureType,
    internalMessage: e.internal ?? (systemDetail ? causeText(e) : undefined),
    stackTrace: systemDetail ? (e.cause instanceof Error ? e.cause.stack : e.stack) : undefined,
    stream,
  });
}

function causeText(e: ConnectorError): string | undefined {
  return e.cause instanceof Error ? `${e.cause.name}: ${e.cause.message}` : undefined;
}
