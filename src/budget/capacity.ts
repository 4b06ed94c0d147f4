// The rate budget as the rest of the connector sees it: one type for what the key's limiter knows now, read by
// the pacer (how many requests to have in flight) and by the progress view (how long the work left takes).

/** What the limiter knows now, for deciding how many requests to have in flight. */
export interface Capacity {
  now: number;
  limit: number;
  windowMs: number;
  /** Requests that may start right now. */
  available: number;
  /** Latest possible end of the current window (epoch ms), if one is believed open. */
  windowEndsAt?: number;
  inFlight: number;
  /** Scheduled jobs not sent yet (waiting for a connection slot or for budget). */
  queued: number;
  maxConcurrent: number;
  /** Smoothed time from send to response headers (ms), once measured. */
  latencyMs?: number;
}
