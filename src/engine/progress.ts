// Progress for people watching a sync: a live per-stream view on stderr when it is a terminal (cli-progress),
// plain periodic lines when it is not, and a summary table at the end. Never touches stdout.
import cliProgress from 'cli-progress';
import type { Writable } from 'node:stream';

export interface StreamProgress {
  readonly name: string;
  readonly emitted: number;
  readonly pages: number;
  readonly requests: number;
  readonly estimate?: number;
  readonly status: string;
  /** Epoch ms until which the stream waits on the rate limit, if it does. */
  readonly rateLimitedUntil?: number;
  readonly startedAt: number;
  readonly finishedAt?: number;
}

export interface ProgressOptions {
  out: Writable & { isTTY?: boolean };
  /** Seconds between plain lines when the output is not a terminal. */
  intervalSeconds: number;
  clock?: () => number;
}

export interface ProgressReporter {
  stop(): void;
}

const seconds = (ms: number) => `${Math.max(0, Math.round(ms / 1000))}s`;

export function eta(p: StreamProgress, now: number): string {
  if (p.finishedAt !== undefined) return 'done';
  if (!p.estimate || p.emitted === 0) return '?';
  const perMs = p.emitted / Math.max(1, now - p.startedAt);
  return seconds(Math.max(0, p.estimate - p.emitted) / perMs);
}

function detail(p: StreamProgress, now: number): string {
  const waiting = p.rateLimitedUntil !== undefined && p.rateLimitedUntil > now ? ` | rate limit: ${seconds(p.rateLimitedUntil - now)}` : '';
  return `${p.pages} pages | ${p.requests} req | ETA ${eta(p, now)} | ${p.status}${waiting}`;
}

export function startProgress(streams: readonly StreamProgress[], opts: ProgressOptions): ProgressReporter {
  const clock = opts.clock ?? Date.now;
  if (opts.out.isTTY) {
    const width = Math.max(...streams.map((s) => s.name.length));
    const multi = new cliProgress.MultiBar(
      { stream: opts.out, format: '{name} [{bar}] {value}/{total} records | {detail}', hideCursor: true, clearOnComplete: false, fps: 4, barsize: 24 },
      cliProgress.Presets.shades_classic,
    );
    const bars = streams.map((s) => multi.create(s.estimate ?? 0, 0, { name: s.name.padEnd(width), detail: '' }));
    const refresh = () => {
      const now = clock();
      streams.forEach((s, i) => {
        const total = Math.max(s.estimate ?? 0, s.emitted);
        bars[i]!.setTotal(total);
        bars[i]!.update(s.emitted, { name: s.name.padEnd(width), detail: detail(s, now) });
      });
    };
    const timer = setInterval(refresh, 250);
    timer.unref();
    return {
      stop() {
        clearInterval(timer);
        refresh();
        multi.stop();
        opts.out.write(summaryTable(streams, clock()));
      },
    };
  }
  const line = () => {
    const now = clock();
    opts.out.write(`progress: ${streams.map((s) => `${s.name} ${s.emitted}${s.estimate ? `/${s.estimate}` : ''} (${detail(s, now)})`).join('; ')}\n`);
  };
  const timer = setInterval(line, opts.intervalSeconds * 1000);
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
    ...streams.map((s) => [s.name, s.status, String(s.emitted), String(s.pages), String(s.requests), seconds((s.finishedAt ?? now) - s.startedAt)]),
  ];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const fmt = (r: string[]) => r.map((cell, c) => (c >= 2 && c <= 4 ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('  ');
  return `\n${fmt(rows[0]!)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${rows.slice(1).map(fmt).join('\n')}\n`;
}
