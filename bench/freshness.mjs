// npm run bench:freshness: what keeping a 100k orders / 20k products / 100k customers account fresh costs in
// requests (npm run bench measures it with the rest): a no-change sync, a sync after 1 % of customers and products
// changed, a bulk edit on one stamp, the daily full pass, and a 15-minute schedule's share of a 40-a-minute key.
// Results go to bench/results.json's `freshness` section.
import { freshness, freshnessFigures } from './lib/freshness.mjs';
import { figure, machineInfo, printTable, round, storedFigures, writeResults } from './lib/measure.mjs';

const log = (msg) => process.stderr.write(`[bench] ${msg}\n`);
const started = performance.now();
const machine = machineInfo();
const raw = await freshness(log);
const figures = freshnessFigures(raw, figure);
printTable(`Freshness: requests per sync — ${machine.node}, ${machine.cores} cores, ${machine.date}`, figures);
const seconds = (performance.now() - started) / 1000;
console.log(`\nbench:freshness took ${seconds.toFixed(0)} s; results in bench/results.json`);
writeResults('freshness', { machine, durationSeconds: round(seconds, 1), figures: storedFigures(figures), raw });
