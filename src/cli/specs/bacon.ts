/** `ntl bacon`: its flag spec and help, apart from the implementation (loaded only when the command runs). */
import { ESTIMATE_TIME_TYPES } from '../../estimate/prepare.js';
import { timeTypeArg, timeTypeText } from '../../panel/period.js';
import { commandHelp, HELP_FLAG, type FlagTable } from '../flags.js';
import { PANEL_FILE_FLAGS, RESULT_FLAGS, TRANSFORM_FLAGS, WHERE_FLAG } from './estimate.js';

export const BACON_FLAGS = {
  ...PANEL_FILE_FLAGS,
  treat: { type: 'string', arg: '<col>', help: 'treatment indicator (0/1, once 1 stays 1)', group: 'Panel and model' },
  'time-type': { type: 'string', arg: timeTypeArg(ESTIMATE_TIME_TYPES), help: timeTypeText('--time', ESTIMATE_TIME_TYPES), group: 'Panel and model' },
  ...WHERE_FLAG,
  ...TRANSFORM_FLAGS,
  ...RESULT_FLAGS,
  digits: { ...RESULT_FLAGS.digits, default: '4' },
  ...HELP_FLAG,
} as const satisfies FlagTable;

export const BACON_HELP = commandHelp(
  `ntl bacon — Goodman-Bacon (2021) decomposition of the TWFE DID estimate

Usage:
  ntl bacon --panel P --y Y --treat D --unit U --time T [--format md|tex|csv] [--out FILE]

The TWFE coefficient of Y on D (unit and time fixed effects) is a weighted average of every 2×2 DID
between timing groups: treated_vs_never, earlier_vs_later, later_vs_earlier (the "forbidden" comparison,
an already-treated group as control) and later_vs_always (units treated in every period as control).
Prints JSON: twfe, weighted_sum (= twfe), weight_sum (= 1), by_type (weight and weighted average
estimate per type) and every comparison (treated / control first-treated period, estimate, weight);
--format md|tex|csv prints the per-type summary and the comparisons as a table instead.

Needs a balanced panel (one row per unit and period, no missing Y or D) and an absorbing 0/1 treatment.`,
  BACON_FLAGS,
);
