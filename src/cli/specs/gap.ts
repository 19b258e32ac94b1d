/** `ntl gap`: its flag spec and help, apart from the implementation (loaded only when the command runs). */
import { TABLE_TIME_TYPES } from '../../inequality/table-input.js';
import { timeTypeArg, timeTypeText } from '../../panel/period.js';
import { commandHelp, HELP_FLAG, type FlagTable } from '../flags.js';

export const GAP_FLAGS = {
  panel: { type: 'string', arg: '<file>', help: 'panel (CSV or Parquet)' },
  y: { type: 'string', arg: '<col>', aliases: ['value'], help: 'the level E_it (e.g. sum or mean brightness)' },
  time: { type: 'string', arg: '<col>', help: 'the period column (e.g. year): the reference is computed within each period' },
  by: {
    type: 'string',
    arg: '<col[,col…]>',
    help: 'further key columns the reference is computed within (e.g. source, for a long ntl panel with several series — mixing series is an error). Without --time the first --by column is the period (--by year,source)',
  },
  'time-type': { type: 'string', arg: timeTypeArg(TABLE_TIME_TYPES), help: timeTypeText("the --time column's", TABLE_TIME_TYPES) },
  unit: {
    type: 'string',
    arg: '<col>',
    help: 'unit id (default: unit_id when the panel has it): one row per unit and period key (and month, when the panel has a month column) — a duplicated row is an error naming both rows (without a unit column, identical rows are)',
  },
  where: {
    type: 'string',
    multiple: true,
    arg: 'COL=VAL',
    help: 'keep only these rows (repeatable; the output has only them), e.g. --where source=viirs_like',
  },
  ref: {
    type: 'string',
    arg: 'median|mean|p90',
    help: "M_t over every row of that period with a value (default median):\nmedian  the middle value; for an even count the average of the two middle values\nmean    arithmetic mean\np90     90th percentile, type 7 (R's default quantile): h = (n − 1)·0.9, (1 − f)·x_(⌊h⌋) + f·x_(⌊h⌋+1), f = h − ⌊h⌋, x sorted from x_(0)",
  },
  name: { type: 'string', arg: '<col>', help: 'name of the new column (default <y>_gap)' },
  out: { type: 'string', arg: '<file>', help: '.csv, .parquet or .dta (default: CSV on standard output)' },
  ...HELP_FLAG,
} as const satisfies FlagTable;

export const GAP_HELP = commandHelp(
  `ntl gap — value relative to a yearly reference: gap_it = E_it / M_t

Usage:
  ntl gap --panel <P.csv|P.parquet> --y <col> --time <col> [--by <col>[,col…]] [--time-type <t>] [--unit <col>]
          [--where COL=VAL] [--ref median|mean|p90] [--name <col>] [--out <file>]`,
  GAP_FLAGS,
  `Output: the input table, rows in their input order, with the gap column added last. A row with a missing value
(or no period key) gets an empty gap; a year whose reference is 0 gets empty gaps and a warning, and so does a year
with a single row with a value (its reference is that row: a gap of 1 by construction). CSV output keeps
the input values unchanged (column names are made valid in Stata, R and SQL); for Parquet/.dta a column holding
only numbers becomes numeric, except identifier columns (named id, code, *_id, *_code) and values with leading
zeros, which stay text.
`,
  28,
);
