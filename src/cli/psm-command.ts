/** `ntl psm-did`: propensity-score matching, then the weighted TWFE DID on the matched sample. */
import { NtlError } from '../errors.js';
import { numberFlag, parseOptions, psmSchema } from '../estimate/options.js';
import { parseCommandFlags, type FlagTable } from './flags.js';
import { commandHelp, emitModel, guardModelOutputs, modelArgs, noPositionals, PANEL_FLAGS, PANEL_NOTES, runModelOnFile } from './estimate-args.js';
import type { CommandIo } from './zonal-command.js';

export const PSM_FLAGS = {
  covariates: { type: 'string', arg: 'a,b', help: 'propensity-score covariates (logit of "unit ever treated" on them, with intercept); required' },
  match: { type: 'string', arg: 'kernel|nn', help: 'Epanechnikov kernel (default; psmatch2 kernel) or 1:1 nearest neighbour with replacement' },
  bandwidth: { type: 'string', arg: '<h>', default: '0.06, as psmatch2', help: 'kernel bandwidth on the score' },
  caliper: { type: 'string', arg: '<c>', help: 'nn only: treated observations without a control within c are off support' },
  'by-period': { type: 'boolean', help: 'estimate the score and match within each period (default: pooled)' },
  ...PANEL_FLAGS,
} as const satisfies FlagTable;

export const PSM_HELP = commandHelp(
  `ntl psm-did — propensity-score matched difference-in-differences

Usage:
  ntl psm-did --panel P --y Y --treat D --unit U --time T --covariates a,b [--match kernel|nn] [options]

Then the TWFE DID on observations with matching weight > 0, weighted by it (treated 1; controls the
kernel sum or the number of matches). Prints the DID result, "balance" (means and standardized
differences before/after, pstest convention) and the logit coefficients.`,
  PSM_FLAGS,
  PANEL_NOTES,
);

export async function psmCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseCommandFlags('psm-did', argv, PSM_FLAGS, io);
  if (values.help) {
    io.stdout(PSM_HELP);
    return 0;
  }
  noPositionals('psm-did', positionals);
  const a = modelArgs('psm-did', values, true);
  if (a.weights !== undefined) throw new NtlError('ntl psm-did: --weights cannot be combined with matching weights');
  const covariates =
    typeof values.covariates === 'string'
      ? values.covariates
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : [];
  if (covariates.length === 0) throw new NtlError('ntl psm-did: --covariates is required (comma list of numeric columns); see `ntl psm-did --help`');
  const psm = parseOptions('psm-did', psmSchema, {
    match: values.match,
    bandwidth: numberFlag(values.bandwidth),
    caliper: numberFlag(values.caliper),
    by_period: values['by-period'] === true ? true : undefined,
  });
  guardModelOutputs('psm-did', a.panelPath, a.out);
  await emitModel(a, io, await runModelOnFile('psm', { ...a, covariates, psm }));
  return 0;
}
