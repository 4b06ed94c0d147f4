// Progress for people watching a sync, on stderr (never stdout): on a terminal a live view redrawn in place
// that fits its width and height, otherwise a few short lines at an interval; a summary table at the end.
// ETAs come from the budget the limiter knows (progressEta.ts), not from the pace so far.
import type { Writable } from 'node:stream';
import type { Capacity } from '../../budget/capacity.js';
import { etaByStream, requestsFor } from './progressEta.js';
import type { StreamProgress } from '../../engine/read/streamContext.js';

export interface ProgressOptions {
  out: Writable & { isTTY?: boolean; columns?: number; rows?: number };
  /** Seconds between plain lines when the output is not a terminal. */
  intervalSeconds: number;
  /** Records per page requested: turns records left into requests left. */
  pageSize: number;
  /** What the key's limiter knows now; without it no ETA is given. */
  budget?: () => Capacity;
  /** The stream a child stream is read from (its rows come from that stream's pages), if any. */
  parentOf?: (stream: string) => string | undefined;
  clock?: () => number;
}

export interface ProgressReporter {
  stop(): void;
}

/** One stream's state as shown. */
export interface StreamView {
  name: string;
  status: string;
  emitted: number;
  pages: number;
  requests: number;
  /** Share done (0–1) when known: the stream's own estimate, or its parent's for a child stream. */
  done?: number;
  /** Records of the total when known ("120/5,000"); a child stream shows its own count only. */
  total?: number;
  /** Read from another stream's pages: no requests of its own to show. */
  child: boolean;
  eta: string;
  /** Seconds left of a rate-limit wait, when waiting. */
  waitS?: number;
  finished: boolean;
}

const TTY_REFRESH_MS = 250;
const FALLBACK_COLUMNS = 80;
const FALLBACK_ROWS = 24;

const plural = (n: number, word: string) => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;

/** `45s`, `4m39s`, `2h05m`. */
export function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

const isFinished = (p: StreamProgress) => p.status === 'COMPLETE' || p.status === 'INCOMPLETE';
/** Nothing asked of the server yet: pending, or started with its first request still queued. */
const notStarted = (p: StreamProgress) => p.status === 'PENDING' || (p.requests === 0 && p.emitted === 0);

/**
 * What each stream shows now: shares, counts and ETAs (from the budget, for every stream at once). A stream that
 * has not started says so; while two or more streams share the budget, when each ends depends on how the limiter
 * interleaves them, so each says "in parallel" and the number is the one that holds: when all of them are done.
 */
export function viewStreams(
  streams: readonly StreamProgress[],
  opts: Pick<ProgressOptions, 'pageSize' | 'budget' | 'parentOf'>,
  now: number,
): StreamView[] {
  const byName = new Map(streams.map((s) => [s.name, s]));
  // A child stream has no estimate of its own: it is as far as the parent whose pages it is cut from.
  const source = (s: StreamProgress) => byName.get(opts.parentOf?.(s.name) ?? '') ?? s;
  const needs = new Map<string, number | undefined>();
  for (const s of streams) {
    const from = source(s);
    if (from !== s || isFinished(s)) continue;
    needs.set(
      s.name,
      from.estimate === undefined ? undefined : requestsFor(from.estimate - from.emitted, opts.pageSize),
    );
  }
  const budget = opts.budget?.();
  const etas = budget ? etaByStream(needs, budget) : new Map<string, number | undefined>();
  const running = streams.filter((s) => source(s) === s && !isFinished(s) && !notStarted(s));
  const runningEtas = running.map((s) => atLeastPace(etas.get(s.name), s, budget, now));
  const allMs = runningEtas.every((e) => e !== undefined) ? Math.max(...(runningEtas as number[])) : undefined;
  const inParallel = `in parallel${allMs === undefined ? '' : ` (all ${duration(allMs)})`}`;
  return streams.map((s) => {
    const from = source(s);
    const finished = isFinished(s);
    const known = from.estimate !== undefined && from.estimate > 0;
    const done =
      finished && s.status === 'COMPLETE' ? 1 : known ? Math.min(1, from.emitted / from.estimate!) : undefined;
    const etaMs = atLeastPace(etas.get(from.name), from, budget, now);
    const eta =
      s.status === 'COMPLETE'
        ? 'done'
        : s.status === 'INCOMPLETE'
          ? 'stopped'
          : notStarted(from)
            ? 'not started'
            : running.length > 1
              ? inParallel
              : etaMs === undefined
                ? '?'
                : duration(etaMs);
    const waiting = !finished && s.rateLimitedUntil !== undefined && s.rateLimitedUntil > now;
    return {
      name: s.name,
      status: s.status,
      emitted: s.emitted,
      pages: s.pages,
      requests: s.requests,
      done,
      total: from === s ? s.estimate : undefined,
      child: from !== s,
      eta,
      waitS: waiting ? Math.ceil((s.rateLimitedUntil! - now) / 1000) : undefined,
      finished,
    };
  });
}

