// Reading the files a command is given: config, configured catalog and state. Every problem becomes a
// ConfigError whose one line names the file or the field.
import { readFileSync } from 'node:fs';
import type { ConfiguredAirbyteCatalog, ConfiguredAirbyteStream } from '../generated/protocol.js';
import { describeAjvError, type Validator } from '../ajv.js';
import { ConfigError } from '../errors.js';
import { configuredCatalog } from '../generated/validators.js';
import { jsonErrorOffset, lineAndColumn } from './jsonSyntax.js';
import { childCursorFor, childCursors, childDefaultCursor, childIsIncremental } from '../streams/children.js';
import type { StreamSet } from '../streams/streamSet.js';
import { cursorChoices, isIncremental, type SelectedStream } from '../streams/types.js';

export function readJsonFile(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? 'not found'
        : code === 'EACCES'
          ? 'not readable (permission denied)'
          : `unreadable (${code ?? 'error'})`;
    throw new ConfigError(`${what} file ${path} is ${reason}`);
  }
  // Editors on Windows save UTF-8 with a byte-order mark; it is not part of the JSON.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  try {
    return JSON.parse(text);
  } catch {
    // JSON.parse's message quotes the text around the error (a secret, in a config file): only the position is shown.
    const offset = jsonErrorOffset(text);
    const at = lineAndColumn(text, offset);
    const where =
      offset < 0 ? '' : offset >= text.length ? ' (it ends too early)' : ` (line ${at.line}, column ${at.column})`;
    throw new ConfigError(`${what} file ${path} is not valid JSON${where}`);
  }
}

/** Longest piece of an input value a message quotes: a stream name of a megabyte is shown by its start. */
const QUOTE_CHARS = 80;

/** A name from the input as a message quotes it: cut to QUOTE_CHARS, its line breaks shown as \n. */
function quoted(text: string): string {
  const cut = text.length > QUOTE_CHARS ? `${text.slice(0, QUOTE_CHARS)}…` : text;
  return JSON.stringify(cut).slice(1, -1);
}

/**
 * Any input value as a message shows it: its JSON, cut like a name. A value nested deeper than JSON.stringify
 * can go (it recurses) is described instead of crashing the message that was to name it.
 */
function shownValue(value: unknown): string {
  try {
    const json = JSON.stringify(value) ?? String(value);
    return json.length > QUOTE_CHARS ? `${json.slice(0, QUOTE_CHARS)}…` : json;
  } catch {
    return Array.isArray(value) ? 'an array nested too deep to show' : 'an object nested too deep to show';
  }
}

/**
 * A copy of an object without its null-valued fields, on this level and `below` levels of nested objects: Python
 * clients write every optional field, as null.
 */
function withoutNulls(value: unknown, below = 0): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== null)
      .map(([k, v]) => [k, below > 0 ? withoutNulls(v, below - 1) : v]),
  );
}

/** The protocol's ConfiguredAirbyteCatalog, compiled ahead of time. */
const validateCatalog: Validator = configuredCatalog;

/** Validates a configured catalog against the protocol and against what this connector offers. */
export function parseCatalog(input: unknown, offered: StreamSet): SelectedStream[] {
  const raw = optionalFieldsAbsent(input);
  const validate = validateCatalog;
  if (!validate(raw)) {
    const first = validate.errors?.[0];
    throw new ConfigError(first ? describeAjvError(first, 'catalog') : 'catalog: invalid');
  }
  const catalog = raw as ConfiguredAirbyteCatalog;
  const seen = new Set<string>();
  const selected = catalog.streams.map((configured: ConfiguredAirbyteStream, i): SelectedStream => {
    const name = configured.stream.name;
    const where = `catalog.streams[${i}]`;
    const def = offered.find(name);
    const child = def ? undefined : offered.findChild(name);
    const parent = child && offered.parentOf(child);
    if (!def && !child) {
      throw new ConfigError(
        `${where}: unknown stream '${quoted(name)}' (this connector offers ${offered.names().join(', ')})`,
      );
    }
    if (seen.has(name)) throw new ConfigError(`${where}: stream '${name}' is listed twice`);
    seen.add(name);
    const syncMode = configured.sync_mode ?? 'full_refresh';
    if (syncMode === 'full_refresh') return { name, syncMode };
    if (!(def ? isIncremental(def) : childIsIncremental(child!, parent!))) {
      throw new ConfigError(`${where}: stream '${name}' does not support incremental sync (full_refresh only)`);
    }
    const choices = def ? cursorChoices(def) : Object.keys(childCursors(child!, parent!));
    const requested = configured.cursor_field ?? [];
    if (requested.length === 0)
      return { name, syncMode, cursorField: def ? def.defaultCursor : childDefaultCursor(child!, parent!) };
    const cursorField = requested.join('.');
    if (!choices.includes(cursorField)) {
      throw new ConfigError(
        `${where}.cursor_field: '${quoted(cursorField)}' is not a cursor of stream '${name}' (use ${choices.join(' or ')})`,
      );
    }
    return { name, syncMode, cursorField };
  });
  checkChildrenMatchParents(selected, offered);
  return selected;
}

/** The catalog with null optional fields dropped at its three protocol levels (catalog, configured stream, stream). */
function optionalFieldsAbsent(input: unknown): unknown {
  const catalog = withoutNulls(input);
  if (typeof catalog !== 'object' || catalog === null || !Array.isArray((catalog as { streams?: unknown }).streams))
    return catalog;
  const streams = (catalog as { streams: unknown[] }).streams.map((entry) => {
    const configured = withoutNulls(entry);
    if (typeof configured !== 'object' || configured === null || Array.isArray(configured)) return configured;
    const { stream } = configured as { stream?: unknown };
    return stream === undefined ? configured : { ...configured, stream: withoutNulls(stream) };
  });
  return { ...catalog, streams };
}

