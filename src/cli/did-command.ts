/** `ntl did`: two-way fixed-effects difference-in-differences on a panel file. */
import { parseFlags } from './args.js';
import { emitModel, guardModelOutputs, modelArgs, noPositionals, PANEL_FLAGS, PANEL_FLAGS_HELP, runModelOnFile } from './estimate-args.js';
import type { CommandIo } from './zonal-command.js';

export const DID_HELP = `ntl did — two-way fixed-effects difference-in-differences

Usage:
  ntl did --panel P --y Y --treat D --unit U --time T [options]

Prints {coef, se, t, p (keyed by regressor; the treatment under its column name), n, clusters, r2,
r2_within, fe, vcov, ..., design, warnings}. Default variance: CR1 clustered by unit, t on G−1 degrees of
freedom.

  --cohort <col>         first treated period per unit (optional): the design counts use it instead of the
                         first period with D ≠ 0

${PANEL_FLAGS_HELP}`;

const FLAGS = { ...PANEL_FLAGS, cohort: { type: 'string' } } as const;

export async function didCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseFlags('did', argv, FLAGS);
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
