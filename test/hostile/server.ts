// A small ShipStation-shaped server for hostile scenarios (not the simulator: nothing here tries to be faithful).
// It serves the v1 list endpoints from in-memory rows, filtering, sorting and paging the way the connector asks,
// and every step can be made to misbehave: drop a filter, ignore sortDir or page, lie in the envelope, answer
// with any status, headers or body.
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Row = Record<string, unknown>;

/** The paged endpoints and the wall-clock fields their date filters apply to. */
const PAGED: Record<string, { envelope: string; id: string; filters: Record<string, [string, 'start' | 'end']> }> = {
  '/orders': {
    envelope: 'orders',
    id: 'orderId',
    filters: {
      modifyDateStart: ['modifyDate', 'start'],
      modifyDateEnd: ['modifyDate', 'end'],
      createDateStart: ['createDate', 'start'],
      createDateEnd: ['createDate', 'end'],
    },
  },
  '/shipments': {
    envelope: 'shipments',
    id: 'shipmentId',
    filters: { createDateStart: ['createDate', 'start'], createDateEnd: ['createDate', 'end'] },
  },
  '/fulfillments': {
    envelope: 'fulfillments',
    id: 'fulfillmentId',
    filters: { createDateStart: ['createDate', 'start'], createDateEnd: ['createDate', 'end'] },
  },
  '/products': { envelope: 'products', id: 'productId', filters: {} },
  '/customers': { envelope: 'customers', id: 'customerId', filters: {} },
};
const SORT_FIELDS: Record<string, string> = { ModifyDate: 'modifyDate', CreateDate: 'createDate' };
/** The endpoints answered with a bare array (webhooks: an envelope without paging). */
const LISTS = [
  '/stores',
  '/warehouses',
  '/carriers',
  '/stores/marketplaces',
  '/users',
  '/accounts/listtags',
  '/webhooks',
];

export interface HostileRequest {
  n: number;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
}

export interface PageBody {
  rows: Row[];
  total: number;
  page: number;
  pages: number;
}

export interface HostileOptions {
  /** Rows per endpoint path; endpoints without rows answer an empty list. */
  data?: Partial<Record<string, Row[]>>;
  apiKey?: string;
  apiSecret?: string;
  /** Answer a request yourself (return true); runs before anything else. */
  hook?: (req: HostileRequest, res: ServerResponse) => boolean | undefined;
  /** Rewrite the query before it is applied (drop a filter, change the page…). */
  query?: (query: URLSearchParams, req: HostileRequest) => URLSearchParams;
  /** Reorder the filtered rows (the correct order is given). */
  order?: (rows: Row[], req: HostileRequest) => Row[];
  /** Rewrite a page before it is sent (lie about total or pages, add rows…). */
  page?: (page: PageBody, req: HostileRequest) => PageBody;
  /** Rewrite the text of a normal answer (splice in JSON no serializer would write: 5,000 levels deep…). */
  text?: (text: string, req: HostileRequest) => string;
  /** Rate-limit headers on every normal answer (default: a budget no sync exhausts). */
  rateHeaders?: (req: HostileRequest) => Record<string, string | number>;
}

export interface HostileServer {
  url: string;
  requests: HostileRequest[];
  /** How many responses the client abandoned before their end (a connection closed mid-body). */
  abandoned: number;
  config(extra?: Record<string, unknown>): Record<string, unknown>;
  close(): Promise<void>;
}

export const KEY = '405711e0123456789abcdef012345678';
export const SECRET = 'fedcba9876543210fedcba98765432ff';

