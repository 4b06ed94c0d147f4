// The npm package as a user gets it: packed from sources that were never built (prepack must build), installed
// from the tarball into a fresh global prefix with no network, and every command it advertises run from there
// against the simulator: shipstation-source, -catalog, -simulator, -sync, -load and -sql (DuckDB, an optional
// peer, first missing, which must be one sentence naming the install command, then installed beside the package).
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ROOT, parseLines, tempDir } from '../helpers/cli.js';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  version: string;
  bin: Record<string, string>;
  peerDependencies: Record<string, string>;
};
/** What prepack needs to build: the sources and build scripts, no dist/ or build/. */
const SOURCES = ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'LICENSE', 'spec.json'];
const FOLDERS = ['src', 'schemas', 'scripts'];

let prefix = '';
let work = '';
let tarball = '';
let sim: ChildProcess | undefined;
let simConfig = '';

const bin = (name: string) => join(prefix, 'bin', name);
/** Runs an installed command; PATH is the user's, so the bundle's first line finds node as a user's shell does. */
const run = (name: string, args: string[], input?: string) =>
  spawnSync(bin(name), args, {
    encoding: 'utf8',
    input,
    env: { ...process.env, NODE_OPTIONS: '', SHIPSTATION_PROGRESS: 'off' },
    timeout: 60_000,
    maxBuffer: 256 * 1024 * 1024,
  });

