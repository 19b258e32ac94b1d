/** `ntl gap`: each row's value relative to the year's median (or mean, or 90th percentile) — methods.md §2. */
import { extname } from 'node:path';
import { NtlError } from '../errors.js';
import { GAP_REFERENCES, gapColumn, type GapReference } from '../inequality/index.js';
import { tableFromLoaded, writeTableOut } from '../inequality/write-table.js';
import { periodKeys, TABLE_TIME_TYPES } from '../inequality/table-input.js';
import { parseTimeType, TIME_TYPE_FLAG, timeTypeHelp } from '../panel/period.js';
import { readTable } from '../panel/read-table.js';
import { parseFlags, requireFlag } from './args.js';
import { assertOutputsAreNotInputs } from '../safety/outputs.js';
import type { CommandIo } from './zonal-command.js';

export const GAP_HELP = `ntl gap — value relative to a yearly reference: gap_it = E_it / M_t

Usage:
  ntl gap --panel <P.csv|P.parquet> --value <col> --by <col>[,col…] [--time-type <t>] [--unit <col>]
          [--ref median|mean|p90] [--name <col>] [--out <file>]

Options:
  --panel <file>            panel (CSV or Parquet)
  --value <col>             the level E_it (e.g. sum or mean brightness)
  --by <col[,col…]>         the reference is computed within each value of these columns (e.g. year, or
                            year,source for a long ntl panel with several series — mixing series is an error);
                            the first is the period column
${timeTypeHelp(28, 'the first --by column\'s', TABLE_TIME_TYPES)}  --unit <col>              unit id (default: unit_id when the panel has it): one row per unit and --by key
                            (and month, when the panel has a month column) — a duplicated row is an error
                            naming both rows (without a unit column, identical rows are)
  --ref median|mean|p90     M_t over every row of that year with a value (default median):
                              median  the middle value; for an even count the average of the two middle values
                              mean    arithmetic mean
                              p90     90th percentile, type 7 (R's default quantile): h = (n − 1)·0.9,
                                      (1 − f)·x_(⌊h⌋) + f·x_(⌊h⌋+1), f = h − ⌊h⌋, x sorted from x_(0)
  --name <col>              name of the new column (default <value>_gap)
  --out <file>              .csv, .parquet or .dta (default: CSV on standard output)

Output: the input table, rows in their input order, with the gap column added last. A row with a missing value
(or no by key) gets an empty gap; a year whose reference is 0 gets empty gaps and a warning, and so does a year
with a single row with a value (its reference is that row: a gap of 1 by construction). CSV output keeps
the input text unchanged; for Parquet/.dta a column holding only numbers becomes numeric, except identifier
columns (named id, code, *_id, *_code) and values with leading zeros, which stay text.
`;

const FLAGS = {
  panel: { type: 'string' },
  value: { type: 'string' },
  by: { type: 'string' },
  ...TIME_TYPE_FLAG,
  unit: { type: 'string' },
  ref: { type: 'string' },
  name: { type: 'string' },
  out: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  debug: { type: 'boolean' },
} as const;

export async function gapCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseFlags('gap', argv, FLAGS);
  if (values.help) {
    io.stdout(GAP_HELP);
    return 0;
  }
  if (positionals.length > 0) throw new NtlError(`ntl gap: unexpected argument "${positionals[0]}"; see \`ntl gap --help\``);
  const panel = requireFlag('gap', values, 'panel');
  const value = requireFlag('gap', values, 'value');
  const by = requireFlag('gap', values, 'by');
  const ref = (values.ref ?? 'median') as string;
  if (!(GAP_REFERENCES as readonly string[]).includes(ref)) throw new NtlError(`ntl gap: --ref must be ${GAP_REFERENCES.join(', ')}, got "${ref}"`);
  const name = typeof values.name === 'string' && values.name !== '' ? values.name : `${value}_gap`;
  const out = typeof values.out === 'string' && values.out !== '-' ? values.out : null;
  assertOutputsAreNotInputs('gap', [{ flag: '--out', path: out ?? undefined, example: 'gap.csv' }], [{ flag: '--panel', path: panel }]);

  const timeType = parseTimeType('gap', values['time-type'], TABLE_TIME_TYPES);
  const table = await readTable(panel);
  if (table.has(name)) throw new NtlError(`ntl gap: ${panel} already has a column "${name}"; choose another with --name`);
  const byCols = by.split(',').map((c) => c.trim()).filter((c) => c !== '');
  if (table.has('source') && !byCols.includes('source') && new Set(table.text('source').filter((x) => x !== null)).size > 1) {
    throw new NtlError(`ntl gap: ${panel} holds several series in column "source"; use --by ${byCols.join(',')},source so each series gets its own reference`);
  }
  const keys = periodKeys(table, byCols, values.unit as string | undefined, timeType);
  const gap = gapColumn(table.numbers(value), keys, ref as GapReference);
  const numericOut = out !== null && extname(out).toLowerCase() !== '.csv';
  const columns = [...tableFromLoaded(table, numericOut), { name, type: 'float64' as const, label: `${value} / ${ref} by ${byCols.join(', ')}`, values: gap.values }];
  const text = await writeTableOut({ columns }, out, 'gap');
  if (text !== null) io.stdout(text);
  for (const w of gap.warnings) io.stderr(`ntl: warning: ${w}\n`);
  return 0;
}
