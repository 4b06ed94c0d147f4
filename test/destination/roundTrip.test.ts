// Property: whatever values a source emits, shipstation-load stores each one exactly, in its column or as written
// in _airbyte_extras. Random records (integers of any length, decimals with more digits than a double holds,
// money, unicode and escapes, nested JSON, undeclared fields, values of the wrong type), written as JSON text by
// hand rather than by JSON.stringify, are loaded and read back; every value must be the number, string or
// structure that was sent, compared as JSON values with numbers compared exactly as decimals.
import { describe, expect, test } from '@jest/globals';
import { join } from 'node:path';
import { decimalKey } from '../../src/destination/jsonText.js';
import { tempDir } from '../helpers/cli.js';
import { loadLines, query } from './helpers.js';

const COLUMNS = {
  id: { type: 'integer' },
  int: { type: ['null', 'integer'] },
  num: { type: ['null', 'number'] },
  money: { type: ['null', 'number'], decimal_places: 4 },
  str: { type: ['null', 'string'] },
  ts: { type: ['null', 'string'], format: 'date-time' },
  day: { type: ['null', 'string'], format: 'date' },
  flag: { type: ['null', 'boolean'] },
  obj: { type: ['null', 'object'] },
  any: { type: ['null', 'string', 'array', 'number'] },
} as const;
type Field = keyof typeof COLUMNS;

const catalog = {
  streams: [
    {
      stream: {
        name: 'r',
        json_schema: { type: 'object', properties: COLUMNS },
        supported_sync_modes: ['full_refresh'],
        source_defined_primary_key: [['id']],
      },
      sync_mode: 'full_refresh',
      destination_sync_mode: 'append',
    },
  ],
};

function random(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

/** Random JSON text for each kind of value, the hard cases often. */
class Values {
  constructor(private readonly rnd: () => number) {}
  coin(): boolean {
    return this.rnd() < 0.5;
  }
  private int(n: number) {
    return Math.floor(this.rnd() * n);
  }
  private pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
  private digits(n: number) {
    let s = String(1 + this.int(9));
    for (let i = 1; i < n; i++) s += String(this.int(10));
    return s;
  }
  integer(): string {
    const text = this.rnd() < 0.1 ? '0' : this.digits(1 + this.int(22));
    return (this.rnd() < 0.3 ? '-' : '') + text;
  }
  decimal(): string {
    const r = this.rnd();
    if (r < 0.25) return String((this.rnd() - 0.5) * 10 ** (this.int(40) - 20));
    if (r < 0.3)
      return this.pick(['-0', '-0.0', '0.0', '1e309', '-1e309', '1e-400', '5e-324', '1E2', '12.30', '0.1e3']);
    const int = this.rnd() < 0.2 ? '0' : this.digits(1 + this.int(16));
    const frac =
      this.rnd() < 0.3
        ? ''
        : `.${this.digits(1 + this.int(8))
            .split('')
            .reverse()
            .join('')}`;
    const exp = this.rnd() < 0.15 ? `e${this.pick(['', '-', '+'])}${this.int(30)}` : '';
    return (this.rnd() < 0.3 ? '-' : '') + int + frac + exp;
  }
  string(): string {
    const parts = [
      'a',
      'Zz',
      ' ',
      'é',
      '中',
      '😀',
      '\\n',
      '\\"',
      '\\\\',
      '\\/',
      '\\u00e9',
      '\\ud83d\\ude00',
      '\\u0000',
      "'",
      '\t',
    ];
    let s = '';
    for (let i = this.int(8); i > 0; i--) s += this.pick(parts);
    return `"${s.replace(/\t/g, '\\t')}"`;
  }
  timestamp(): string {
    const pad = (n: number, w = 2) => String(n).padStart(w, '0');
    const day = `${pad(1970 + this.int(80), 4)}-${pad(1 + this.int(12))}-${pad(1 + this.int(28))}`;
    const time = `${pad(this.int(24))}:${pad(this.int(60))}:${pad(this.int(60))}`;
    const frac = this.rnd() < 0.5 ? '' : `.${this.digits(1 + this.int(9))}`;
    const zone = this.pick(['Z', '+02:00', '-0530', '+01', '']);
    return `"${day}${this.pick(['T', ' '])}${time}${frac}${zone}"`;
  }
  day(): string {
    return this.rnd() < 0.9
      ? `"20${this.int(10)}${this.int(10)}-0${1 + this.int(9)}-1${this.int(10)}"`
      : '"2023-02-29"';
  }
  json(depth = 0): string {
    const r = this.rnd();
    if (depth > 3 || r < 0.45) return this.scalar();
    const n = this.int(4);
    if (r < 0.7) return `[${Array.from({ length: n }, () => this.json(depth + 1)).join(',')}]`;
    return `{${Array.from({ length: n }, (_, i) => `${this.string().slice(0, -1)}${i}":${this.json(depth + 1)}`).join(',')}}`;
  }
  scalar(): string {
    return this.pick([
      () => this.integer(),
      () => this.decimal(),
      () => this.string(),
      () => this.pick(['true', 'false', 'null']),
    ])();
  }
  /** A value for a column: mostly of its type, sometimes anything. */
  forField(field: Field): string {
    if (this.rnd() < 0.1) return this.rnd() < 0.5 ? 'null' : this.json();
    switch (field) {
      case 'int':
        return this.integer();
      case 'num':
        return this.decimal();
      case 'money':
        return this.rnd() < 0.5 ? this.decimal() : `${this.digits(1 + this.int(13))}.${this.digits(1 + this.int(4))}`;
      case 'str':
        return this.string();
      case 'ts':
        return this.timestamp();
      case 'day':
        return this.day();
      case 'flag':
        return this.pick(['true', 'false']);
      default:
        return this.json();
    }
  }
}

/** A JSON value with its numbers as decimal keys: two texts denote the same value exactly when these are equal. */
function exact(text: string): unknown {
  let i = 0;
  const space = () => {
    while (/\s/.test(text[i] ?? '')) i++;
  };
  const value = (): unknown => {
    space();
    const c = text[i]!;
    if (c === '{') {
      i++;
      const out: Record<string, unknown> = {};
      space();
      if (text[i] === '}') return (i++, out);
      for (;;) {
        space();
        const key = value() as string;
        space();
        i++;
        out[key] = value();
        space();
        if (text[i++] === '}') return out;
      }
    }
    if (c === '[') {
      i++;
      const out: unknown[] = [];
      space();
      if (text[i] === ']') return (i++, out);
      for (;;) {
        out.push(value());
        space();
        if (text[i++] === ']') return out;
      }
    }
    if (c === '"') {
      const m = /^"(?:[^"\\]|\\.)*"/.exec(text.slice(i))![0];
      i += m.length;
      return JSON.parse(m) as string;
    }
    const m = /^(true|false|null|-?\d+(\.\d+)?([eE][-+]?\d+)?)/.exec(text.slice(i))![0];
    i += m.length;
    return /\d/.test(m) ? { number: decimalKey(m) } : JSON.parse(m);
  };
  return value();
}

