// A query result as a plain text table (shipstation-sql): columns padded to their widest value, numbers
// right-aligned, NULL spelled out, and a row count, so a reader sees an empty result as one.

/** `rows` hold each value as text, null for SQL NULL; `numeric` says which columns to right-align. */
export function textTable(names: string[], rows: (string | null)[][], numeric: boolean[]): string {
  const cells = rows.map((row) => row.map((v) => (v === null ? 'NULL' : oneLine(v))));
  const widths = names.map((name, i) => Math.max(name.length, ...cells.map((row) => row[i]!.length)));
  const line = (values: string[]) =>
    values
      .map((v, i) => (numeric[i] ? v.padStart(widths[i]!) : v.padEnd(widths[i]!)))
      .join(' | ')
      .trimEnd();
  const out = [line(names), widths.map((w) => '-'.repeat(w)).join('-+-'), ...cells.map(line)];
  out.push(`(${rows.length} ${rows.length === 1 ? 'row' : 'rows'})`);
  return `${out.join('\n')}\n`;
}

/** A value with line breaks or tabs would break the table's rows: shown escaped, as JSON writes them. */
const oneLine = (value: string): string =>
  value.replace(/[\n\r\t]/g, (c) => ({ '\n': '\\n', '\r': '\\r', '\t': '\\t' })[c]!);
