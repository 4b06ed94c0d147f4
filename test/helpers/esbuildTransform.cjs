// Jest's transform for our TypeScript: esbuild strips the types (ES modules out, as Node runs them). On CI's cold
// cache it costs less CPU than ts-jest's TypeScript transpile did (test/unit + test/simulator: 110 s -> 100 s of CPU).
// Nothing is lost: ts-jest ran transpile-only too (isolatedModules), types are checked by `npm run typecheck` in npm
// test's first step, and the shipped bundle is built by the same esbuild (scripts/bundle.mjs).
const { createHash } = require('node:crypto');
const { transformSync, version } = require('esbuild');

module.exports = {
  getCacheKey(source, path, options) {
    return createHash('sha256').update(`${version}\0${path}\0${options.configString}\0${source}`).digest('hex');
  },
  process(source, path) {
    const { code, map } = transformSync(source, {
      loader: 'ts',
      format: 'esm',
      target: 'node20',
      sourcemap: true,
      sourcefile: path,
    });
    return { code, map };
  },
};
