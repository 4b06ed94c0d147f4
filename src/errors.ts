// The one error taxonomy. Each error is classified where it is understood; the CLI maps it to a TRACE
// failure_type, an exit code and the sentence a user reads (see src/cli/failure.ts).

export type FailureType = 'config_error' | 'transient_error' | 'system_error';

export class ConnectorError extends Error {
  readonly failureType: FailureType;
  /** Extra detail for engineers (TRACE internal_message); never shown as the headline. */
  readonly internal?: string;

  constructor(failureType: FailureType, message: string, options?: { internal?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.failureType = failureType;
    this.internal = options?.internal;
  }
}

/** Something the user must fix: config, catalog, state, credentials, plan. */
export class ConfigError extends ConnectorError {
  constructor(message: string, options?: { internal?: string; cause?: unknown }) {
    super('config_error', message, options);
  }
}

/** Worth retrying later: network faults, 5xx, 429 storms, timeouts. */
export class TransientError extends ConnectorError {
  constructor(message: string, options?: { internal?: string; cause?: unknown }) {
    super('transient_error', message, options);
  }
}

/** A defect or an unexpected response: retrying will not help. */
export class SystemError extends ConnectorError {
  constructor(message: string, options?: { internal?: string; cause?: unknown }) {
    super('system_error', message, options);
  }
}

export function asConnectorError(err: unknown): ConnectorError {
  if (err instanceof ConnectorError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new SystemError(`unexpected error: ${message}`, { cause: err });
}

/** ShipStation's answer broke an invariant paging relies on (src/engine/plan/serverChecks.ts names each one). */
export class ServerFault extends SystemError {
  constructor(detail: string) {
    super(`ShipStation's response cannot be paged safely: ${detail}. The stream stopped at its last checkpoint`);
  }
}
