// A read group: one parent stream read once, for itself and for its selected child streams. Each page is
// prepared as the parent's (date-times to UTC) and emitted under the parent's name if the parent is selected;
// the children's rows are then cut from the same, converted records and emitted under their own names. Every
// parent checkpoint is repeated for each child with the same stream_state and the child's own record count.
import type { ChildStreamDefinition } from '../../streams/types.js';
import { childRows } from '../../streams/children.js';
import type { ApiRecord } from '../plan/envelope.js';
import type { Query } from '../../shipstation/client.js';
import type { ReadTarget, ResponseFacts, StreamContext } from './streamContext.js';

export interface GroupChild {
  def: ChildStreamDefinition;
  ctx: StreamContext;
}

export class ReadGroup implements ReadTarget {
  /** The context requests go through: the parent's when selected, else the first child's. */
  private readonly requester: StreamContext;

  constructor(
    /** The parent's context when the parent is selected; undefined when it is read only for its children. */
    private readonly parent: StreamContext | undefined,
    private readonly children: readonly GroupChild[],
    /** Date conversion for the parent's rows when the parent is not selected (nothing of it is emitted). */
    private readonly convertUnselectedParent: (record: ApiRecord, asOfUtc?: number) => void,
  ) {
    const requester = parent ?? children[0]?.ctx;
    if (!requester) throw new Error('a read group needs a selected stream');
    this.requester = requester;
  }

  /** Every selected stream of the group, the parent first. */
  get contexts(): StreamContext[] {
    return [...(this.parent ? [this.parent] : []), ...this.children.map((c) => c.ctx)];
  }

  get logger() {
    return this.requester.logger;
  }

  read<T>(path: string, query: Query, use: (body: unknown, response: ResponseFacts) => Promise<T>): Promise<T> {
    return this.requester.read(path, query, use);
  }

  /** The API's total counts parent records: an estimate for the parent only. */
  async estimateRows(total: number | undefined): Promise<void> {
    await this.parent?.estimateRows(total);
  }

  /**
   * Every stream's share of a page joins its stream's queue at once, before anything is awaited: another reader's
   * checkpoint, queued after this call, then follows these records in every stream, children included.
   */
  async records(rows: ApiRecord[], asOfUtc?: number): Promise<void> {
    // The parent's records are converted when queued (synchronously), so the children are cut from UTC values.
    const queued = [this.parent ? this.parent.records(rows, asOfUtc) : this.convertAll(rows, asOfUtc)];
    for (const child of this.children) queued.push(child.ctx.records(childRows(child.def, rows)));
    await Promise.all(queued);
  }

  private async convertAll(rows: ApiRecord[], asOfUtc: number | undefined): Promise<void> {
    for (const row of rows) this.convertUnselectedParent(row, asOfUtc);
  }

  async checkpoint(streamState: Record<string, unknown>): Promise<void> {
    await Promise.all([
      this.parent?.checkpoint(streamState),
      ...this.children.map((child) => child.ctx.checkpoint(streamState)),
    ]);
  }
}
