// The in-process simulator of the end-to-end suites, loaded by Node itself from tsc's build/ rather than through
// Jest's module sandbox. Jest runs test code in a vm context whose global object is a proxy: every global a
// function touches (Math, Date, String) goes through it, which made the simulator ~10x slower (a rendered order:
// 85 µs in the sandbox, 9 µs outside), the largest share of npm test's CPU besides the CLI itself. The unit
// suites of the simulator (test/simulator) keep importing src/, where Jest's fake timers reach it.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import vm from 'node:vm';
import type * as SimulatorModule from '../../src/simulator/index.js';
import { ROOT } from './cli.js';

const ENTRY = join(ROOT, 'build', 'simulator', 'index.js');

// A function compiled in Node's main context: its import() is Node's own loader, not the sandbox's.
const nativeImport = vm.runInThisContext('(url) => import(url)', {
  importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
}) as (url: string) => Promise<typeof SimulatorModule>;

let loaded: Promise<typeof SimulatorModule> | undefined;

function load(): Promise<typeof SimulatorModule> {
  if (!loaded) {
    if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run npm run build first`);
    loaded = nativeImport(pathToFileURL(ENTRY).href);
  }
  return loaded;
}

/** src/simulator/index.ts's startSimulator as built into build/ (npm test builds first; a focused jest run needs `npm run build`). */
export const startSimulator = (async (options?: SimulatorModule.SimulatorOptions<SimulatorModule.ApiVersion>) =>
  (await load()).startSimulator(options ?? {})) as typeof SimulatorModule.startSimulator;
