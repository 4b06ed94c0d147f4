// A message line's JSON text read without building its values: where each member of the first three levels
// lies in the line's bytes (the message, its record, the record's data), what kind of value it is, and what of it
// DuckDB would refuse or change (a lone UTF-16 surrogate, a key twice in one object, a number with more digits
// than a double holds).
// The loader copies values from these byte ranges, so nothing it stores was re-serialised from parsed numbers.
// Iterative, so nesting depth costs memory, not stack; as strict as JSON.parse (a test compares the two).

export const STRING = 0;
export const NUMBER = 1;
export const TRUE = 2;
export const FALSE = 3;
export const NULL = 4;
export const OBJECT = 5;
export const ARRAY = 6;
export type Kind =
  | typeof STRING
  | typeof NUMBER
  | typeof TRUE
  | typeof FALSE
  | typeof NULL
  | typeof OBJECT
  | typeof ARRAY;

/** Objects down to this depth (1 = the line's own object) have their members listed, when they are members. */
const LISTED_DEPTH = 3;

export interface Member {
  key: string;
  /** The key's number among the names seen so far (-1 when it has none): per-key facts can live in an array. */
  id: number;
  /** Byte offsets in the line: the key's opening quote, the value's first byte, one past its last. */
  keyAt: number;
  start: number;
  end: number;
  kind: Kind;
  /** A string holding an escape: its bytes are not its text. */
  escaped: boolean;
  /**
   * A number, here or nested, with more significant digits than 15 or an exponent near a double's limits: a
   * double may not hold it, and DuckDB's JSON reader may print it back differently. Plain integers never are:
   * DuckDB keeps them as written at any size.
   */
  long: boolean;
  /** Numbers: written as a plain integer (no fraction, no exponent). */
  plain: boolean;
  /** Numbers: digits before the point without leading zeros, after it without trailing zeros; an exponent. */
  intDigits: number;
  fracDigits: number;
  exponent: boolean;
  /** An object's members, at the listed depths, and the first key it holds twice. */
  members?: Member[];
  duplicate?: string;
}

export interface ScannedLine {
  /** The members of the line's object; undefined when the line holds another kind of value. */
  members: Member[] | undefined;
  /** Byte offset of the first `\u` escape of a lone UTF-16 surrogate, or -1. */
  loneSurrogate: number;
  /** The first key the line's own object holds twice. */
  duplicate: string | undefined;
}

export class JsonSyntaxError extends Error {
  constructor(
    readonly at: number,
    reason: string,
  ) {
    super(`${reason} at byte ${at + 1}`);
  }
}

const newMember = (key: string, id: number, keyAt: number, start: number): Member => ({
  key,
  id,
  keyAt,
  start,
  end: start,
  kind: NULL,
  escaped: false,
  long: false,
  plain: false,
  intDigits: 0,
  fracDigits: 0,
  exponent: false,
});

interface KeyName {
  bytes: Buffer;
  name: string;
  id: number;
}

/**
 * Key names, decoded once: records repeat the same keys line after line, mostly in the same order, so the key
 * at a place is first compared with the one found there last time. Bounded, so a stream of ever new keys costs
 * a decode each rather than memory.
 */
class KeyNames {
  private readonly byHash = new Map<number, KeyName[]>();
  /** Per depth, the key found last at each index of an object. */
  private readonly recent: KeyName[][] = [[], [], [], []];
  private count = 0;
  static readonly MAX = 4096;

  /** The key in buf[start, end) (no escapes) at `index` of an object at `depth`. */
  at(buf: Buffer, start: number, end: number, depth: number, index: number): KeyName {
    const row = this.recent[depth]!;
    const guess = row[index];
    if (guess && sameBytes(guess.bytes, buf, start, end)) return guess;
    let hash = 0;
    for (let k = start; k < end; k++) hash = (Math.imul(hash, 31) + buf[k]!) | 0;
    const found = this.lookup(buf, start, end, hash);
    if (index < 256) row[index] = found;
    return found;
  }

  private lookup(buf: Buffer, start: number, end: number, hash: number): KeyName {
    const candidates = this.byHash.get(hash);
    if (candidates) {
      for (const c of candidates) if (sameBytes(c.bytes, buf, start, end)) return c;
    }
    const name = buf.toString('utf8', start, end);
    const bytes = Buffer.from(buf.subarray(start, end));
    if (this.count >= KeyNames.MAX) return { bytes, name, id: -1 };
    const entry = { bytes, name, id: this.count++ };
    if (candidates) candidates.push(entry);
    else this.byHash.set(hash, [entry]);
    return entry;
  }
}

