// The demo, run non-interactively as a new user would (after a build), with its outputs checked.
import { expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, leakedSecrets, tempDir } from '../helpers/cli.js';
import { STREAMS } from '../../src/streams/definitions.js';

test('npm run demo: a full sync, an incremental one with only the changes, output matching the ground truth', () => {
  const out = join(tempDir(), 'demo-output');
  const r = spawnSync(process.execPath, [join(ROOT, 'dist', 'demo', 'run.js'), '--output', out], {
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '' },
    timeout: 120_000,
  });
  expect(r.status).toBe(0);
  expect(r.stdout).toMatch(/Demo complete: the output matches the simulator's ground truth\.\s*$/);
  expect(r.stdout).toMatch(/second read returned 35 orders: exactly the 35 changed ones/);
  expect(leakedSecrets(r.stdout + r.stderr)).toEqual([]);
  // The connector's progress summary reached the terminal (stderr), not the protocol stream.
  expect(r.stderr).toMatch(/stream\s+status\s+records\s+pages\s+requests\s+time/);
  for (const def of STREAMS) expect(existsSync(join(out, `${def.name}.jsonl`))).toBe(true);
  const state = JSON.parse(readFileSync(join(out, 'state.json'), 'utf8')) as Array<{ type: string; stream: { stream_descriptor: { name: string } } }>;
  expect(state.map((s) => s.stream.stream_descriptor.name).sort()).toEqual(expect.arrayContaining(['fulfillments', 'orders', 'shipments']));
  const orders = readFileSync(join(out, 'orders.jsonl'), 'utf8').trim().split('\n');
  expect(orders).toHaveLength(4000 + 35);
  expect(JSON.parse(orders[0]!).modifyDate).toMatch(/Z$/);
}, 150_000);
