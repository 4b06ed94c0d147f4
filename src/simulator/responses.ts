// Writing an API response to the socket: the delivery faults (a delay, a body trickled in chunks, a body cut in
// half after a full Content-Length), the Date header from the simulator's clock instead of Node's, and the
// nginx-style HTML page of injected 5xx errors.
import type { ServerResponse } from 'node:http';
import type { ApiResult } from './apiRoutes.js';

/** How a response travels: delayed, trickled in chunks, or cut off half way. */
export interface Delivery {
  readonly latencyMs: number;
  readonly slowBody: { readonly chunks: number; readonly delayMs: number } | null;
  readonly truncate: boolean;
}

export const NORMAL_DELIVERY: Delivery = { latencyMs: 0, slowBody: null, truncate: false };

/** Timers of responses still being delivered, so close() can cancel them. */
export class PendingTimers {
  private readonly timers = new Set<NodeJS.Timeout>();

  after(ms: number, run: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, ms);
    this.timers.add(timer);
  }

  clear(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}

/** An HTTP Date header value (IMF-fixdate), e.g. `Tue, 03 Dec 2026 10:21:35 GMT`. */
export function httpDate(ms: number): string {
  return new Date(ms).toUTCString();
}

/**
 * Sends a response. `serverTime` is what the Date header reads when the head goes out: set explicitly, because
 * Node would otherwise stamp the real clock, ignoring the simulator's (possibly fake or offset) one.
 */
export function deliver(
  res: ServerResponse,
  result: ApiResult,
  headers: Readonly<Record<string, string>>,
  delivery: Delivery,
  timers: PendingTimers,
  serverTime: () => number,
): void {
  const start = (): void => {
    if (res.destroyed) return;
    const body = result.body;
    // Content-Length always announces the full body, so a truncated response is detectably short.
    res.writeHead(result.status, {
      ...headers,
      Date: httpDate(serverTime()),
      'Content-Type': result.contentType,
      'Content-Length': String(body.length),
    });
    if (delivery.truncate) {
      res.write(body.subarray(0, Math.floor(body.length / 2)), () => res.destroy());
    } else if (delivery.slowBody) {
      trickle(res, body, delivery.slowBody.chunks, delivery.slowBody.delayMs, timers);
    } else {
      res.end(body);
    }
  };
  if (delivery.latencyMs > 0) timers.after(delivery.latencyMs, start);
  else start();
}

function trickle(res: ServerResponse, body: Buffer, chunks: number, delayMs: number, timers: PendingTimers): void {
  const size = Math.ceil(body.length / chunks);
  let offset = 0;
  const next = (): void => {
    if (res.destroyed) return;
    const end = Math.min(body.length, offset + size);
    const chunk = body.subarray(offset, end);
    offset = end;
    if (offset >= body.length) res.end(chunk);
    else {
      res.write(chunk);
      timers.after(delayMs, next);
    }
  };
  next();
}

export function htmlErrorPage(status: number, reason: string): string {
  return `<html>\r\n<head><title>${status} ${reason}</title></head>\r\n<body>\r\n<center><h1>${status} ${reason}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
}
