#!/usr/bin/env node
// Connector Acceptance Tests (the Airbyte CAT categories: spec, connection, discovery, basic_read,
// full_refresh, incremental) run against the built connector (dist/shipstation-source.js) as a child process.
//
//   npm run acceptance                         starts the in-process simulator and must pass
//   npm run acceptance -- --api v2             the same against the simulator's API v2 mode
//   npm run acceptance -- --config FILE        runs against a real ShipStation account (read-only, GET only)
//
// Options (real account; its API, v1 or v2, is the config's, as the connector chooses it):
//   --start-date YYYY-MM-DD   lower bound for incremental streams (default: 14 days ago, or the config's
//                             start_date when that is later) to keep the number of pages small
//   --empty-streams a,b       streams allowed to return no records (an account may not use fulfillments)
//   --full-refresh-all        also read incremental-capable streams in the two full-refresh reads (whole history!)
//
// Reads made: basic_read (1), full_refresh (2), incremental (3: from the first read's state, from a far-future
// state, from a malformed state), plus spec, discover, check (valid config) and check (wrong secret, or wrong key
// for v2: one rejected request). Configured catalogs are written as Airbyte's Python tooling writes them: optional
// fields as null.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { isDeepStrictEqual } from 'node:util';
import { createAjv } from '../../build/ajv.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ENTRY = join(ROOT, 'dist', 'shipstation-source.js');
const FAR_FUTURE = '2099-01-01T00:00:00.000Z';

// ------------------------------------------------------------------------------------------------------------
// Arguments

let args;
try {
  args = parseArgs({
    options: {
      config: { type: 'string' },
      api: { type: 'string' },
      'start-date': { type: 'string' },
      'empty-streams': { type: 'string' },
      'full-refresh-all': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  }).values;
} catch (err) {
  process.stderr.write(`${err.message}\n`);
  process.exit(2);
}
if (args.api !== undefined && !['v1', 'v2'].includes(args.api)) {
  process.stderr.write(`--api takes v1 or v2, not ${args.api}\n`);
  process.exit(2);
}
if (args.api !== undefined && args.config !== undefined) {
  process.stderr.write('--api is for the simulator; with --config the config says which API (api_version)\n');
  process.exit(2);
}
if (args.help) {
  process.stdout.write(
    `${readFileSync(fileURLToPath(import.meta.url), 'utf8')
      .split('\n')
      .slice(1, 19)
      .map((l) => l.replace(/^\/\/ ?/, ''))
      .join('\n')}\n`,
  );
  process.exit(0);
}

// ------------------------------------------------------------------------------------------------------------
// Plumbing

const work = mkdtempSync(join(tmpdir(), 'ss-acceptance-'));
let fileNo = 0;
function file(name, value) {
  const path = join(work, `${++fileNo}-${name}`);
  writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value));
  return path;
}

/** Runs the connector with `...args`; stdout parsed as protocol messages. */
function cli(cliArgs, timeoutMs) {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(process.execPath, [ENTRY, ...cliArgs], {
      env: { ...process.env, NODE_OPTIONS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const messages = [];
      const unparsable = [];
      for (const line of stdout.split('\n')) {
        if (!line) continue;
        try {
          messages.push(JSON.parse(line));
        } catch {
          unparsable.push(line.slice(0, 120));
        }
      }
      resolve({ code, signal, stderr, messages, unparsable, ms: Date.now() - started });
    });
  });
}

const ofType = (messages, type) => messages.filter((m) => m.type === type);
const recordsOf = (messages, stream) =>
  ofType(messages, 'RECORD')
    .filter((m) => m.record.stream === stream)
    .map((m) => m.record.data);
const traceErrors = (messages) =>
  ofType(messages, 'TRACE')
    .filter((m) => m.trace.type === 'ERROR')
    .map((m) => m.trace.error);
const statusOf = (messages, stream) =>
  ofType(messages, 'TRACE')
    .filter((m) => m.trace.type === 'STREAM_STATUS' && m.trace.stream_status.stream_descriptor.name === stream)
    .map((m) => m.trace.stream_status.status)
    .at(-1);
const lastStates = (messages) => {
  const last = new Map();
  for (const m of ofType(messages, 'STATE'))
    if (m.state.stream) last.set(m.state.stream.stream_descriptor.name, m.state);
  return last;
};
const getPath = (record, path) =>
  path.reduce((v, key) => (v !== null && typeof v === 'object' ? v[key] : undefined), record);
