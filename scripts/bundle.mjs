// Bundles each command of src/bin/ into one ESM file, dist/<command>.js, with its source map, so the package and
// the image run without node_modules; dist/THIRD_PARTY_LICENSES collects the licenses of the packages inlined.
// esbuild: one well-kept binary with no plugin tree, ESM output, source maps, and a metafile naming every input,
// which is where the licence list comes from; it bundles the six commands in about a second.
import { chmodSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = join(ROOT, 'dist');

/** The V8 heap caps every bin starts node with (shipstation-sync passes the same: src/destination/syncRun.ts). */
const HEAP_FLAGS = '--max-old-space-size=128 --max-semi-space-size=4';

// The first two lines are read by sh and by node alike. Run as a program (a package bin), sh reads line 2 and
// starts node on this file with the heap caps and glibc's two malloc arenas (a sync's peak RSS stays under
// 100 MB); node reads line 1 as a hashbang and line 2 as a string statement followed by a comment.
const POLYGLOT = [
  '#!/bin/sh',
  `":" //; export MALLOC_ARENA_MAX=\${MALLOC_ARENA_MAX:-2}; exec node ${HEAP_FLAGS} "$0" "$@"`,
].join('\n');
// Bundled CommonJS (undici, ajv, bottleneck) requires node's own modules: ESM has no `require` of its own.
const REQUIRE =
  "import { createRequire as __bundleRequire } from 'node:module';\nconst require = __bundleRequire(import.meta.url);";

const entries = readdirSync(join(ROOT, 'src', 'bin'))
  .filter((f) => f.endsWith('.ts'))
  .map((f) => join(ROOT, 'src', 'bin', f));

mkdirSync(OUT, { recursive: true });
const result = await build({
  entryPoints: entries,
  outdir: OUT,
  entryNames: '[name]',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20.18',
  // Stack traces name src/ files and lines (node --enable-source-maps); the sources themselves are in the repo.
  sourcemap: 'linked',
  sourcesContent: false,
  legalComments: 'none',
  // DuckDB is a native optional peer dependency, loaded only by shipstation-sync, -load and -sql.
  external: ['@duckdb/node-api'],
  banner: { js: REQUIRE },
  metafile: true,
  write: false,
  logLevel: 'warning',
});

for (const file of result.outputFiles) {
  if (file.path.endsWith('.js')) {
    replace(file.path, `${POLYGLOT}\n${file.text.replace(/^#!.*\n/, '')}`, 0o755);
  } else {
    // The source map's line numbers are shifted by the two polyglot lines (the hashbang took one already).
    const map = JSON.parse(file.text);
    map.mappings = `;${map.mappings}`;
    replace(file.path, JSON.stringify(map), 0o644);
  }
}
replace(join(OUT, 'THIRD_PARTY_LICENSES'), licenses(Object.keys(result.metafile.inputs)), 0o644);
// What an earlier build left and this one did not write (a command since removed) goes; not another build's .tmp.
const written = new Set([...result.outputFiles.map((f) => basename(f.path)), 'THIRD_PARTY_LICENSES']);
for (const name of readdirSync(OUT)) {
  if (!written.has(name) && !name.endsWith('.tmp')) rmSync(join(OUT, name), { recursive: true, force: true });
}
console.error(
  `bundled ${entries.length} commands into ${relative(ROOT, OUT)}/: ${entries.map((e) => basename(e, '.ts')).join(', ')}`,
);

/**
 * Writes beside, then renames over: a command started while another build runs (a test's `npm run load` rebuilds)
 * finds the old file or the new one, never none or half of one.
 */
function replace(path, text, mode) {
  const next = `${path}.${process.pid}.tmp`;
  writeFileSync(next, text, { mode });
  chmodSync(next, mode);
  renameSync(next, path);
}

/** Every package an input came from, with its licence text, in name order. */
function licenses(inputs) {
  const packages = new Map();
  for (const input of inputs) {
    const at = input.lastIndexOf('node_modules/');
    if (at < 0) continue;
    const parts = input.slice(at + 'node_modules/'.length).split('/');
    const name = parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
    packages.set(name, join(ROOT, input.slice(0, at), 'node_modules', name));
  }
  const sections = [...packages]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, dir]) => {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      const file = readdirSync(dir).find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f));
      if (!file) throw new Error(`${name} has no licence file to ship with the bundle`);
      return `${name}@${pkg.version} (${pkg.license})\n\n${readFileSync(join(dir, file), 'utf8').trim()}\n`;
    });
  return `The commands in this folder include these packages:\n\n${sections.join(`\n${'-'.repeat(80)}\n\n`)}`;
}
