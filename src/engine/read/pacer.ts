// One per sync: how many more readers would pay off now, from the key's limiter (budget, window, latency),
// the work every stream still has, and how long this process takes over a page.
import { spareReaders, type ReaderCapacity } from '../plan/parallelism.js';

export class Pacer {
  private readonly pagesLeft = new Map<string, number>();
  private processMs: number | undefined;

  constructor(private readonly capacity: () => ReaderCapacity) {}

  /** A stream's estimate of the requests it still needs (0 when done). */
  report(stream: string, pages: number): void {
    this.pagesLeft.set(stream, pages);
  }

  /**
   * Time spent on one page after its response arrived (parse, convert, write). The first page runs on cold code
   * (compilation, the first year's zone table) and takes about three warm pages' time: it counts at half, which
   * keeps the first widening cautious without letting a few ms of start-up split a fan into two waves.
   */
  processed(ms: number): void {
    this.processMs = this.processMs === undefined ? ms / 2 : (this.processMs + ms) / 2;
  }

  spare(): number {
    let pages = 0;
    for (const n of this.pagesLeft.values()) pages += n;
    return spareReaders(this.capacity(), pages, this.processMs);
  }
}