export async function startHostile(options: HostileOptions = {}): Promise<HostileServer> {
  const apiKey = options.apiKey ?? KEY;
  const apiSecret = options.apiSecret ?? SECRET;
  const expected = `Basic ${Buffer.from(`${apiKey}:${apiSecret}`).toString('base64')}`;
  const requests: HostileRequest[] = [];
  const state = { abandoned: 0 };
  const server = createServer((incoming, res) => {
    const url = new URL(incoming.url ?? '/', 'http://localhost');
    const req: HostileRequest = {
      n: requests.length + 1,
      path: url.pathname,
      query: url.searchParams,
      headers: incoming.headers,
    };
    requests.push(req);
    res.on('close', () => {
      if (!res.writableFinished) state.abandoned++;
    });
    if (options.hook?.(req, res) === true) return;
    if (incoming.headers.authorization !== expected)
      return send(res, 401, { Message: 'Authorization has been denied for this request.' });
    const headers = options.rateHeaders?.(req) ?? {
      'X-Rate-Limit-Limit': 100_000,
      'X-Rate-Limit-Remaining': 99_999,
      'X-Rate-Limit-Reset': 1,
    };
    const paged = PAGED[req.path];
    const answer = (body: unknown) =>
      send(res, 200, options.text ? options.text(JSON.stringify(body), req) : body, headers);
    if (paged) return answer(pageFor(req, paged, options));
    if (LISTS.includes(req.path)) {
      const rows = options.data?.[req.path] ?? [];
      return answer(req.path === '/webhooks' ? { webhooks: rows } : rows);
    }
    send(res, 404, { Message: `No HTTP resource was found that matches the request URI '${req.path}'.` });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    requests,
    get abandoned() {
      return state.abandoned;
    },
    config: (extra = {}) => ({
      api_key: apiKey,
      api_secret: apiSecret,
      base_url: base,
      request_timeout_seconds: 5,
      max_retry_seconds: 10,
      ...extra,
    }),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function pageFor(
  req: HostileRequest,
  endpoint: (typeof PAGED)[string],
  options: HostileOptions,
): Record<string, unknown> {
  const query = options.query ? options.query(new URLSearchParams(req.query), req) : req.query;
  let rows = [...(options.data?.[req.path] ?? [])];
  for (const [param, [field, side]] of Object.entries(endpoint.filters)) {
    const bound = query.get(param);
    if (bound === null) continue;
    const second = wallSecond(bound);
    rows = rows.filter((row) => {
      const value = typeof row[field] === 'string' ? wallSecond(row[field] as string) : undefined;
      return value !== undefined && (side === 'start' ? value >= second : value <= second);
    });
  }
  const sortField = SORT_FIELDS[query.get('sortBy') ?? ''];
  const id = (row: Row) => Number(row[endpoint.id]);
  rows.sort((a, b) => (sortField ? String(a[sortField]).localeCompare(String(b[sortField])) : 0) || id(a) - id(b));
  if (query.get('sortDir') === 'DESC') rows.reverse();
  if (options.order) rows = options.order(rows, req);
  const pageSize = Math.min(500, Number(query.get('pageSize') ?? 100));
  const page = Math.max(1, Number(query.get('page') ?? 1));
  let body: PageBody = {
    rows: rows.slice((page - 1) * pageSize, page * pageSize),
    total: rows.length,
    page,
    pages: Math.ceil(rows.length / pageSize),
  };
  if (options.page) body = options.page(body, req);
  return { [endpoint.envelope]: body.rows, total: body.total, page: body.page, pages: body.pages };
}

/** `YYYY-MM-DD HH:mm:ss` or `YYYY-MM-DDTHH:mm:ss[.fff…]` (Pacific wall clock) to its whole second, comparable as text. */
function wallSecond(value: string): string {
  return value.replace(' ', 'T').slice(0, 19);
}

export function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string | number> = {},
): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

// ---- rows ---------------------------------------------------------------------------------------------------

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** A Pacific wall-clock value `minutes` after 2024-03-01 08:00 (no DST edge nearby). */
export function wall(minutes: number, seconds = 0): string {
  const t = new Date(Date.UTC(2024, 2, 1, 8, 0, 0) + minutes * 60_000 + seconds * 1000);
  return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}T${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())}.0000000`;
}

export function order(id: number, modifiedAt = wall(id), extra: Row = {}): Row {
  return {
    orderId: id,
    orderNumber: `H-${id}`,
    orderKey: `key-${id}`,
    orderDate: wall(0),
    createDate: wall(0),
    modifyDate: modifiedAt,
    orderStatus: 'awaiting_shipment',
    items: [
      {
        orderItemId: id * 10,
        sku: `SKU-${id}`,
        name: 'Widget',
        quantity: 1,
        unitPrice: 9.5,
        createDate: wall(0),
        modifyDate: wall(0),
      },
    ],
    ...extra,
  };
}

export const orders = (count: number, at: (i: number) => string = (i) => wall(i)): Row[] =>
  Array.from({ length: count }, (_, i) => order(i + 1, at(i + 1)));

export function shipment(id: number, createdAt = wall(id)): Row {
  return {
    shipmentId: id,
    orderId: id,
    orderNumber: `H-${id}`,
    createDate: createdAt,
    shipDate: '2024-03-02',
    shipmentCost: 4.2,
    trackingNumber: `T${id}`,
    shipmentItems: [],
  };
}

export function product(id: number): Row {
  return {
    productId: id,
    sku: `SKU-${id}`,
    name: `Product ${id}`,
    price: 10,
    createDate: wall(0),
    modifyDate: wall(0),
    active: true,
  };
}

export function customer(id: number): Row {
  return { customerId: id, name: `Customer ${id}`, createDate: wall(0), modifyDate: wall(0) };
}
