// Notices fields the API sends that the stream schema does not declare, so schemas can follow the API.
// Each object path keeps the set of keys already accounted for (declared, or reported once): in steady state
// a record costs one set look-up per key.
import type { JsonSchema } from './schemas.js';

type JsonObject = Record<string, unknown>;

interface ObjectNode {
  path: string;
  known: Set<string>;
  children: Map<string, ValueNode>;
}

/** A declared nested value: an object, an array of objects, or either. */
interface ValueNode {
  object?: ObjectNode;
  items?: ValueNode;
}

/**
 * Returns a function to feed every record of one stream through during a run; `onUndeclared` receives the
 * dotted path (`items[].giftWrap`) of each undeclared field, once per path. The contents of an undeclared
 * field are not inspected: its own path is the news.
 */
export function createSchemaDriftDetector(
  schema: JsonSchema,
  onUndeclared: (path: string) => void,
): (record: JsonObject) => void {
  const root = objectNode(schema, '');

  const checkObject = (target: JsonObject, node: ObjectNode): void => {
    for (const key in target) {
      if (!node.known.has(key)) {
        node.known.add(key);
        onUndeclared(node.path ? `${node.path}.${key}` : key);
        continue;
      }
      const child = node.children.get(key);
      if (child) checkValue(target[key], child);
    }
  };

  const checkValue = (value: unknown, node: ValueNode): void => {
    if (typeof value !== 'object' || value === null) return;
    if (Array.isArray(value)) {
      if (node.items) for (const element of value) checkValue(element, node.items);
    } else if (node.object) {
      checkObject(value as JsonObject, node.object);
    }
  };

  return (record) => checkObject(record, root);
}

function objectNode(schema: JsonSchema, path: string): ObjectNode {
  const node: ObjectNode = { path, known: new Set(), children: new Map() };
  for (const [key, property] of Object.entries(schema.properties ?? {})) {
    node.known.add(key);
    const child = valueNode(property, path ? `${path}.${key}` : key);
    if (child) node.children.set(key, child);
  }
  return node;
}

function valueNode(schema: JsonSchema, path: string): ValueNode | undefined {
  const object = schema.properties ? objectNode(schema, path) : undefined;
  const items = schema.items ? valueNode(schema.items, `${path}[]`) : undefined;
  if (!object && !items) return undefined;
  return { ...(object && { object }), ...(items && { items }) };
}