/** Microseconds since 1970 of an ISO date-time (no offset: UTC), as DuckDB stores it. */
function micros(text: string): bigint {
  const m = /^(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d):(\d\d)(?:\.(\d+))?(Z|([-+])(\d\d)(?::?(\d\d))?)?$/.exec(text)!;
  const base = BigInt(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!)) * 1000n;
  const fraction = BigInt((m[7] ?? '').padEnd(6, '0').slice(0, 6) || '0');
  const offset = m[9] ? (m[9] === '-' ? -1n : 1n) * (BigInt(+m[10]! * 60 + +(m[11] ?? 0)) * 60_000_000n) : 0n;
  return base + fraction - offset;
}

describe('random records round-trip exactly through shipstation-load', () => {
  test.each([[2401], [2402], [2403]])('seed %i: 400 records, every value back as sent', async (seed) => {
    const values = new Values(random(seed));
    const fields = Object.keys(COLUMNS).filter((f) => f !== 'id') as Field[];
    const sent = new Map<number, Map<string, string>>();
    const lines: string[] = [];
    for (let id = 1; id <= 400; id++) {
      const data = new Map<string, string>([['id', String(id)]]);
      for (const field of fields) if (values.coin()) data.set(field, values.forField(field));
      if (values.coin()) data.set(`extra${id % 3}`, values.json());
      sent.set(id, data);
      const text = [...data].map(([k, v]) => `"${k}":${v}`).join(',');
      lines.push(`{"type":"RECORD","record":{"stream":"r","data":{${text}},"emitted_at":1700000000000}}`);
    }
    const file = join(tempDir(), 'round.duckdb');
    const run = loadLines(file, lines, catalog);
    expect(run.stderr).not.toMatch(/^shipstation-load:/m);
    expect(run.status).toBe(0);
    const rows = await query(
      file,
      `SELECT id, CAST("int" AS VARCHAR) AS "int", num, CAST(money AS VARCHAR) AS money, str,
              CAST(epoch_us(ts) AS VARCHAR) AS ts, CAST(day AS VARCHAR) AS day, flag,
              CAST(obj AS VARCHAR) AS obj, CAST("any" AS VARCHAR) AS "any", CAST(_airbyte_extras AS VARCHAR) AS x
       FROM r ORDER BY id`,
    );
    expect(rows).toHaveLength(400);
    const problems: string[] = [];
    for (const row of rows) {
      const id = Number(row.id);
      const data = sent.get(id)!;
      const extras = row.x === null ? {} : (exact(row.x as string) as Record<string, unknown>);
      for (const [field, text] of data) {
        if (field === 'id') continue;
        const want = exact(text);
        let got: unknown;
        if (field in extras) got = extras[field];
        else if (!(field in COLUMNS)) got = 'missing from the extras';
        else {
          const v = row[field];
          if (v === null) got = null;
          else if (field === 'num') got = { number: decimalKey(String(v)) };
          else if (field === 'int' || field === 'money') got = { number: decimalKey(v as string) };
          else if (field === 'ts') got = BigInt(v as string) === micros(JSON.parse(text) as string) ? want : v;
          else if (field === 'obj' || field === 'any') got = exact(v as string);
          else got = v;
        }
        if (JSON.stringify(got) !== JSON.stringify(want))
          problems.push(`id ${id} ${field}: sent ${text}, got ${JSON.stringify(got)}`);
      }
      for (const field of Object.keys(extras))
        if (!data.has(field)) problems.push(`id ${id}: ${field} in the extras, never sent`);
    }
    expect(problems.slice(0, 10)).toEqual([]);
  });
});
