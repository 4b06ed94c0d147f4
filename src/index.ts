#!/usr/bin/env node
// Entry point (fixed contract): node dist/index.js <command> [options]
import { main } from './cli/main.js';

process.exitCode = await main(process.argv.slice(2));