beforeAll(async () => {
  work = tempDir();
  const src = join(work, 'src-copy');
  mkdirSync(src);
  for (const f of SOURCES) cpSync(join(ROOT, f), join(src, f));
  for (const d of FOLDERS) cpSync(join(ROOT, d), join(src, d), { recursive: true });
  // The toolchain (tsc, esbuild) from the workspace: offline, and the copy stays unbuilt.
  symlinkSync(join(ROOT, 'node_modules'), join(src, 'node_modules'));
  expect(existsSync(join(src, 'dist'))).toBe(false);
  const packed = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--pack-destination', work], {
      cwd: src,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  ) as [{ filename: string; files: { path: string }[] }];
  tarball = join(work, packed[0].filename);
  prefix = join(work, 'prefix');
  execFileSync('npm', ['install', '-g', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', tarball], {
    stdio: 'pipe',
  });
  sim = spawn(bin('shipstation-simulator'), ['--no-rate-limit', '--orders', '300', '--shipments', '200'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const [line] = (await once(createInterface({ input: sim.stdout! }), 'line')) as [string];
  simConfig = join(work, 'config.json');
  writeFileSync(simConfig, JSON.stringify((JSON.parse(line) as { config: object }).config));
}, 240_000);

afterAll(() => {
  sim?.kill('SIGKILL');
});

describe('the npm package, packed from unbuilt sources and installed from its tarball', () => {
  test('holds the bundles, their maps and licences, the spec, the schemas and the licence; no sources', () => {
    const files = execFileSync('tar', ['tzf', tarball], { encoding: 'utf8' }).split('\n');
    for (const name of Object.keys(pkg.bin)) {
      expect(files).toContain(`package/dist/${name}.js`);
      expect(files).toContain(`package/dist/${name}.js.map`);
    }
    for (const f of ['dist/THIRD_PARTY_LICENSES', 'spec.json', 'LICENSE', 'schemas/orders.json']) {
      expect(files).toContain(`package/${f}`);
    }
    expect(files.filter((f) => /^package\/(src|build|test|node_modules)\//.test(f))).toEqual([]);
    // Nothing to install beside it: every runtime package is inside the bundles.
    expect(existsSync(join(prefix, 'lib', 'node_modules', 'shipstation-source', 'node_modules'))).toBe(false);
  });

  test('advertises shipstation-source, -sync, -load, -sql, -catalog and -simulator, each installed as a command', () => {
    expect(Object.keys(pkg.bin).sort()).toEqual(
      [
        'shipstation-catalog',
        'shipstation-load',
        'shipstation-simulator',
        'shipstation-source',
        'shipstation-sql',
        'shipstation-sync',
      ].sort(),
    );
    for (const name of Object.keys(pkg.bin)) expect(existsSync(bin(name))).toBe(true);
  });

  test('shipstation-source: spec, --version, check, discover', () => {
    const spec = run('shipstation-source', ['spec']);
    expect([spec.status, parseLines(spec.stdout).map((m) => m.type)]).toEqual([0, ['SPEC']]);
    expect(run('shipstation-source', ['--version']).stderr.trim()).toBe(`shipstation-source ${pkg.version}`);
    const check = run('shipstation-source', ['check', '--config', simConfig]);
    expect(parseLines(check.stdout).map((m) => m.connectionStatus)).toEqual([{ status: 'SUCCEEDED' }]);
    const discover = run('shipstation-source', ['discover', '--config', simConfig]);
    expect(parseLines(discover.stdout)[0]?.type).toBe('CATALOG');
  });

  test('shipstation-sync without DuckDB: one sentence naming the command that installs it, before any sync', () => {
    const r = run('shipstation-sync', ['--config', simConfig, '--duckdb', join(work, 'none.duckdb')]);
    const spec = `@duckdb/node-api@${pkg.peerDependencies['@duckdb/node-api']}`;
    expect([r.status, r.stderr.trim()]).toEqual([
      1,
      `shipstation-sync: the DuckDB client @duckdb/node-api is not installed: run \`npm install -g --prefix ${prefix} ${spec}\``,
    ]);
    expect(existsSync(join(work, 'none.duckdb'))).toBe(false);
    const file = join(work, 'empty.duckdb');
    writeFileSync(file, '');
    const sql = run('shipstation-sql', [file, 'SELECT 1']);
    expect([sql.status, sql.stderr.trim()]).toEqual([
      1,
      `shipstation-sql: the DuckDB client @duckdb/node-api is not installed: run \`npm install -g --prefix ${prefix} ${spec}\``,
    ]);
  });

  describe('with DuckDB installed where that sentence says', () => {
    beforeAll(() => {
      // What `npm install -g --prefix … @duckdb/node-api` lays out, copied from the workspace: no network here.
      const from = join(ROOT, 'node_modules', '@duckdb');
      const to = join(prefix, 'lib', 'node_modules', '@duckdb');
      for (const name of readdirSync(from)) cpSync(join(from, name), join(to, name), { recursive: true });
    });

    test('shipstation-catalog, a read, and shipstation-load of it', () => {
      const catalog = join(work, 'catalog.json');
      const cat = run('shipstation-catalog', ['--config', simConfig, '--streams', 'orders,stores', '--out', catalog]);
      expect(cat.status).toBe(0);
      const read = run('shipstation-source', ['read', '--config', simConfig, '--catalog', catalog]);
      expect(read.status).toBe(0);
      const records = parseLines(read.stdout).filter((m) => m.type === 'RECORD').length;
      expect(records).toBeGreaterThan(300);
      const load = run('shipstation-load', ['--duckdb', join(work, 'load.duckdb'), '--catalog', catalog], read.stdout);
      expect([load.status, load.stderr]).toEqual([0, expect.any(String)]);
      expect(existsSync(join(work, 'load.duckdb'))).toBe(true);
    });

    test('shipstation-sync: a complete sync, then an incremental one; shipstation-sql queries the file', () => {
      const db = join(work, 'sync.duckdb');
      const first = run('shipstation-sync', ['--config', simConfig, '--duckdb', db, '--streams', 'orders,stores']);
      expect([first.status, first.stderr]).toEqual([0, expect.any(String)]);
      const second = run('shipstation-sync', ['--config', simConfig, '--duckdb', db, '--streams', 'orders,stores']);
      expect(second.status).toBe(0);
      const sql = run('shipstation-sql', [db, 'SELECT count(*) AS orders FROM orders']);
      expect([sql.status, sql.stderr, sql.stdout]).toEqual([0, '', 'orders\n------\n   300\n(1 row)\n']);
    });
  });

  test('shipstation-simulator stops cleanly on SIGTERM', async () => {
    const exited = once(sim!, 'exit');
    sim!.kill('SIGTERM');
    const [code, signal] = (await exited) as [number | null, string | null];
    sim = undefined;
    expect([code, signal]).toEqual([0, null]);
  });
});
