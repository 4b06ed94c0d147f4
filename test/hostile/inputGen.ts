// A seeded generator of the files an orchestrator (or a person) hands the connector: configs, configured catalogs
// and states, each starting from a valid one and bent by a few mutations: wrong types per field, nulls, BOMs, huge
// strings, deep nesting, arrays where objects belong, unknown fields, control characters in the values that go
// into HTTP headers, numbers at and past every bound spec.json declares, text no serializer would write (1e400,
// a cut-off file, invalid UTF-8). The same seed gives the same cases, so a failure names what to rerun.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../helpers/cli.js';
import { configuredCatalog, type Selection } from '../helpers/sim.js';
import { childDefaultCursor } from '../../src/streams/children.js';
import { CHILD_STREAMS, STREAMS } from '../../src/streams/definitions.js';
import { v1 } from '../../src/dialects/v1.js';

export type Command = 'spec' | 'check' | 'discover' | 'read';

/** A file's content: text as written (a BOM, 1e400 and cut-offs included), or bytes for invalid UTF-8. */
export type FileContent = string | Buffer;

export interface GeneratedCase {
  id: string;
  command: Command;
  /** What was bent, for the test's name: labels only, never values (they can be megabytes). */
  mutations: string[];
  config: FileContent;
  catalog: FileContent;
  /** No --state when undefined. */
  state?: FileContent;
  /** Every string the config holds in a secret field (and its aliases): none may appear in any output. */
  secrets: string[];
}

/** mulberry32: small, fast, and the same sequence on every platform. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  sample<T>(items: readonly T[], n: number): T[] {
    const pool = [...items];
    const out: T[] = [];
    while (out.length < n && pool.length > 0) out.push(pool.splice(Math.floor(this.next() * pool.length), 1)[0]!);
    return out;
  }
  token(length: number): string {
    const chars = 'abcdefghijklmnopqrstuvwxyz0123456789';
    return Array.from({ length }, () => chars[Math.floor(this.next() * chars.length)]).join('');
  }
}

interface SpecProperty {
  type?: string;
  minimum?: number;
  maximum?: number;
  airbyte_secret?: boolean;
}

const SPEC = JSON.parse(readFileSync(join(ROOT, 'spec.json'), 'utf8')) as { properties: Record<string, SpecProperty> };
const FIELDS = Object.keys(SPEC.properties);
const SECRET_FIELDS = [...FIELDS.filter((f) => SPEC.properties[f]!.airbyte_secret), 'username', 'password'];
const BOUNDED = FIELDS.filter(
  (f) => SPEC.properties[f]!.minimum !== undefined || SPEC.properties[f]!.maximum !== undefined,
);

/** Characters undici cannot send in a header, or that Basic credentials cannot hold, and a few that are fine. */
const HEADER_HOSTILE = [
  '\n',
  '\r',
  '\r\n',
  '\u0000',
  '\t',
  '\u0085',
  '\u2028',
  '\u007f',
  '\u20ac',
  '\u{1F600}',
  ':',
  ' ',
  '\uFEFF',
  '\u00e9',
];

/** Strings for fields that are not secret: dates of every shape, URLs, enum near-misses, text that breaks lines. */
const STRINGS = [
  '',
  ' ',
  '2024-01-01',
  '2024-02-30',
  '2024-01-01T00:00:00Z',
  '2024-01-01T24:00:00Z',
  '2024-13-01',
  '0000-01-01',
  '1899-12-31',
  '9999-12-31T23:59:59Z',
  '10000-01-01',
  `${new Date().getUTCFullYear() + 3}-06-01`,
  '2024-01-01T00:00:00.123456789Z',
  '2024-01-01T00:00:00+02:00',
  'yesterday',
  'https://ssapi.shipstation.com',
  'http://api.example.com',
  'ftp://127.0.0.1',
  'https://',
  'http://127.0.0.1:9/../..',
  'javascript:alert(1)',
  'DEBUG',
  'debug',
  'TRACE',
  'true',
  '500',
  '-1',
  'NaN',
  'line\nbreak',
  'nul\u0000byte',
  '\uFEFFbom',
  'sep\u2028arator',
  '\u{1F600}',
  '%s%d%n',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a hostile input that must stay inert text
  '${process.exit(0)}',
  '<html><body>',
];

/**
 * A value nested `depth` levels deep. Deeper than JSON.stringify can write (and than any recursion survives), so it
 * is a marker here that serialize() spells out in the file's text.
 */
