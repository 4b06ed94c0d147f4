#!/usr/bin/env node
// `npm run catalog -- --config FILE [--streams a,b] [--out FILE]`: see src/cli/configuredCatalog.ts.
import { runCatalogTool } from '../cli/configuredCatalog.js';
import { useUtcProcessZone } from '../time/processZone.js';

useUtcProcessZone();
process.exitCode = await runCatalogTool(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
