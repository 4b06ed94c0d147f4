// undici's connection pools without the rest of undici. Its package index also loads fetch, WebSocket,
// EventSource, caches and mocks (with http2, zlib and web streams): ~0.25 s of CPU and ~10 MB at every start of
// check and read, for nothing this connector uses. The index's one side effect this client needs, the request
// API on every dispatcher, is applied here. undici is pinned (package.json); test/unit/undiciCore.test.ts fails
// if these paths or that side effect move.
import { createRequire } from 'node:module';
import type * as Undici from 'undici';

const require = createRequire(import.meta.url);

export const Pool = require('undici/lib/dispatcher/pool.js') as typeof Undici.Pool;
export const EnvHttpProxyAgent =
  require('undici/lib/dispatcher/env-http-proxy-agent.js') as typeof Undici.EnvHttpProxyAgent;

const dispatcher = require('undici/lib/dispatcher/dispatcher.js') as { prototype: object };
Object.assign(dispatcher.prototype, require('undici/lib/api/index.js') as object);
