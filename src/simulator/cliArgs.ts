// Command-line flags of the simulator (dist/shipstation-simulator.js) and its --help text, turned into
// SimulatorOptions. Only syntax is checked here (CliUsageError); values and ranges are checked by resolveOptions
// (RangeError naming the option), the same check the in-process API gets.
import { parseArgs } from 'node:util';
import {
  API_VERSIONS,
  DEFAULT_COUNTS,
  DEFAULT_CREDENTIALS,
  DEFAULT_DATE_RANGE,
  DEFAULT_FAULTS,
  DEFAULT_NO_ACCESS_CREDENTIALS,
  DEFAULT_PAGING,
  DEFAULT_RATE_LIMIT,
  DEFAULT_V2_KEYS,
  DEFAULT_V2_RATE_LIMIT,
  type ApiVersion,
  type FaultRates,
  type SimulatorOptions,
  type StreamCounts,
} from './options.js';
import type { PagesQuirk } from './paging.js';
import { COUNTED_STREAMS, PAGED_STREAMS, type PagedStreamName } from './streams/pagedStream.js';

export class CliUsageError extends Error {}

const FAULT_FLAGS: Readonly<Record<string, keyof FaultRates>> = {
  'fault-500': 'error500',
  'fault-502': 'error502',
  'fault-503': 'error503',
  'fault-reset': 'reset',
  'fault-truncate': 'truncate',
  'fault-latency': 'latency',
  'fault-slow-body': 'slowBody',
};

const STRING_FLAGS = [
  'api',
  'v2-api-key',
  'v2-no-access-key',
  'v2-date-suffix',
  'v2-pages-quirk',
  'empty-body-share',
  'port',
  'seed',
  ...COUNTED_STREAMS,
  'start',
  'end',
  'rate-limit',
  'rate-window-ms',
  ...Object.keys(FAULT_FLAGS),
  'html-share',
  'latency-ms',
  'slow-body-chunks',
  'slow-body-delay-ms',
  'api-key',
  'api-secret',
  'no-access-key',
  'no-access-secret',
  'pages-zero-quirk',
  'timeline-limit',
  'filter-bounds',
  'page-latency-ms',
  'record-latency-ms',
  'config-out',
  'clock-start',
  'stamp-lag-ms',
  'stamp-jitter-ms',
  'date-offset-ms',
  'max-page-size',
  'short-page-rate',
  'total-cap',
  'total-offset',
  'total-drift',
] as const;

