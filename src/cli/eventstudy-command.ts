/** `ntl eventstudy`: dynamic effects by period relative to adoption, with a coefficient plot. */
import { NtlError } from '../errors.js';
import { defaults, eventstudySchema, parseOptions } from '../estimate/options.js';
import { parseCommandFlags, type FlagTable } from './flags.js';
import {
  commandHelp,
  emitModel,
  glueNegativeValues,
  guardModelOutputs,
  modelArgs,
  noPositionals,
  PANEL_FLAGS,
  PANEL_NOTES,
  plotPath,
  runModelOnFile,
} from './estimate-args.js';
import type { CommandIo } from './zonal-command.js';

export const EVENTSTUDY_FLAGS = {
  cohort: { type: 'string', arg: '<col>', help: 'first treated period of the unit; empty, NA, 0 = never treated (the controls); required' },
  window: {
    type: 'string',
    arg: 'lo,hi',
    default: defaults.eventstudy.window.join(','),
    help: 'relative periods estimated; earlier/later periods are binned into the endpoints (labelled "≤ lo" / "≥ hi", binned: true)',
  },
  ref: { type: 'string', arg: '<r>', default: String(defaults.eventstudy.ref), help: 'omitted reference period' },
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

export async function eventstudyCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseCommandFlags('eventstudy', glueNegativeValues(argv, ['--window', '--ref']), EVENTSTUDY_FLAGS, io);
  if (values.help) {
    io.stdout(EVENTSTUDY_HELP);
    return 0;
  }
  noPositionals('eventstudy', positionals);
  const a = modelArgs('eventstudy', values, false);
  const cohort = typeof values.cohort === 'string' && values.cohort !== '' ? values.cohort : null;
  if (cohort === null)
    throw new NtlError("ntl eventstudy: --cohort is required (the column with each unit's first treated period); see `ntl eventstudy --help`");
  const win =
    values.window === undefined
      ? undefined
      : String(values.window)
          .split(',')
          .map((v) => (v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : v));
  if (win !== undefined && (win.length !== 2 || win.some((v) => typeof v !== 'number')))
    throw new NtlError(`ntl eventstudy: --window must be two whole numbers lo,hi with lo < hi (e.g. -5,5), got "${String(values.window)}"`);
  const eventstudy = parseOptions('eventstudy', eventstudySchema, {
    window: win,
    ref: values.ref === undefined ? undefined : Number.isFinite(Number(values.ref)) ? Number(values.ref) : values.ref,
  });
  const spec = { ...a, treat: undefined, cohort, eventstudy };
  const plot = plotPath(a, values.plot);
  guardModelOutputs('eventstudy', a.panelPath, a.out, { path: plot, explicit: typeof values.plot === 'string' });
  await emitModel(a, io, await runModelOnFile('eventstudy', spec), plot);
  return 0;
}
