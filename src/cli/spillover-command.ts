/**
 * `ntl spillover`: (1) DID of the exposure indicator (borders a treated unit by t) on the sample without
 * treated units; (2) robustness: the main DID with treated units' neighbours (never treated, ever exposed)
 * removed from the controls.
 */
import { NtlError } from '../errors.js';
import { didRegressors, fitModel } from '../estimate/did.js';
import { regressionJson } from '../estimate/report.js';
import { parseFlags } from './args.js';
import { emitResult, loadModelPanel, modelArgs, noPositionals, PANEL_FLAGS, PANEL_FLAGS_HELP } from './estimate-args.js';
import type { CommandIo } from './zonal-command.js';

export const SPILLOVER_HELP = `ntl spillover — spillovers to neighbours of treated units (after Butts 2021)

Usage:
  ntl spillover --panel P --y Y --treat D --unit U --time T --exposure E [options]

  --exposure <col>       exposure_it = 1 if unit i borders a unit treated by t (time-varying 0/1)

Prints {spillover: DID of E on units never treated, without_neighbours: the main DID of D with units
that are never treated but ever exposed removed}.

${PANEL_FLAGS_HELP}`;

const FLAGS = { ...PANEL_FLAGS, exposure: { type: 'string' } } as const;

export async function spilloverCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseFlags('spillover', argv, FLAGS);
  if (values.help) {
    io.stdout(SPILLOVER_HELP);
    return 0;
  }
  noPositionals('spillover', positionals);
  const a = modelArgs('spillover', values, true);
  const exposure = typeof values.exposure === 'string' && values.exposure !== '' ? values.exposure : null;
  if (exposure === null) throw new NtlError('ntl spillover: --exposure is required; see `ntl spillover --help`');
  const panel = await loadModelPanel(a, { numeric: [exposure] });
  const d = panel.numeric.get(a.treat!)!;
  const e = panel.numeric.get(exposure)!;
  const unit = panel.factors.get(a.unit)!;
  const everTreated = new Uint8Array(unit.labels.length);
  const everExposed = new Uint8Array(unit.labels.length);
  for (let i = 0; i < panel.n; i++) {
    if (d[i] !== 0) everTreated[unit.codes[i]!] = 1;
    if (e[i] !== 0) everExposed[unit.codes[i]!] = 1;
  }
  const rowsWhere = (f: (u: number) => boolean) => Int32Array.from(Array.from({ length: panel.n }, (_, i) => i).filter((i) => f(unit.codes[i]!)));
  const untreated = rowsWhere((u) => !everTreated[u]);
  if (!Array.from(untreated).some((i) => e[i] !== 0)) throw new NtlError(`${panel.path}: exposure "${exposure}" is 0 for every never-treated unit; nothing to estimate`);
  const spill = fitModel(panel, didRegressors(panel, exposure, a.controls, []), a, [exposure], untreated);
  const noNeighbours = rowsWhere((u) => everTreated[u] === 1 || !everExposed[u]);
  const main = fitModel(panel, didRegressors(panel, a.treat!, a.controls, a.interactions), a, [a.treat!], noNeighbours);
  const ctx = { fe: a.fe, cluster: a.cluster, ssc: a.ssc, droppedMissing: panel.droppedMissing, notes: panel.notes };
  const json = {
    spillover: { ...regressionJson(spill, ctx), sample: 'units never treated', treat: exposure },
    without_neighbours: { ...regressionJson(main, ctx), sample: 'treated units + controls never exposed', treat: a.treat, neighbours_removed: everExposed.reduce((c, x, u) => c + (x && !everTreated[u] ? 1 : 0), 0) },
  };
  await emitResult(a, io, json, [
    { title: '(1) spillover', result: spill, fe: a.fe },
    { title: '(2) no neighbours', result: main, fe: a.fe },
  ]);
  return 0;
}
