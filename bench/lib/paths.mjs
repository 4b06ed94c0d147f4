// Where the benchmarks find the connector: tsc's modules (build/) to import, the bundled commands (dist/) to run.
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BUILD = `${ROOT}build`;
export const DIST = `${ROOT}dist`;
export const ENTRY = `${DIST}/shipstation-source.js`;
