// Child streams: rows unnested from a parent's records, and the parent properties a child inherits
// (sync modes and cursor choices). Pure functions over the definitions.
import { isIncremental, type ChildStreamDefinition, type StreamDefinition } from './types.js';

type Row = Record<string, unknown>;

/**
 * The child's cursor choices: child field → the parent cursor it carries. A child is incremental exactly when
 * its parent is, on the same cursor (STATE is the parent's position).
 */
export function childCursors(child: ChildStreamDefinition, parent: StreamDefinition): Record<string, string> {
  const cursors: Record<string, string> = {};
  for (const [childField, parentField] of Object.entries(child.carry)) {
    if (parent.cursors?.[parentField]) cursors[childField] = parentField;
  }
  return cursors;
}

export function childIsIncremental(child: ChildStreamDefinition, parent: StreamDefinition): boolean {
  return isIncremental(parent) && Object.keys(childCursors(child, parent)).length > 0;
}

/** The child field carrying the parent's default cursor. */
export function childDefaultCursor(child: ChildStreamDefinition, parent: StreamDefinition): string | undefined {
  const { defaultCursor } = parent;
  return (
    (defaultCursor === undefined ? undefined : childCursorFor(child, parent, defaultCursor)) ??
    Object.keys(childCursors(child, parent))[0]
  );
}

/** The child field carrying a given parent cursor (the inverse of childCursors). */
export function childCursorFor(
  child: ChildStreamDefinition,
  parent: StreamDefinition,
  parentCursor: string,
): string | undefined {
  const cursors = childCursors(child, parent);
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
