// undici's connection pools without the rest of undici. Its package index also loads fetch, WebSocket,
// EventSource, caches and mocks (with http2, zlib and web streams): ~0.25 s of CPU and ~10 MB at every start of
// check and read, for nothing this connector uses. The index's one side effect this client needs, the request
// API on every dispatcher, is applied here. undici is pinned (package.json); test/unit/undiciCore.test.ts fails
// if these paths or that side effect move. Static imports, so the bundler inlines exactly these files.
import api from 'undici/lib/api/index.js';
import dispatcher from 'undici/lib/dispatcher/dispatcher.js';
import envHttpProxyAgent from 'undici/lib/dispatcher/env-http-proxy-agent.js';
import pool from 'undici/lib/dispatcher/pool.js';

export const Pool = pool;
export const EnvHttpProxyAgent = envHttpProxyAgent;

Object.assign(dispatcher.prototype, api);
