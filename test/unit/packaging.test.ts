// package.json, metadata.yaml, the Dockerfile, spec.json and the README must agree, and the image's
// runtime stage must work from a clean copy of exactly what the Dockerfile copies.
import { describe, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ROOT, parseLines, tempDir } from '../helpers/cli.js';
import { DOCUMENTATION_URL } from '../../src/cli/main.js';

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
      'documentationUrl',
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
    expect(d.documentationUrl).toBe(DOCUMENTATION_URL);
    expect((d.allowedHosts as { hosts: string[] }).hosts).toEqual(['ssapi.shipstation.com']);
    expect(d.tags).toContain('language:typescript');
    expect(typeof d.maxSecondsBetweenMessages).toBe('number');
  });

  test('the Dockerfile labels and entrypoint match metadata.yaml and the bin entry', () => {
    expect(label('io.airbyte.name')).toBe(metadata.data.dockerRepository);
    expect(label('io.airbyte.version')).toBe(metadata.data.dockerImageTag);
    const entrypoint = JSON.parse(/^ENTRYPOINT (\[.*\])$/m.exec(dockerfile)![1]!) as string[];
    const env = /^ENV AIRBYTE_ENTRYPOINT="(.*)"$/m.exec(dockerfile)![1];
    expect(env).toBe(entrypoint.join(' '));
    expect(entrypoint.at(-1)).toMatch(/\/dist\/bin\/shipstation-source\.js$/);
    expect(pkg.bin['shipstation-source']).toBe('dist/bin/shipstation-source.js');
    expect(dockerfile).toMatch(/^FROM node:22-alpine AS build$/m);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
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
    expect(included('dist/bin/shipstation-source.js')).toBe(false);
  });

  test("the image's runtime stage works from a clean copy: production deps only, then spec and discover", () => {
    const dir = tempDir();
    for (const f of ['package.json', 'package-lock.json', 'spec.json']) cpSync(join(ROOT, f), join(dir, f));
    cpSync(join(ROOT, 'schemas'), join(dir, 'schemas'), { recursive: true });
    cpSync(join(ROOT, 'dist'), join(dir, 'dist'), { recursive: true });
    execFileSync('npm', ['ci', '--omit=dev', '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund'], {
      cwd: dir,
      stdio: 'pipe',
    });
    expect(existsSync(join(dir, 'node_modules', 'jest'))).toBe(false);
    const out = execFileSync(process.execPath, [join(dir, 'dist', 'bin', 'shipstation-source.js'), 'spec'], {
      cwd: dir,
      env: { ...process.env, NODE_OPTIONS: '' },
    }).toString();
    const [message] = parseLines(out);
    expect(message?.type).toBe('SPEC');
    // The config validator compiled ahead of time, with its runtime imports, from production dependencies.
    const config = join(dir, 'config.json');
    writeFileSync(config, JSON.stringify({ api_key: 'a'.repeat(32), api_secret: 'b'.repeat(32) }));
    const catalog = execFileSync(
      process.execPath,
      [join(dir, 'dist', 'bin', 'shipstation-source.js'), 'discover', '--config', config],
      { cwd: dir, env: { ...process.env, NODE_OPTIONS: '' } },
    ).toString();
    expect(parseLines(catalog)[0]?.type).toBe('CATALOG');
  }, 120_000);

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
