// `npm run catalog`: a configured catalog built from discover's catalog, ready for `read --catalog`: every
// stream (or those named) with its real schema, incremental on its default cursor where it supports it
// (append_dedup on its primary key), full refresh otherwise (overwrite). Stdout gets the JSON, or --out FILE.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Writable } from 'node:stream';
import type { AirbyteStream, ConfiguredAirbyteCatalog } from '../generated/protocol.js';

export const CATALOG_USAGE = `usage: npm run catalog -- --config FILE [--streams NAME,NAME...] [--out FILE]

Prints a configured catalog for \`read --catalog\`: every stream (or those named) with its schema, incremental
on its default cursor where it supports it (append_dedup), full refresh otherwise (overwrite). Edit it to choose
other modes or cursors. --out FILE writes it to FILE instead of stdout.
`;

export function configuredCatalog(streams: readonly AirbyteStream[]): ConfiguredAirbyteCatalog {
  return {
    streams: streams.map((stream) => {
      const incremental =
        stream.supported_sync_modes.includes('incremental') && stream.default_cursor_field !== undefined;
      return {
        stream,
        sync_mode: incremental ? 'incremental' : 'full_refresh',
        destination_sync_mode: incremental ? 'append_dedup' : 'overwrite',
        ...(incremental ? { cursor_field: stream.default_cursor_field } : {}),
        primary_key: stream.source_defined_primary_key,
      };
    }),
  };
}

/** Exit codes as the connector's: 0, 1 on a config error, 2 on a usage error. */
export async function runCatalogTool(argv: string[], io: { stdout: Writable; stderr: Writable }): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        config: { type: 'string' },
        streams: { type: 'string' },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    io.stderr.write(`error: ${(err as Error).message}\n\n${CATALOG_USAGE}`);
    return 2;
  }
  if (values.help) {
    io.stderr.write(CATALOG_USAGE);
    return 0;
  }
  if (values.config === undefined) {
    io.stderr.write(`error: --config FILE is required (the config read will use)\n\n${CATALOG_USAGE}`);
    return 2;
  }
  const [{ parseConfig }, { readJsonFile }, { buildCatalog }, { ConfigError }, { dialectFor }] = await Promise.all([
    import('../config.js'),
    import('./inputs.js'),
    import('../streams/catalog.js'),
    import('../errors.js'),
    import('../dialects/index.js'),
  ]);
  try {
    // As discover: the config must be one read accepts, so the catalog is not made for a config that fails.
    const config = parseConfig(readJsonFile(values.config, 'config'));
    const offered = buildCatalog(dialectFor(config).streams).streams;
    const wanted = values.streams
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const unknown = wanted?.filter((name) => !offered.some((s) => s.name === name)) ?? [];
    if (unknown.length > 0)
      throw new ConfigError(
        `--streams: unknown stream ${unknown.map((n) => `'${n}'`).join(', ')} (this connector offers ${offered.map((s) => s.name).join(', ')})`,
      );
    const text = `${JSON.stringify(configuredCatalog(wanted ? offered.filter((s) => wanted.includes(s.name)) : offered), null, 2)}\n`;
    if (values.out === undefined) io.stdout.write(text);
    else writeFileSync(values.out, text);
    return 0;
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    io.stderr.write(`error: ${err.message}\n`);
    return 1;
  }
}
