import { describe, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as undici from 'undici';
import { EnvHttpProxyAgent, Pool } from '../../src/shipstation/undiciCore.js';
import { ROOT } from '../helpers/cli.js';

describe("undici's pools loaded without its index", () => {
  test('are the classes the package exports', () => {
    expect(Pool).toBe(undici.Pool);
    expect(EnvHttpProxyAgent).toBe(undici.EnvHttpProxyAgent);
  });

  test('have the request API in a process that never loads the index (the built module)', () => {
    const script = [
      `const { Pool } = await import(${JSON.stringify(`${ROOT}build/shipstation/undiciCore.js`)});`,
      `const { createRequire } = await import('node:module');`,
      `const cache = Object.keys(createRequire(import.meta.url).cache);`,
      `console.log(typeof Pool.prototype.request, cache.some((f) => f.endsWith('/undici/index.js')));`,
    ].join('\n');
    expect(execFileSync(process.execPath, ['--input-type=module', '-e', script]).toString().trim()).toBe(
      'function false',
    );
  });

  test('a Pool makes a request', async () => {
    const server = createServer((_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const pool = new Pool(origin, { connections: 1 });
    try {
      const res = await pool.request({ origin, path: '/', method: 'GET' });
      expect(await res.body.text()).toBe('ok');
    } finally {
      await pool.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