export const HELP = `ShipStation simulator (API v1, or v2 with --api v2) — serves on 127.0.0.1, prints one JSON line with the
connection config, logs to stderr.

Usage: node dist/shipstation-simulator.js [options]

Server
  --api v1|v2              the API spoken (default v1): v2 serves /v2/… views of the same data, API-Key auth,
                           Retry-After on 429s and no X-Rate-Limit-* headers; its config has api_version "v2"
  --port N                 port to listen on (default 0: a free port; see base_url in the output)
  --seed N                 seed for data, faults and mutation choices (default 1)
  --timeline-limit N       request-timeline entries kept for /__sim/stats (default 10000)
  --config-out FILE        also write the connector's config (api_key, api_secret, base_url; v2: api_key,
                           base_url, api_version) to FILE

Data
${COUNTED_STREAMS.map((s) => `  --${s.padEnd(23)}number of ${s} (default ${DEFAULT_COUNTS[s]})`).join('\n')}
  --start YYYY-MM-DD       first Pacific day of the data (default ${DEFAULT_DATE_RANGE.start})
  --end YYYY-MM-DD         last Pacific day of the data (default ${DEFAULT_DATE_RANGE.end})
  --pages-zero-quirk LIST  per endpoint 'pages' quirk, e.g. shipments=always,orders=singlePage
                           (modes: off | singlePage | always; default singlePage for shipments,
                           fulfillments, products; off for orders, customers)
  --filter-bounds MODE     reading of the date filters: inclusive (default) | exclusive |
                           inclusiveSeconds | exclusiveSeconds (compare whole seconds)

Clock
  --clock-start ISO        start the simulator's clock at this instant (e.g. 2026-11-01T08:40:00Z, 01:40 PDT
                           in the fall-back hour) and run it at real speed (default: the machine's clock)

Server lies (all off by default; each breaks one assumption, see the simulator README)
  --stamp-lag-ms N         mutations stamp their dates N ms before the clock, visible at once
  --stamp-jitter-ms N      each changed record's stamp moves back a further seeded 0..N ms (a bulk edit's rows
                           share one): stamps out of commit order
  --date-offset-ms N       HTTP Date header = clock + N (negative: --date-offset-ms=-3600000)
  --unstable-ties          rows with equal sort keys come back in a different order on every request
  --ignore-sort            sortBy and sortDir are ignored: lists come in the default order (by id)
  --max-page-size N        the server's own page size limit, 1–500 (default ${DEFAULT_PAGING.maxPageSize})
  --short-page-rate R      probability a page is cut short (same offset, same total), 0–1
  --total-cap N            reported totals never exceed N
  --total-offset N         added to reported totals, clamped at 0 (negative: --total-offset=-1)
  --total-drift N          reported totals grow by N on every API request
                           (page settings change at run time: POST /__sim/paging)

Latency (every API response; default none)
  --page-latency-ms N      fixed part of each response's time
  --record-latency-ms N    plus this per record in the response (real 500-order pages take 2–3 s:
                           e.g. --page-latency-ms 500 --record-latency-ms 4)

Rate limit (fixed window per API key)
  --rate-limit N           requests per window (default ${DEFAULT_RATE_LIMIT.limit}; v2: ${DEFAULT_V2_RATE_LIMIT.limit})
  --rate-window-ms N       window length in ms (default ${DEFAULT_RATE_LIMIT.windowMs})
  --no-rate-limit          disable rate limiting and its headers

Faults (probability per API request, 0–1; deterministic by seed)
  --fault-500 R  --fault-502 R  --fault-503 R   injected 5xx responses
  --fault-reset R          connection reset before any response
  --fault-truncate R       status + Content-Length, half the body, then the connection closes
  --fault-latency R        delay the response by --latency-ms (default ${DEFAULT_FAULTS.latencyMs})
  --fault-slow-body R      send the body in --slow-body-chunks chunks (default ${DEFAULT_FAULTS.slowBodyChunks})
                           --slow-body-delay-ms apart (default ${DEFAULT_FAULTS.slowBodyDelayMs})
  --html-share R           share of injected 5xx with an HTML body (default ${DEFAULT_FAULTS.htmlShare})
  --empty-body-share R     share of the other injected 5xx with an empty body (default ${DEFAULT_FAULTS.emptyBodyShare})

Credentials
  --api-key S  --api-secret S             default account (default ${DEFAULT_CREDENTIALS.apiKey} / ${DEFAULT_CREDENTIALS.apiSecret})
  --no-access-key S  --no-access-secret S account without API access → 403
                                          (default ${DEFAULT_NO_ACCESS_CREDENTIALS.apiKey} / ${DEFAULT_NO_ACCESS_CREDENTIALS.apiSecret})
  --v2-api-key S           v2: the account's API-Key (default ${DEFAULT_V2_KEYS.apiKey})
  --v2-no-access-key S     v2: a key without API access → 403 (default ${DEFAULT_V2_KEYS.noAccessKey})

v2 only
  --v2-date-suffix MODE    dates end in Z (default) | +00:00 | mixed (either, per record)
  --v2-pages-quirk MODE    'pages': off (default: ceil(total/page_size), 0 when empty) | singlePage (0 when one
                           page holds the result) | always (0)

  --help                   show this help

Control endpoints (no auth): GET /__sim/stats, POST /__sim/stats/reset, GET /__sim/truth/<stream>,
POST /__sim/mutate, POST /__sim/faults, GET|POST /__sim/paging, POST /__sim/fail-next, POST /__sim/consume-budget,
GET /__sim/config.
`;

function numberFlag(name: string, value: string | undefined, integer: boolean): number | undefined {
  if (value === undefined) return undefined;
  const pattern = integer ? /^\d+$/ : /^\d+(\.\d+)?$/;
  if (!pattern.test(value))
    throw new CliUsageError(`--${name} expects ${integer ? 'a non-negative integer' : 'a number'}, got '${value}'`);
  return Number(value);
}

function signedIntFlag(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^-?\d+$/.test(value)) throw new CliUsageError(`--${name} expects an integer, got '${value}'`);
  return Number(value);
}

/** A clock that starts at an ISO-8601 instant (with Z or an offset) and runs at real speed from now. */
function clockFrom(value: string | undefined): (() => number) | undefined {
  if (value === undefined) return undefined;
  const start = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value)
    ? Date.parse(value)
    : NaN;
  if (Number.isNaN(start))
    throw new CliUsageError(`--clock-start expects an ISO-8601 instant such as 2026-11-01T08:40:00Z, got '${value}'`);
  const origin = Date.now();
  return () => start + (Date.now() - origin);
}

function parseQuirks(value: string | undefined): Partial<Record<PagedStreamName, PagesQuirk>> | undefined {
  if (value === undefined) return undefined;
  const quirks: Partial<Record<PagedStreamName, PagesQuirk>> = {};
  for (const pair of value.split(',')) {
    const [stream, mode] = pair.split('=');
    if (
      !(PAGED_STREAMS as readonly string[]).includes(stream ?? '') ||
      (mode !== 'off' && mode !== 'singlePage' && mode !== 'always')
    ) {
      throw new CliUsageError(`--pages-zero-quirk expects stream=off|singlePage|always pairs, got '${pair}'`);
    }
    quirks[stream as PagedStreamName] = mode;
  }
  return quirks;
}

/** The simulator's options, and where to write the connector's config (--config-out), if anywhere. */
export type CliOptions = SimulatorOptions<ApiVersion> & { configOut?: string };

