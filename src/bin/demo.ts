#!/usr/bin/env node
// `npm run demo`: the whole connector against the built-in simulator (src/demo/demo.ts).
import { main } from '../demo/demo.js';
import { useUtcProcessZone } from '../time/processZone.js';

useUtcProcessZone();
process.exitCode = await main();
