/** Flag specs shared by the panel commands (did, eventstudy, placebo, psm-did, spillover, bacon, att), apart from their implementations. */
import { timeTypeArg, timeTypeText } from '../../panel/period.js';
import { ESTIMATE_TIME_TYPES } from '../../estimate/prepare.js';
import { HELP_FLAG, type FlagTable } from '../flags.js';

const MODEL = 'Panel and model';

const OUTPUT = 'Output';

/** The panel file and its columns: the first flags of every panel command (estimators and bacon / att). */
export const PANEL_FILE_FLAGS = {
  panel: { type: 'string', arg: '<file>', help: 'CSV or Parquet panel, one row per unit × time', group: MODEL },
  y: { type: 'string', arg: '<col>', help: 'outcome (numeric)', group: MODEL },
  unit: { type: 'string', arg: '<col>', help: 'unit identifier (text or number)', group: MODEL },
  time: { type: 'string', arg: '<col>', help: 'time period (numeric, e.g. year); a unit has one row per period', group: MODEL },
} as const satisfies FlagTable;

/** --where: the row filter every panel command shares (src/panel/where.ts). */
export const WHERE_FLAG = {
  where: {
    type: 'string',
    multiple: true,
    arg: 'COL=VAL',
    help: 'keep only the rows whose COL equals VAL (text match); repeatable (all must hold); applied first',
    group: MODEL,
  },
} as const satisfies FlagTable;

/** How a result is written: --out, --format, --digits (estimators, bacon, att). */
export const RESULT_FLAGS = {
  out: { type: 'string', arg: '<file.json>', help: 'JSON result, written atomically (default: standard output)', group: OUTPUT },
  format: {
    type: 'string',
    arg: 'json|md|tex|csv',
    default: 'json',
    aliases: ['table'],
    help: 'md, tex or csv: print a journal-style table to standard output (the JSON then goes to --out only)',
    group: OUTPUT,
  },
  digits: { type: 'string', arg: '<n>', default: '3', help: 'decimals in the table', group: OUTPUT },
} as const satisfies FlagTable;

/** --y-transform / --winsor: the outcome transform (shared schema, estimate/options.ts). */
export const TRANSFORM_FLAGS = {
  'y-transform': {
    type: 'string',
    arg: 't',
    help: 'outcome transform: log, log1p, ihs (asinh) or winsor (with --winsor p); recorded in the result as "outcome": {column, transform, p}',
    group: MODEL,
  },
  winsor: {
    type: 'string',
    arg: 'p',
    help: 'winsorize y at the p and 1−p quantiles of the estimation sample (after --where, --drop and missing values), quantiles as Stata _pctile / winsor2 (R type 2); 0 < p < 0.5',
    group: MODEL,
  },
} as const satisfies FlagTable;

export const PANEL_FLAGS = {
  ...PANEL_FILE_FLAGS,
  treat: { type: 'string', arg: '<col>', help: 'treatment: 0/1 or an intensity (e.g. post × poor population)', group: MODEL },
  'time-type': { type: 'string', arg: timeTypeArg(ESTIMATE_TIME_TYPES), help: timeTypeText('--time (and --cohort)', ESTIMATE_TIME_TYPES), group: MODEL },
  controls: { type: 'string', arg: 'a,b', help: 'numeric control variables', group: MODEL },
  fe: { type: 'string', arg: 'a,b,...', default: 'unit,time', help: 'absorbed fixed effects; any number of columns', group: MODEL },
  interact: {
    type: 'string',
    multiple: true,
    arg: 'A:B',
    help: 'add A×B (numeric B); A:i.B adds A×1[B=level] per level of B, replacing A (stage-specific effects); repeat or comma-separate. Triple difference: D:het; mechanism: --controls M --interact D:M',
    group: MODEL,
  },
  weights: { type: 'string', arg: '<col>', help: 'analytic weights (≥ 0; 0 leaves the row out)', group: MODEL },
  cluster: { type: 'string', arg: 'a[,b]', default: 'unit', help: 'cluster variable(s); two names = two-way clustering', group: MODEL },
  vcov: { type: 'string', arg: 'cr1|hc1|iid', default: 'cr1 = cluster-robust', help: 'variance', group: MODEL },
  ssc: {
    type: 'string',
    arg: 'nested|full',
    help: 'K in the small-sample factor: nested (default; FE nested in the cluster are not counted — reghdfe, xtreg fe, fixest) or full (every FE — areg, estimatr "stata")',
    group: MODEL,
  },
  ...WHERE_FLAG,
  drop: {
    type: 'string',
    multiple: true,
    arg: 'COL=VAL',
    help: 'drop the rows whose COL equals VAL (text match; the opposite of --where); repeatable; applied right after --where',
    group: MODEL,
  },
  ...TRANSFORM_FLAGS,
  ...RESULT_FLAGS,
  ...HELP_FLAG,
} as const satisfies FlagTable;

/** The notes under the flags of every estimator's help. */
export const PANEL_NOTES = `Missing values in any used column drop the row (listwise; counted in "missing_dropped").
Every result carries "design" (units, periods, never_treated, always_treated, switchers, cohorts,
treated_without_pre_period, singletons_dropped) and "warnings" (also printed on standard error) saying
who identifies the effect.
`;