/**
 * The budget's ETA, or longer when the stream has been slower than its budget for at least a window (a connector
 * bound by its own CPU under a generous limit): the records left at the stream's pace so far. Within the first
 * window the pace is left out, as a start-up or a first burst says nothing of it.
 */
function atLeastPace(
  budgetMs: number | undefined,
  s: StreamProgress,
  budget: Capacity | undefined,
  now: number,
): number | undefined {
  const elapsed = now - s.startedAt;
  if (budgetMs === undefined || !budget || elapsed < budget.windowMs || s.emitted <= 0 || s.estimate === undefined)
    return budgetMs;
  return Math.max(budgetMs, ((s.estimate - s.emitted) * elapsed) / s.emitted);
}

function bar(done: number | undefined, width: number): string {
  // Unknown (nothing read yet, no estimate): an empty bar, never a full one.
  const filled = done === undefined ? 0 : Math.round(done * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}

/**
 * One stream's line in at most `columns` characters. The name, ETA, status and any rate-limit wait always
 * show: the bar shrinks, then goes, then the request, page and record counts go, and a very narrow terminal
 * shortens the name, before any of those would be cut.
 */
export function streamLine(v: StreamView, nameWidth: number, columns: number): string {
  const records =
    v.total !== undefined
      ? `${v.emitted.toLocaleString('en-US')}/${v.total.toLocaleString('en-US')}`
      : v.emitted.toLocaleString('en-US');
  const tail = [`ETA ${v.eta}`, v.status, ...(v.waitS !== undefined ? [`rate limit ${v.waitS}s`] : [])].join('  ');
  const optional = [`${records} records`, ...(v.child ? [] : [plural(v.pages, 'page'), plural(v.requests, 'request')])];
  const name = v.name.padEnd(nameWidth);
  const compose = (parts: string[], barWidth: number) =>
    [name, ...(barWidth > 0 ? [bar(v.done, barWidth)] : []), ...parts, tail].join('  ');
  for (let keep = optional.length; keep >= 0; keep--) {
    const parts = optional.slice(0, keep);
    // A bar is worth showing with at least 10 cells (plus brackets and a separator).
    const room = Math.min(30, columns - compose(parts, 0).length - 4);
    if (keep === optional.length && room >= 10) return compose(parts, room);
    if (compose(parts, 0).length <= columns) return compose(parts, 0);
  }
  return `${v.name.slice(0, Math.max(1, columns - tail.length - 2))}  ${tail}`.slice(0, columns);
}

/** The totals line under the streams shown: how many finished, waiting to start, and not shown. */
function summaryLine(views: readonly StreamView[], hidden: number): string {
  const finished = views.filter((v) => v.finished);
  const stopped = finished.filter((v) => v.status === 'INCOMPLETE').length;
  const pending = views.filter((v) => v.status === 'PENDING').length;
  // Records of every stream, running ones included: a count of finished streams' records read 0 for most of a backfill.
  const records = views.reduce((n, v) => n + v.emitted, 0);
  const parts = [
    `${finished.length} of ${views.length} streams done, ${plural(records, 'record')} so far`,
    ...(stopped ? [`${stopped} stopped`] : []),
    ...(pending ? [`${pending} not started`] : []),
    ...(hidden ? [`${hidden} more running`] : []),
  ];
  return parts.join(', ');
}

/**
 * The live view: one line per stream still running, then the totals, never more lines than the terminal has
 * (minus one), so nothing scrolls away and every redraw lands on the same lines.
 */
export function terminalLines(views: readonly StreamView[], columns: number, rows: number): string[] {
  const nameWidth = Math.max(...views.map((v) => v.name.length));
  const active = views.filter((v) => !v.finished && v.status !== 'PENDING');
  const room = Math.max(0, rows - 2);
  const shown = active.slice(0, room);
  const summary = summaryLine(views, active.length - shown.length);
  return [
    ...shown.map((v) => streamLine(v, nameWidth, columns)),
    summary.length <= columns ? summary : summary.slice(0, columns),
  ];
}

/** The plain lines for a log (no terminal): one per stream still running, then the totals. */
export function plainLines(views: readonly StreamView[]): string[] {
  const active = views.filter((v) => !v.finished && v.status !== 'PENDING');
  return [
    `progress: ${summaryLine(views, 0)}`,
    ...active.map((v) => {
      const records =
        v.total !== undefined
          ? `${v.emitted.toLocaleString('en-US')}/${v.total.toLocaleString('en-US')}`
          : v.emitted.toLocaleString('en-US');
      const wait = v.waitS !== undefined ? `, rate limit ${v.waitS}s` : '';
      return `progress: ${v.name} ${records} records${v.child ? '' : `, ${plural(v.pages, 'page')}`}, ETA ${v.eta}${wait}`;
    }),
  ];
}

export function startProgress(streams: readonly StreamProgress[], opts: ProgressOptions): ProgressReporter {
  const clock = opts.clock ?? Date.now;
  const views = () => viewStreams(streams, opts, clock());
  if (opts.out.isTTY) {
    let drawn = 0;
    const draw = () => {
      const lines = terminalLines(views(), opts.out.columns || FALLBACK_COLUMNS, opts.out.rows || FALLBACK_ROWS);
      // Back to the first line drawn last time, rewrite each line, clear whatever the last draw left below.
      const up = drawn > 0 ? `\x1b[${drawn}F` : '';
      opts.out.write(`${up}${lines.map((l) => `\x1b[2K${l}\n`).join('')}\x1b[J`);
      drawn = lines.length;
    };
    opts.out.write('\x1b[?25l');
    draw();
    const timer = setInterval(draw, TTY_REFRESH_MS);
    timer.unref();
    return {
      stop() {
        clearInterval(timer);
        if (drawn > 0) opts.out.write(`\x1b[${drawn}F\x1b[J`);
        opts.out.write(`\x1b[?25h${summaryTable(streams, clock())}`);
      },
    };
  }
  const print = () => opts.out.write(`${plainLines(views()).join('\n')}\n`);
  const timer = setInterval(print, opts.intervalSeconds * 1000);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      opts.out.write(summaryTable(streams, clock()));
    },
  };
}

export function summaryTable(streams: readonly StreamProgress[], now: number): string {
  const rows = [
    ['stream', 'status', 'records', 'pages', 'requests', 'time'],
    ...streams.map((s) => [
      s.name,
      s.status,
      String(s.emitted),
      String(s.pages),
      String(s.requests),
      duration((s.finishedAt ?? now) - s.startedAt),
    ]),
  ];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const fmt = (r: string[]) =>
    r
      .map((cell, c) => (c >= 2 && c <= 4 ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
      .join('  ')
      .trimEnd();
  return `\n${fmt(rows[0]!)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${rows.slice(1).map(fmt).join('\n')}\n`;
}
