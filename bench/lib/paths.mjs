import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const DIST = `${ROOT}dist`;
export const ENTRY = `${DIST}/bin/shipstation-source.js`;
