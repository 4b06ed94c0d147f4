// A reader that pauses (`read … | (sleep 5; cat)`) while every stream writes at once: each waits for drain,
// none adds a listener of its own, and no MaxListenersExceededWarning (or any warning) reaches stderr.
import { afterEach, expect, test } from '@jest/globals';
import { spawn } from 'node:child_process';
import { ENTRY, parseLines } from '../helpers/cli.js';
import {
  ALL_STREAMS,
  CHILD_STREAM_NAMES,
  INCREMENTAL_STREAMS,
  byId,
  configuredCatalog,
  expectedTruth,
  readArgs,
  recordsOf,
  simulator,
  type Simulator,
} from '../helpers/sim.js';

let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

test('every stream blocked on a paused reader: no warning on stderr, nothing lost once it reads again', async () => {
  sim = await simulator({
    seed: 61,
    counts: { orders: 3000, shipments: 2000, fulfillments: 600, customers: 1500, products: 600 },
  });
  const streams = [...ALL_STREAMS, ...CHILD_STREAM_NAMES].map((name) => ({
    name,
    mode:
      INCREMENTAL_STREAMS.includes(name) || name === 'order_items' || name === 'shipment_items'
        ? ('incremental' as const)
        : ('full_refresh' as const),
  }));
  const args = readArgs(sim, configuredCatalog(streams), { config: { page_size: 100, max_concurrency: 16 } });
  const child = spawn(process.execPath, [ENTRY, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_OPTIONS: '', SHIPSTATION_PROGRESS: 'off' },
  });
  const chunks: Buffer[] = [];
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  child.stdout.on('data', (d: Buffer) => chunks.push(d));
  // Read the first bytes, then stop reading until every stream has had time to block on the full pipe.
  child.stdout.once('data', () => {
    child.stdout.pause();
    setTimeout(() => child.stdout.resume(), 4000);
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  expect(stderr).toBe('');
  expect(code).toBe(0);
  const messages = parseLines(Buffer.concat(chunks).toString('utf8'));
  for (const stream of ALL_STREAMS) {
    const got = byId(recordsOf(messages, stream), stream);
    expect({ stream, missing: [...expectedTruth(sim, stream).keys()].filter((id) => !got.has(id)).length }).toEqual({
      stream,
      missing: 0,
    });
  }
}, 90_000);