export function deepValue(depth: number, arrays: boolean): unknown {
  return `@@deep:${depth}:${arrays ? 'array' : 'object'}@@`;
}

function spellDeep(text: string): string {
  return text.replace(/"@@deep:(\d+):(array|object)@@"/g, (_, n: string, kind: string) =>
    kind === 'array'
      ? `${'['.repeat(Number(n))}${']'.repeat(Number(n))}`
      : `${'{"a":'.repeat(Number(n))}{}${'}'.repeat(Number(n))}`,
  );
}

/** Any JSON value, biased to the ones that break code: wrong types, extremes, huge and deep ones. */
export function anyValue(rng: Rng, depth = 0): unknown {
  switch (rng.int(0, 15)) {
    case 0:
      return null;
    case 1:
      return rng.chance(0.5);
    case 2:
      return rng.pick([0, -1, 1, 2 ** 31, 2 ** 53, -(2 ** 53), 1e308, -1e308, 0.5, 1e-300, 499.999]);
    case 3:
      return rng.pick(STRINGS);
    case 4:
      return 'x'.repeat(rng.pick([1_000, 100_000, 1_000_000]));
    case 5:
      return deepValue(rng.pick([50, 5_000, 100_000]), rng.chance(0.5));
    case 6:
      return depth > 2 ? [] : Array.from({ length: rng.int(0, 3) }, () => anyValue(rng, depth + 1));
    case 7:
      return depth > 2
        ? {}
        : Object.fromEntries(
            Array.from({ length: rng.int(0, 3) }, () => [
              rng.pick(['a', '', 'type', '__proto__', 'constructor', rng.token(6)]),
              anyValue(rng, depth + 1),
            ]),
          );
    case 8:
      return rng.token(rng.int(1, 40));
    case 9:
      return `${rng.token(4)}${rng.pick(HEADER_HOSTILE)}${rng.token(4)}`;
    case 10:
      return Array.from({ length: 3 }, () => rng.pick(STRINGS));
    case 11:
      return { value: rng.pick(STRINGS) };
    case 12:
      return '\uFEFF';
    case 13:
    case 14:
      // Past any recursion's stack: whatever reads or prints the value must not recurse through it.
      return deepValue(100_000, rng.chance(0.5));
    default:
      return rng.pick([[], {}, '', 0]);
  }
}

/** A secret-shaped string no output could hold by chance (so finding it in output is a leak). */
function secretish(rng: Rng): string {
  return `sek-${rng.token(12)}`;
}

/** A value for a secret field and what it is, for the case's name (the value itself is never shown). */
function secretValue(rng: Rng, valid: string): [unknown, string] {
  const odd = rng.pick(HEADER_HOSTILE);
  const named = `with ${JSON.stringify(odd)}`;
  switch (rng.int(0, 5)) {
    case 0:
      return [valid, 'unchanged'];
    case 1:
      return [secretish(rng), 'wrong'];
    case 2:
    case 3:
      return [`${secretish(rng)}${odd}${rng.token(6)}`, named];
    case 4:
      return [`${odd}${secretish(rng)}`, `starting ${named}`];
    default: {
      const value = anyValue(rng);
      return [value, describeValue(value)];
    }
  }
}

/** Values at and just past a field's bounds, and the same number in forms JSON allows but the spec does not. */
function boundValue(rng: Rng, field: string): unknown {
  const { minimum = 0, maximum = 1_000 } = SPEC.properties[field]!;
  return rng.pick<unknown>([
    minimum,
    maximum,
    minimum - 1,
    maximum + 1,
    minimum + 0.5,
    maximum - 0.5,
    -0,
    2 ** 53 + 1,
    String(maximum),
    [maximum],
    { value: minimum },
  ]);
}

export interface Account {
  config: Record<string, unknown>;
}

