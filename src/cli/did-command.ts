/** `ntl did`: two-way fixed-effects difference-in-differences on a panel file. */
import { parseCommandFlags, type FlagTable } from './flags.js';
import { commandHelp, emitModel, guardModelOutputs, modelArgs, noPositionals, PANEL_FLAGS, PANEL_NOTES, runModelOnFile } from './estimate-args.js';
import type { CommandIo } from './zonal-command.js';

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
