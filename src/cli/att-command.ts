/** `ntl att`: heterogeneity-robust staggered DID — Callaway & Sant'Anna (2021) or Sun & Abraham (2021). */
import { NtlError } from '../errors.js';
import { runModel } from '../estimate/api.js';
import { attSchema, numberFlag, parseOptions } from '../estimate/options.js';
import { ESTIMATE_TIME_TYPES } from '../estimate/prepare.js';
import { TIME_TYPE_FLAG, timeTypeHelp } from '../panel/period.js';
import { readTable } from '../panel/read-table.js';
import { optionalNumber, parseFlags, requireFlag } from './args.js';
import { parseTable, staggeredSpec } from './bacon-command.js';
import { emitModel, guardModelOutputs, transformArgs } from './estimate-args.js';
import type { CommandIo } from './zonal-command.js';

export const ATT_HELP = `ntl att — heterogeneity-robust staggered difference-in-differences

Usage:
  ntl att --panel P --y Y --unit U --time T --cohort COL [options]

--method cs (default): Callaway & Sant'Anna (2021) ATT(g,t), unconditional (no covariates), long
differences against never-treated or not-yet-treated units; standard errors from the influence function,
clustered by unit (as R did::att_gt(bstrap = FALSE)); aggregations simple / dynamic (event study) / group /
calendar with SEs including the estimated-weights term (as did::aggte(bstrap = FALSE)).
--method sunab: Sun & Abraham (2021) interaction-weighted event study: TWFE on cohort × relative-period
dummies (reference −1), clustered by unit, weighted by cohort shares (as fixest::sunab).

Needs a balanced panel. Units treated in the first period have no pre-period and are dropped (with a note);
a cohort after the last period counts as never treated.

Options:
  --panel <file>                CSV or Parquet, long format
  --y <col>                     outcome
  --unit <col>, --time <col>    unit id and period (number); one row per unit and period
${timeTypeHelp(32, '--time and --cohort', ESTIMATE_TIME_TYPES)}  --cohort <col>                first treated period of the unit (0 or empty = never treated), constant within unit
  --method cs|sunab             estimator (default cs)
  --control never|notyet        cs: comparison units (default never); sunab: never|last (last-treated cohort)
  --anticipation <k>            cs: periods of anticipation (default 0)
  --base varying|universal      cs: base period for pre-treatment ATT(g,t) (default varying)
  --aggregate <list>            cs: comma list of simple,dynamic,group,calendar (default all)
  --table md|tex|csv            print the aggregated estimates as a table instead of JSON
  --digits <n>                  decimals in the table (default 3)
  --out <file>                  write the JSON here (atomically) instead of standard output
`;

const FLAGS = {
  panel: { type: 'string' },
  y: { type: 'string' },
  unit: { type: 'string' },
  time: { type: 'string' },
  ...TIME_TYPE_FLAG,
  cohort: { type: 'string' },
  method: { type: 'string' },
  control: { type: 'string' },
  anticipation: { type: 'string' },
  base: { type: 'string' },
  aggregate: { type: 'string' },
  'y-transform': { type: 'string' },
  winsor: { type: 'string' },
  table: { type: 'string' },
  digits: { type: 'string' },
  out: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function attCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseFlags('att', argv, FLAGS);
  if (values.help) {
    io.stdout(ATT_HELP);
    return 0;
  }
  if (positionals.length > 0) throw new NtlError(`ntl att: unexpected argument "${positionals[0]}"; see \`ntl att --help\``);
  const path = requireFlag('att', values, 'panel');
  const [y, unit, time, cohort] = ['y', 'unit', 'time', 'cohort'].map((f) => requireFlag('att', values, f)) as [string, string, string, string];
  const table = parseTable('att', values.table);
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
  await emitModel({ out, table, digits: digits ?? 3 }, io, await runModel('att', await readTable(path), spec));
  return 0;
}
