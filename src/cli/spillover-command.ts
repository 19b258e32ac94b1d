/**
 * `ntl spillover`: (1) DID of the exposure indicator (borders a treated unit by t) on the sample without
 * treated units; (2) robustness: the main DID with treated units' neighbours (never treated, ever exposed)
 * removed from the controls.
 */
import { NtlError } from '../errors.js';
import { parseCommandFlags } from './flags.js';
import { emitModel, guardModelOutputs, modelArgs, noPositionals, runModelOnFile } from './estimate-args.js';
import type { CommandIo } from './zonal-command.js';
import { SPILLOVER_FLAGS, SPILLOVER_HELP } from './specs/spillover.js';

export async function spilloverCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseCommandFlags('spillover', argv, SPILLOVER_FLAGS, io);
  if (values.help) {
    io.stdout(SPILLOVER_HELP);
    return 0;
  }
  noPositionals('spillover', positionals);
  const a = modelArgs('spillover', values, true);
  const exposure = typeof values.exposure === 'string' && values.exposure !== '' ? values.exposure : null;
  if (exposure === null) throw new NtlError('ntl spillover: --exposure is required; see `ntl spillover --help`');
  guardModelOutputs('spillover', a.panelPath, a.out);
  await emitModel(a, io, await runModelOnFile('spillover', { ...a, exposure }));
  return 0;
}
