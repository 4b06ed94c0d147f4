// Explicit validation of JSON bodies sent to the control endpoints.

export class InputError extends Error {}

export type JsonObject = Readonly<Record<string, unknown>>;

export function asObject(value: unknown, what: string): JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new InputError(`${what} must be a JSON object`);
  return value as JsonObject;
}

export function optNumber(obj: JsonObject, name: string): number | undefined {
  const value = obj[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new InputError(`${name} must be a number`);
  return value;
}

export function optString(obj: JsonObject, name: string): string | undefined {
  const value = obj[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new InputError(`${name} must be a string`);
  return value;
}

export function optBoolean(obj: JsonObject, name: string): boolean | undefined {
  const value = obj[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') throw new InputError(`${name} must be a boolean`);
  return value;
}

export function optIntArray(obj: JsonObject, name: string): number[] | undefined {
  const value = obj[name];
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every((v) => Number.isSafeInteger(v)))
    throw new InputError(`${name} must be an array of integers`);
  return value as number[];
}

export function optObject(obj: JsonObject, name: string): JsonObject | undefined {
  const value = obj[name];
  return value === undefined ? undefined : asObject(value, name);
}
