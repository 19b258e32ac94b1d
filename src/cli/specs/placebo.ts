/** `ntl placebo`: its flag spec and help, apart from the implementation (loaded only when the command runs). */
import { PLACEBO_DEFAULTS } from '../../estimate/option-defaults.js';
import { commandHelp, type FlagTable } from '../flags.js';
import { PANEL_FLAGS, PANEL_NOTES } from './estimate.js';

export const PLACEBO_FLAGS = {
  mode: {
    type: 'string',
    arg: '<m>',
    help: "units (default): the observed cohort labels (never treated / first treated period, incl. always-treated) permuted across units, so the number of never-, always- and each-period-treated units is preserved; both: as many random units as are treated, each with a date drawn from the observed cohort distribution; timing: the fake-date test — every treated unit's date moved --shift periods earlier, estimated on the observations before the true date only (no permutation, so no randomization p-value)",
  },
  draws: { type: 'string', arg: '<n>', default: String(PLACEBO_DEFAULTS.draws), help: 'randomization draws (units, both; at most 1000000)' },
  seed: { type: 'string', arg: '<n>', default: String(PLACEBO_DEFAULTS.seed), help: 'seed (integer). Same seed → identical output bytes, for any --threads' },
  shift: { type: 'string', arg: '<k>', default: String(PLACEBO_DEFAULTS.shift), help: 'timing: periods each date is moved earlier' },
  cohort: { type: 'string', arg: '<col>', help: 'adoption period per unit (default: first period with D ≠ 0)' },
  threads: { type: 'string', arg: '<n>', default: 'all cores', help: 'worker threads' },
  plot: {
    type: 'string',
    arg: '<file.png|svg>',
    help: 'units/both: density of the draws with 0 and the actual β marked; timing: the fake-date estimate with its CI (default: next to --out; PNG and SVG are both written)',
  },
  ...PANEL_FLAGS,
} as const satisfies FlagTable;

export const PLACEBO_HELP = commandHelp(
  `ntl placebo — randomization inference and the fake-date test for the DID coefficient

Usage:
  ntl placebo --panel P --y Y --treat D --unit U --time T [--mode units|both|timing] [--draws ${PLACEBO_DEFAULTS.draws}] [--seed ${PLACEBO_DEFAULTS.seed}] [options]

units/both print {actual, inference: "randomization", p_value = (1 + #{|β̃| ≥ |β|}) / (1 + successful draws)
(two-sided), mean, sd, quantiles, draws, design, warnings}. timing prints {actual, inference: "fake-date",
p_value: null, fake_date: {shift, coef, se, p, lo, hi, n}} — fake_date.p is that regression's own t-test.`,
  PLACEBO_FLAGS,
  PANEL_NOTES,
);
