// What a load tells the person who ran it (stderr): rows per stream, values kept aside, streams left as they were.
import type { LoadSummary } from './loader.js';

export function summaryLines(summary: LoadSummary, file: string): string[] {
  const out: string[] = [];
  const rows = [...summary.streams].filter(([, r]) => r.rows > 0).map(([name, r]) => `${name} ${r.rows}`);
  out.push(`loaded into ${file}: ${rows.length ? rows.join(', ') : 'no records'}; ${summary.states} states`);
  for (const [name, report] of summary.streams) {
    for (const [field, n] of report.misfits)
      out.push(`WARN ${name}.${field}: ${n} value(s) did not fit the column's type; kept in _airbyte_extras`);
    for (const [field, n] of report.undeclared)
      out.push(
        `WARN ${name}.${field}: ${n} value(s) of a field the stream's schema does not declare; kept in _airbyte_extras`,
      );
  }
  for (const name of summary.notReplaced)
    out.push(`WARN ${name}: the stream did not complete; its table was left as it was`);
  return out;
}
