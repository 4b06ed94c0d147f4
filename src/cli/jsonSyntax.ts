// Where a JSON text stops being JSON, as a line and column. JSON.parse's own message quotes the text around the
// error, and in a config file that text can be the API secret, so it is never shown; this position is.

/** Offset of the first syntax error in `text`, or -1 when it is valid JSON. Iterative: any nesting depth. */
export function jsonErrorOffset(text: string): number {
  const n = text.length;
  const closers: string[] = [];
  let i = 0;
  let expect: 'value' | 'key' | 'after' = 'value';
  const skipSpace = () => {
    while (i < n && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  for (;;) {
    skipSpace();
    if (expect === 'after') {
      if (closers.length === 0) return i === n ? -1 : i;
      if (text[i] === ',') {
        i++;
        expect = closers.at(-1) === '}' ? 'key' : 'value';
      } else if (text[i] === closers.at(-1)) {
        i++;
        closers.pop();
      } else {
        return i;
      }
      continue;
    }
    if (expect === 'key') {
      if (text[i] !== '"') return i;
      i = stringEnd(text, i);
      if (i < 0) return -i - 1;
      skipSpace();
      if (text[i] !== ':') return i;
      i++;
      expect = 'value';
      continue;
    }
    const c = text[i];
    if (c === '{' || c === '[') {
      i++;
      skipSpace();
      if (text[i] === (c === '{' ? '}' : ']')) {
        i++;
        expect = 'after';
      } else {
        closers.push(c === '{' ? '}' : ']');
        expect = c === '{' ? 'key' : 'value';
      }
      continue;
    }
    const end =
      c === '"' ? stringEnd(text, i) : c === 't' || c === 'f' || c === 'n' ? literalEnd(text, i) : numberEnd(text, i);
    if (end < 0) return -end - 1;
    i = end;
    expect = 'after';
  }
}

/** 1-based line and column of an offset. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

// The scanners below return the offset just past what they read, or -(error offset) - 1.

function stringEnd(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (code === 0x22) return i + 1;
    if (code < 0x20) return -i - 1;
    if (code === 0x5c) {
      const next = text[i + 1];
      if (next === 'u') {
        if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return -(i + 1) - 1;
        i += 6;
      } else if (next !== undefined && '"\\/bfnrt'.includes(next)) {
        i += 2;
      } else {
        return -(i + 1) - 1;
      }
      continue;
    }
    i++;
  }
  return -text.length - 1;
}

function literalEnd(text: string, start: number): number {
  for (const word of ['true', 'false', 'null']) {
    if (text.startsWith(word, start)) return start + word.length;
  }
  let i = start;
  const word = ['true', 'false', 'null'].find((w) => w[0] === text[start])!;
  while (text[i] === word[i - start]) i++;
  return -i - 1;
}

function numberEnd(text: string, start: number): number {
  let i = start;
  const digits = () => {
    const from = i;
    while (i < text.length && text[i]! >= '0' && text[i]! <= '9') i++;
    return i > from;
  };
  if (text[i] === '-') i++;
  if (text[i] === '0') i++;
  else if (!digits()) return -i - 1;
  if (text[i] === '.') {
    i++;
    if (!digits()) return -i - 1;
  }
  if (text[i] === 'e' || text[i] === 'E') {
    i++;
    if (text[i] === '+' || text[i] === '-') i++;
    if (!digits()) return -i - 1;
  }
  return i;
}
