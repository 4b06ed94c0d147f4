// Helpers of the v2-mode tests: a v2 simulator without rate limiting unless asked, GETs with the API-Key header, a
// list page unwrapped, and reading a whole query by following its `next` links.
import { get as httpGet } from 'node:http';
import {
  startSimulator,
  type Simulator,
  type SimulatorOptions,
  type V2Record,
  type V2StreamName,
} from '../../src/simulator/index.js';

export type V2Sim = Simulator<'v2'>;
export type Query = Record<string, string | number | boolean>;
type Row = Record<string, unknown>;

export interface V2Response<T = unknown> {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly body: T;
}

export interface V2Page<R = Row> {
  readonly records: R[];
  readonly total: number;
  readonly page: number;
  readonly pages: number;
  readonly links: Record<'first' | 'last' | 'prev' | 'next', { href?: string }>;
  readonly raw: Row;
}

/** A v2 simulator; rate limiting off unless the options set it. */
export function startV2(options: SimulatorOptions<'v2'> = {}): Promise<V2Sim> {
  return startSimulator({ rateLimit: null, ...options, api: 'v2' });
}

/** A finished GET: status, headers and body text. */
export interface Reply {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

/**
 * A GET on a connection of its own (no keep-alive pool): a test that blocks the event loop for seconds (building
 * the truth) would otherwise let the server's keep-alive timer close a pooled socket just as the next request
 * goes out on it.
 */
export function get(target: string, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const request = httpGet(target, { headers, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const replyHeaders = new Headers();
        for (const [name, value] of Object.entries(response.headers))
          if (value !== undefined) replyHeaders.set(name, Array.isArray(value) ? value.join(', ') : value);
        resolve({
          status: response.statusCode ?? 0,
          headers: replyHeaders,
          text: Buffer.concat(chunks).toString('utf8'),
        });
      });
      response.on('error', reject);
    });
    request.on('error', reject);
  });
}

function url(sim: V2Sim, path: string, query: Query): string {
  const search = new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]));
  const tail = search.toString();
  return `${sim.baseUrl}${path}${tail ? `?${tail}` : ''}`;
}

/** GET with `API-Key: <key>` (the account's unless `headers` says otherwise); JSON bodies are parsed. */
export async function v2Get<T = unknown>(
  sim: V2Sim,
  path: string,
  query: Query = {},
  headers: Record<string, string> = { 'API-Key': sim.config.api_key },
): Promise<V2Response<T>> {
  const response = await get(url(sim, path, query), headers);
  const text = response.text;
  const json = (response.headers.get('content-type') ?? '').includes('json') && text !== '';
  return { status: response.status, headers: response.headers, text, body: (json ? JSON.parse(text) : text) as T };
}

/** One page of a v2 list endpoint. */
export async function v2Page<R = Row>(sim: V2Sim, path: string, query: Query = {}): Promise<V2Page<R>> {
  const response = await v2Get<Row>(sim, path, query);
  if (response.status !== 200) throw new Error(`GET ${path} → ${response.status}: ${response.text}`);
  const body = response.body;
  const key = path.split('/').pop() as string;
  return {
    records: body[key] as R[],
    total: body.total as number,
    page: body.page as number,
    pages: body.pages as number,
    links: body.links as V2Page['links'],
    raw: body,
  };
}

/** Every record of a query, following `next` links from page 1 until one is `{}`. */
export async function v2All<R = Row>(sim: V2Sim, path: string, query: Query = {}): Promise<R[]> {
  const key = path.split('/').pop() as string;
  const out: R[] = [];
  let next: string | undefined = url(sim, path, { page_size: 500, ...query });
  while (next !== undefined) {
    const response = await get(next, { 'API-Key': sim.config.api_key });
    const body = JSON.parse(response.text) as Row & { links: V2Page['links'] };
    if (response.status !== 200) throw new Error(`GET ${next} → ${response.status}`);
    out.push(...(body[key] as R[]));
    next = body.links.next.href;
  }
  return out;
}

export function v2Truth<R = Row>(sim: V2Sim, stream: V2StreamName): R[] {
  return [...sim.truth(stream)] as V2Record[] as unknown as R[];
}

/** ISO 8601 date-time as the OpenAPI file's `date_time` pattern has it. */
export const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[-+]\d{2}:\d{2})$/;
/** The `se_id` pattern. */
export const SE_ID = /^se(-[a-z0-9]+)+$/;
