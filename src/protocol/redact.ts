// Secret masking, derived from the spec's `airbyte_secret` marks and applied by the emitter to every message.
// It works on values, never on serialized text: a string value that holds a secret (in any of the forms it can
// travel in) has those characters replaced, while keys, numbers, booleans and the protocol's own vocabulary
// (message types, stream names, statuses) stay as they are. So a masked line is always the same JSON shape,
// whatever the secrets are: `1000`, `type`, `"` or a 32-character key.

/** Nested values below this depth are dropped (null) when masked: no record or message is credibly deeper. */
export const MAX_MASK_DEPTH = 100;

export interface Redactor {
  /** The string with every secret form in it masked. */
  (text: string): string;
  /** False when serialized JSON certainly holds no secret form (the fast path); true when it may. */
  mayAppearIn(json: string): boolean;
  /** A copy of a protocol message with every secret form masked in its string values. */
  message<T>(message: T): T;
  /** A copy of a JSON value with every secret form masked in its string values. */
  value<T>(value: T): T;
}

export const noRedaction: Redactor = Object.assign((text: string) => text, {
  mayAppearIn: () => false,
  message: <T>(m: T) => m,
  value: <T>(v: T) => v,
});

/**
 * The forms a secret can travel in: as is, URL-encoded (either hex case, `+` for spaces), base64; and for every
 * ordered pair of secrets the HTTP Basic credentials `a:b` as is, base64, base64url and URL-encoded base64. No
 * minimum length: a 3-character key would otherwise give its long secret away inside the Basic token.
 */
export function secretForms(secrets: readonly string[]): string[] {
  const values = secrets.filter((s) => typeof s === 'string' && s.length > 0);
  const forms = new Set<string>();
  const addEncoded = (text: string) => {
    forms.add(text);
    const url = encodeURIComponent(text);
    forms.add(url);
    forms.add(url.replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase()));
    forms.add(url.replace(/%20/g, '+'));
  };
  for (const value of values) {
    addEncoded(value);
    forms.add(Buffer.from(value, 'utf8').toString('base64'));
  }
  for (const [i, a] of values.entries()) {
    for (const [j, b] of values.entries()) {
      if (i === j) continue;
      const pair = `${a}:${b}`;
      addEncoded(pair);
      addEncoded(Buffer.from(pair, 'utf8').toString('base64'));
      forms.add(Buffer.from(pair, 'utf8').toString('base64url'));
    }
  }
  return [...forms].filter((f) => f.length > 0).sort((x, y) => y.length - x.length);
}

/**
 * String values at these paths of a message are the protocol's vocabulary or the connector's own names, never
 * data: they stay readable even when a secret happens to equal one of them.
 */
const VOCABULARY = new Set([
  'type',
  'record.stream',
  'record.namespace',
  'state.type',
  'state.stream.stream_descriptor.name',
  'state.stream.stream_descriptor.namespace',
  'trace.type',
  'trace.error.failure_type',
  'trace.error.stream_descriptor.name',
  'trace.estimate.name',
  'trace.estimate.namespace',
  'trace.estimate.type',
  'trace.stream_status.stream_descriptor.name',
  'trace.stream_status.status',
  'trace.stream_status.reasons.type',
  'log.level',
  'connectionStatus.status',
]);
/**
 * Subtrees never masked: the connector's static files (spec.json, schemas), and its own checkpoints (field names,
 * cursor date-times, record ids), which must stay valid input for the next sync even when a short secret such as
 * `2024` occurs in a date.
 */
const STATIC = new Set(['spec', 'catalog', 'state']);

/**
 * Forms shorter than this are masked in data (records) but not inside the connector's own messages (LOG, TRACE,
 * CONNECTION_STATUS text), unless they are the whole value. Masking `x` or `key` inside a sentence garbles it
 * ("32 he**********adecimal characters", "the **********'s budget") and protects nothing: five characters are
 * guessed faster than read, and no ShipStation credential is that short (v1 keys and secrets are refused unless
 * 32 hexadecimal characters; API v2 keys are longer). Six or more characters are a credible secret, masked
 * everywhere, as are the long forms built from a short one (the Basic token of a short key and a real secret).
 */
export const MIN_MASKED_IN_SENTENCES = 6;

/** A redactor for the given secret values (every form of each, see secretForms). */
export function createRedactor(secrets: readonly string[]): Redactor {
  const forms = secretForms(secrets);
  if (forms.length === 0) return noRedaction;
  const longForms = forms.filter((f) => f.length >= MIN_MASKED_IN_SENTENCES);
  // What to look for in serialized JSON: each form, raw and JSON-escaped (a quote or backslash in a secret is
  // escaped in the line). Looking is cheap; a hit only means "mask this one by value".
  // A needle that contains a shorter one is implied by it (`key:secret` by `key`): only the minimal ones are searched.
  const all = [...new Set(forms.flatMap((f) => [f, JSON.stringify(f).slice(1, -1)]))].sort(
    (x, y) => x.length - y.length,
  );
  const needles = all.filter((n, i) => !all.slice(0, i).some((shorter) => n.includes(shorter)));
  const mask = maskFor(forms);

  const maskWith = (value: string, among: readonly string[]): string => {
    let out = value;
    for (const form of among) if (out.includes(form)) out = out.split(form).join(mask);
    return out;
  };
  const text = (value: string): string => maskWith(value, forms);

  /** `path` is the dotted key path from the message root (arrays add nothing); undefined = plain data. */
  const walk = (value: unknown, path: string | undefined, depth: number): unknown => {
    if (typeof value === 'string') {
      if (path === undefined || path.startsWith('record.')) return text(value);
      // A whole value equal to a short secret is still masked: only the words around it are spared.
      return VOCABULARY.has(path) ? value : forms.includes(value) ? mask : maskWith(value, longForms);
    }
    if (typeof value !== 'object' || value === null) return value;
    if (depth >= MAX_MASK_DEPTH) return null;
    if (Array.isArray(value)) return value.map((v) => walk(v, path, depth + 1));
    const copy: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      const childPath = path === undefined ? undefined : path === '' ? key : `${path}.${key}`;
      copy[key] = childPath !== undefined && STATIC.has(childPath) ? v : walk(v, childPath, depth + 1);
    }
    return copy;
  };

  return Object.assign(text, {
    mayAppearIn: (json: string) => needles.some((n) => json.includes(n)),
    message: <T>(message: T) => walk(message, '', 0) as T,
    value: <T>(value: T) => walk(value, undefined, 0) as T,
  });
}

/** Ten of a character that is in no secret form, so a masked value can never spell a secret. */
function maskFor(forms: readonly string[]): string {
  const used = (c: string) => forms.some((f) => f.includes(c));
  let c = ['*', '#', '~', '•', '█'].find((x) => !used(x));
  for (let code = 0xe000; c === undefined; code++) if (!used(String.fromCharCode(code))) c = String.fromCharCode(code);
  return c.repeat(10);
}
