// Reading a list response: `{<envelope>: [...], total, page, pages}` or a bare array. Anything else is a
// response this connector does not understand, reported as such rather than guessed at.
import { SystemError } from '../../errors.js';

export type ApiRecord = Record<string, unknown>;

export interface Page {
  rows: ApiRecord[];
  total?: number;
  pages?: number;
}

export function readEnvelope(body: unknown, path: string, envelope: string | null): Page {
  const list = envelope === null ? body : isObject(body) ? body[envelope] : undefined;
  if (!Array.isArray(list)) {
    const expected = envelope === null ? 'a JSON array' : `an object with a '${envelope}' list`;
    throw new SystemError(`unexpected response from ${path}: expected ${expected}`);
  }
  for (const row of list) {
    if (!isObject(row)) throw new SystemError(`unexpected response from ${path}: a list entry is not an object`);
  }
  const page: Page = { rows: list as ApiRecord[] };
  if (isObject(body)) {
    if (typeof body.total === 'number') page.total = body.total;
    if (typeof body.pages === 'number') page.pages = body.pages;
  }
  return page;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
