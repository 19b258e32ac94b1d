/** `ntl psm-did`: propensity-score matching, then the weighted TWFE DID on the matched sample. */
import { NtlError } from '../errors.js';
import { didRegressors, fitModel } from '../estimate/did.js';
import { propensityMatch, type MatchMethod } from '../estimate/psm.js';
import { regressionJson } from '../estimate/report.js';
import { parseFlags } from './args.js';
import { emitResult, loadModelPanel, modelArgs, noPositionals, PANEL_FLAGS, PANEL_FLAGS_HELP } from './estimate-args.js';
import type { CommandIo } from './zonal-command.js';

export const PSM_HELP = `ntl psm-did — propensity-score matched difference-in-differences

Usage:
  ntl psm-did --panel P --y Y --treat D --unit U --time T --covariates a,b [--match kernel|nn] [options]

  --covariates a,b       propensity-score covariates (logit of "unit ever treated" on them, with intercept)
  --match kernel|nn      Epanechnikov kernel (default; psmatch2 kernel) or 1:1 nearest neighbour with
                         replacement
  --bandwidth <h>        kernel bandwidth on the score (default 0.06, as psmatch2)
  --caliper <c>          nn only: treated observations without a control within c are off support
  --by-period            estimate the score and match within each period (default: pooled)

Then the TWFE DID on observations with matching weight > 0, weighted by it (treated 1; controls the
kernel sum or the number of matches). Prints the DID result, "balance" (means and standardized
differences before/after, pstest convention) and the logit coefficients.

${PANEL_FLAGS_HELP}`;

const FLAGS = { ...PANEL_FLAGS, covariates: { type: 'string' }, match: { type: 'string' }, bandwidth: { type: 'string' }, caliper: { type: 'string' }, 'by-period': { type: 'boolean' } } as const;

export async function psmCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseFlags('psm-did', argv, FLAGS);
  if (values.help) {
    io.stdout(PSM_HELP);
    return 0;
  }
  noPositionals('psm-did', positionals);
  const a = modelArgs('psm-did', values, true);
  if (a.weights !== undefined) throw new NtlError('ntl psm-did: --weights cannot be combined with matching weights');
  const covariates = typeof values.covariates === 'string' ? values.covariates.split(',').map((s) => s.trim()).filter(Boolean) : [];
  if (covariates.length === 0) throw new NtlError('ntl psm-did: --covariates is required (comma list of numeric columns); see `ntl psm-did --help`');
  const method = String(values.match ?? 'kernel') as MatchMethod;
  if (method !== 'kernel' && method !== 'nn') throw new NtlError(`ntl psm-did: --match must be kernel or nn, got "${method}"`);
  const bandwidth = values.bandwidth === undefined ? 0.06 : Number(values.bandwidth);
  if (!(bandwidth > 0 && bandwidth <= 1)) throw new NtlError(`ntl psm-did: --bandwidth must be in (0, 1], got "${String(values.bandwidth)}"`);
  const caliper = values.caliper === undefined ? undefined : Number(values.caliper);
  if (caliper !== undefined && !(caliper > 0)) throw new NtlError(`ntl psm-did: --caliper must be > 0, got "${String(values.caliper)}"`);

  const panel = await loadModelPanel(a, { numeric: covariates });
  const d = panel.numeric.get(a.treat!)!;
  const unit = panel.factors.get(a.unit)!;
  const ever = new Uint8Array(unit.labels.length);
  d.forEach((v, i) => v !== 0 && (ever[unit.codes[i]!] = 1));
  const group = Float64Array.from(unit.codes, (u) => ever[u]!);
  const m = propensityMatch(group, covariates.map((c) => panel.numeric.get(c)!), covariates, panel.time, values['by-period'] === true, { method, bandwidth, caliper });
  const rows = Int32Array.from(Array.from(m.weights.keys()).filter((i) => m.weights[i]! > 0));
  const matched = { ...panel, weights: m.weights };
  const r = fitModel(matched, didRegressors(matched, a.treat!, a.controls, a.interactions), a, [a.treat!], rows);
  const json = {
    ...regressionJson(r, { fe: a.fe, cluster: a.cluster, ssc: a.ssc, droppedMissing: panel.droppedMissing, notes: panel.notes }),
    treat: a.treat,
    matching: { method, bandwidth: method === 'kernel' ? bandwidth : null, caliper: caliper ?? null, by_period: values['by-period'] === true, treated_on_support: m.treatedOnSupport, treated_off_support: m.treatedOffSupport, controls_used: m.controlsUsed },
    balance: m.balance,
    logit: m.logits.map((l) => ({ period: l.period, coef: Object.fromEntries(l.model.names.map((nm, i) => [nm, l.model.coef[i]!])), iterations: l.model.iterations })),
  };
  await emitResult(a, io, json, [{ title: `(1) ${a.y}`, result: r, fe: a.fe }]);
  return 0;
}
