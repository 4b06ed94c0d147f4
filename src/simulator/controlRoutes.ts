// The test-control endpoints under /__sim/ (stats, truth, mutate, faults, paging, fail-next, consume-budget,
// mutations, config): how a test or bench in another process steers the simulator and reads the ground truth. They
// bypass auth, rate limit and faults and are not counted in stats, so steering never disturbs what is measured.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FAULT_KINDS, isFaultKind, type FailNextSpec } from './faults.js';
import {
  InputError,
  asObject,
  optBoolean,
  optIntArray,
  optNumber,
  optObject,
  optString,
  type JsonObject,
} from './jsonInput.js';
import { MUTATION_OPS, type MutationOp, type MutationSpec } from './mutations.js';
import type { ApiVersion, FaultOptions, FaultRates, PagingOptions } from './options.js';
import type { ScheduleTrigger } from './scheduler.js';
import type { Simulator } from './simulator.js';

/** Test-control endpoints live under this prefix: no auth, no rate limit, no faults, not counted in stats. */
export const CONTROL_PREFIX = '/__sim/';

const MAX_BODY_BYTES = 1_000_000;
const RATE_NAMES: readonly (keyof FaultRates)[] = [
  'error500',
  'error502',
  'error503',
  'reset',
  'truncate',
  'latency',
  'slowBody',
];

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(body);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY_BYTES) throw new InputError('body too large');
    chunks.push(buf);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new InputError('body is not valid JSON');
  }
}

function parseMutation(body: JsonObject): MutationSpec {
  const op = optString(body, 'op');
  if (op === undefined || !(MUTATION_OPS as readonly string[]).includes(op))
    throw new InputError(`op must be one of ${MUTATION_OPS.join(', ')}`);
  const count = optNumber(body, 'count');
  switch (op as MutationOp) {
    case 'modifyOrders':
      return { op: 'modifyOrders', count, orderIds: optIntArray(body, 'orderIds') };
    case 'createOrders':
      return { op: 'createOrders', count };
    case 'bulkEditOrders':
      return { op: 'bulkEditOrders', count };
    case 'voidShipments':
      return { op: 'voidShipments', count, shipmentIds: optIntArray(body, 'shipmentIds') };
    case 'createShipments':
      return { op: 'createShipments', count, orderIds: optIntArray(body, 'orderIds') };
    case 'deleteOrders':
      return { op: 'deleteOrders', count, orderIds: optIntArray(body, 'orderIds') };
    case 'deleteCustomers':
      return { op: 'deleteCustomers', count, customerIds: optIntArray(body, 'customerIds') };
    case 'createCustomers':
      return { op: 'createCustomers', count };
    case 'modifyCustomers':
      return { op: 'modifyCustomers', count, customerIds: optIntArray(body, 'customerIds') };
    case 'modifyProducts':
      return { op: 'modifyProducts', count, productIds: optIntArray(body, 'productIds') };
    case 'deleteProducts':
      return { op: 'deleteProducts', count, productIds: optIntArray(body, 'productIds') };
  }
}

function parseTrigger(body: JsonObject): ScheduleTrigger | null {
  const atRequest = optNumber(body, 'atRequest');
  const afterMs = optNumber(body, 'afterMs');
  const everyMs = optNumber(body, 'everyMs');
  if (atRequest !== undefined) return { atRequest };
  if (afterMs !== undefined) return { afterMs };
  if (everyMs !== undefined) return { everyMs, times: optNumber(body, 'times') };
  return null;
}

function parseFaults(body: JsonObject): FaultOptions {
  const ratesBody = optObject(body, 'rates');
  const rates: Partial<Record<keyof FaultRates, number>> = {};
  if (ratesBody) {
    for (const name of Object.keys(ratesBody)) {
      if (!(RATE_NAMES as readonly string[]).includes(name))
        throw new InputError(`unknown fault rate ${name}; known: ${RATE_NAMES.join(', ')}`);
    }
    for (const name of RATE_NAMES) {
      const rate = optNumber(ratesBody, name);
      if (rate !== undefined) rates[name] = rate;
    }
  }
  return {
    rates,
    htmlShare: optNumber(body, 'htmlShare'),
    emptyBodyShare: optNumber(body, 'emptyBodyShare'),
    latencyMs: optNumber(body, 'latencyMs'),
    slowBodyChunks: optNumber(body, 'slowBodyChunks'),
    slowBodyDelayMs: optNumber(body, 'slowBodyDelayMs'),
  };
}

const PAGING_NAMES: readonly (keyof PagingOptions)[] = [
  'maxPageSize',
  'shortPageRate',
  'totalCap',
  'totalOffset',
  'totalDrift',
  'unstableTies',
  'ignoreSort',
];

