// The checklist for adding a stream (CONTRIBUTING.md), enforced: a stream defined in src/streams/definitions.ts
// (or v2Definitions.ts) without its schema, its generated type, its simulator endpoint or its README row fails
// here, naming the step.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSimulator, type Simulator } from '../../src/simulator/index.js';
import { CHILD_STREAMS, STREAMS } from '../../src/streams/definitions.js';
import { v2 } from '../../src/dialects/v2.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const NAMES = [...STREAMS.map((s) => s.name), ...CHILD_STREAMS.map((s) => s.name)];
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const streamsSection = README.slice(
  README.indexOf('## Streams'),
  README.indexOf('\n## ', README.indexOf('## Streams') + 1),
);

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ counts: { orders: 20 }, seed: 3, rateLimit: null });
});
afterAll(async () => sim.close());

describe.each(NAMES)('%s', (name) => {
  test('1. has a JSON Schema in schemas/', () => expect(existsSync(join(ROOT, 'schemas', `${name}.json`))).toBe(true));
  test('2. has its generated record type (npm run gen:types)', () =>
    expect(existsSync(join(ROOT, 'src', 'generated', `${name}.ts`))).toBe(true));
  test('3. is served by the simulator at its path', async () => {
    const parent = CHILD_STREAMS.find((c) => c.name === name)?.parent ?? name;
    const def = STREAMS.find((s) => s.name === parent)!;
    const { api_key, api_secret, base_url } = sim.config;
    const response = await fetch(`${base_url}${def.path}`, {
      headers: { authorization: `Basic ${btoa(`${api_key}:${api_secret}`)}` },
    });
    expect(response.status).toBe(200);
    await response.arrayBuffer();
  });
  test("4. has its row in the README's Streams table", () => expect(streamsSection).toContain(`| \`${name}\` |`));
});

test('the checklist sees every stream', () => expect(NAMES.length).toBeGreaterThanOrEqual(14));

// API v2's streams (src/streams/v2Definitions.ts): the same steps in their own folders, their rows in the
// README's API v2 section.
const v2Section = README.slice(README.indexOf('## API v2'), README.indexOf('\n## ', README.indexOf('## API v2') + 1));
const V2_NAMES = v2.streams.names();
let sim2: Simulator<'v2'>;
beforeAll(async () => {
  sim2 = await startSimulator({ api: 'v2', counts: { orders: 20 }, seed: 3, rateLimit: null });
});
afterAll(async () => sim2.close());

describe.each(V2_NAMES)('v2 %s', (name) => {
  test('1. has a JSON Schema in schemas/v2/', () =>
    expect(existsSync(join(ROOT, 'schemas', 'v2', `${name}.json`))).toBe(true));
  test('2. has its generated record type in src/generated/v2/ (npm run gen:types)', () =>
    expect(existsSync(join(ROOT, 'src', 'generated', 'v2', `${name}.ts`))).toBe(true));
  test('3. is served by the simulator in v2 mode at its path', async () => {
    const child = v2.streams.findChild(name);
    const def = child ? v2.streams.parentOf(child) : v2.streams.find(name)!;
    const response = await fetch(`${sim2.config.base_url}${def.path}`, { headers: { 'API-Key': sim2.config.api_key } });
    expect(response.status).toBe(200);
    await response.arrayBuffer();
  });
  test("4. has its row in the README's API v2 streams table", () => expect(v2Section).toContain(`| \`${name}\` |`));
});

test('the checklist sees every v2 stream', () => expect(V2_NAMES.length).toBeGreaterThanOrEqual(16));
