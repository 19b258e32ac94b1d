/** `ntl eventstudy`: its flag spec and help, apart from the implementation (loaded only when the command runs). */
import { EVENTSTUDY_DEFAULTS } from '../../estimate/option-defaults.js';
import { commandHelp, type FlagTable } from '../flags.js';
import { PANEL_FLAGS, PANEL_NOTES } from './estimate.js';

export const EVENTSTUDY_FLAGS = {
  cohort: { type: 'string', arg: '<col>', help: 'first treated period of the unit; empty, NA, 0 = never treated (the controls); required' },
  window: {
    type: 'string',
    arg: 'lo,hi',
    default: EVENTSTUDY_DEFAULTS.window.join(','),
    help: 'relative periods estimated; earlier/later periods are binned into the endpoints (labelled "≤ lo" / "≥ hi", binned: true)',
  },
  ref: { type: 'string', arg: '<r>', default: String(EVENTSTUDY_DEFAULTS.ref), help: 'omitted reference period' },
  plot: { type: 'string', arg: '<file.png|svg>', help: 'coefficient plot with 95 % intervals (default: next to --out as .png, if --out)' },
  ...PANEL_FLAGS,
} as const satisfies FlagTable;

export const EVENTSTUDY_HELP = commandHelp(
  `ntl eventstudy — event-study coefficients by period relative to adoption

Usage:
  ntl eventstudy --panel P --y Y --unit U --time T --cohort G [--window -5,5] [--ref -1] [--plot F.png] [options]

Prints {periods: [{rel, label, binned, coef, se, p, lo, hi, reference}], pretrend: {F, df1, df2, p, leads},
coef, se, ..., design, warnings} with regressors rel_<r>. pretrend is the joint Wald test that every lead
(relative period before the reference, binned endpoint included) is 0, with the model's variance
(cluster-robust by default), F = W/q on (q, G − 1) degrees of freedom; p < 0.05 prints a caution.`,
  EVENTSTUDY_FLAGS,
  PANEL_NOTES,
);
