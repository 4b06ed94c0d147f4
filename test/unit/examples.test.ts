// The README points users at examples/: they must be inputs the connector accepts.
import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig } from '../../src/config.js';
import { parseCatalog, parseStateInput } from '../../src/cli/inputs.js';
import { resumePoint } from '../../src/engine/plan/streamState.js';
import { parseNewestFirstState } from '../../src/engine/plan/newestFirst.js';
import { pacificZone } from '../../src/time/pacificZone.js';
import { configuredCatalog } from '../../src/cli/configuredCatalog.js';
import { buildCatalog } from '../../src/streams/catalog.js';
import { STREAMS, CHILD_STREAMS } from '../../src/streams/definitions.js';
import { ROOT } from '../helpers/cli.js';
import { v1 } from '../../src/dialects/v1.js';

const example = (name: string) => JSON.parse(readFileSync(join(ROOT, 'examples', name), 'utf8')) as unknown;

describe('examples/', () => {
  test('config.json is a valid config for the real API', () => {
    expect(parseConfig(example('config.json'))).toMatchObject({
      baseUrl: 'https://ssapi.shipstation.com',
      pageSize: 500,
    });
  });

  test('configured_catalog.json selects every stream, with the real schemas: what npm run catalog prints', () => {
    const selected = parseCatalog(example('configured_catalog.json'), v1.streams);
    expect(selected.map((s) => s.name).sort()).toEqual([...STREAMS, ...CHILD_STREAMS].map((s) => s.name).sort());
    expect(example('configured_catalog.json')).toEqual(configuredCatalog(buildCatalog(v1.streams).streams));
  });

  test('state.json covers every incremental stream, child streams included (else they re-read everything)', () => {
    const states = parseStateInput(example('state.json'));
    const selected = parseCatalog(example('configured_catalog.json'), v1.streams);
    expect([...states.keys()].sort()).toEqual(
      selected
        .filter((s) => s.syncMode === 'incremental')
        .map((s) => s.name)
        .sort(),
    );
    for (const [name, raw] of states) {
      const def =
        STREAMS.find((s) => s.name === name) ??
        STREAMS.find((s) => s.name === CHILD_STREAMS.find((c) => c.name === name)?.parent)!;
      if (def.newestFirst) {
        // Read newest first: a window end, and when the last full pass began.
        expect(parseNewestFirstState(raw, name, def.newestFirst.field).position?.fullPassAt).toBeDefined();
        continue;
      }
      const resume = resumePoint(raw, name, def.defaultCursor!, pacificZone, undefined);
      expect([name, resume.note]).toEqual([name, undefined]);
      expect(resume.plan.frontier.from).toBeDefined();
    }
  });
});
