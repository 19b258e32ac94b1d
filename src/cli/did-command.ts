/** `ntl did`: two-way fixed-effects difference-in-differences on a panel file. */
import { twfeDid } from '../estimate/did.js';
import { regressionJson } from '../estimate/report.js';
import { parseFlags } from './args.js';
import { emitResult, loadModelPanel, modelArgs, noPositionals, PANEL_FLAGS, PANEL_FLAGS_HELP } from './estimate-args.js';
import type { CommandIo } from './zonal-command.js';

export const DID_HELP = `ntl did — two-way fixed-effects difference-in-differences

Usage:
  ntl did --panel P --y Y --treat D --unit U --time T [options]

Prints {coef, se, t, p (keyed by regressor; the treatment under its column name), n, clusters, r2,
r2_within, fe, vcov, ...}. Default variance: CR1 clustered by unit, t on G−1 degrees of freedom.

${PANEL_FLAGS_HELP}`;

export async function didCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseFlags('did', argv, PANEL_FLAGS);
  if (values.help) {
    io.stdout(DID_HELP);
    return 0;
  }
  noPositionals('did', positionals);
  const a = modelArgs('did', values, true);
  const panel = await loadModelPanel(a);
  const r = twfeDid(panel, { ...a, treat: a.treat!, interactions: a.interactions });
  const json = { ...regressionJson(r, { fe: a.fe, cluster: a.cluster, ssc: a.ssc, droppedMissing: panel.droppedMissing, notes: panel.notes }), treat: a.treat, y: a.y };
  await emitResult(a, io, json, [{ title: `(1) ${a.y}`, result: r, fe: a.fe }]);
  return 0;
}
