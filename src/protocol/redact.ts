// Secret redaction, derived from the spec's `airbyte_secret` marks and applied by the emitter to every line,
// so no call site has to remember it.

const MASK = '**********';
/** Shorter values are not credible secrets and masking them would garble unrelated output. */
const MIN_SECRET_LENGTH = 4;

export type Redactor = (text: string) => string;

export const noRedaction: Redactor = (text) => text;

/** Names of the properties a JSON-Schema spec marks `airbyte_secret: true`. */
export function secretFieldNames(spec: { properties?: Record<string, unknown> }): string[] {
  return Object.entries(spec.properties ?? {})
    .filter(([, prop]) => typeof prop === 'object' && prop !== null && (prop as { airbyte_secret?: unknown }).airbyte_secret === true)
    .map(([name]) => name);
}

/**
 * A redactor for the given secret values. It matches both the raw value and its JSON-escaped form (messages
 * are serialised before redaction) and the Basic-auth token built from them, so none leaks in any shape.
 */
export function createRedactor(secrets: readonly string[]): Redactor {
  const needles = new Set<string>();
  const values = secrets.filter((s) => typeof s === 'string' && s.length >= MIN_SECRET_LENGTH);
  for (const value of values) {
    needles.add(value);
    needles.add(JSON.stringify(value).slice(1, -1));
  }
  if (values.length >= 2) needles.add(Buffer.from(`${values[0]}:${values[1]}`).toString('base64'));
  const list = [...needles].sort((a, b) => b.length - a.length);
  if (list.length === 0) return noRedaction;
  return (text) => {
    let out = text;
    for (const needle of list) if (out.includes(needle)) out = out.split(needle).join(MASK);
    return out;
  };
}
