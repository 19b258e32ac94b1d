/** `ntl placebo`: randomization inference for the DID coefficient (permuted cohorts / random units × dates), or the fake-date test. */
import { availableParallelism } from 'node:os';
import { NtlError } from '../errors.js';
import { defaults, numberFlag, parseOptions, placeboSchema } from '../estimate/options.js';
import { parseCommandFlags, type FlagTable } from './flags.js';
import { commandHelp, emitModel, guardModelOutputs, modelArgs, noPositionals, PANEL_FLAGS, PANEL_NOTES, plotPath, runModelOnFile } from './estimate-args.js';
import type { CommandIo } from './zonal-command.js';

export const PLACEBO_FLAGS = {
  mode: {
    type: 'string',
    arg: '<m>',
    help: "units (default): the observed cohort labels (never treated / first treated period, incl. always-treated) permuted across units, so the number of never-, always- and each-period-treated units is preserved; both: as many random units as are treated, each with a date drawn from the observed cohort distribution; timing: the fake-date test — every treated unit's date moved --shift periods earlier, estimated on the observations before the true date only (no permutation, so no randomization p-value)",
  },
  draws: { type: 'string', arg: '<n>', default: String(defaults.placebo.draws), help: 'randomization draws (units, both; at most 1000000)' },
  seed: { type: 'string', arg: '<n>', default: String(defaults.placebo.seed), help: 'seed (integer). Same seed → identical output bytes, for any --threads' },
  shift: { type: 'string', arg: '<k>', default: String(defaults.placebo.shift), help: 'timing: periods each date is moved earlier' },
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
  ntl placebo --panel P --y Y --treat D --unit U --time T [--mode units|both|timing] [--draws ${defaults.placebo.draws}] [--seed ${defaults.placebo.seed}] [options]

units/both print {actual, inference: "randomization", p_value = (1 + #{|β̃| ≥ |β|}) / (1 + successful draws)
(two-sided), mean, sd, quantiles, draws, design, warnings}. timing prints {actual, inference: "fake-date",
p_value: null, fake_date: {shift, coef, se, p, lo, hi, n}} — fake_date.p is that regression's own t-test.`,
  PLACEBO_FLAGS,
  PANEL_NOTES,
);

export async function placeboCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseCommandFlags('placebo', argv, PLACEBO_FLAGS, io);
  if (values.help) {
    io.stdout(PLACEBO_HELP);
    return 0;
  }
  noPositionals('placebo', positionals);
  const a = modelArgs('placebo', values, true);
  const placebo = parseOptions('placebo', placeboSchema, {
    draws: numberFlag(values.draws),
    seed: numberFlag(values.seed),
    mode: values.mode,
    shift: numberFlag(values.shift),
  });
  if (placebo.mode === 'timing' && values.draws !== undefined)
    throw new NtlError('ntl placebo: --draws applies to --mode units and both; timing is one fake-date regression');
  if (placebo.mode !== 'timing' && values.shift !== undefined) throw new NtlError('ntl placebo: --shift applies to --mode timing only');
  const threads = values.threads === undefined ? availableParallelism() : Number(values.threads);
  if (!Number.isInteger(threads) || threads < 1) throw new NtlError(`ntl placebo: --threads must be a whole number ≥ 1`);
  if ((a.interactions ?? []).length > 0) throw new NtlError('ntl placebo: --interact is not supported; the placebo replaces the treatment only');
  const cohort = typeof values.cohort === 'string' && values.cohort !== '' ? values.cohort : undefined;
  const plot = plotPath(a, values.plot);
  guardModelOutputs('placebo', a.panelPath, a.out, { path: plot, explicit: typeof values.plot === 'string' });
  const r = await runModelOnFile('placebo', { ...a, cohort, placebo }, { threads });
  await emitModel(a, io, r, plot);
  return 0;
}