function sameBytes(a: Buffer, b: Buffer, start: number, end: number): boolean {
  if (a.length !== end - start) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[start + i]) return false;
  return true;
}

const keyNames = new KeyNames();
/** Per kept key id, the object (by serial number) it was last seen in: finds a duplicate without allocating. */
const seenIn = new Int32Array(KeyNames.MAX);
let objectSerial = 0;

function hexValue(buf: Buffer, at: number, end: number): number {
  if (at + 4 > end) return -1;
  let v = 0;
  for (let k = at; k < at + 4; k++) {
    const c = buf[k]!;
    const d = c >= 48 && c <= 57 ? c - 48 : c >= 65 && c <= 70 ? c - 55 : c >= 97 && c <= 102 ? c - 87 : -1;
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
}

const VALUE = 0;
const AFTER = 1;
const KEY = 2;

/** One scan at a time; its stacks are kept between lines so a line allocates only its listed members. */
class Scanner {
  private buf: Buffer = Buffer.alloc(0);
  private to = 0;
  private i = 0;
  private out!: ScannedLine;
  // Per open container: its closing byte, its listed members (or undefined), its serial and the member it is.
  private readonly closers: number[] = [];
  private readonly lists: Array<Member[] | undefined> = [];
  private readonly serials: number[] = [];
  private readonly open: Array<Member | undefined> = [];

  scan(buf: Buffer): ScannedLine {
    this.buf = buf;
    this.to = buf.length;
    this.i = 0;
    this.closers.length = 0;
    this.lists.length = 0;
    this.serials.length = 0;
    this.open.length = 0;
    const out: ScannedLine = { members: undefined, loneSurrogate: -1, duplicate: undefined };
    this.out = out;
    const to = this.to;
    let expect = VALUE;
    // The member the next value belongs to, when its object is listed.
    let pending: Member | undefined;
    for (;;) {
      let i = this.skipSpace();
      if (expect === VALUE) {
        if (i >= to) this.fail('unexpected end');
        const c = buf[i]!;
        const member = pending;
        pending = undefined;
        if (member) member.start = i;
        if (c === 123 || c === 91) {
          const depth = this.closers.length + 1;
          const listed = c === 123 && depth <= LISTED_DEPTH && (member || depth === 1) ? [] : undefined;
          if (member) {
            member.kind = c === 123 ? OBJECT : ARRAY;
            if (listed) member.members = listed;
          } else if (depth === 1 && listed) out.members = listed;
          const closer = c === 123 ? 125 : 93;
          this.closers.push(closer);
          this.lists.push(listed);
          this.serials.push(listed ? ++objectSerial : 0);
          this.open.push(member);
          this.i = i + 1;
          i = this.skipSpace();
          if (buf[i] === closer) {
            this.i = i + 1;
            this.close();
            expect = AFTER;
          } else {
            expect = c === 123 ? KEY : VALUE;
          }
          continue;
        }
        if (c === 34) {
          const escaped = this.skipString();
          if (member) {
            member.kind = STRING;
            member.escaped = escaped;
          }
        } else if (c === 45 || (c >= 48 && c <= 57)) {
          this.number(member);
        } else if (c === 116) {
          this.literal('true', member, TRUE);
        } else if (c === 102) {
          this.literal('false', member, FALSE);
        } else if (c === 110) {
          this.literal('null', member, NULL);
        } else {
          this.fail('unexpected character');
        }
        if (member) member.end = this.i;
        expect = AFTER;
        continue;
      }
      if (expect === KEY) {
        if (buf[i] !== 34) this.fail('expected a key');
        const keyAt = i;
        const list = this.lists[this.lists.length - 1];
        if (!list) {
          this.skipString();
        } else {
          i++;
          while (i < to) {
            const k = buf[i]!;
            if (k === 34 || k === 92 || k < 32) break;
            i++;
          }
          let key: string;
          let id = -1;
          if (i < to && buf[i] === 34) {
            this.i = i + 1;
            ({ name: key, id } = keyNames.at(buf, keyAt + 1, i, this.closers.length, list.length));
          } else {
            this.skipString();
            key = JSON.parse(buf.toString('utf8', keyAt, this.i)) as string;
          }
          const serial = this.serials[this.serials.length - 1]!;
          if (id >= 0 ? seenIn[id] === serial : list.some((m) => m.key === key)) {
            const owner = this.open[this.open.length - 1];
            if (owner) owner.duplicate ??= key;
            else out.duplicate ??= key;
          } else if (id >= 0) {
            seenIn[id] = serial;
          }
          pending = newMember(key, id, keyAt, 0);
          list.push(pending);
        }
        i = this.skipSpace();
        if (buf[i] !== 58) this.fail("expected ':'");
        this.i = i + 1;
        expect = VALUE;
        continue;
      }
      // After a value: the end of the text, a comma, or the end of the enclosing container.
      const depth = this.closers.length;
      if (depth === 0) {
        if (i < to) this.fail('unexpected text after the JSON value');
        return out;
      }
      const closer = this.closers[depth - 1]!;
      const c = buf[i];
      if (c === 44) {
        this.i = i + 1;
        expect = closer === 125 ? KEY : VALUE;
      } else if (c === closer) {
        this.i = i + 1;
        this.close();
      } else {
        this.fail(closer === 125 ? "expected ',' or '}'" : "expected ',' or ']'");
      }
    }
  }

  private skipSpace(): number {
    const { buf, to } = this;
    let i = this.i;
    while (i < to) {
      const c = buf[i]!;
      if (c !== 32 && c !== 9 && c !== 10 && c !== 13) break;
      i++;
    }
    this.i = i;
    return i;
  }

  private fail(reason: string, at = this.i): never {
    throw new JsonSyntaxError(at, at >= this.to ? 'unexpected end' : reason);
  }

  private close(): void {
    this.closers.pop();
    this.lists.pop();
    this.serials.pop();
    const member = this.open.pop();
    if (member) {
      member.end = this.i;
      // What an inner value holds, its listed parent holds too.
      if (member.long) this.markLong();
    }
  }

  /** Marks the innermost open listed member as holding a long number. */
  private markLong(): void {
    for (let d = this.open.length - 1; d >= 0; d--) {
      const m = this.open[d];
      if (m) {
        m.long = true;
        return;
      }
    }
  }

  /** From an opening quote to past the closing one; returns whether the string holds an escape. */
  private skipString(): boolean {
    const { buf, to } = this;
    let escaped = false;
    let i = this.i + 1;
    for (;;) {
      while (i < to) {
        const c = buf[i]!;
        if (c === 34 || c === 92 || c < 32) break;
        i++;
      }
      if (i >= to) {
        this.i = i;
        this.fail('unterminated string');
      }
      const c = buf[i]!;
      if (c === 34) {
        this.i = i + 1;
        return escaped;
      }
      if (c < 32) this.fail('control character in a string', i);
      escaped = true;
      const e = buf[i + 1];
      if (e === 117) {
        const unit = hexValue(buf, i + 2, to);
        if (unit < 0) this.fail('bad \\u escape', i);
        if (unit >= 0xd800 && unit <= 0xdbff) {
          const next = buf[i + 6] === 92 && buf[i + 7] === 117 ? hexValue(buf, i + 8, to) : -1;
          if (next >= 0xdc00 && next <= 0xdfff) {
            i += 12;
            continue;
          }
          if (this.out.loneSurrogate < 0) this.out.loneSurrogate = i;
        } else if (unit >= 0xdc00 && unit <= 0xdfff && this.out.loneSurrogate < 0) {
          this.out.loneSurrogate = i;
        }
        i += 6;
      } else if (e === 34 || e === 92 || e === 47 || e === 98 || e === 102 || e === 110 || e === 114 || e === 116) {
        i += 2;
      } else {
        this.fail('bad escape', i);
      }
    }
  }

  private literal(word: string, member: Member | undefined, kind: Kind): void {
    const i = this.i;
    for (let k = 0; k < word.length; k++)
      if (this.buf[i + k] !== word.charCodeAt(k)) this.fail('unexpected character', i + k);
    this.i = i + word.length;
    if (member) member.kind = kind;
  }

  private digit(at: number): boolean {
    if (at >= this.to) return false;
    const c = this.buf[at]!;
    return c >= 48 && c <= 57;
  }

  private number(member: Member | undefined): void {
    const { buf, to } = this;
    const start = this.i;
    let i = start;
    if (buf[i] === 45) i++;
    if (!this.digit(i)) this.fail('bad number', i);
    // Significant digits: from the first non-zero one to the last non-zero one.
    let firstNonZero = -1;
    let lastNonZero = -1;
    let intDigits = 0;
    if (buf[i] === 48) {
      i++;
      if (this.digit(i)) this.fail('leading zero in a number', i);
    } else {
      firstNonZero = i;
      while (i < to) {
        const c = buf[i]!;
        if (c < 48 || c > 57) break;
        if (c !== 48) lastNonZero = i;
        i++;
      }
      intDigits = i - firstNonZero;
    }
    const pointAt = i;
    let fracDigits = 0;
    let fraction = false;
    if (i < to && buf[i] === 46) {
      fraction = true;
      i++;
      if (!this.digit(i)) this.fail('bad number', i);
      while (i < to) {
        const c = buf[i]!;
        if (c < 48 || c > 57) break;
        if (c !== 48) {
          lastNonZero = i;
          if (firstNonZero < 0) firstNonZero = i;
          fracDigits = i - pointAt;
        }
        i++;
      }
    }
    let exponent = false;
    let exp = 0;
    if (i < to && (buf[i] === 101 || buf[i] === 69)) {
      exponent = true;
      i++;
      const negative = buf[i] === 45;
      if (negative || buf[i] === 43) i++;
      if (!this.digit(i)) this.fail('bad number', i);
      while (i < to) {
        const c = buf[i]!;
        if (c < 48 || c > 57) break;
        if (exp < 100_000) exp = exp * 10 + c - 48;
        i++;
      }
      if (negative) exp = -exp;
    }
    this.i = i;
    const plain = !fraction && !exponent;
    let long = false;
    if (!plain && firstNonZero >= 0) {
      // Up to 15 significant digits in a double's normal range always read back as themselves.
      const significant = lastNonZero - firstNonZero + 1 - (firstNonZero < pointAt && lastNonZero > pointAt ? 1 : 0);
      const magnitude = exp + (firstNonZero < pointAt ? pointAt - firstNonZero : pointAt - firstNonZero + 1);
      long = significant > 15 || magnitude > 300 || magnitude < -290;
    }
    if (long) this.markLong();
    if (member) {
      member.kind = NUMBER;
      member.plain = plain;
      member.intDigits = intDigits;
      member.fracDigits = fracDigits;
      member.exponent = exponent;
      if (long) member.long = true;
    }
  }
}

const scanner = new Scanner();

/** Scans `buf` as one JSON text. Throws JsonSyntaxError where it stops being JSON. */
export function scanJson(buf: Buffer): ScannedLine {
  return scanner.scan(buf);
}

/** A string member's text. */
export function stringOf(raw: Buffer, m: Member): string {
  return m.escaped
    ? (JSON.parse(raw.toString('utf8', m.start, m.end)) as string)
    : raw.toString('utf8', m.start + 1, m.end - 1);
}

/**
 * A number's value as sign, significant digits and the power of ten of the first digit: two texts with the same
 * key denote the same number (`1E2`, `100`, `100.00`). Zero is `0` whatever its sign or spelling.
 */
export function decimalKey(text: string): string {
  const negative = text.charCodeAt(0) === 45;
  const body = negative ? text.slice(1) : text;
  const e = body.search(/[eE]/);
  const mantissa = e < 0 ? body : body.slice(0, e);
  const exp = e < 0 ? 0 : Number(body.slice(e + 1));
  const point = mantissa.indexOf('.');
  const digits = point < 0 ? mantissa : mantissa.slice(0, point) + mantissa.slice(point + 1);
  const intLength = point < 0 ? mantissa.length : point;
  const lead = digits.search(/[1-9]/);
  if (lead < 0) return '0';
  const significant = digits.slice(lead).replace(/0+$/, '');
  return `${negative ? '-' : ''}${significant}e${intLength - lead + exp}`;
}

/** The text's number and the double nearest to it are the same number (and that double is finite). */
export function exactAsDouble(text: string): boolean {
  const value = Number(text);
  return Number.isFinite(value) && decimalKey(String(value)) === decimalKey(text);
}
