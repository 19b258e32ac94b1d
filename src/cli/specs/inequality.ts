/** `ntl inequality`: its flag spec and help, apart from the implementation (loaded only when the command runs). */
import { TABLE_TIME_TYPES, UNIT_TEXT } from '../../inequality/table-input.js';
import { timeTypeArg, timeTypeText } from '../../panel/period.js';
import { minGroupSizeText } from '../../inequality/group-size-text.js';
import { commandHelp, HELP_FLAG, type FlagTable } from '../flags.js';

export const INEQUALITY_FLAGS = {
  panel: { type: 'string', arg: '<file>', help: 'panel (CSV or Parquet), one row per unit (e.g. county × year)' },
  y: { type: 'string', arg: '<col>', aliases: ['value'], help: 'the measured level (e.g. mean brightness)' },
  group: {
    type: 'string',
    arg: '<col>',
    help: "groups (e.g. parent_id): one output row per (group, period) — e.g. each prefecture's Gini of its counties per year (the city-year INDG)",
  },
  time: { type: 'string', arg: '<col>', aliases: ['by'], help: 'period column (e.g. year)' },
  'time-type': { type: 'string', arg: timeTypeArg(TABLE_TIME_TYPES), help: timeTypeText('--time', TABLE_TIME_TYPES) },
  unit: { type: 'string', arg: '<col>', help: UNIT_TEXT },
  where: {
    type: 'string',
    multiple: true,
    arg: 'COL=VAL',
    help: "keep only these rows (repeatable), e.g. --where source=viirs_like; required when the panel's source column holds several series",
  },
  weights: { type: 'string', arg: '<col>', aliases: ['weight'], help: 'population weights (unit i counts as w_i people)' },
  measures: {
    type: 'string',
    arg: '<list>',
    help: "comma list (default gini):\ngini     Σ_i Σ_r w_i w_r |y_i − y_r| / (2 W² μ)   (no n/(n−1) correction)\ntheil    Theil T = (1/W) Σ w_i (y_i/μ) ln(y_i/μ)\ntheil_l  Theil L = (1/W) Σ w_i ln(μ/y_i)  (empty when a value is 0)\ncv       σ/μ with the population σ (divisor W, not n − 1)\ndagum    group rows: G_jj plus that year's G, Gw, Gnb, Gt; --level by: G, Gw, Gnb, Gt and their shares of G in percent",
  },
  level: {
    type: 'string',
    arg: 'group|by',
    help: 'group (default with --group): a row per (group, period); by: a row per period with the decompositions (Theil T/L within and between groups, Dagum)',
  },
  'min-group-size': { type: 'string', arg: '<N>', help: minGroupSizeText('gini, theil, theil_l, cv, G_jj') },
  out: { type: 'string', arg: '<file>', help: '.csv, .parquet or .dta (default: CSV on standard output)' },
  ...HELP_FLAG,
} as const satisfies FlagTable;

export const INEQUALITY_HELP = commandHelp(
  `ntl inequality — inequality of a panel column within groups, per year, as a panel

Usage:
  ntl inequality --panel <P.csv|P.parquet> --y <col> [--group <col>] [--time <col> [--time-type <t>]] [--unit <col>]
                 [--weights <col>] [--where col=value] [--measures gini,theil,theil_l,cv,dagum] [--level group|by]
                 [--min-group-size <N>] [--out <file>]`,
  INEQUALITY_FLAGS,
  `Columns: <group>, <time>, n (units with a value), n_missing (dropped: missing value), mean (weighted if --weights),
then the measures. Rows sorted by group id, then period. Undefined values are empty, never 0 or NaN: a group with
fewer than --min-group-size units in that year (default 2: a single unit), a group or year whose mean is 0
(Gini, Theil, CV), theil_l where a value is 0, and a year with fewer than --min-group-size units in all (its
overall measures); each with a warning. Every measure except cv needs values ≥ 0 (a negative value is an error).
`,
  21,
);