function mutateConfig(rng: Rng, config: Record<string, unknown>, labels: string[]): unknown {
  const kind = rng.int(0, 11);
  switch (kind) {
    case 0: {
      const field = rng.pick(FIELDS);
      labels.push(`config.${field}=${describeValue((config[field] = anyValue(rng)))}`);
      return config;
    }
    case 1: {
      const field = rng.pick(BOUNDED);
      labels.push(`config.${field}=${describeValue((config[field] = boundValue(rng, field)))}`);
      return config;
    }
    case 2:
    case 3: {
      const field = rng.pick(SECRET_FIELDS);
      const [value, what] = secretValue(rng, String(config[field] ?? secretish(rng)));
      config[field] = value;
      labels.push(`config.${field}=secret ${what}`);
      return config;
    }
    case 4: {
      const field = rng.pick(FIELDS);
      config[field] = null;
      labels.push(`config.${field}=null`);
      return config;
    }
    case 5: {
      const field = rng.pick(['api_key', 'api_secret', rng.pick(FIELDS)]);
      delete config[field];
      labels.push(`config.${field} removed`);
      return config;
    }
    case 6: {
      const name = rng.pick(['unknown_field', '', '__proto__', 'API_KEY', 'username', 'password']);
      labels.push(`config.${name || '""'} added`);
      config[name] = name === 'username' || name === 'password' ? secretValue(rng, secretish(rng))[0] : anyValue(rng);
      return config;
    }
    case 7: {
      const which = rng.pick(['start_date', 'end_date']);
      config[which] = rng.pick(STRINGS.slice(1, 14));
      labels.push(`config.${which}=${describeValue(config[which])}`);
      return config;
    }
    case 8: {
      labels.push('config.base_url bent');
      config.base_url = rng.pick([
        'http://api.example.com',
        'ftp://127.0.0.1',
        'https://',
        `${String(config.base_url)}/v1`,
        `${String(config.base_url)}/`,
        'not a url',
        'http://user:pass@127.0.0.1:9',
        anyValue(rng),
      ]);
      return config;
    }
    case 9:
      labels.push('config is not an object');
      return rng.pick<unknown>([[config], 'config', 42, true, null, []]);
    case 10: {
      const field = rng.pick(FIELDS);
      labels.push(`config.${field} deep`);
      config[field] = deepValue(rng.pick([100, 100_000]), rng.chance(0.5));
      return config;
    }
    default: {
      const field = rng.pick(FIELDS);
      labels.push(`config.${field} huge`);
      config[field] = 'é'.repeat(rng.pick([10_000, 2_000_000]));
      return config;
    }
  }
}

function streamSelection(rng: Rng): Selection[] {
  const names = rng.sample([...STREAMS.map((s) => s.name), ...CHILD_STREAMS.map((s) => s.name)], rng.int(1, 4));
  return names.map((name) => {
    const def = STREAMS.find((s) => s.name === name);
    const incremental = (def ? def.cursors !== undefined : rng.chance(0.5)) && rng.chance(0.6);
    return { name, mode: incremental ? 'incremental' : 'full_refresh' };
  });
}

function mutateCatalog(rng: Rng, catalog: { streams: Array<Record<string, unknown>> }, labels: string[]): unknown {
  const entry = rng.pick(catalog.streams);
  switch (rng.int(0, 9)) {
    case 0:
      labels.push('catalog is not an object');
      return rng.pick<unknown>([catalog.streams, 'catalog', 0, null, [catalog]]);
    case 1:
      labels.push(
        `catalog.streams=${describeValue((catalog.streams = anyValue(rng) as Array<Record<string, unknown>>))}`,
      );
      return catalog;
    case 2: {
      const i = catalog.streams.indexOf(entry);
      labels.push(
        `catalog.streams[${i}]=${describeValue((catalog.streams[i] = anyValue(rng) as Record<string, unknown>))}`,
      );
      return catalog;
    }
    case 3: {
      const field = rng.pick([
        'sync_mode',
        'cursor_field',
        'destination_sync_mode',
        'primary_key',
        'stream',
        'generation_id',
      ]);
      labels.push(`catalog stream ${field}=${describeValue((entry[field] = anyValue(rng)))}`);
      return catalog;
    }
    case 4: {
      const stream = entry.stream as Record<string, unknown>;
      const field = rng.pick(['name', 'json_schema', 'supported_sync_modes', 'namespace']);
      labels.push(`catalog stream.${field}=${describeValue((stream[field] = anyValue(rng)))}`);
      return catalog;
    }
    case 5:
      labels.push('catalog stream listed twice');
      catalog.streams.push(structuredClone(entry));
      return catalog;
    case 6:
      labels.push('catalog with nulls and unknown fields');
      Object.assign(entry, { cursor_field: null, primary_key: null, sync_id: null, future_field: anyValue(rng) });
      Object.assign(catalog, { some_future_field: null });
      return catalog;
    case 7:
      labels.push('catalog json_schema deep');
      (entry.stream as Record<string, unknown>).json_schema = deepValue(rng.pick([100, 100_000]), false);
      return catalog;
    case 8:
      labels.push('catalog cursor_field bent');
      entry.sync_mode = 'incremental';
      entry.cursor_field = rng.pick<unknown>([
        ['modifyDate', 'createDate'],
        [''],
        ['x'.repeat(10_000)],
        'modifyDate',
        [['modifyDate']],
        [null],
      ]);
      return catalog;
    default:
      labels.push('catalog stream name bent');
      (entry.stream as Record<string, unknown>).name = rng.pick([
        '',
        'ORDERS',
        'orders ',
        'orders\n',
        '\uFEFForders',
        'x'.repeat(100_000),
        'constructor',
        '__proto__',
      ]);
      return catalog;
  }
}

