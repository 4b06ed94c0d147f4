// The one place where an error becomes what the user sees: a TRACE ERROR (read, discover) or a FAILED
// CONNECTION_STATUS (check), with a failure_type and an exit code. Messages are one line (see messages.ts).
// A stack trace goes out only for a real bug: an error no part of the connector classified. A response the
// connector understood (HTTP 400, 404, an unexpected body) is a system_error with a sentence, not a stack.
import { ConnectorError, asConnectorError } from '../errors.js';
import { errorTraceMessage } from './messages.js';
import type { AirbyteMessage } from '../generated/protocol.js';

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

export function errorTrace(err: unknown, stream?: string): AirbyteMessage {
  const e: ConnectorError = asConnectorError(err);
  const bug = unclassifiedError(err);
  return errorTraceMessage({
    message: e.message,
    failureType: e.failureType,
    internalMessage: e.internal ?? (bug ? `${bug.name}: ${bug.message}` : undefined),
    stackTrace: bug?.stack,
    stream,
  });
}

/** The error nothing classified (thrown as is, or kept as the cause of the system error that wraps it), if any. */
function unclassifiedError(err: unknown): Error | undefined {
  if (!(err instanceof ConnectorError)) return err instanceof Error ? err : undefined;
  if (err.failureType !== 'system_error') return undefined;
  return err.cause instanceof Error && !(err.cause instanceof ConnectorError) ? err.cause : undefined;
}
