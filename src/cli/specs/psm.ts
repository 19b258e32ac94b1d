/** `ntl psm`: its flag spec and help, apart from the implementation (loaded only when the command runs). */
import { commandHelp, type FlagTable } from '../flags.js';
import { PANEL_FLAGS, PANEL_NOTES } from './estimate.js';

export const PSM_FLAGS = {
  covariates: { type: 'string', arg: 'a,b', help: 'propensity-score covariates (logit of "unit ever treated" on them, with intercept); required' },
  match: { type: 'string', arg: 'kernel|nn', help: 'Epanechnikov kernel (default; psmatch2 kernel) or 1:1 nearest neighbour with replacement' },
  bandwidth: { type: 'string', arg: '<h>', default: '0.06, as psmatch2', help: 'kernel bandwidth on the score' },
  caliper: { type: 'string', arg: '<c>', help: 'nn only: treated observations without a control within c are off support' },
  'by-period': { type: 'boolean', help: 'estimate the score and match within each period (default: pooled)' },
  ...PANEL_FLAGS,
} as const satisfies FlagTable;

export const PSM_HELP = commandHelp(
  `ntl psm-did — propensity-score matched difference-in-differences

Usage:
  ntl psm-did --panel P --y Y --treat D --unit U --time T --covariates a,b [--match kernel|nn] [options]

Then the TWFE DID on observations with matching weight > 0, weighted by it (treated 1; controls the
kernel sum or the number of matches). Prints the DID result, "balance" (means and standardized
differences before/after, pstest convention) and the logit coefficients.`,
  PSM_FLAGS,
  PANEL_NOTES,
);