/** Values a state field gets when bent: the pool of anyValue, with values nested past any stack more often. */
function bentValue(rng: Rng): unknown {
  return rng.chance(0.3)
    ? deepValue(100_000, rng.chance(0.5))
    : rng.chance(0.3)
      ? rng.pick(STATE_CURSORS)
      : anyValue(rng);
}

const STATE_CURSORS: unknown[] = [
  '2024-03-01T16:06:00Z',
  '0001-01-01T00:00:00Z',
  '9999-12-31T23:59:59Z',
  `${new Date().getUTCFullYear() + 3}-01-01T00:00:00Z`,
  '2024-02-30T00:00:00Z',
  '2024-03-10T02:30:00',
  'soon',
  '',
  1e308,
  -0.5,
];

/**
 * A state for one of the selected incremental streams (or, now and then, another): a valid checkpoint with one
 * field bent, in one of the forms Airbyte writes states in, or with the envelope itself bent.
 */
function generateState(rng: Rng, incremental: readonly string[], labels: string[]): unknown {
  const name = rng.chance(0.85) ? rng.pick(incremental) : rng.pick(['stores', 'nope', '', 'x'.repeat(10_000)]);
  const def = STREAMS.find((s) => s.name === name);
  const child = CHILD_STREAMS.find((s) => s.name === name);
  const cursorField =
    def?.defaultCursor ?? (child ? childDefaultCursor(child, v1.streams.parentOf(child)) : 'modifyDate');
  const streamState: Record<string, unknown> = {
    version: 1,
    cursor_field: cursorField,
    cursor: '2024-03-01T16:06:00.000Z',
  };
  const field = rng.pick([
    'version',
    'cursor_field',
    'cursor',
    'cursor',
    'ids_at_cursor',
    'group',
    'from',
    'unknown_field',
    cursorField ?? 'modifyDate',
  ]);
  streamState[field] = bentValue(rng);
  const shape = rng.int(0, 8);
  labels.push(
    `state ${['STREAM', 'LEGACY object', 'GLOBAL', 'single message', 'LEGACY message', 'junk array', 'bent type', 'bent descriptor', 'bent stream_state'][shape]} for ${name.slice(0, 20)}, ${field} bent`,
  );
  const message = {
    type: 'STREAM',
    stream: { stream_descriptor: { name, namespace: null }, stream_state: streamState },
    sourceStats: null,
  };
  switch (shape) {
    case 0:
      return [message];
    case 1:
      return { [name]: streamState };
    case 2:
      return [
        {
          type: 'GLOBAL',
          global: rng.pick<unknown>([{ stream_states: [message.stream] }, {}, { stream_states: bentValue(rng) }]),
        },
      ];
    case 3:
      return message;
    case 4:
      return [{ type: 'LEGACY', data: rng.chance(0.7) ? { [name]: streamState } : bentValue(rng) }];
    case 5:
      return Array.from({ length: rng.int(1, 3) }, () => (rng.chance(0.3) ? message : bentValue(rng)));
    case 6:
      return [{ ...message, type: bentValue(rng) }];
    case 7:
      return [
        {
          ...message,
          stream: {
            stream_descriptor: rng.chance(0.5) ? { name: bentValue(rng) } : bentValue(rng),
            stream_state: streamState,
          },
        },
      ];
    default:
      return [{ ...message, stream: { stream_descriptor: { name }, stream_state: bentValue(rng) } }];
  }
}

