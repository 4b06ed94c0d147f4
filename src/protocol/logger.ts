// Everything human-readable goes out as LOG messages through the emitter; this is the seam the rest of
// the code logs through, so no module writes to stdout or stderr itself.
export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const LOG_LEVEL_RANK: Record<LogLevel, number> = { DEBUG: 10, INFO: 20, WARN: 30, ERROR: 40 };

/** A logger that drops everything: for unit tests and library callers that do not care. */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
