// Writes the README's config reference from spec.json (between the config-reference markers).
// `--check` exits 1 when the README is out of date.
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const spec = JSON.parse(await readFile(`${root}spec.json`, 'utf8'));
const readmePath = `${root}README.md`;
const readme = await readFile(readmePath, 'utf8');
const BEGIN = '<!-- config-reference:begin (generated from spec.json by scripts/readme-config.mjs) -->';
const END = '<!-- config-reference:end -->';

const cell = (text) => String(text).replace(/\|/g, '\\|').replace(/\n/g, ' ');
const rows = Object.entries(spec.properties)
  .sort(([, a], [, b]) => (a.order ?? 99) - (b.order ?? 99))
  .map(([name, p]) => {
    const required = spec.required?.includes(name) ? 'yes' : 'no';
    const type = p.enum ? p.enum.map((v) => `\`${v}\``).join(' / ') : p.type;
    const range = p.minimum !== undefined ? ` (${p.minimum}–${p.maximum})` : '';
    const dflt = p.default === undefined ? '' : `\`${JSON.stringify(p.default)}\``;
    const secret = p.airbyte_secret ? ' Secret: never logged.' : '';
    return `| \`${name}\` | ${type}${range} | ${required} | ${dflt} | ${cell(p.description + secret)} |`;
  });
const table = [
  BEGIN,
  '| field | type | required | default | description |',
  '|---|---|---|---|---|',
  ...rows,
  END,
].join('\n');

const start = readme.indexOf(BEGIN);
const end = readme.indexOf(END);
if (start < 0 || end < 0) {
  process.stderr.write('README.md has no config-reference markers\n');
  process.exit(1);
}
const next = readme.slice(0, start) + table + readme.slice(end + END.length);
if (process.argv.includes('--check')) {
  if (next !== readme) {
    process.stderr.write('README.md config reference is stale: run node scripts/readme-config.mjs\n');
    process.exit(1);
  }
} else {
  await writeFile(readmePath, next);
}
