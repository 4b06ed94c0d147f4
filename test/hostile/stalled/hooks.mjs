// Module resolution hooks (node:module register): the built connector's check and sync engines resolve to
// engine.mjs, so a command is left awaiting a promise nothing will settle, the way a lost callback would leave it.
// Nothing in the connector itself is changed for the test.
const STALLED = new URL('./engine.mjs', import.meta.url).href;

export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  if (/\/build\/engine\/read\/(check|session)\.js$/.test(resolved.url)) return { url: STALLED, shortCircuit: true };
  return resolved;
}
