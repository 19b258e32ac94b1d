/** `ntl att`: its flag spec and help, apart from the implementation (loaded only when the command runs). */
import { ESTIMATE_TIME_TYPES } from '../../estimate/prepare.js';
import { timeTypeArg, timeTypeText } from '../../panel/period.js';
import { commandHelp, HELP_FLAG, type FlagTable } from '../flags.js';
import { PANEL_FILE_FLAGS, RESULT_FLAGS, TRANSFORM_FLAGS, WHERE_FLAG } from './estimate.js';

export const ATT_FLAGS = {
  ...PANEL_FILE_FLAGS,
  'time-type': {
    type: 'string',
    arg: timeTypeArg(ESTIMATE_TIME_TYPES),
    help: timeTypeText('--time and --cohort', ESTIMATE_TIME_TYPES),
    group: 'Panel and model',
  },
  cohort: {
    type: 'string',
    arg: '<col>',
    help: 'first treated period of the unit (0 or empty = never treated), constant within unit; required',
    group: 'Panel and model',
  },
  ...WHERE_FLAG,
  ...TRANSFORM_FLAGS,
  method: { type: 'string', arg: 'cs|sunab', default: 'cs', help: 'estimator' },
  control: { type: 'string', arg: 'never|notyet', help: 'cs: comparison units (default never); sunab: never|last (last-treated cohort)' },
  anticipation: { type: 'string', arg: '<k>', default: '0', help: 'cs: periods of anticipation' },
  base: { type: 'string', arg: 'varying|universal', default: 'varying', help: 'cs: base period for pre-treatment ATT(g,t)' },
  aggregate: { type: 'string', arg: '<list>', default: 'all', help: 'cs: comma list of simple,dynamic,group,calendar' },
  ...RESULT_FLAGS,
  ...HELP_FLAG,
} as const satisfies FlagTable;

export const ATT_HELP = commandHelp(
  `ntl att — heterogeneity-robust staggered difference-in-differences

Usage:
  ntl att --panel P --y Y --unit U --time T --cohort COL [options]

--method cs (default): Callaway & Sant'Anna (2021) ATT(g,t), unconditional (no covariates), long
differences against never-treated or not-yet-treated units; standard errors from the influence function,
clustered by unit (as R did::att_gt(bstrap = FALSE)); aggregations simple / dynamic (event study) / group /
calendar with SEs including the estimated-weights term (as did::aggte(bstrap = FALSE)).
--method sunab: Sun & Abraham (2021) interaction-weighted event study: TWFE on cohort × relative-period
dummies (reference −1), clustered by unit, weighted by cohort shares (as fixest::sunab).
--format md|tex|csv prints the aggregated estimates as a table instead of JSON.

Needs a balanced panel. Units treated in the first period have no pre-period and are dropped (with a note);
a cohort after the last period counts as never treated.`,
  ATT_FLAGS,
);
