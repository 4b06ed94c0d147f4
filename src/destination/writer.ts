// What the loader needs of a destination: records and states as they arrive, and the end of the input. DuckDB
// is one such writer; another destination plugs into the loader by implementing this.
export interface StreamReport {
  rows: number;
  misfits: Map<string, number>;
  undeclared: Map<string, number>;
}

export interface Writer {
  /** Whether the configured catalog selects the stream. */
  has(stream: string): boolean;
  /** A record: its line number, the line's bytes, and the fields parsed from it. */
  record(stream: string, line: number, raw: Buffer, data: Record<string, unknown>, emittedAtMs: number): void;
  /** A STATE: it covers the stream's records handed over before it, and may be committed with them. */
  state(stream: string, state: Record<string, unknown>): Promise<void>;
  /** The stream reported COMPLETE. */
  complete(stream: string): Promise<void>;
  /** Called after each batch of lines: resolves when the writer can take more (backpressure). */
  drain(): Promise<void>;
  /** The input ended cleanly: commits everything; returns the overwrite streams left unchanged (never completed). */
  finish(): Promise<string[]>;
  /** The input failed: commits what the states received so far cover, and nothing after them. */
  commitStates(): Promise<void>;
  /** Per stream: rows received, and values kept aside. */
  report(): Map<string, StreamReport>;
}
