/** `ntl eventstudy`: dynamic effects by period relative to adoption, with a coefficient plot. */
import { NtlError } from '../errors.js';
import { eventstudySchema, parseOptions } from '../estimate/options.js';
import { parseCommandFlags } from './flags.js';
import { emitModel, glueNegativeValues, guardModelOutputs, modelArgs, noPositionals, plotPath, runModelOnFile } from './estimate-args.js';
import type { CommandIo } from './zonal-command.js';
import { EVENTSTUDY_FLAGS, EVENTSTUDY_HELP } from './specs/eventstudy.js';

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