function apiFlag(value: string | undefined): ApiVersion {
  if (value === undefined) return 'v1';
  if (!(API_VERSIONS as readonly string[]).includes(value))
    throw new CliUsageError(`--api expects ${API_VERSIONS.join(' or ')}, got '${value}'`);
  return value as ApiVersion;
}

function pagesQuirk(value: string | undefined): PagesQuirk | undefined {
  if (value === undefined) return undefined;
  if (value !== 'off' && value !== 'singlePage' && value !== 'always')
    throw new CliUsageError(`--v2-pages-quirk expects off, singlePage or always, got '${value}'`);
  return value;
}

/** Parses the command line; null means --help was asked for. Throws CliUsageError. */
export function parseCliArgs(argv: readonly string[]): CliOptions | null {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        help: { type: 'boolean' },
        'no-rate-limit': { type: 'boolean' },
        'unstable-ties': { type: 'boolean' },
        'ignore-sort': { type: 'boolean' },
        ...Object.fromEntries(STRING_FLAGS.map((flag) => [flag, { type: 'string' as const }])),
      },
    });
  } catch (error) {
    throw new CliUsageError(error instanceof Error ? error.message : String(error));
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  if (values.help === true) return null;
  const text = (name: string): string | undefined => {
    const value = values[name];
    return typeof value === 'string' ? value : undefined;
  };
  const int = (name: string): number | undefined => numberFlag(name, text(name), true);
  const signed = (name: string): number | undefined => signedIntFlag(name, text(name));
  const real = (name: string): number | undefined => numberFlag(name, text(name), false);

  const counts: Partial<StreamCounts> = {};
  for (const stream of COUNTED_STREAMS) {
    const count = int(stream);
    if (count !== undefined) counts[stream] = count;
  }
  const rates: Partial<Record<keyof FaultRates, number>> = {};
  for (const [flag, rate] of Object.entries(FAULT_FLAGS)) {
    const value = real(flag);
    if (value !== undefined) rates[rate] = value;
  }
  const api = apiFlag(text('api'));
  const v2ApiKey = text('v2-api-key');
  const v2NoAccessKey = text('v2-no-access-key');
  const defaultLimit = api === 'v2' ? DEFAULT_V2_RATE_LIMIT : DEFAULT_RATE_LIMIT;
  const start = text('start');
  const end = text('end');
  const limit = int('rate-limit');
  const windowMs = int('rate-window-ms');
  const apiKey = text('api-key');
  const apiSecret = text('api-secret');
  const noAccessKey = text('no-access-key');
  const noAccessSecret = text('no-access-secret');
  return {
    api,
    v2Keys: {
      ...(v2ApiKey !== undefined && { apiKey: v2ApiKey }),
      ...(v2NoAccessKey !== undefined && { noAccessKey: v2NoAccessKey }),
    },
    v2DateSuffix: text('v2-date-suffix') as CliOptions['v2DateSuffix'],
    v2PagesQuirk: pagesQuirk(text('v2-pages-quirk')),
    configOut: text('config-out'),
    port: int('port') ?? 0,
    seed: int('seed'),
    counts,
    dateRange:
      start !== undefined || end !== undefined
        ? { start: start ?? DEFAULT_DATE_RANGE.start, end: end ?? DEFAULT_DATE_RANGE.end }
        : undefined,
    rateLimit:
      values['no-rate-limit'] === true
        ? null
        : { limit: limit ?? defaultLimit.limit, windowMs: windowMs ?? defaultLimit.windowMs },
    faults: {
      rates,
      htmlShare: real('html-share'),
      emptyBodyShare: real('empty-body-share'),
      latencyMs: int('latency-ms'),
      slowBodyChunks: int('slow-body-chunks'),
      slowBodyDelayMs: int('slow-body-delay-ms'),
    },
    credentials: { ...(apiKey !== undefined && { apiKey }), ...(apiSecret !== undefined && { apiSecret }) },
    noAccessCredentials: {
      ...(noAccessKey !== undefined && { apiKey: noAccessKey }),
      ...(noAccessSecret !== undefined && { apiSecret: noAccessSecret }),
    },
    pagesZeroQuirk: parseQuirks(text('pages-zero-quirk')),
    timelineLimit: int('timeline-limit'),
    filterBounds: text('filter-bounds') as SimulatorOptions['filterBounds'],
    latency: { baseMs: real('page-latency-ms') ?? 0, perRecordMs: real('record-latency-ms') ?? 0 },
    clock: clockFrom(text('clock-start')),
    stampLagMs: int('stamp-lag-ms'),
    stampJitterMs: int('stamp-jitter-ms'),
    dateOffsetMs: signed('date-offset-ms'),
    unstableTies: values['unstable-ties'] === true ? true : undefined,
    ignoreSort: values['ignore-sort'] === true ? true : undefined,
    maxPageSize: int('max-page-size'),
    shortPageRate: real('short-page-rate'),
    totalCap: int('total-cap'),
    totalOffset: signed('total-offset'),
    totalDrift: int('total-drift'),
  };
}
