// Builders for the messages the connector sends, typed by the generated protocol types.
import type {
  AirbyteMessage,
  AirbyteStateMessage,
  AirbyteStreamStatusReason,
  AirbyteTraceMessage,
  ConnectorSpecification,
  AirbyteCatalog,
} from '../generated/protocol.js';
import type { LogLevel } from './logger.js';
import type { FailureType } from '../errors.js';

export type StreamStatus = 'STARTED' | 'RUNNING' | 'COMPLETE' | 'INCOMPLETE';

/**
 * Messages meant to be read as one line (log, error, connection status) keep one: a server's multi-line text
 * or a path with a newline would otherwise break log viewers that show the first line only.
 */
export function oneLine(text: string): string {
  return text.replace(/\s*[\r\n\u2028\u2029\u0085]+\s*/g, ' ').trim();
}

export function logMessage(level: LogLevel, message: string, stackTrace?: string): AirbyteMessage {
  const line = oneLine(message);
  return {
    type: 'LOG',
    log: stackTrace ? { level, message: line, stack_trace: stackTrace } : { level, message: line },
  };
}

export function specMessage(spec: ConnectorSpecification): AirbyteMessage {
  return { type: 'SPEC', spec };
}

export function connectionStatusMessage(status: 'SUCCEEDED' | 'FAILED', message?: string): AirbyteMessage {
  return {
    type: 'CONNECTION_STATUS',
    connectionStatus: message === undefined ? { status } : { status, message: oneLine(message) },
  };
}

export function catalogMessage(catalog: AirbyteCatalog): AirbyteMessage {
  return { type: 'CATALOG', catalog };
}

export function streamStateMessage(
  stream: string,
  streamState: Record<string, unknown>,
  recordCount: number,
): AirbyteMessage {
  const state: AirbyteStateMessage = {
    type: 'STREAM',
    stream: { stream_descriptor: { name: stream }, stream_state: streamState },
    sourceStats: { recordCount },
  };
  return { type: 'STATE', state };
}

function trace(body: Omit<AirbyteTraceMessage, 'emitted_at'>): AirbyteMessage {
  return { type: 'TRACE', trace: { ...body, emitted_at: Date.now() } as AirbyteTraceMessage };
}

export function errorTraceMessage(opts: {
  message: string;
  failureType: FailureType;
  internalMessage?: string;
  stackTrace?: string;
  stream?: string;
}): AirbyteMessage {
  return trace({
    type: 'ERROR',
    error: {
      message: oneLine(opts.message),
      failure_type: opts.failureType,
      ...(opts.internalMessage ? { internal_message: opts.internalMessage } : {}),
      ...(opts.stackTrace ? { stack_trace: opts.stackTrace } : {}),
      ...(opts.stream ? { stream_descriptor: { name: opts.stream } } : {}),
    },
  });
}

export function estimateTraceMessage(stream: string, rowEstimate: number): AirbyteMessage {
  return trace({ type: 'ESTIMATE', estimate: { name: stream, type: 'STREAM', row_estimate: rowEstimate } });
}

export function streamStatusMessage(stream: string, status: StreamStatus, rateLimitedUntil?: number): AirbyteMessage {
  const reasons: AirbyteStreamStatusReason[] | undefined =
    rateLimitedUntil === undefined
      ? undefined
      : [{ type: 'RATE_LIMITED', rate_limited: { quota_reset: rateLimitedUntil } }];
  return trace({
    type: 'STREAM_STATUS',
    stream_status: { stream_descriptor: { name: stream }, status, ...(reasons ? { reasons } : {}) },
  });
}