/**
 * A parent and its children are read by the same requests, so when both are selected they must agree on the
 * sync mode and cursor; a mismatch is a config error naming both rather than a silent choice for the user.
 */
function checkChildrenMatchParents(selected: SelectedStream[], offered: StreamSet): void {
  const byName = new Map(selected.map((s) => [s.name, s]));
  for (const s of selected) {
    const child = offered.findChild(s.name);
    const parent = child && byName.get(child.parent);
    if (!child || !parent) continue;
    const parentDef = offered.parentOf(child);
    if (parent.syncMode !== s.syncMode) {
      throw new ConfigError(
        `catalog: '${s.name}' (${s.syncMode}) is read from the pages of '${parent.name}' (${parent.syncMode}); select both with the same sync mode`,
      );
    }
    if (s.syncMode === 'incremental' && childCursors(child, parentDef)[s.cursorField!] !== parent.cursorField) {
      throw new ConfigError(
        `catalog: '${s.name}' cursor '${s.cursorField}' does not match '${parent.name}' cursor '${parent.cursorField}'; ` +
          `use '${childCursorFor(child, parentDef, parent.cursorField!) ?? '?'}' for '${s.name}'`,
      );
    }
  }
}

/** Levels of a stream state below its top where null fields mean "none" (ours nests `group` one level down). */
const STATE_LEVELS = 1;

/**
 * How deep a stream state may nest. Ours goes three levels; JSON.parse takes any depth, but the code reading a
 * state (and JSON.stringify, quoting a bad value) recurses, and 100,000 levels overflow the stack: a state that
 * deep is refused here, before anything recurses through it.
 */
const MAX_STATE_DEPTH = 32;

/** Whether `value` nests deeper than `limit` levels of arrays and objects; walks without recursing. */
function nestsDeeperThan(value: unknown, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth >= limit) return true;
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return false;
}

/** A stream's state as the engine gets it, once it is known not to nest past MAX_STATE_DEPTH. */
function streamState(value: unknown, where: string): unknown {
  if (nestsDeeperThan(value, MAX_STATE_DEPTH)) {
    throw new ConfigError(`${where}: nested deeper than ${MAX_STATE_DEPTH} levels, not a state this connector wrote`);
  }
  return withoutNulls(value, STATE_LEVELS);
}

/**
 * The input state, in any of Airbyte's forms: an array of STREAM (or GLOBAL) state messages, a single
 * state message, or a LEGACY object `{"<stream>": <stream_state>}`. Returns each stream's raw stream_state.
 */
export function parseStateInput(raw: unknown): Map<string, unknown> {
  const states = new Map<string, unknown>();
  if (raw === null || raw === undefined) return states;
  const messages = Array.isArray(raw) ? raw : isStateMessage(raw) ? [raw] : null;
  if (messages === null) {
    if (typeof raw !== 'object') throw new ConfigError('state: must be a JSON array of state messages or an object');
    for (const [name, value] of Object.entries(raw as Record<string, unknown>))
      states.set(name, streamState(value, `state.${quoted(name)}`));
    return states;
  }
  messages.forEach((message, i) => {
    const where = `state[${i}]`;
    if (typeof message !== 'object' || message === null)
      throw new ConfigError(`${where}: must be a state message object`);
    const m = message as Record<string, unknown>;
    const type = m.type ?? (m.data !== undefined ? 'LEGACY' : undefined);
    if (type === 'STREAM') {
      addStreamState(states, m.stream, `${where}.stream`);
    } else if (type === 'GLOBAL') {
      const global = m.global as { stream_states?: unknown } | undefined;
      if (!global || !Array.isArray(global.stream_states)) {
        throw new ConfigError(`${where}.global.stream_states: missing or not an array`);
      }
      for (const [j, s] of global.stream_states.entries())
        addStreamState(states, s, `${where}.global.stream_states[${j}]`);
    } else if (type === 'LEGACY') {
      if (typeof m.data !== 'object' || m.data === null) throw new ConfigError(`${where}.data: must be an object`);
      for (const [name, value] of Object.entries(m.data as Record<string, unknown>))
        states.set(name, streamState(value, `${where}.data.${quoted(name)}`));
    } else {
      throw new ConfigError(`${where}.type: must be STREAM, GLOBAL or LEGACY (got ${shownValue(m.type)})`);
    }
  });
  return states;
}

function isStateMessage(raw: unknown): boolean {
  if (typeof raw !== 'object' || raw === null) return false;
  const type = (raw as Record<string, unknown>).type;
  return type === 'STREAM' || type === 'GLOBAL' || type === 'LEGACY';
}

function addStreamState(states: Map<string, unknown>, value: unknown, where: string): void {
  const s = value as { stream_descriptor?: { name?: unknown }; stream_state?: unknown } | undefined;
  if (!s || typeof s !== 'object') throw new ConfigError(`${where}: missing`);
  const name = s.stream_descriptor?.name;
  if (typeof name !== 'string' || name === '') throw new ConfigError(`${where}.stream_descriptor.name: missing`);
  if (
    s.stream_state !== undefined &&
    s.stream_state !== null &&
    (typeof s.stream_state !== 'object' || Array.isArray(s.stream_state))
  ) {
    throw new ConfigError(`${where}.stream_state: must be an object`);
  }
  states.set(name, s.stream_state ? streamState(s.stream_state, `${where}.stream_state`) : null);
}
