// A stream's schema that changes a column's type never rewrites what the column holds. A column without values
// takes the new type; one whose every value the new type holds exactly is converted (an integer column becoming
// a double or a decimal, money becoming exact, anything becoming JSON); otherwise nothing changes and the load
// stops with a sentence naming the stream, the field and what to run.
import { type ColumnType, DECIMAL_PRECISION, scaleOf } from './columns.js';
import { DestinationError } from './errors.js';
import { quote } from './sql.js';

/** SQL over the column `c`: the values the conversion would change, and the converted value. */
export interface Conversion {
  changes: string;
  using: string;
}

/** 2^53: integers up to it are exact in a double. */
const EXACT_INTEGER = '9007199254740992';

/** How a column of type `from` becomes `to` without changing a value, or undefined when it cannot. */
export function conversion(from: ColumnType, to: ColumnType, c: string): Conversion | undefined {
  const cast = `CAST(${c} AS ${to})`;
  const toScale = scaleOf(to);
  const fromScale = scaleOf(from);
  const limit = (digits: number) => `1${'0'.repeat(digits)}`;
  if (to === 'JSON') {
    // Each value stays the same JSON value; date-times would change their spelling, so they are not among them.
    return ['VARCHAR', 'BIGINT', 'DOUBLE', 'BOOLEAN'].includes(from) || fromScale >= 0
      ? { changes: 'false', using: `to_json(${c})` }
      : undefined;
  }
  if (from === 'BIGINT' && to === 'DOUBLE') return { changes: `abs(${c}) > ${EXACT_INTEGER}`, using: cast };
  if (from === 'BIGINT' && toScale >= 0)
    return { changes: `abs(${c}) >= ${limit(DECIMAL_PRECISION - toScale)}`, using: cast };
  if (from === 'DOUBLE' && to === 'BIGINT')
    return { changes: `NOT (${c} = trunc(${c}) AND abs(${c}) <= ${EXACT_INTEGER})`, using: cast };
  if (from === 'DOUBLE' && toScale >= 0)
    // Below 10^(15 - scale) one decimal of that scale at most reads as a given double: the cast finds it.
    return {
      changes: `NOT COALESCE(isfinite(${c}) AND abs(${c}) < ${limit(15 - toScale)} AND CAST(TRY_CAST(${c} AS ${to}) AS DOUBLE) = ${c}, false)`,
      using: cast,
    };
  if (fromScale >= 0 && to === 'DOUBLE')
    return { changes: `CAST(CAST(${c} AS DOUBLE) AS ${from}) <> ${c} OR abs(${c}) >= 1e15`, using: cast };
  if (fromScale >= 0 && to === 'BIGINT') return { changes: `${c} <> trunc(${c})`, using: cast };
  if (fromScale >= 0 && toScale >= 0)
    return {
      changes: `${c} <> round(${c}, ${toScale}) OR abs(${c}) >= ${limit(DECIMAL_PRECISION - toScale)}`,
      using: cast,
    };
  return undefined;
}

/** The sentence when stored values stand in the way of a new column type. */
export function conversionRefused(
  stream: string,
  field: string,
  from: string,
  to: ColumnType,
  count: number,
  example: string,
): DestinationError {
  return new DestinationError(
    `${stream}.${field}: the stream's schema now declares ${to}, but the table holds ${count} ${from} value(s) that ${to} would change (e.g. ${example}); nothing was changed. Rebuild the table from the source (shipstation-sync --full-refresh --streams ${stream}), or first keep the stored values under another name (ALTER TABLE ${quote(stream)} RENAME ${quote(field)} TO ${quote(`${field}_${from.toLowerCase().replace(/\W+/g, '_')}`)}) and run again`,
  );
}
