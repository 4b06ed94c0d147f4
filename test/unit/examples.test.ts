// The README points users at examples/: they must be inputs the connector accepts.
import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig } from '../../src/config.js';
import { parseCatalog, parseStateInput } from '../../src/cli/inputs.js';
import { resumePoint } from '../../src/engine/streamState.js';
import { pacificZone } from '../../src/engine/pacificZone.js';
import { STREAMS, CHILD_STREAMS } from '../../src/streams/definitions.js';
import { ROOT } from '../helpers/cli.js';

const example = (name: string) => JSON.parse(readFileSync(join(ROOT, 'examples', name), 'utf8')) as unknown;

describe('examples/', () => {
  test('config.json is a valid config for the real API', () => {
    expect(parseConfig(example('config.json'))).toMatchObject({ baseUrl: 'https://ssapi.shipstation.com', pageSize: 500 });
  });

  test('configured_catalog.json selects every stream and is accepted', () => {
    const selected = parseCatalog(example('configured_catalog.json'));
    expect(selected.map((s) => s.name).sort()).toEqual([...STREAMS, ...CHILD_STREAMS].map((s) => s.name).sort());
  });

  test('state.json is a per-stream state the connector resumes from', () => {
    const states = parseStateInput(example('state.json'));
    expect(states.size).toBeGreaterThan(0);
    for (const [name, raw] of states) {
      const def = STREAMS.find((s) => s.name === name)!;
      expect(resumePoint(raw, name, def.defaultCursor!, pacificZone, undefined).plan.frontier.from).toBeDefined();
    }
  });
});
