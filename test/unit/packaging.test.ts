// package.json, metadata.yaml, the Dockerfile, the CHANGELOG and `--version` must agree, and the image's
// runtime stage must work from a clean copy of exactly what the Dockerfile copies, without node_modules.
import { describe, expect, test } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ENTRY, ROOT, parseLines, tempDir } from '../helpers/cli.js';

const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const pkg = JSON.parse(read('package.json')) as {
  version: string;
  license: string;
  bin: Record<string, string>;
  engines: { node: string };
};
const metadata = parseYaml(read('metadata.yaml')) as { metadataSpecVersion: string; data: Record<string, unknown> };
const dockerfile = read('Dockerfile');
const label = (name: string) => new RegExp(`^LABEL ${name.replace(/\./g, '\\.')}=(\\S+)$`, 'm').exec(dockerfile)?.[1];

describe('packaging', () => {
  test('metadata.yaml has every field Airbyte requires, and agrees with package.json', () => {
    const d = metadata.data;
    for (const field of [
      'name',
      'definitionId',
      'connectorType',
      'dockerRepository',
      'dockerImageTag',
      'license',
      'githubIssueLabel',
      'connectorSubtype',
      'releaseStage',
    ]) {
      expect(d[field]).toBeDefined();
    }
    expect(metadata.metadataSpecVersion).toBe('1.0');
    expect(d.connectorType).toBe('source');
    expect(d.connectorSubtype).toBe('api');
    expect(d.definitionId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(d.dockerImageTag).toBe(pkg.version);
    expect(d.license).toBe(pkg.license);
    expect(pkg.license).toBe('MIT');
    expect(read('LICENSE')).toMatch(/^MIT License/);
    // No page of its own yet: a placeholder address would send users nowhere (spec leaves it out too).
    expect(d.documentationUrl).toBeUndefined();
    expect((d.allowedHosts as { hosts: string[] }).hosts).toEqual(['ssapi.shipstation.com']);
    expect(d.tags).toContain('language:typescript');
    expect(typeof d.maxSecondsBetweenMessages).toBe('number');
  });

  test('one version everywhere: package.json, metadata.yaml, the image labels, --version and the CHANGELOG', () => {
    // --version answers on stderr: stdout holds protocol messages only.
    const versionOut = spawnSync(process.execPath, [ENTRY, '--version'], { encoding: 'utf8' }).stderr;
    const changelog = /^## (\S+) /m.exec(read('CHANGELOG.md'))?.[1];
    expect({
      dockerImageTag: metadata.data.dockerImageTag,
      'io.airbyte.version': label('io.airbyte.version'),
      'org.opencontainers.image.version': label('org.opencontainers.image.version'),
      '--version': versionOut.trim(),
      CHANGELOG: changelog,
    }).toEqual({
      dockerImageTag: pkg.version,
      'io.airbyte.version': pkg.version,
      'org.opencontainers.image.version': pkg.version,
      '--version': `shipstation-source ${pkg.version}`,
      CHANGELOG: pkg.version,
    });
  });

  test('the Dockerfile: labels as metadata.yaml, the bundle as entry point, no node_modules, non-root', () => {
    expect(label('io.airbyte.name')).toBe(metadata.data.dockerRepository);
    const entrypoint = JSON.parse(/^ENTRYPOINT (\[.*\])$/m.exec(dockerfile)![1]!) as string[];
    const env = /^ENV AIRBYTE_ENTRYPOINT="(.*)"$/m.exec(dockerfile)![1];
    expect(env).toBe(entrypoint.join(' '));
    expect(entrypoint).toEqual(['/airbyte/integration_code/dist/shipstation-source.js']);
    expect(pkg.bin['shipstation-source']).toBe('dist/shipstation-source.js');
    expect(dockerfile).toMatch(/^FROM node:22-alpine AS build$/m);
    expect(dockerfile).toMatch(/^USER node$/m);
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    expect(runtime).not.toMatch(/npm|node_modules/);
  });

  test('shipstation-sync starts the connector with the heap caps its bin starts node with', () => {
    const bundle = read('dist/shipstation-source.js').split('\n', 2)[1]!;
    const caps = /exec node (.*) "\$0" "\$@"$/.exec(bundle)![1]!.split(' ');
    const syncFlags = /const HEAP_FLAGS = \[(.*)\];/.exec(read('src/destination/syncRun.ts'))![1]!;
    expect(syncFlags.split(', ').map((f) => f.slice(1, -1))).toEqual(caps);
  });

  test('.dockerignore lets through every file the Dockerfile copies, and nothing of the tests', () => {
    const rules = read('.dockerignore')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => ({ negate: l.startsWith('!'), re: globToRegExp(l.replace(/^!/, '')) }));
    const included = (path: string) => rules.reduce((inc, r) => (r.re.test(path) ? r.negate : inc), true);
    const sources = [...dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) => m[1]!.split(/\s+/));
    expect(sources.length).toBeGreaterThan(4);
    for (const source of sources) {
      const probe = existsSync(join(ROOT, source)) && !source.includes('.') ? `${source}/x.ts` : source;
      expect([source, included(probe)]).toEqual([source, true]);
    }
    expect(included('test/unit/packaging.test.ts')).toBe(false);
    expect(included('node_modules/ajv/package.json')).toBe(false);
    expect(included('dist/shipstation-source.js')).toBe(false);
  });

  test("the image's runtime stage works from a clean copy without node_modules: spec and discover", () => {
    const dir = tempDir();
    for (const f of ['package.json', 'spec.json']) cpSync(join(ROOT, f), join(dir, f));
    cpSync(join(ROOT, 'schemas'), join(dir, 'schemas'), { recursive: true });
    mkdirSync(join(dir, 'dist'));
    cpSync(join(ROOT, 'dist', 'shipstation-source.js'), join(dir, 'dist', 'shipstation-source.js'));
    expect(existsSync(join(dir, 'node_modules'))).toBe(false);
    const out = execFileSync(process.execPath, [join(dir, 'dist', 'shipstation-source.js'), 'spec'], {
      cwd: dir,
      env: { ...process.env, NODE_OPTIONS: '' },
    }).toString();
    const [message] = parseLines(out);
    expect(message?.type).toBe('SPEC');
    // The config validator compiled ahead of time, with its runtime imports, inlined in the bundle.
    const config = join(dir, 'config.json');
    writeFileSync(config, JSON.stringify({ api_key: 'a'.repeat(32), api_secret: 'b'.repeat(32) }));
    const catalog = execFileSync(
      process.execPath,
      [join(dir, 'dist', 'shipstation-source.js'), 'discover', '--config', config],
      { cwd: dir, env: { ...process.env, NODE_OPTIONS: '' } },
    ).toString();
    expect(parseLines(catalog)[0]?.type).toBe('CATALOG');
  }, 60_000);

  test('the generated types, the README config reference and the architecture module table are up to date', () => {
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'gen-types.mjs'), '--check'], { stdio: 'pipe' });
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'readme-config.mjs'), '--check'], { stdio: 'pipe' });
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'architecture.mjs'), '--check'], { stdio: 'pipe' });
  }, 60_000);
});

function globToRegExp(glob: string): RegExp {
  const body = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*\*/g, '\u0000')
    .replace(/\*/g, '[^/]*')
    .replace(/\u0000/g, '.*');
  return new RegExp(`^${body}(/.*)?$`);
}
