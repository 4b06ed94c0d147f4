// What the loader needs of a destination: records and states as they arrive, and the end of the input. DuckDB
// is one such writer; another destination plugs into the loader by implementing this.
import type { Member } from './jsonText.js';

/** A record set aside whole: where it came from and why. */
export interface Rejection {
  line: number;
  /** The primary key's fields as JSON text, when the record has them. */
  key: string | undefined;
  reason: string;
}

export interface StreamReport {
  /** Records received, stored or set aside. */
  rows: number;
  /** Per field: values kept in the extras because they did not fit their column exactly. */
  misfits: Map<string, number>;
  /** Per field: values of fields the stream's schema does not declare, kept in the extras. */
  undeclared: Map<string, number>;
  /** Records set aside whole, with the first few of them. */
  rejected: number;
  firstRejected: Rejection[];
}

/**
 * One RECORD message as the loader read it. The values are not parsed: `fields` says where each member of
 * `record.data` lies in `raw`, so a destination can store the source's own text of every value.
 */
export interface RecordLine {
  /** Input line, numbered from 1. */
  line: number;
  /** The line's bytes as received. */
  raw: Buffer;
  emittedAt: number;
  /** The members of `record.data`, in the order received, and where the whole object lies in `raw`. */
  fields: readonly Member[];
  dataStart: number;
  dataEnd: number;
  /** Why the record cannot be stored as received (not UTF-8, a lone surrogate, a field named twice). */
  flaw?: string;
  /** `record.data` parsed (as JSON.parse reads it: a key named twice keeps its last value). */
  data(): Record<string, unknown>;
}

export interface Writer {
  /** Whether the configured catalog selects the stream. */
  has(stream: string): boolean;
  record(stream: string, record: RecordLine): void;
  /** A STATE (parsed, and its JSON text as received): it covers the stream's records handed over before it. */
  state(stream: string, state: Record<string, unknown>, text: string): Promise<void>;
  /** The stream reported COMPLETE. */
  complete(stream: string): Promise<void>;
  /** Called after each batch of lines: resolves when the writer can take more (backpressure). */
  drain(): Promise<void>;
  /** The input ended cleanly: commits everything; returns the overwrite streams left unchanged (never completed). */
  finish(): Promise<string[]>;
  /** The input failed or was stopped: commits what the states received so far cover, and nothing after them. */
  commitStates(): Promise<void>;
  /** Per stream: rows received, and values and records kept aside. */
  report(): Map<string, StreamReport>;
}
