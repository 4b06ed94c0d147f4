// The documentation by reader (#26): the README stays an operator's page (short), every relative link in it and
// in docs/ leads somewhere, and the figures it quotes are the last benchmark run's, not an older run's.
import { describe, expect, test } from '@jest/globals';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { ROOT } from '../helpers/cli.js';

const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const README = read('README.md');
const PAGES = ['README.md', ...readdirSync(join(ROOT, 'docs')).map((f) => `docs/${f}`)].filter((f) =>
  f.endsWith('.md'),
);

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
const slug = (heading: string) =>
  heading
    .toLowerCase()
    .replace(/`/g, '')
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');

function anchors(text: string): Set<string> {
  const outside = text.replace(/```[\s\S]*?```/g, '');
  return new Set([...outside.matchAll(/^#{1,6} (.+)$/gm)].map((m) => slug(m[1]!.trim())));
}

describe('the README', () => {
  test('is an operator’s page: at most 320 lines', () => {
    expect(README.trimEnd().split('\n').length).toBeLessThanOrEqual(320);
  });

  test('keeps the two commands on its first screen', () => {
    const first = README.split('\n').slice(0, 25).join('\n');
    expect(first).toContain('npm ci && npm run demo');
    expect(first).toContain('npm test');
  });
});

describe.each(PAGES)('%s', (page) => {
  test('every relative link points at an existing file, and every anchor at a heading there', () => {
    const text = read(page).replace(/```[\s\S]*?```/g, '');
    const broken: string[] = [];
    for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/.test(target!)) continue;
      const [path, anchor] = target!.split('#') as [string, string | undefined];
      const file = path ? join(ROOT, dirname(page), path) : join(ROOT, page);
      if (!existsSync(file)) {
        broken.push(`${target}: no such file`);
        continue;
      }
      if (anchor && statSync(file).isFile() && !anchors(readFileSync(file, 'utf8')).has(anchor)) {
        broken.push(`${target}: no heading #${anchor} in ${relative(ROOT, file)}`);
      }
    }
    expect(broken).toEqual([]);
  });
});

describe('figures quoted from bench/results.json', () => {
  const results = JSON.parse(read('bench/results.json')) as Record<
    string,
    { figures: { id: string; value: number }[] }
  >;
  const figure = (run: string, id: string) => {
    const found = results[run]!.figures.find((f) => f.id === id);
    if (!found) throw new Error(`bench/results.json has no ${run} figure ${id}`);
    return found.value;
  };
  const twelveK = figure('bench', 'twelve_k_seconds');
  const serial = twelveK * figure('bench', 'twelve_k_speedup');
  const v2Ratio = figure('bench', 'v2_backfill_time_ratio');

  test.each([
    [
      'README.md',
      `12,000 orders take about ${Math.round(twelveK)} s where one page at a time takes ${Math.round(serial)} s`,
    ],
    ['README.md', `${Math.round(figure('startup', 'command_peak_rss_20k'))} MB for a 20,000-order sync`],
    ['README.md', `${Math.round(figure('startup', 'command_peak_rss_100k'))} MB for 100,000`],
    [
      'README.md',
      `${(Math.round(figure('bench', 'throughput_in_process') / 100) * 100).toLocaleString('en-US')} records a second`,
    ],
    ['README.md', `${v2Ratio.toFixed(2)} × the budget's minimum`],
    ['docs/PERFORMANCE.md', `**${twelveK.toFixed(1)}`],
    ['docs/PERFORMANCE.md', `**${v2Ratio.toFixed(3)}**`],
    ['docs/PERFORMANCE.md', `| **${figure('freshness', 'no_change_sync_requests')}** (1 per incremental stream`],
    ['docs/MIGRATION.md', `took ${twelveK.toFixed(1)} s`],
    ['CHANGELOG.md', `about ${Math.round(twelveK)} s instead of ${Math.round(serial)} s`],
  ])('%s says "%s"', (file, quote) => {
    expect(read(file).replace(/\s+/g, ' ')).toContain(quote);
  });
});