const hasSchemaPath = (schema, path) => {
  let node = schema;
  for (const key of path) {
    node = node?.properties?.[key];
    if (!node) return false;
  }
  return true;
};
/** Sorted-key JSON: equality of records independent of key order. */
const canonical = (value) =>
  JSON.stringify(value, (_k, v) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
const instant = (v) => (typeof v === 'string' ? Date.parse(v) : Number.NaN);
const compareCursor = (a, b) => {
  const [x, y] = [instant(a), instant(b)];
  if (!Number.isNaN(x) && !Number.isNaN(y)) return x - y;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
};
const describe = (run) => {
  const errors = traceErrors(run.messages).map((e) => e.message);
  return `exit ${run.code ?? run.signal}${errors.length ? `: ${errors.slice(0, 2).join('; ')}` : ''}`;
};
const list = (xs, n = 5) => xs.slice(0, n).join('; ') + (xs.length > n ? `; … (${xs.length} in all)` : '');

// ------------------------------------------------------------------------------------------------------------
// Results

const results = [];
function report(name, ok, reason = '') {
  results.push({ name, ok });
  process.stdout.write(`${ok ? 'PASS' : 'FAIL'}  ${name}${reason ? ` — ${reason}` : ''}\n`);
}
/** Runs a check function returning a failure reason (string/array) or nothing; exceptions are failures. */
function test(name, fn, passNote) {
  let problems;
  try {
    problems = fn();
  } catch (err) {
    problems = `threw ${err?.stack?.split('\n').slice(0, 2).join(' ') ?? err}`;
  }
  if (Array.isArray(problems)) problems = problems.length ? list(problems) : undefined;
  const note = problems ? problems : typeof passNote === 'function' ? passNote() : passNote;
  report(name, !problems, note ?? '');
}
function note(text) {
  process.stdout.write(`      ${text}\n`);
}

// ------------------------------------------------------------------------------------------------------------
// Setup: the account

const ajv = await createAjv();
const protocol = JSON.parse(readFileSync(join(ROOT, 'protocol', 'airbyte_protocol.json'), 'utf8'));
ajv.addSchema(protocol);
const validateMessage = ajv.getSchema(`${protocol.$id}#/definitions/AirbyteMessage`);
const invalidMessages = (messages) =>
  messages
    .filter((m) => !validateMessage(m))
    .map((m) => `${m.type}: ${ajv.errorsText(validateMessage.errors)} (${JSON.stringify(m).slice(0, 100)})`);

const real = args.config !== undefined;
let sim;
let config;
let emptyAllowed = new Set();
const runTimeout = real ? 60 * 60_000 : 5 * 60_000;

if (real) {
  try {
    config = JSON.parse(readFileSync(args.config, 'utf8'));
  } catch (err) {
    process.stderr.write(`cannot read --config ${args.config}: ${err.message}\n`);
    process.exit(2);
  }
  const recent = args['start-date'] ?? new Date(Date.now() - 14 * 86_400_000).toISOString().slice(0, 10);
  const startDate = config.start_date && instant(config.start_date) > instant(recent) ? config.start_date : recent;
  config = { ...config, start_date: startDate };
  emptyAllowed = new Set((args['empty-streams'] ?? '').split(',').filter(Boolean));
  process.stdout.write(
    `acceptance tests against ${config.base_url ?? 'https://ssapi.shipstation.com'} (real account, read-only), start_date ${startDate}\n`,
  );
} else {
  const { startSimulator } = await import('../../build/simulator/index.js');
  const api = args.api ?? 'v1';
  sim = await startSimulator({ api, seed: 42, rateLimit: { limit: 1000, windowMs: 1000 } });
  config = { ...sim.config };
  process.stdout.write(
    `acceptance tests against the simulator's API ${api} at ${sim.baseUrl} (seed 42, rate limit 1000/s${api === 'v1' ? ' with headers' : ', Retry-After'})\n`,
  );
}
// The connector's own choice (config.ts): api_version, else v2 when a key comes without a secret.
const v2 = config.api_version === 'v2' || (config.api_version === undefined && config.api_secret === undefined);
// The credential a check is refused without, or with a wrong value of: v1's secret, v2's key.
const credential = v2 ? 'api_key' : 'api_secret';
const configPath = file('config.json', config);

try {
  await runAll();
} finally {
  await sim?.close();
  rmSync(work, { recursive: true, force: true });
}
const failed = results.filter((r) => !r.ok).length;
process.stdout.write(`\n${results.length - failed} passed, ${failed} failed (${results.length} tests)\n`);
process.exitCode = failed ? 1 : 0;

// ------------------------------------------------------------------------------------------------------------

async function runAll() {
  // ---------------------------------------------------------------------------------------------- spec
  const specRun = await cli(['spec'], 60_000);
  const specMessages = ofType(specRun.messages, 'SPEC');
  const spec = specMessages[0]?.spec;
  test('spec: exactly one SPEC message, exit 0', () =>
    specRun.code === 0 && specMessages.length === 1 && specRun.unparsable.length === 0
      ? undefined
      : `${describe(specRun)}, ${specMessages.length} SPEC message(s)`);
  test('spec: SPEC valid against the protocol schema', () => invalidMessages(specRun.messages));
  const connSpec = spec?.connectionSpecification ?? {};
  test('spec: connectionSpecification is a valid JSON Schema', () => {
    ajv.compile(connSpec);
  });
  test(
    'spec: secrets are marked airbyte_secret',
    () => {
      const props = Object.entries(connSpec.properties ?? {});
      const secretLike = props.filter(([name]) => /secret|password|token|api_?key|credential/i.test(name));
      const problems = secretLike
        .filter(([, p]) => p.airbyte_secret !== true)
        .map(([name]) => `${name} is not airbyte_secret`);
      if (!props.some(([, p]) => p.airbyte_secret === true)) problems.push('no property is airbyte_secret');
      return problems;
    },
    () =>
      `airbyte_secret: ${Object.entries(connSpec.properties ?? {})
        .filter(([, p]) => p.airbyte_secret)
        .map(([n]) => n)
        .join(', ')}`,
  );
  test('spec: required properties exist; the config validates against the spec', () => {
    const problems = (connSpec.required ?? [])
      .filter((name) => !(name in (connSpec.properties ?? {})))
      .map((n) => `required '${n}' is not a property`);
    const validate = ajv.compile(connSpec);
    if (!validate(config)) problems.push(`config: ${ajv.errorsText(validate.errors)}`);
    return problems;
  });

  // ---------------------------------------------------------------------------------------- connection
  const checkOk = await cli(['check', '--config', configPath], 120_000);
  const statusOfCheck = (run) => ofType(run.messages, 'CONNECTION_STATUS').map((m) => m.connectionStatus);
  test('connection: check with the config → SUCCEEDED', () => {
    const s = statusOfCheck(checkOk);
    return checkOk.code === 0 && s.length === 1 && s[0].status === 'SUCCEEDED'
      ? undefined
      : `${describe(checkOk)}, status ${JSON.stringify(s)}`;
  });
  const expectFailed = (run) => {
    const s = statusOfCheck(run);
    const problems = [];
    if (run.code !== 0) problems.push(`exit ${run.code ?? run.signal}`);
    if (s.length !== 1 || s[0].status !== 'FAILED') problems.push(`status ${JSON.stringify(s)}`);
    else if (!s[0].message) problems.push('FAILED without a message');
    if (/\n\s+at .+:\d+:\d+/.test(run.stderr)) problems.push('stack trace on stderr');
    if (run.unparsable.length) problems.push(`non-JSON stdout: ${run.unparsable[0]}`);
    return problems;
  };
  const { [credential]: _dropped, ...withoutSecret } = config;
  const missingSecret = await cli(['check', '--config', file('no-secret.json', withoutSecret)], 60_000);
  test(
    `connection: check without ${credential} → FAILED, not a crash`,
    () => expectFailed(missingSecret),
    () => statusOfCheck(missingSecret)[0]?.message,
  );
  // A wrong v2 key keeps a v2 key's shape (32 characters), so the request is made and refused.
  const wrong = v2 ? 'acceptanceWrongV2Key0123456789ab' : 'acce97ab1e000000000000000000000f';
  const wrongSecret = await cli(
    ['check', '--config', file('wrong-secret.json', { ...config, [credential]: wrong })],
    120_000,
  );
  test(
    `connection: check with a wrong ${credential} → FAILED, not a crash`,
    () => expectFailed(wrongSecret),
    () => statusOfCheck(wrongSecret)[0]?.message,
  );

  // ----------------------------------------------------------------------------------------- discovery
  const discover = await cli(['discover', '--config', configPath], 60_000);
  const catalog = ofType(discover.messages, 'CATALOG')[0]?.catalog;
  const streams = catalog?.streams ?? [];
  test(
    'discovery: one CATALOG, valid against the protocol schema',
    () => {
      const problems = invalidMessages(discover.messages);
      if (discover.code !== 0 || !catalog) problems.push(`${describe(discover)}, no CATALOG`);
      if (streams.length === 0) problems.push('no streams');
      const names = streams.map((s) => s.name);
      if (new Set(names).size !== names.length) problems.push('duplicate stream names');
      return problems;
    },
    () => `${streams.length} streams`,
  );
  const validators = new Map();
  test('discovery: every json_schema is a valid JSON Schema', () => {
    const problems = [];
    for (const s of streams) {
      try {
        validators.set(s.name, ajv.compile(s.json_schema));
      } catch (err) {
        problems.push(`${s.name}: ${err.message}`);
      }
      if (
        s.json_schema?.type !== 'object' &&
        !(Array.isArray(s.json_schema?.type) && s.json_schema.type.includes('object'))
      )
        problems.push(`${s.name}: root type is not object`);
    }
    return problems;
  });
  test('discovery: primary keys exist in the schema', () =>
    streams.flatMap((s) =>
      (s.source_defined_primary_key ?? [])
        .filter((path) => !hasSchemaPath(s.json_schema, path))
        .map((path) => `${s.name}: ${path.join('.')}`),
    ));
  test('discovery: default cursor fields exist in the schema (and are supported modes)', () =>
    streams.flatMap((s) => {
      const problems = [];
      const incremental = s.supported_sync_modes?.includes('incremental');
      if (incremental && !s.default_cursor_field?.length)
        problems.push(`${s.name}: incremental without default_cursor_field`);
      if (s.default_cursor_field?.length && !hasSchemaPath(s.json_schema, s.default_cursor_field))
        problems.push(`${s.name}: cursor ${s.default_cursor_field.join('.')}`);
      if (s.source_defined_cursor && !incremental)
        problems.push(`${s.name}: source_defined_cursor without incremental`);
      return problems;
    }));

  const incrementalStreams = streams.filter((s) => s.supported_sync_modes?.includes('incremental'));
  // Written the way Airbyte's Python tooling (pydantic models, CAT) serialises a configured catalog: every
  // optional field of the protocol present, null when unset.
  const configured = (selection, mode) => ({
    streams: selection.map((s) => {
      const incremental = mode === 'incremental' && s.supported_sync_modes.includes('incremental');
      return {
        stream: {
          name: s.name,
          json_schema: s.json_schema,
          supported_sync_modes: s.supported_sync_modes,
          source_defined_cursor: s.source_defined_cursor ?? null,
          default_cursor_field: s.default_cursor_field ?? null,
          source_defined_primary_key: s.source_defined_primary_key ?? null,
          namespace: s.namespace ?? null,
          is_resumable: s.is_resumable ?? null,
        },
        sync_mode: incremental ? 'incremental' : 'full_refresh',
        cursor_field: incremental ? s.default_cursor_field : null,
        destination_sync_mode: incremental ? 'append_dedup' : 'overwrite',
        primary_key: s.source_defined_primary_key ?? null,
        generation_id: null,
        minimum_generation_id: null,
        sync_id: null,
      };
    }),
  });
  const read = (catalogValue, state) =>
    cli(
      [
        'read',
        '--config',
        configPath,
        '--catalog',
        file('catalog.json', catalogValue),
        ...(state ? ['--state', file('state.json', state)] : []),
      ],
      runTimeout,
    );

  // ---------------------------------------------------------------------------------------- basic_read
  // Incremental-capable streams read incrementally (bounded by start_date), the others in full.
  const basicCatalog = configured(streams, 'incremental');
  const basic = await read(basicCatalog);
  test(
    'basic_read: exit 0, every stream COMPLETE',
    () => {
      const problems = basic.code === 0 ? [] : [describe(basic)];
      for (const s of streams)
        if (statusOf(basic.messages, s.name) !== 'COMPLETE')
          problems.push(`${s.name}: ${statusOf(basic.messages, s.name) ?? 'no status'}`);
      return problems;
    },
    () => `${ofType(basic.messages, 'RECORD').length} records in ${(basic.ms / 1000).toFixed(1)} s`,
  );
  test('basic_read: every message valid against the protocol; records only for configured streams', () => {
    const problems = invalidMessages(basic.messages);
    if (basic.unparsable.length) problems.push(`non-JSON stdout: ${basic.unparsable[0]}`);
    const names = new Set(streams.map((s) => s.name));
    for (const m of ofType(basic.messages, 'RECORD'))
      if (!names.has(m.record.stream)) problems.push(`record for unknown stream ${m.record.stream}`);
    return problems;
  });
  test('basic_read: every record validates against its stream schema', () => {
    const problems = [];
    for (const s of streams) {
      const validate = validators.get(s.name);
      if (!validate) {
        problems.push(`${s.name}: schema did not compile`);
        continue;
      }
      let bad = 0;
      for (const record of recordsOf(basic.messages, s.name)) {
        if (!validate(record)) {
          if (bad++ < 2) problems.push(`${s.name}: ${ajv.errorsText(validate.errors)}`);
        }
      }
      if (bad > 2) problems.push(`${s.name}: ${bad} invalid records in all`);
    }
    return problems;
  });
  test('basic_read: primary keys present in every record', () => {
    const problems = [];
    for (const s of streams) {
      const keys = s.source_defined_primary_key ?? [];
      const missing = recordsOf(basic.messages, s.name).filter((r) =>
        keys.some((path) => getPath(r, path) === undefined || getPath(r, path) === null),
      );
      if (missing.length)
        problems.push(`${s.name}: ${missing.length} record(s) without ${keys.map((k) => k.join('.')).join('+')}`);
      const ids = recordsOf(basic.messages, s.name).map((r) => JSON.stringify(keys.map((path) => getPath(r, path))));
      if (new Set(ids).size !== ids.length && !s.supported_sync_modes.includes('incremental'))
        problems.push(`${s.name}: ${ids.length - new Set(ids).size} duplicate keys in a full refresh`);
    }
    return problems;
  });
  const counts = Object.fromEntries(streams.map((s) => [s.name, recordsOf(basic.messages, s.name).length]));
  const accountEmpty = Object.values(counts).every((n) => n === 0);
  test(
    'basic_read: at least one record per stream',
    () =>
      accountEmpty && real
        ? undefined
        : streams
            .filter((s) => counts[s.name] === 0 && !emptyAllowed.has(s.name))
            .map((s) => `${s.name} returned no records${real ? ' (allow with --empty-streams)' : ''}`),
    () =>
      accountEmpty && real
        ? 'the account returned no records at all (empty account)'
        : Object.entries(counts)
            .map(([n, c]) => `${n} ${c}`)
            .join(', '),
  );

  // -------------------------------------------------------------------------------------- full_refresh
  const fullSelection =
    real && !args['full-refresh-all']
      ? streams.filter((s) => !s.supported_sync_modes.includes('incremental'))
      : streams;
  if (fullSelection.length < streams.length)
    note(
      `full_refresh reads ${fullSelection.map((s) => s.name).join(', ')} (incremental-capable streams skipped: whole history; --full-refresh-all to include)`,
    );
  const fullCatalog = configured(fullSelection, 'full_refresh');
  const fullA = await read(fullCatalog);
  const fullB = await read(fullCatalog);
  test('full_refresh: two reads exit 0, every stream COMPLETE', () => {
    const problems = [];
    for (const [label, run] of [
      ['first', fullA],
      ['second', fullB],
    ]) {
      if (run.code !== 0) problems.push(`${label} read: ${describe(run)}`);
      for (const s of fullSelection)
        if (statusOf(run.messages, s.name) !== 'COMPLETE')
          problems.push(`${label} read: ${s.name} ${statusOf(run.messages, s.name) ?? 'no status'}`);
      problems.push(...invalidMessages(run.messages).slice(0, 2));
    }
    return problems;
  });
  test(
    'full_refresh: both reads give identical records',
    () => {
      const problems = [];
      for (const s of fullSelection) {
        const a = recordsOf(fullA.messages, s.name).map(canonical).sort();
        const b = recordsOf(fullB.messages, s.name).map(canonical).sort();
        if (isDeepStrictEqual(a, b)) continue;
        const inB = new Set(b);
        const inA = new Set(a);
        problems.push(
          `${s.name}: ${a.length} vs ${b.length} records, ${a.filter((x) => !inB.has(x)).length} only in the first, ${b.filter((x) => !inA.has(x)).length} only in the second`,
        );
      }
      return problems;
    },
    () => `${fullSelection.length} streams, ${ofType(fullA.messages, 'RECORD').length} records each`,
  );

  // --------------------------------------------------------------------------------------- incremental
  const incCatalog = configured(incrementalStreams, 'incremental');
  const firstStates = lastStates(basic.messages);
  const stateCursor = (s) => {
    const st = firstStates.get(s.name)?.stream?.stream_state ?? {};
    return st.cursor ?? st.window_end ?? st[s.default_cursor_field.at(-1)];
  };
  // Streams read newest first (v1 products, customers: no date filter) store their window's end: a sync reads
  // every record changed since it less the settle margin, newest first, and a first sync reads in creation order.
  const newestFirst = (s) => firstStates.get(s.name)?.stream?.stream_state?.window_end !== undefined;
  const settleMs = (config.settle_seconds ?? 60) * 1000;
  test('incremental: STATE emitted for every incremental stream', () =>
    incrementalStreams
      .filter((s) => !firstStates.has(s.name))
      .map((s) => `${s.name}: no STATE`)
      .concat(
        incrementalStreams
          .filter((s) => firstStates.has(s.name) && counts[s.name] > 0 && stateCursor(s) === undefined)
          .map((s) => `${s.name}: records but no cursor in the state`),
      ));
  // Pages fetched at once arrive out of cursor order (Airbyte's dedup does not need order); read in order
  // (max_parallel_slices 1), cursor values ascend.
  const orderedConfig = file('config-ordered.json', { ...config, max_parallel_slices: 1 });
  const ordered = await cli(
    ['read', '--config', orderedConfig, '--catalog', file('catalog-ordered.json', incCatalog)],
    runTimeout,
  );
  test('incremental: cursor values monotonic within each stream (read in order, max_parallel_slices 1)', () => {
    const problems = ordered.code === 0 ? [] : [describe(ordered)];
    // Newest-first streams are ordered by their own rule (above), not ascending.
    for (const s of incrementalStreams.filter((s) => !newestFirst(s))) {
      const values = recordsOf(ordered.messages, s.name).map((r) => getPath(r, s.default_cursor_field));
      const nulls = values.filter((v) => v === undefined || v === null).length;
      if (nulls) problems.push(`${s.name}: ${nulls} record(s) without ${s.default_cursor_field.join('.')}`);
      const at = values.findIndex(
        (v, i) => i > 0 && v != null && values[i - 1] != null && compareCursor(values[i - 1], v) > 0,
      );
      if (at > 0) problems.push(`${s.name}: record ${at} has ${values[at]} after ${values[at - 1]}`);
    }
    return problems;
  });
  test('incremental: the final state cursor is never behind a record the read emitted', () => {
    const problems = [];
    // A newest-first stream's window end may lie behind records changed during its read (the next read has them).
    for (const s of incrementalStreams.filter((s) => !newestFirst(s))) {
      const values = recordsOf(basic.messages, s.name).map((r) => getPath(r, s.default_cursor_field));
      const stateValue = stateCursor(s);
      const max = values
        .filter((v) => v != null)
        .sort(compareCursor)
        .at(-1);
      if (max !== undefined && stateValue !== undefined && compareCursor(stateValue, max) < 0)
        problems.push(`${s.name}: state cursor ${stateValue} is behind the last record's ${max}`);
    }
    return problems;
  });
  const second = await read(
    incCatalog,
    [...firstStates.values()].filter((st) =>
      incrementalStreams.some((s) => s.name === st.stream.stream_descriptor.name),
    ),
  );
  test("incremental: a second read from the first read's state exits 0, every stream COMPLETE", () => {
    const problems = second.code === 0 ? [] : [describe(second)];
    for (const s of incrementalStreams)
      if (statusOf(second.messages, s.name) !== 'COMPLETE')
        problems.push(`${s.name}: ${statusOf(second.messages, s.name) ?? 'no status'}`);
    return problems;
  });
  test(
    "incremental: a second read from the first read's state returns nothing older than that state",
    () => {
      const problems = second.code === 0 ? [] : [describe(second)];
      for (const s of incrementalStreams) {
        const cursor = stateCursor(s);
        const records = recordsOf(second.messages, s.name);
        if (cursor === undefined) {
          if (records.length && counts[s.name] > 0) problems.push(`${s.name}: no cursor in the first state`);
          continue;
        }
        // A newest-first stream re-reads its settle margin below the window end.
        const floor = newestFirst(s) ? new Date(Date.parse(cursor) - settleMs).toISOString() : cursor;
        const older = records.filter((r) => compareCursor(getPath(r, s.default_cursor_field), floor) < 0);
        if (older.length)
          problems.push(
            `${s.name}: ${older.length} record(s) older than ${cursor}, e.g. ${getPath(older[0], s.default_cursor_field)}`,
          );
      }
      return problems;
    },
    () => `${ofType(second.messages, 'RECORD').length} records (new or changed since the first read)`,
  );
  if (!real) {
    // Nothing changes in the simulator between the reads: the second read may re-read the records at the state's
    // cursor (at least once) but nothing beyond it.
    test('incremental: with no change in between, the second read finds nothing beyond the first state', () => {
      const problems = [];
      for (const s of incrementalStreams) {
        const cursor = stateCursor(s);
        const newer = recordsOf(second.messages, s.name).filter(
          (r) => cursor === undefined || compareCursor(getPath(r, s.default_cursor_field), cursor) > 0,
        );
        if (newer.length) problems.push(`${s.name}: ${newer.length} record(s) beyond ${cursor}`);
      }
      return problems;
    });
  }
  // The far-future state in the connector's own format (CAT's abnormal state is written by the connector's
  // authors): the first read's state with every date-time in it moved to 2099; the plain {cursor: value} form
  // for a stream without one.
  const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;
  const futureOf = (s) => {
    const own = firstStates.get(s.name)?.stream?.stream_state;
    let moved = 0;
    const shift = (v) => {
      if (typeof v === 'string' && DATE_TIME.test(v)) return (moved++, FAR_FUTURE);
      if (Array.isArray(v)) return v.map(shift);
      if (v !== null && typeof v === 'object')
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, shift(x)]));
      return v;
    };
    const shifted = own ? shift(own) : undefined;
    if (shifted && moved > 0) return shifted;
    if (shifted && 'version' in shifted) return { ...shifted, cursor: FAR_FUTURE };
    return { [s.default_cursor_field.at(-1)]: FAR_FUTURE };
  };
  const future = incrementalStreams.map((s) => ({
    type: 'STREAM',
    stream: { stream_descriptor: { name: s.name }, stream_state: futureOf(s) },
  }));
  const futureRun = await read(incCatalog, future);
  test('incremental: a far-future state returns no records', () => {
    const problems = futureRun.code === 0 ? [] : [describe(futureRun)];
    for (const s of incrementalStreams) {
      const n = recordsOf(futureRun.messages, s.name).length;
      if (n) problems.push(`${s.name}: ${n} record(s)`);
      if (statusOf(futureRun.messages, s.name) !== 'COMPLETE')
        problems.push(`${s.name}: ${statusOf(futureRun.messages, s.name) ?? 'no status'}`);
    }
    return problems;
  });
  // Abnormal state, malformed: a config_error naming the stream, before any request (no records, no stack). It
  // carries the API the states of this config carry, so that the cursor, not the API, is what is wrong.
  const apiMark = (s) => {
    const own = firstStates.get(s.name)?.stream?.stream_state;
    return own?.api_version === undefined ? {} : { api_version: own.api_version };
  };
  const malformed = incrementalStreams.map((s, i) => ({
    type: 'STREAM',
    stream: {
      stream_descriptor: { name: s.name },
      stream_state:
        i === 0
          ? { version: 1, cursor_field: s.default_cursor_field.at(-1), cursor: 'not-a-date', ...apiMark(s) }
          : futureOf(s),
    },
  }));
  const malformedRun = await read(incCatalog, malformed);
  test(
    'incremental: a malformed state is a config_error naming the stream, nothing read',
    () => {
      const problems = malformedRun.code === 1 ? [] : [`exit ${malformedRun.code ?? malformedRun.signal}`];
      const errors = traceErrors(malformedRun.messages);
      if (errors.length !== 1 || errors[0].failure_type !== 'config_error')
        problems.push(`errors: ${JSON.stringify(errors.map((e) => [e.failure_type, e.message]))}`);
      else if (
        !errors[0].message.includes(incrementalStreams[0].name) ||
        /\n/.test(errors[0].message) ||
        errors[0].stack_trace
      )
        problems.push(`message: ${errors[0].message}`);
      if (ofType(malformedRun.messages, 'RECORD').length) problems.push('records were read');
      return problems;
    },
    () => traceErrors(malformedRun.messages)[0]?.message,
  );
}
