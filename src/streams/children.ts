// Child streams: rows unnested from a parent's records, and the parent properties a child inherits
// (sync modes and cursor choices). Pure functions over the definitions.
import { findStream } from './definitions.js';
import { isIncremental, type ChildStreamDefinition, type StreamDefinition } from './types.js';

type Row = Record<string, unknown>;

export function parentOf(child: ChildStreamDefinition): StreamDefinition {
  const parent = findStream(child.parent);
  if (!parent) throw new Error(`child stream ${child.name}: unknown parent ${child.parent}`);
  return parent;
}

/**
 * The child's cursor choices: child field → the parent cursor it carries. A child is incremental exactly when
 * its parent is, on the same cursor (STATE is the parent's position).
 */
export function childCursors(child: ChildStreamDefinition): Record<string, string> {
  const parent = parentOf(child);
  const cursors: Record<string, string> = {};
  for (const [childField, parentField] of Object.entries(child.carry)) {
    if (parent.cursors?.[parentField]) cursors[childField] = parentField;
  }
  return cursors;
}

export function childIsIncremental(child: ChildStreamDefinition): boolean {
  return isIncremental(parentOf(child)) && Object.keys(childCursors(child)).length > 0;
}

/** The child field carrying the parent's default cursor. */
export function childDefaultCursor(child: ChildStreamDefinition): string | undefined {
  const defaultCursor = parentOf(child).defaultCursor;
  return (
    (defaultCursor === undefined ? undefined : childCursorFor(child, defaultCursor)) ??
    Object.keys(childCursors(child))[0]
  );
}

/** The child field carrying a given parent cursor (the inverse of childCursors). */
export function childCursorFor(child: ChildStreamDefinition, parentCursor: string): string | undefined {
  const cursors = childCursors(child);
  return Object.keys(cursors).find((field) => cursors[field] === parentCursor);
}

/**
 * The child rows of a page of parent records, in parent order then element order. Each row is the element's
 * fields with the carried parent fields (and the index) in front; carried fields win over element fields of
 * the same name, so the link to the parent always holds. Elements that are not objects are skipped.
 * Nested values are shared with the parent record, not copied: records are serialised as soon as they are emitted.
 */
export function childRows(child: ChildStreamDefinition, parents: readonly Row[]): Row[] {
  const rows: Row[] = [];
  const carried = Object.entries(child.carry);
  for (const parent of parents) {
    const list = parent[child.parentField];
    if (!Array.isArray(list)) continue;
    list.forEach((element: unknown, i) => {
      if (typeof element !== 'object' || element === null || Array.isArray(element)) return;
      const row: Row = {};
      for (const [field, parentField] of carried) row[field] = parent[parentField] ?? null;
      if (child.index !== undefined) row[child.index] = i;
      for (const [key, value] of Object.entries(element as Row)) if (!(key in row)) row[key] = value;
      rows.push(row);
    });
  }
  return rows;
}
