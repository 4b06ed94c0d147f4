#!/usr/bin/env node
// Micro-benchmark of the emitter's hot path: RECORD lines for 500-record pages of real-shaped orders, with the
// secret masking a real config gets (two 32-hex credentials), against a bare baseline measured in the same run
// (JSON.stringify of each record into a line, 64 KiB chunks, the same discarding sink).
//
//   npm run build && node bench/emitter.mjs
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { Emitter } from '../build/protocol/emitter.js';
import { createRedactor } from '../build/protocol/redact.js';

const PAGES = 40;
const PAGE = 500;
const RUNS = 7;
const CHUNK = 64 * 1024;

const examples = JSON.parse(
  readFileSync(new URL('../test/fixtures/examples/orders.json', import.meta.url), 'utf8'),
).orders;
const pages = Array.from({ length: PAGES }, (_, p) =>
  Array.from({ length: PAGE }, (_, i) => ({
    ...structuredClone(examples[i % examples.length]),
    orderId: p * PAGE + i,
    orderNumber: `N-${p}-${i}`,
  })),
);
const records = PAGES * PAGE;
const sink = () => new Writable({ write: (_chunk, _enc, done) => done() });

async function connector() {
  const redactor = createRedactor(['0123456789abcdef0123456789abcdef', 'fedcba9876543210fedcba9876543210']);
  const emitter = new Emitter(sink(), redactor);
  for (const page of pages) await emitter.emitRecords('orders', page, 1_700_000_000_000);
}

async function baseline() {
  const out = sink();
  for (const page of pages) {
    let chunk = '';
    for (const row of page) {
      chunk += `{"type":"RECORD","record":{"stream":"orders","data":${JSON.stringify(row)},"emitted_at":1700000000000}}\n`;
      if (chunk.length >= CHUNK) {
        out.write(chunk);
        chunk = '';
      }
    }
    if (chunk) out.write(chunk);
  }
}

async function cpu(fn) {
  const start = process.cpuUsage();
  await fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / records;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
await cpu(connector);
await cpu(baseline);
const c = [];
const b = [];
for (let i = 0; i < RUNS; i++) {
  c.push(await cpu(connector));
  b.push(await cpu(baseline));
}
const mc = median(c);
const mb = median(b);
process.stdout.write(
  `emitter, ${records} order records with masking: ${mc.toFixed(2)} µs CPU/record; bare baseline ${mb.toFixed(2)} µs; ratio ${(mc / mb).toFixed(3)}\n`,
);
