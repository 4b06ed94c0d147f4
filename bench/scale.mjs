// npm run bench:scale (opt-in, a few minutes): peak RSS and throughput of a full read of 1,000,000 orders,
// limit off, next to the same measurement at 100,000 orders in the same run. See bench/README.md.
import { TIME_BIN } from './lib/connector.mjs';
import { figure, machineInfo, printTable, round, writeResults } from './lib/measure.mjs';
import { peakRss } from './lib/scenarios.mjs';

const log = (msg) => process.stderr.write(`[bench:scale] ${msg}\n`);
const fixed = (d) => (v) => (Number.isFinite(v) ? v.toFixed(d) : String(v));

const started = performance.now();
const machine = machineInfo();
log(
  `${machine.node}, ${machine.cpuModel}, ${machine.cores} cores, load average ${machine.loadAverage.join(' ')}; peak RSS via ${TIME_BIN ? '/usr/bin/time -f %M and ' : ''}/proc VmHWM`,
);
log('100k orders (~20 s)');
const small = await peakRss(100_000);
log('1M orders (~3–4 min)');
const large = await peakRss(1_000_000);

const rssRatio = large.peakMB / small.peakMB;
const speedRatio = large.recordsPerSecond / small.recordsPerSecond;
const detail = (r) =>
  `/proc VmHWM ${r.procHwmMB ?? 'n/a'} MB, /usr/bin/time %M ${r.timeMaxRssMB ?? 'n/a'} MB; ${(r.wallMs / 1000).toFixed(1)} s (CLI, orders only, stdout drained)`;
const figures = [
  figure('peak_rss_100000', 'peak RSS, 100k orders (MB)', small.peakMB, {
    fmt: fixed(1),
    goal: '< 150',
    pass: small.peakMB < 150,
    detail: detail(small),
  }),
  figure('peak_rss_1000000', 'peak RSS, 1M orders (MB)', large.peakMB, {
    fmt: fixed(1),
    goal: '< 150',
    pass: large.peakMB < 150,
    detail: detail(large),
  }),
  figure('peak_rss_ratio_1m', 'peak RSS 1M / 100k orders', rssRatio, {
    fmt: fixed(2),
    goal: 'flat (≤ 1.10)',
    pass: rssRatio <= 1.1,
  }),
  figure('throughput_100000', 'records/s, 100k orders', small.recordsPerSecond, { fmt: fixed(0) }),
  figure('throughput_1000000', 'records/s, 1M orders', large.recordsPerSecond, { fmt: fixed(0) }),
  figure('throughput_ratio_1m', 'records/s 1M / 100k orders', speedRatio, { fmt: fixed(2) }),
];

printTable(
  `ShipStation connector bench:scale — ${machine.node}, ${machine.cpuModel}, ${machine.cores} cores, ${machine.date}`,
  figures,
);
const seconds = (performance.now() - started) / 1000;
console.log(`\nbench:scale took ${seconds.toFixed(0)} s; results in bench/results.json`);
writeResults('scale', {
  machine,
  durationSeconds: round(seconds, 1),
  figures: figures.map(({ id, label, value, goal, pass, detail: d }) => ({
    id,
    label,
    value: round(value, 4),
    goal,
    pass,
    detail: d,
  })),
  raw: { rss: [small, large] },
});
