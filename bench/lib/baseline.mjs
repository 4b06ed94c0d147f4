// The bare baseline for CPU per record: fetch the very pages the connector fetched (its request list from the
// simulator timeline), JSON.parse each body and re-serialise every record as a JSON line into a discarding
// sink, in 64 KiB chunks like the connector's emitter. Same HTTP library (undici), same concurrency (4).
import { Pool } from 'undici';
import { sink } from './connector.mjs';

const CHUNK = 64 * 1024;

export async function replayPages(baseUrl, config, requests, { concurrency = 4 } = {}) {
  const auth = `Basic ${Buffer.from(`${config.api_key}:${config.api_secret}`).toString('base64')}`;
  const pool = new Pool(baseUrl, { connections: concurrency });
  const out = sink().stream;
  let records = 0;
  let next = 0;
  try {
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < requests.length) {
          const { path, query } = requests[next++];
          const res = await pool.request({
            method: 'GET',
            path: query ? `${path}?${query}` : path,
            headers: { authorization: auth },
          });
          const text = await res.body.text();
          if (res.statusCode !== 200) throw new Error(`baseline ${path}: ${res.statusCode}`);
          const body = JSON.parse(text);
          const rows = Array.isArray(body) ? body : body[path.slice(1)];
          let chunk = '';
          for (const row of rows) {
            chunk += `${JSON.stringify(row)}\n`;
            if (chunk.length >= CHUNK) {
              out.write(chunk);
              chunk = '';
            }
          }
          if (chunk) out.write(chunk);
          records += rows.length;
        }
      }),
    );
  } finally {
    await pool.close();
  }
  return { records };
}
