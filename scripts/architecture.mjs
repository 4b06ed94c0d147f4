// Writes docs/ARCHITECTURE.md's module table from the header comment every source file starts with, so the table
// cannot drift from the tree. A file without a header comment is an error. `--check` exits 1 when the doc is stale.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const docPath = `${root}docs/ARCHITECTURE.md`;
const BEGIN = "<!-- modules:begin (generated from the files' header comments by scripts/architecture.mjs) -->";
const END = '<!-- modules:end -->';

/** A folder's files, then its folders' (each in name order). */
async function sourceFiles(dir) {
  const entries = (await readdir(`${root}${dir}`, { withFileTypes: true })).sort((a, b) =>
    a.name.localeCompare(b.name),
  );
  const files = entries.filter((e) => e.isFile() && e.name.endsWith('.ts')).map((e) => `${dir}/${e.name}`);
  const folders = await Promise.all(entries.filter((e) => e.isDirectory()).map((e) => sourceFiles(`${dir}/${e.name}`)));
  return [...files, ...folders.flat()];
}

/** The header comment (after a shebang) as one line of text, or undefined when the file has none. */
export function headerOf(text) {
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  if (lines[0]?.startsWith('#!')) lines.shift();
  if (lines[0]?.startsWith('/*')) {
    const end = lines.findIndex((l) => l.includes('*/'));
    return (
      lines
        .slice(0, end + 1)
        .join(' ')
        .replace(/\/\*+|\*\/|^\s*\*/g, '')
        .replace(/\s+\*\s/g, ' ')
        .replace(/\s+/g, ' ')
        .trim() || undefined
    );
  }
  const comment = [];
  for (const line of lines) {
    if (!line.startsWith('//')) break;
    comment.push(line.replace(/^\/\/\s?/, ''));
  }
  return comment.join(' ').replace(/\s+/g, ' ').trim() || undefined;
}

/** The first sentence: up to the first full stop followed by a space (or the end). */
function firstSentence(text) {
  const m = /^(.+?\.)(\s|$)/.exec(text);
  return m ? m[1] : text;
}

const files = await sourceFiles('src');
const missing = [];
const rows = [];
let folder;
for (const file of files) {
  const header = headerOf(await readFile(`${root}${file}`, 'utf8'));
  if (!header) {
    missing.push(file);
    continue;
  }
  const dir = file.slice(0, file.lastIndexOf('/'));
  if (dir !== folder) {
    folder = dir;
    rows.push('', `**\`${dir}/\`**`, '', '| file | what it is for |', '|---|---|');
  }
  rows.push(`| \`${file.slice(dir.length + 1)}\` | ${firstSentence(header).replace(/\|/g, '\\|')} |`);
}
if (missing.length > 0) {
  console.error(`These files start with no header comment saying what they are for:\n  ${missing.join('\n  ')}`);
  process.exit(1);
}

const doc = await readFile(docPath, 'utf8');
const start = doc.indexOf(BEGIN);
const end = doc.indexOf(END);
if (start < 0 || end < start) {
  console.error(`docs/ARCHITECTURE.md has no module table markers (${BEGIN} … ${END})`);
  process.exit(1);
}
const next = `${doc.slice(0, start + BEGIN.length)}\n${rows.join('\n').trimStart()}\n${doc.slice(end)}`;
if (process.argv.includes('--check')) {
  if (next !== doc) {
    console.error('docs/ARCHITECTURE.md is out of date with the header comments: run `npm run docs:architecture`');
    process.exit(1);
  }
} else if (next !== doc) {
  await writeFile(docPath, next);
  console.error(`docs/ARCHITECTURE.md: module table written (${files.length} files)`);
}
