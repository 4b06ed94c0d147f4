// Routing and rendering of authenticated API GETs: the paged endpoints ({<name>: [...], total, page, pages}) and
// the whole-list ones (stores, warehouses, reference lists). Paths match case-insensitively and without a trailing
// slash, as ASP.NET routing does; the request's page plan (short pages, reported total, tie order) is applied here.
import type { Dataset } from './dataset.js';
import { encodeJsonList } from './jsonEncoding.js';
import { pageRows, pagesValue, type PagesQuirk } from './paging.js';
import { TRUTHFUL_PLAN, type PagePlan } from './pagingControl.js';
import { BadRequestError, QueryReader, parseListRequest } from './queryParams.js';
import { PAGED_STREAMS, type PagedStreamName } from './streams/pagedStream.js';
import type { FilterBounds } from './options.js';

export interface ApiResult {
  readonly status: number;
  readonly body: Buffer;
  readonly contentType: string;
  /** Records in a list response (for the latency model). */
  readonly records?: number;
}

const JSON_TYPE = 'application/json; charset=utf-8';

export function jsonResult(status: number, value: unknown): ApiResult {
  return { status, body: Buffer.from(JSON.stringify(value)), contentType: JSON_TYPE };
}

function listResult(head: string, records: readonly unknown[], tail: string): ApiResult {
  return { status: 200, body: encodeJsonList(head, records, tail), contentType: JSON_TYPE, records: records.length };
}

/** Canonical form of an API path: lower case, no trailing slash (ASP.NET routing ignores both). */
export function canonicalPath(pathname: string): string {
  const trimmed = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
  return trimmed.toLowerCase();
}

function isPaged(path: string): path is `/${PagedStreamName}` {
  return (PAGED_STREAMS as readonly string[]).includes(path.slice(1));
}

/** Endpoints answering with their whole list in one response, no paging. */
const LIST_PATHS = [
  '/stores',
  '/warehouses',
  '/carriers',
  '/stores/marketplaces',
  '/users',
  '/webhooks',
  '/accounts/listtags',
];

export function isKnownApiPath(path: string): boolean {
  return isPaged(path) || LIST_PATHS.includes(path);
}

/** Serves an authenticated GET on an API path; `plan` says how this request shapes pages and totals. */
export function serveApi(
  dataset: Dataset,
  quirks: Readonly<Record<PagedStreamName, PagesQuirk>>,
  path: string,
  search: URLSearchParams,
  bounds: FilterBounds = 'inclusive',
  plan: PagePlan = TRUTHFUL_PLAN,
): ApiResult {
  const reader = new QueryReader(search);
  try {
    if (path === '/stores') return listResult('[', dataset.stores.list(reader.boolean('showInactive') === true), ']');
    if (path === '/warehouses') return listResult('[', dataset.warehouses.list(), ']');
    if (path === '/carriers') return listResult('[', dataset.carriers.list(), ']');
    if (path === '/stores/marketplaces') return listResult('[', dataset.marketplaces.list(), ']');
    if (path === '/users')
      return listResult('[', dataset.users.listUsers(reader.boolean('showInactive') === true), ']');
    if (path === '/webhooks') return listResult('{"webhooks":[', dataset.webhooks.list(), ']}');
    if (path === '/accounts/listtags') return listResult('[', dataset.tags.list(), ']');
    if (!isPaged(path))
      return jsonResult(404, { Message: `No HTTP resource was found that matches the request URI '${path}'.` });
    const name = path.slice(1) as PagedStreamName;
    const stream = dataset.paged(name);
    const request = parseListRequest(stream.params, reader, bounds, plan.maxPageSize);
    const query = plan.ignoreSort ? { ...request.query, sort: stream.params.defaultSort, desc: false } : request.query;
    const view = stream.engine.run(query);
    const offset = (request.page - 1) * request.pageSize;
    // A short page keeps its offset: the rows it drops appear on no page of this request.
    const onPage = Math.max(0, Math.min(request.pageSize, view.to - view.from - offset));
    const rows = pageRows(view, query.desc, offset, plan.keep(onPage), plan.tieSeed);
    const records = rows.map((row) => stream.render(row, { includeShipmentItems: request.includeShipmentItems }));
    const total = plan.report(view.to - view.from);
    const pages = pagesValue(total, request.pageSize, quirks[name]);
    return listResult(`{"${name}":[`, records, `],"total":${total},"page":${request.page},"pages":${pages}}`);
  } catch (error) {
    if (error instanceof BadRequestError) return jsonResult(400, error.body());
    throw error;
  }
}
