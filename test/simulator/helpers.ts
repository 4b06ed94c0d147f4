import {
  startSimulator,
  type ConnectorConfig,
  type Simulator,
  type SimulatorOptions,
  type StreamName,
} from '../../src/simulator/index.js';

export interface JsonResponse<T = unknown> {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly body: T;
}

export function basicAuth(config: Pick<ConnectorConfig, 'api_key' | 'api_secret'>): string {
  return `Basic ${Buffer.from(`${config.api_key}:${config.api_secret}`).toString('base64')}`;
}

export function withQuery(path: string, query: Record<string, string | number | boolean> = {}): string {
  const search = new URLSearchParams(
    Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]),
  ).toString();
  return search ? `${path}?${search}` : path;
}

/** GET on the API with the default account (or `auth: null` for none); parses JSON when the body is JSON. */
export async function apiGet<T = unknown>(
  sim: Simulator,
  path: string,
  query: Record<string, string | number | boolean> = {},
  auth: ConnectorConfig | null = sim.config,
): Promise<JsonResponse<T>> {
  const response = await fetch(`${sim.baseUrl}${withQuery(path, query)}`, {
    headers: auth ? { Authorization: basicAuth(auth) } : {},
  });
  const text = await response.text();
  const isJson = (response.headers.get('content-type') ?? '').includes('json');
  return { status: response.status, headers: response.headers, text, body: (isJson ? JSON.parse(text) : text) as T };
}

export interface Envelope<R> {
  readonly total: number;
  readonly page: number;
  readonly pages: number;
  readonly records: R[];
}

/** GET a paged endpoint and unwrap its `{<stream>: [...], total, page, pages}` envelope. */
export async function listPage<R = Record<string, unknown>>(
  sim: Simulator,
  stream: string,
  query: Record<string, string | number | boolean> = {},
): Promise<Envelope<R>> {
  const response = await apiGet<Record<string, unknown>>(sim, `/${stream}`, query);
  if (response.status !== 200) throw new Error(`GET /${stream} → ${response.status}: ${response.text}`);
  const body = response.body;
  return {
    total: body.total as number,
    page: body.page as number,
    pages: body.pages as number,
    records: body[stream] as R[],
  };
}

/** Every record of a filtered query, paging at 500 until a short page. */
export async function listAll<R = Record<string, unknown>>(
  sim: Simulator,
  stream: string,
  query: Record<string, string | number | boolean> = {},
): Promise<R[]> {
  const out: R[] = [];
  for (let page = 1; ; page++) {
    const envelope = await listPage<R>(sim, stream, { ...query, page, pageSize: 500 });
    out.push(...envelope.records);
    if (envelope.records.length < 500) return out;
  }
}

export function truthOf<R = Record<string, unknown>>(sim: Simulator, stream: StreamName): R[] {
  return [...sim.truth(stream)] as unknown as R[];
}

/** Starts a simulator without rate limiting unless asked; tests close it in afterAll. */
export function start(options: SimulatorOptions = {}): Promise<Simulator> {
  return startSimulator({ rateLimit: null, ...options });
}

/** A settable clock for rate-limit and mutation tests. */
export class FakeClock {
  constructor(public now: number) {}
  readonly read = (): number => this.now;
  advance(ms: number): void {
    this.now += ms;
  }
}
