#!/usr/bin/env node
// Entry point (fixed contract): node dist/shipstation-source.js <command> (the package's `shipstation-source`) [options]
import { setFlagsFromString } from 'node:v8';
import { main } from '../cli/main.js';
import { useUtcProcessZone } from '../time/processZone.js';

// undici parses HTTP with a WebAssembly build of llhttp. V8 would recompile its hot functions with its
// optimising tier, costing every sync ~0.2 s of CPU and ~35 MB of peak memory for no measurable gain in
// parsing speed (bench/lib/startup.mjs): the baseline tier is kept. Set before the first request compiles it.
setFlagsFromString('--liftoff-only');

useUtcProcessZone();
process.exitCode = await main(process.argv.slice(2));
