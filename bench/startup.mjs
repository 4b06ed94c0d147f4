// npm run bench:startup (about a minute): only the start-up and small-sync figures of `npm run bench`
// (bench/lib/startup.mjs), for checking them without the backfills.
import { machineInfo, printTable, round, storedFigures, writeResults } from './lib/measure.mjs';
import { startupFigures } from './lib/startup.mjs';

const log = (msg) => process.stderr.write(`[bench:startup] ${msg}\n`);
const started = performance.now();
const machine = machineInfo();
log(`${machine.node}, ${machine.cpuModel}, ${machine.cores} cores, load average ${machine.loadAverage.join(' ')}`);
const { figures, raw } = await startupFigures(log);
printTable(
  `ShipStation connector bench:startup — ${machine.node}, ${machine.cpuModel}, ${machine.cores} cores, ${machine.date}`,
  figures,
);
const seconds = (performance.now() - started) / 1000;
console.log(`\nbench:startup took ${seconds.toFixed(0)} s; results in bench/results.json`);
writeResults('startup', {
  machine,
  durationSeconds: round(seconds, 1),
  figures: storedFigures(figures),
  raw,
});
