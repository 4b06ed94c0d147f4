// A small local destination: reads a connector's stdout the way an Airbyte destination does, appends each
// RECORD to <dir>/<stream>.jsonl and keeps the latest STATE per stream in <dir>/state.json.
import { createWriteStream, renameSync, writeFileSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';

export interface DestinationSummary {
  records: Record<string, number>;
  states: number;
  logs: number;
  errors: string[];
}

export class LocalDestination {
  private readonly files = new Map<string, WriteStream>();
  private readonly states = new Map<string, unknown>();

  constructor(private readonly dir: string, initialState: unknown[] = []) {
    for (const s of initialState) this.states.set(streamOf(s), s);
  }

  async consume(input: Readable): Promise<DestinationSummary> {
    const summary: DestinationSummary = { records: {}, states: 0, logs: 0, errors: [] };
    for await (const line of createInterface({ input, crlfDelay: Infinity })) {
      if (!line) continue;
      const message = JSON.parse(line) as { type: string; record?: { stream: string; data: unknown }; state?: unknown; trace?: { type: string; error?: { message: string } } };
      if (message.type === 'RECORD' && message.record) {
        const { stream, data } = message.record;
        this.file(stream).write(`${JSON.stringify(data)}\n`);
        summary.records[stream] = (summary.records[stream] ?? 0) + 1;
      } else if (message.type === 'STATE' && message.state) {
        this.states.set(streamOf(message.state), message.state);
        this.saveState();
        summary.states++;
      } else if (message.type === 'LOG') {
        summary.logs++;
      } else if (message.type === 'TRACE' && message.trace?.type === 'ERROR') {
        summary.errors.push(message.trace.error?.message ?? 'unknown error');
      }
    }
    await Promise.all([...this.files.values()].map((f) => new Promise((resolve) => f.end(resolve))));
    this.files.clear();
    return summary;
  }

  /** The state to pass to the next read: the last STATE of every stream, in Airbyte's array form. */
  state(): unknown[] {
    return [...this.states.values()];
  }

  private file(stream: string): WriteStream {
    let f = this.files.get(stream);
    if (!f) {
      f = createWriteStream(join(this.dir, `${stream}.jsonl`), { flags: 'a' });
      this.files.set(stream, f);
    }
    return f;
  }

  private saveState(): void {
    // Written whole and renamed: a crash never leaves half a state file.
    const path = join(this.dir, 'state.json');
    writeFileSync(`${path}.tmp`, `${JSON.stringify(this.state(), null, 2)}\n`);
    renameSync(`${path}.tmp`, path);
  }
}

function streamOf(state: unknown): string {
  return (state as { stream: { stream_descriptor: { name: string } } }).stream.stream_descriptor.name;
}
