/** `ntl did`: two-way fixed-effects difference-in-differences on a panel file. */
import { parseCommandFlags } from './flags.js';
import { emitModel, guardModelOutputs, modelArgs, noPositionals, runModelOnFile } from './estimate-args.js';
import type { CommandIo } from './zonal-command.js';
import { DID_FLAGS, DID_HELP } from './specs/did.js';

export async function didCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseCommandFlags('did', argv, DID_FLAGS, io);
  if (values.help) {
    io.stdout(DID_HELP);
    return 0;
  }
  noPositionals('did', positionals);
  const a = { ...modelArgs('did', values, true), cohort: typeof values.cohort === 'string' && values.cohort !== '' ? values.cohort : undefined };
  guardModelOutputs('did', a.panelPath, a.out);
  await emitModel(a, io, await runModelOnFile('did', a));
  return 0;
}