/** The file's text: usually plain JSON, sometimes with a BOM, a number JSON can spell but not hold, or broken. */
function serialize(rng: Rng, value: unknown, labels: string[], what: string): FileContent {
  const text = spellDeep(JSON.stringify(value) ?? 'null');
  const twist = rng.int(0, 24);
  if (twist === 0) {
    labels.push(`${what} with BOM`);
    return `\uFEFF${text}`;
  }
  if (twist === 1 && /\d/.test(text)) {
    labels.push(`${what} number as 1e400`);
    return text.replace(/(?<=[:[,])\d+(?=[,}\]])/, '1e400');
  }
  if (twist === 2) {
    labels.push(`${what} cut off`);
    return text.slice(0, Math.max(0, Math.floor(text.length * rng.next())));
  }
  if (twist === 3) {
    labels.push(`${what} invalid UTF-8`);
    return Buffer.concat([
      Buffer.from(text.slice(0, -1)),
      Buffer.from([0xc3, 0x28, 0xff]),
      Buffer.from(text.slice(-1)),
    ]);
  }
  if (twist === 4) {
    labels.push(`${what} empty`);
    return rng.pick(['', '\uFEFF', '   \n']);
  }
  return text;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `array(${value.length})`;
  if (typeof value === 'string') return value.length > 24 ? `string(${value.length})` : JSON.stringify(value);
  if (typeof value === 'object') return 'object';
  return String(value);
}

const COMMANDS: Command[] = ['spec', 'check', 'check', 'check', 'discover', 'discover', 'read', 'read', 'read', 'read'];

/** `count` cases from `seed`, against an account whose valid config is `account`. */
/** Which file a case bends. Most bend one and keep the others valid, so that what follows it is reached too. */
type Target = 'config' | 'catalog' | 'state' | 'several' | 'none';
const READ_TARGETS: Target[] = ['config', 'config', 'catalog', 'catalog', 'state', 'state', 'state', 'several', 'none'];

/** `count` cases from `seed`, against an account whose valid config is `account`. */
export function generateCases(seed: number, count: number, account: Record<string, unknown>): GeneratedCase[] {
  const rng = new Rng(seed);
  return Array.from({ length: count }, (_, i) => {
    const command = rng.pick(COMMANDS);
    const target: Target =
      command === 'read'
        ? rng.pick(READ_TARGETS)
        : command === 'spec'
          ? 'none'
          : rng.pick<Target>(['config', 'config', 'config', 'none']);
    const bends = (file: Target) => target === file || target === 'several';
    const labels: string[] = [];
    let config: unknown = structuredClone(account);
    /** The last config object, also when a mutation wrapped it into something else: its secrets are still in the file. */
    let fields = config as Record<string, unknown>;
    for (
      let m = bends('config') ? rng.int(1, 3) : 0;
      m > 0 && typeof config === 'object' && config !== null && !Array.isArray(config);
      m--
    ) {
      fields = config as Record<string, unknown>;
      config = mutateConfig(rng, fields, labels);
    }
    const selection = streamSelection(rng);
    let catalog: unknown = configuredCatalog(selection);
    if (bends('catalog')) catalog = mutateCatalog(rng, catalog as { streams: Array<Record<string, unknown>> }, labels);
    // A state is read only for an incremental stream: a state case selects one.
    const incremental = selection.filter((s) => s.mode === 'incremental').map((s) => s.name);
    if (bends('state') && incremental.length === 0) {
      catalog = configuredCatalog([
        ...selection.filter((s) => !s.name.startsWith('order')),
        { name: 'orders', mode: 'incremental' },
      ]);
      incremental.push('orders');
    }
    const state = bends('state')
      ? generateState(rng, incremental, labels)
      : command === 'read' && rng.chance(0.2)
        ? []
        : undefined;
    // Only secret-shaped values count: a pooled string (a date, 'xxx…') can appear in output for other reasons,
    // such as a catalog that names a stream 'xxx…' and is quoted back.
    const secrets = SECRET_FIELDS.map((f) => fields[f]).filter(
      (v): v is string => typeof v === 'string' && /sek-|hostile-/.test(v),
    );
    const file = (what: Target, value: unknown): FileContent =>
      bends(what) ? serialize(rng, value, labels, what) : JSON.stringify(value);
    return {
      id: `seed ${seed} #${i}`,
      command,
      mutations: labels,
      config: file('config', config),
      catalog: file('catalog', catalog),
      state: state === undefined ? undefined : file('state', state),
      secrets,
    };
  });
}
