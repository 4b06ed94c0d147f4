// The demo, run non-interactively as a new user would (after a build), with its outputs checked.
import { expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, leakedSecrets, tempDir } from '../helpers/cli.js';

/** The built demo with `args`, into a fresh output folder. */
function runDemo(...args: string[]) {
  const out = join(tempDir(), 'demo-output');
  const r = spawnSync(process.execPath, [join(ROOT, 'dist', 'demo.js'), ...args, '--output', out], {
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '' },
    timeout: 120_000,
  });
  return { ...r, out };
}

test('npm run demo: a full sync into DuckDB, an incremental one with only the changes, SQL answers, tables matching the ground truth', () => {
  const r = runDemo();
  expect(r.status).toBe(0);
  expect(r.stdout).toMatch(/Demo complete: every table matches the simulator's ground truth\.\s*$/);
  expect(r.stdout).toMatch(/second sync read 35 orders: exactly the 35 changed ones/);
  expect(r.stdout).not.toMatch(/\bNO\b|WARN/);
  // The speed narration: this sync's requests, projected to ShipStation's pace.
  expect(r.stdout).toMatch(/speed: \d+ requests in [\d.]+ s/);
  expect(r.stdout).toMatch(
    /against ShipStation \(40 requests a minute, a 500-order page in 2\.5 s\): about 2\.5 s with pages fetched at once/,
  );
  for (const question of ['Orders by status', 'Top 5 SKUs by units sold', 'Labels and postage by carrier'])
    expect(r.stdout).toContain(question);
  expect(r.stdout).toMatch(/carrier\s+labels\s+voided\s+postage/);
  expect(leakedSecrets(r.stdout + r.stderr)).toEqual([]);
  // The connector's progress summary reached the terminal (stderr), not the protocol stream.
  expect(r.stderr).toMatch(/stream\s+status\s+records\s+pages\s+requests\s+time/);
  expect(existsSync(join(r.out, 'shipstation.duckdb'))).toBe(true);
}, 150_000);

test('npm run demo -- --api v2: the same on API v2, its streams matching the ground truth', () => {
  const r = runDemo('--api', 'v2');
  expect(r.status).toBe(0);
  expect(r.stdout).toMatch(/Demo complete: every table matches the simulator's ground truth\.\s*$/);
  expect(r.stdout).toMatch(/second sync read 35 shipments: exactly the 35 changed ones/);
  expect(r.stdout).toMatch(/against ShipStation \(200 requests a minute/);
  expect(r.stdout).toMatch(/labels\s+\d+\s+\d+\s+yes/);
  expect(r.stdout).not.toMatch(/\bNO\b|WARN/);
  expect(leakedSecrets(r.stdout + r.stderr)).toEqual([]);
}, 150_000);
