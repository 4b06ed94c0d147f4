// The process's own time zone, set once at each entry point (src/bin/): UTC, so that no Date this process
// reads or prints depends on the host's zone, and date-fns-tz's local fields are exact (src/time/pacific.ts).
// Node applies a TZ set at run time.

export function useUtcProcessZone(): void {
  process.env.TZ = 'UTC';
}
