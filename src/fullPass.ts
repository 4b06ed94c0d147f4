// When a stream read newest first (v1 products, customers) is due a full pass: the one rule the source and
// shipstation-sync must apply alike, so that the sync replaces a table exactly when the source reads it whole.
// Pure and without imports: the destination, which knows nothing else of the connector, shares it.

/** Hours between full passes when the config says nothing (spec.json's `full_pass_hours` default). */
export const DEFAULT_FULL_PASS_HOURS = 24;

/**
 * A full pass is due when the config asks for one every sync (0 hours), when none is known to have completed
 * (`lastPass` absent or not an instant), or when `hours` have passed since the last one began (UTC ms). One stored
 * in the future waits for the clock, as every stored position does (a far-future state reads nothing).
 */
export function fullPassDue(lastPass: string | undefined, hours: number, nowUtc: number): boolean {
  if (hours <= 0 || lastPass === undefined) return true;
  const at = Date.parse(lastPass);
  return Number.isNaN(at) || nowUtc - at >= hours * 3_600_000;
}

/** The state field holding when the last complete full pass began (UTC, ISO 8601). */
export const FULL_PASS_FIELD = 'full_pass_at';
