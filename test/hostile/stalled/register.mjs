// Loaded with `node --import` by test/hostile/unfinished.test.ts: installs hooks.mjs, which swaps the engine
// modules of the built connector for ones whose promises never settle.
import { register } from 'node:module';

register('./hooks.mjs', import.meta.url);