function parsePaging(body: JsonObject): PagingOptions {
  for (const name of Object.keys(body)) {
    if (!(PAGING_NAMES as readonly string[]).includes(name))
      throw new InputError(`unknown paging setting ${name}; known: ${PAGING_NAMES.join(', ')}`);
  }
  return {
    maxPageSize: optNumber(body, 'maxPageSize'),
    shortPageRate: optNumber(body, 'shortPageRate'),
    // null lifts the cap; absent leaves it as it is.
    totalCap: body.totalCap === null ? null : optNumber(body, 'totalCap'),
    totalOffset: optNumber(body, 'totalOffset'),
    totalDrift: optNumber(body, 'totalDrift'),
    unstableTies: optBoolean(body, 'unstableTies'),
    ignoreSort: optBoolean(body, 'ignoreSort'),
  };
}

function parseFailNext(body: JsonObject): FailNextSpec {
  const kind = optString(body, 'kind');
  if (kind === undefined || !isFaultKind(kind)) throw new InputError(`kind must be one of ${FAULT_KINDS.join(', ')}`);
  return {
    kind,
    count: optNumber(body, 'count'),
    path: optString(body, 'path'),
    html: optBoolean(body, 'html'),
    empty: optBoolean(body, 'empty'),
  };
}

/** Streams the truth as JSON lines, honouring back-pressure so millions of records never sit in memory. */
async function streamTruth(res: ServerResponse, sim: Simulator<ApiVersion>, stream: string): Promise<void> {
  // The dialect's own names: v2's labels are unknown to v1 and v1's orders to v2.
  if (!(sim.streams as readonly string[]).includes(stream)) {
    sendJson(res, 404, { Message: `unknown stream ${stream}` });
    return;
  }
  res.writeHead(200, {
    'Content-Type': 'application/x-ndjson; charset=utf-8',
    'X-Total-Count': String(sim.truthCount(stream as Parameters<typeof sim.truthCount>[0])),
  });
  let batch = '';
  for (const record of sim.truth(stream as Parameters<typeof sim.truth>[0])) {
    batch += `${JSON.stringify(record)}\n`;
    if (batch.length < 256 * 1024) continue;
    const flushed = res.write(batch);
    batch = '';
    if (!flushed) {
      await new Promise<void>((resolve) => {
        res.once('drain', resolve);
        res.once('close', resolve);
      });
    }
    if (res.destroyed) return;
  }
  res.end(batch);
}

async function route(req: IncomingMessage, res: ServerResponse, sim: Simulator<ApiVersion>): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const path = url.pathname.slice(CONTROL_PREFIX.length).replace(/\/+$/, '');
  const method = req.method ?? 'GET';
  if (method === 'GET' && path === 'stats') return sendJson(res, 200, sim.stats());
  if (method === 'GET' && path === 'mutations') return sendJson(res, 200, sim.mutationLog());
  if (method === 'GET' && path === 'paging') return sendJson(res, 200, sim.paging());
  if (method === 'GET' && path === 'config')
    return sendJson(res, 200, { base_url: sim.baseUrl, config: sim.config, no_access_config: sim.noAccessConfig });
  if (method === 'GET' && path.startsWith('truth/')) return streamTruth(res, sim, path.slice('truth/'.length));
  if (method === 'POST' && path === 'stats/reset') {
    sim.resetStats();
    return sendJson(res, 200, { ok: true });
  }
  if (method === 'POST') {
    const body = asObject(await readJson(req), 'body');
    switch (path) {
      case 'mutate': {
        const spec = parseMutation(body);
        const trigger = parseTrigger(body);
        if (trigger) {
          sim.schedule(trigger, spec);
          return sendJson(res, 202, { scheduled: true });
        }
        return sendJson(res, 200, sim.mutate.apply(spec));
      }
      case 'faults':
        sim.setFaults(parseFaults(body));
        return sendJson(res, 200, { ok: true });
      case 'paging':
        return sendJson(res, 200, sim.setPaging(parsePaging(body)));
      case 'fail-next':
        sim.failNext(parseFailNext(body));
        return sendJson(res, 200, { ok: true });
      case 'fail-next/clear':
        sim.clearFailNext();
        return sendJson(res, 200, { ok: true });
      case 'consume-budget': {
        const units = optNumber(body, 'units');
        if (units === undefined) throw new InputError('units is required');
        sim.consumeBudget(optString(body, 'key') ?? sim.config.api_key, units);
        return sendJson(res, 200, { ok: true });
      }
    }
  }
  sendJson(res, 404, { Message: `unknown control endpoint ${method} ${url.pathname}` });
}

export async function handleControlRequest(
  req: IncomingMessage,
  res: ServerResponse,
  sim: Simulator<ApiVersion>,
): Promise<void> {
  try {
    await route(req, res, sim);
  } catch (error) {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    sendJson(res, error instanceof InputError || error instanceof RangeError ? 400 : 500, { Message: message });
  }
}
