/** `ntl psm-did`: propensity-score matching, then the weighted TWFE DID on the matched sample. */
import { NtlError } from '../errors.js';
import { numberFlag, parseOptions, psmSchema } from '../estimate/options.js';
import { parseCommandFlags } from './flags.js';
import { emitModel, guardModelOutputs, modelArgs, noPositionals, runModelOnFile } from './estimate-args.js';
import type { CommandIo } from './zonal-command.js';
import { PSM_FLAGS, PSM_HELP } from './specs/psm.js';

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
