// The import rules of docs/ARCHITECTURE.md, checked over the source tree: the rooms that keep the design (pure
// planners, a simulator and a destination written apart from the connector, entry points nothing imports) stay
// that way when someone adds a file. A rule broken here is a design decision to take in that doc, not in a test.
import { describe, expect, test } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

interface Import {
  from: string;
  /** A file under src/ (relative to the package root, .ts), or a package / node: builtin. */
  to: string;
  local: boolean;
  typeOnly: boolean;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

const SPECIFIER =
  /^\s*(import|export)\s+(type\s+)?[^'";]*?\bfrom\s*['"]([^'"]+)['"]|^\s*import\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/gm;

function importsOf(file: string, text: string): Import[] {
  const found: Import[] = [];
  for (const m of text.matchAll(SPECIFIER)) {
    const spec = (m[3] ?? m[4] ?? m[5])!;
    const local = spec.startsWith('.');
    const to = local ? normalize(join(dirname(file), spec)).replace(/\.js$/, '.ts') : spec;
    found.push({ from: file, to, local, typeOnly: m[2] !== undefined });
  }
  return found;
}

const FILES = sourceFiles('src');
const IMPORTS = FILES.flatMap((file) => importsOf(file, readFileSync(join(ROOT, file), 'utf8')));
const under = (room: string) => (path: string) => path.startsWith(`src/${room}/`) || path === `src/${room}.ts`;

/** Where each room may import from (local rooms) and which packages; anything else breaks the design. */
const RULES: { room: string; why: string; local: string[]; packages: RegExp }[] = [
  {
    room: 'engine/plan',
    why: 'planners are pure: no I/O, no clock, no client; testable as functions of their inputs',
    local: ['engine/plan', 'errors', 'fullPass', 'time', 'streams', 'budget/capacity', 'dialects/dialect'],
    packages: /^$/,
  },
  {
    room: 'simulator',
    why: 'the simulator is a ShipStation stand-in written apart from the connector, so it cannot share its mistakes',
    local: ['simulator'],
    packages: /^node:/,
  },
  {
    room: 'destination',
    why: 'the destination reads Airbyte messages from any source, not our engine (fullPass: when shipstation-sync refreshes a table)',
    local: ['destination', 'fullPass'],
    packages: /^(node:|@duckdb\/node-api$)/,
  },
  {
    room: 'dialects',
    why: 'a dialect gathers what one API says (streams, dates, words) and knows nothing of how pages are read',
    local: ['dialects', 'streams', 'time', 'config'],
    packages: /^$/,
  },
  {
    room: 'time',
    why: 'time rules depend on nothing of the connector',
    local: ['time'],
    packages: /^(date-fns-tz|node:)/,
  },
  {
    room: 'budget',
    why: 'the rate budget knows requests and headers, not streams',
    local: ['budget', 'errors', 'abortable'],
    packages: /^(bottleneck$|node:)/,
  },
  {
    room: 'shipstation',
    why: 'the client speaks HTTP to ShipStation and knows nothing of how pages are planned',
    local: ['shipstation', 'budget', 'errors', 'protocol', 'version', 'abortable'],
    packages: /^(node:|undici|p-retry$)/,
  },
  {
    room: 'engine/read',
    why: 'the read loops are below the CLI: they never reach up to commands or destinations',
    local: ['engine', 'budget', 'config', 'dialects', 'errors', 'protocol', 'shipstation', 'streams', 'time'],
    packages: /^node:/,
  },
];

describe('import rules', () => {
  test('the source tree was found', () => expect(FILES.length).toBeGreaterThan(80));

  test.each(RULES)('$room imports only what its room may ($why)', ({ room, local, packages }) => {
    const broken = IMPORTS.filter((i) => under(room)(i.from))
      .filter((i) => (i.local ? !local.some((allowed) => under(allowed)(i.to)) : !packages.test(i.to)))
      .map((i) => `${i.from} → ${i.to}`);
    expect(broken).toEqual([]);
  });

  test('only a dialect names its own streams or dialect object: the engine and the catalog ask the one they are given', () => {
    const own = [
      'src/streams/definitions.ts',
      'src/streams/v2Definitions.ts',
      'src/dialects/v1.ts',
      'src/dialects/v2.ts',
    ];
    // The demo runs v1's streams against the simulator on purpose.
    const broken = IMPORTS.filter(
      (i) => i.local && own.includes(i.to) && !under('dialects')(i.from) && !under('demo')(i.from),
    );
    expect(broken.map((i) => `${i.from} → ${i.to}`)).toEqual([]);
  });

  test('nothing imports an entry point in src/bin', () => {
    expect(IMPORTS.filter((i) => i.local && under('bin')(i.to)).map((i) => `${i.from} → ${i.to}`)).toEqual([]);
  });

  test('every local import names a file that exists', () => {
    const known = new Set(FILES);
    expect(IMPORTS.filter((i) => i.local && !known.has(i.to)).map((i) => `${i.from} → ${i.to}`)).toEqual([]);
  });

  test('no cycle of runtime imports between files', () => {
    const graph = new Map<string, string[]>(FILES.map((f) => [f, []]));
    for (const i of IMPORTS) if (i.local && !i.typeOnly) graph.get(i.from)!.push(i.to);
    const state = new Map<string, 'open' | 'done'>();
    const cycles: string[] = [];
    const visit = (file: string, path: string[]) => {
      state.set(file, 'open');
      for (const next of graph.get(file) ?? []) {
        if (state.get(next) === 'open')
          cycles.push([...path.slice(path.indexOf(next)), next].map((f) => relative('src', f)).join(' → '));
        else if (!state.has(next)) visit(next, [...path, next]);
      }
      state.set(file, 'done');
    };
    for (const file of FILES) if (!state.has(file)) visit(file, [file]);
    expect(cycles).toEqual([]);
  });

  test('the rules see a broken import (the parser is not blind)', () => {
    const [found] = importsOf(
      'src/engine/plan/x.ts',
      "import { request } from 'undici';\nimport type { Foo } from '../read/session.js';\n",
    ).slice(1);
    expect(found).toEqual({
      from: 'src/engine/plan/x.ts',
      to: 'src/engine/read/session.ts',
      local: true,
      typeOnly: true,
    });
    expect(
      importsOf('src/a.ts', "const m = await import('./b.js');\nexport { c } from './c.js';").map((i) => i.to),
    ).toEqual(['src/b.ts', 'src/c.ts']);
  });
});
