/** `ntl did`: its flag spec and help, apart from the implementation (loaded only when the command runs). */
import { commandHelp, type FlagTable } from '../flags.js';
import { PANEL_FLAGS, PANEL_NOTES } from './estimate.js';

export const DID_FLAGS = {
  cohort: { type: 'string', arg: '<col>', help: 'first treated period per unit (optional): the design counts use it instead of the first period with D ≠ 0' },
  ...PANEL_FLAGS,
} as const satisfies FlagTable;

export const DID_HELP = commandHelp(
  `ntl did — two-way fixed-effects difference-in-differences

Usage:
  ntl did --panel P --y Y --treat D --unit U --time T [options]

Prints {coef, se, t, p (keyed by regressor; the treatment under its column name), n, clusters, r2,
r2_within, fe, vcov, ..., design, warnings}. Default variance: CR1 clustered by unit, t on G−1 degrees of
freedom.`,
  DID_FLAGS,
  PANEL_NOTES,
);
