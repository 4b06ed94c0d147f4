// Routing and rendering of authenticated v2 GETs: the paged endpoints (`{<name>: [...], total, page, pages, links}`,
// links that repeat the query with another page, `{}` where there is none) and the whole lists (warehouses, carriers,
// packages, tags, webhooks as a bare array). The request's page plan (short pages, reported total, tie order, the
// server's page limit) applies here as in v1.
import type { ApiResult } from '../apiRoutes.js';
import { encodeJsonList } from '../jsonEncoding.js';
import type { FilterBounds } from '../options.js';
import { pageRows, pagesValue, type PagesQuirk } from '../paging.js';
import type { PagePlan } from '../pagingControl.js';
import {
  V2_LIST_STREAMS,
  V2_PAGED_STREAMS,
  v2Path,
  type V2ListStreamName,
  type V2PagedStreamName,
  type V2PagedView,
} from './endpoint.js';
import { V2Error } from './errors.js';
import { parseV2List } from './params.js';
import type { V2Data } from './v2Data.js';

const JSON_TYPE = 'application/json; charset=utf-8';

/** How v2 answers lists, beyond the request itself. */
export interface V2RouteSettings {
  /** `http://127.0.0.1:<port>`, the host of every link. */
  readonly baseUrl: () => string;
  readonly pagesQuirk: PagesQuirk;
  readonly filterBounds: FilterBounds;
}

const PAGED_PATHS = new Map<string, V2PagedStreamName>(V2_PAGED_STREAMS.map((name) => [v2Path(name), name]));
const LIST_PATHS = new Map<string, V2ListStreamName>(V2_LIST_STREAMS.map((name) => [v2Path(name), name]));

export function isKnownV2Path(path: string): boolean {
  return PAGED_PATHS.has(path) || LIST_PATHS.has(path);
}

/** A link to another page of the same query: page and page_size first, the other parameters as sent. */
function link(settings: V2RouteSettings, path: string, search: URLSearchParams, page: number, size: number): string {
  const query = new URLSearchParams({ page: String(page), page_size: String(size) });
  for (const [name, value] of search) {
    const lower = name.toLowerCase();
    if (lower !== 'page' && lower !== 'page_size') query.append(name, value);
  }
  return `${settings.baseUrl()}${path}?${query.toString()}`;
}

function listBody(head: string, records: readonly unknown[], tail: string): ApiResult {
  return { status: 200, body: encodeJsonList(head, records, tail), contentType: JSON_TYPE, records: records.length };
}

function servePaged(
  view: V2PagedView,
  path: string,
  search: URLSearchParams,
  settings: V2RouteSettings,
  plan: PagePlan,
  requestId: () => string,
): ApiResult {
  const request = parseV2List(view.params, search, settings.filterBounds, plan.maxPageSize);
  const result = view.run(request.query);
  const offset = (request.page - 1) * request.pageSize;
  // A short page keeps its offset: the rows it drops appear on no page of this request.
  const onPage = Math.max(0, Math.min(request.pageSize, result.to - result.from - offset));
  const rows = pageRows(result, request.query.desc, offset, plan.keep(onPage), plan.tieSeed);
  const total = plan.report(result.to - result.from);
  const pages = pagesValue(total, request.pageSize, settings.pagesQuirk);
  const href = (page: number): { href: string } => ({
    href: link(settings, path, search, page, request.askedPageSize),
  });
  const links = {
    first: href(1),
    last: href(Math.max(1, pages)),
    prev: request.page > 1 ? href(request.page - 1) : {},
    next: request.page < pages ? href(request.page + 1) : {},
  };
  const paging =
    view.params.pagingOrder === 'page-first'
      ? `"page":${request.page},"pages":${pages},"total":${total}`
      : `"total":${total},"page":${request.page},"pages":${pages}`;
  const errors = view.params.errorsBeside ? `,"request_id":${JSON.stringify(requestId())},"errors":[]` : '';
  return listBody(
    `{"${view.name}":[`,
    rows.map((row) => view.render(row)),
    `],${paging},"links":${JSON.stringify(links)}${errors}}`,
  );
}

function serveList(data: V2Data, name: V2ListStreamName, requestId: () => string): ApiResult {
  const records = data.list(name);
  switch (name) {
    case 'webhooks':
      return listBody('[', records, ']');
    case 'carriers':
      // Carriers answer with an error_response_body beside the list (a partial success may fill it).
      return listBody('{"carriers":[', records, `],"request_id":${JSON.stringify(requestId())},"errors":[]}`);
    default:
      return listBody(`{"${name}":[`, records, ']}');
  }
}

/** Serves an authenticated GET on a v2 path. Throws V2Error for a request v2 refuses. */
export function serveV2(
  data: V2Data,
  settings: V2RouteSettings,
  path: string,
  search: URLSearchParams,
  plan: PagePlan,
  requestId: () => string,
): ApiResult {
  const paged = PAGED_PATHS.get(path);
  if (paged !== undefined) return servePaged(data.paged(paged), path, search, settings, plan, requestId);
  const list = LIST_PATHS.get(path);
  if (list !== undefined) return serveList(data, list, requestId);
  throw new V2Error(404, 'system', 'unspecified', `No resource matches ${path}.`);
}
