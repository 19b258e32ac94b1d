/** `ntl att`: heterogeneity-robust staggered DID — Callaway & Sant'Anna (2021) or Sun & Abraham (2021). */
import { NtlError } from '../errors.js';
import { runModel } from '../estimate/api.js';
import { attSchema, numberFlag, parseOptions } from '../estimate/options.js';
import { ESTIMATE_TIME_TYPES } from '../estimate/prepare.js';
import { timeTypeArg, timeTypeText } from '../panel/period.js';
import { parseWhere } from '../panel/where.js';
import { optionalNumber, requireFlag } from './args.js';
import { staggeredSpec } from './bacon-command.js';
import { HELP_FLAG, multiValues, parseCommandFlags, type FlagTable } from './flags.js';
import {
  commandHelp,
  emitModel,
  guardModelOutputs,
  PANEL_FILE_FLAGS,
  parseFormat,
  readPanel,
  RESULT_FLAGS,
  transformArgs,
  TRANSFORM_FLAGS,
  WHERE_FLAG,
} from './estimate-args.js';
import type { CommandIo } from './zonal-command.js';

export const ATT_FLAGS = {
  ...PANEL_FILE_FLAGS,
  'time-type': {
    type: 'string',
    arg: timeTypeArg(ESTIMATE_TIME_TYPES),
    help: timeTypeText('--time and --cohort', ESTIMATE_TIME_TYPES),
    group: 'Panel and model',
  },
  cohort: {
    type: 'string',
    arg: '<col>',
    help: 'first treated period of the unit (0 or empty = never treated), constant within unit; required',
    group: 'Panel and model',
  },
  ...WHERE_FLAG,
  ...TRANSFORM_FLAGS,
  method: { type: 'string', arg: 'cs|sunab', default: 'cs', help: 'estimator' },
  control: { type: 'string', arg: 'never|notyet', help: 'cs: comparison units (default never); sunab: never|last (last-treated cohort)' },
  anticipation: { type: 'string', arg: '<k>', default: '0', help: 'cs: periods of anticipation' },
  base: { type: 'string', arg: 'varying|universal', default: 'varying', help: 'cs: base period for pre-treatment ATT(g,t)' },
  aggregate: { type: 'string', arg: '<list>', default: 'all', help: 'cs: comma list of simple,dynamic,group,calendar' },
  ...RESULT_FLAGS,
  ...HELP_FLAG,
} as const satisfies FlagTable;

export const ATT_HELP = commandHelp(
  `ntl att — heterogeneity-robust staggered difference-in-differences

Usage:
  ntl att --panel P --y Y --unit U --time T --cohort COL [options]

--method cs (default): Callaway & Sant'Anna (2021) ATT(g,t), unconditional (no covariates), long
differences against never-treated or not-yet-treated units; standard errors from the influence function,
clustered by unit (as R did::att_gt(bstrap = FALSE)); aggregations simple / dynamic (event study) / group /
calendar with SEs including the estimated-weights term (as did::aggte(bstrap = FALSE)).
--method sunab: Sun & Abraham (2021) interaction-weighted event study: TWFE on cohort × relative-period
dummies (reference −1), clustered by unit, weighted by cohort shares (as fixest::sunab).
--format md|tex|csv prints the aggregated estimates as a table instead of JSON.

Needs a balanced panel. Units treated in the first period have no pre-period and are dropped (with a note);
a cohort after the last period counts as never treated.`,
  ATT_FLAGS,
);

export async function attCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseCommandFlags('att', argv, ATT_FLAGS, io);
  if (values.help) {
    io.stdout(ATT_HELP);
    return 0;
  }
  if (positionals.length > 0) throw new NtlError(`ntl att: unexpected argument "${positionals[0]}"; see \`ntl att --help\``);
  const path = requireFlag('att', values, 'panel');
  const [y, unit, time, cohort] = ['y', 'unit', 'time', 'cohort'].map((f) => requireFlag('att', values, f)) as [string, string, string, string];
  const table = parseFormat('att', values.format);
  const where = parseWhere('att', multiValues(values, 'where'));
  const digits = optionalNumber('att', values, 'digits', (n) => Number.isInteger(n) && n >= 0 && n <= 12, 'a whole number 0–12');
  const method = values.method ?? 'cs';
  if (method === 'sunab' && (values.anticipation !== undefined || values.base !== undefined || values.aggregate !== undefined)) {
    throw new NtlError('ntl att: --anticipation, --base and --aggregate apply to --method cs only');
  }
  const att = parseOptions('att', attSchema, {
    method,
    control: values.control,
    base: values.base,
    anticipation: numberFlag(values.anticipation),
    aggregate: typeof values.aggregate === 'string' ? values.aggregate.split(',').map((s) => s.trim()) : undefined,
  });
  const spec = { ...staggeredSpec(y, unit, time, 'att', values), cohort, att, transform: transformArgs('att', values) };
  const out = typeof values.out === 'string' ? values.out : undefined;
  guardModelOutputs('att', path, out);
  await emitModel({ out, table, digits: digits ?? 3 }, io, await runModel('att', await readPanel(path, where), spec));
  return 0;
}
