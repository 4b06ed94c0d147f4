// One dialect's streams as a set: the API streams and the child tables cut from them, looked up by name. The
// catalog, the config checks and the sync plan ask a set, never a list of their own, so a second API dialect
// brings its own set.
import type { Quirk } from './quirks.js';
import type { SchemaFolder } from './schemas.js';
import type { ChildStreamDefinition, StreamDefinition } from './types.js';

export class StreamSet {
  private readonly byName: Map<string, StreamDefinition>;
  private readonly childByName: Map<string, ChildStreamDefinition>;

  constructor(
    readonly streams: readonly StreamDefinition[],
    readonly children: readonly ChildStreamDefinition[],
    /** Where the set's schemas are in schemas/ (v1's at the top, v2's in `v2/`). */
    readonly schemaFolder: SchemaFolder = '',
    /** Values this API sends against a field's declared type, and what each becomes (quirks.ts). */
    readonly quirks: readonly Quirk[] = [],
  ) {
    this.byName = new Map(streams.map((s) => [s.name, s]));
    this.childByName = new Map(children.map((c) => [c.name, c]));
    for (const child of children) {
      if (!this.byName.has(child.parent)) throw new Error(`child stream ${child.name}: unknown parent ${child.parent}`);
    }
  }

  /** A stream read by requests of its own (not a child stream). */
  find(name: string): StreamDefinition | undefined {
    return this.byName.get(name);
  }

  findChild(name: string): ChildStreamDefinition | undefined {
    return this.childByName.get(name);
  }

  /** The stream a child table is cut from (checked to exist when the set is built). */
  parentOf(child: ChildStreamDefinition): StreamDefinition {
    return this.byName.get(child.parent)!;
  }

  childrenOf(parent: string): ChildStreamDefinition[] {
    return this.children.filter((c) => c.parent === parent);
  }

  /** Every stream name offered, each parent followed by its children. */
  names(): string[] {
    return this.streams.flatMap((s) => [s.name, ...this.childrenOf(s.name).map((c) => c.name)]);
  }
}
