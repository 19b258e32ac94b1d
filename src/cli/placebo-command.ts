/** `ntl placebo`: randomization inference for the DID coefficient (permuted cohorts / random units × dates), or the fake-date test. */
import { availableParallelism } from 'node:os';
import { NtlError } from '../errors.js';
import { numberFlag, parseOptions, placeboSchema } from '../estimate/options.js';
import { parseCommandFlags } from './flags.js';
import { emitModel, guardModelOutputs, modelArgs, noPositionals, plotPath, runModelOnFile } from './estimate-args.js';
import type { CommandIo } from './zonal-command.js';
import { PLACEBO_FLAGS, PLACEBO_HELP } from './specs/placebo.js';

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
