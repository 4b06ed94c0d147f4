// What a load tells the person who ran it (stderr): rows per stream, values and records kept aside (and where),
// streams left as they were.
import type { LoadSummary } from './loader.js';
import { REJECTED_TABLE } from './sql.js';

export function summaryLines(summary: LoadSummary, file: string): string[] {
  const out: string[] = [];
  const rows = [...summary.streams]
    .filter(([, r]) => r.rows > r.rejected)
    .map(([name, r]) => `${name} ${r.rows - r.rejected}`);
  const records = rows.length ? rows.join(', ') : 'no records';
  out.push(
    summary.stopped
      ? `stopped before the input ended: received ${records}; committed what its ${summary.states} states cover in ${file}`
      : `loaded into ${file}: ${records}; ${summary.states} states`,
  );
  for (const [name, report] of summary.streams) {
    for (const [field, n] of report.misfits)
      out.push(
        `WARN ${name}.${field}: ${n} value(s) did not fit the column's type exactly; kept as received in _airbyte_extras`,
      );
    for (const [field, n] of report.undeclared)
      out.push(
        `WARN ${name}.${field}: ${n} value(s) of a field the stream's schema does not declare; kept as received in _airbyte_extras`,
      );
    if (report.rejected > 0) {
      out.push(
        `WARN ${name}: ${report.rejected} record(s) could not be stored as received and were set aside whole in ${REJECTED_TABLE} (the table keeps its earlier rows for them):`,
      );
      for (const r of report.firstRejected)
        out.push(`  input line ${r.line}${r.key === undefined ? '' : `, key ${r.key}`}: ${r.reason}`);
      if (report.rejected > report.firstRejected.length)
        out.push(`  … and ${report.rejected - report.firstRejected.length} more (SELECT * FROM ${REJECTED_TABLE})`);
    }
  }
  // A config error stops the source before it reads: one line says so, not one per stream.
  if (summary.configError && rows.length === 0) {
    if (summary.notReplaced.length) out.push('every table was left as it was');
  } else {
    for (const name of summary.notReplaced)
      out.push(`WARN ${name}: the stream did not complete; its table was left as it was`);
  }
  return out;
}
