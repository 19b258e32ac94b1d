/** `ntl bacon`: Goodman-Bacon (2021) decomposition of the TWFE DID coefficient into its 2×2 comparisons. */
import { NtlError } from '../errors.js';
import { runModel, type ModelSpec } from '../estimate/api.js';
import { ESTIMATE_TIME_TYPES } from '../estimate/prepare.js';
import { timeTypeArg, timeTypeText } from '../panel/period.js';
import { parseWhere } from '../panel/where.js';
import { optionalNumber, requireFlag, type FlagValues } from './args.js';
import { HELP_FLAG, multiValues, parseCommandFlags, type FlagTable } from './flags.js';
import {
  commandHelp,
  emitModel,
  estimateTimeType,
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

export const BACON_FLAGS = {
  ...PANEL_FILE_FLAGS,
  treat: { type: 'string', arg: '<col>', help: 'treatment indicator (0/1, once 1 stays 1)', group: 'Panel and model' },
  'time-type': { type: 'string', arg: timeTypeArg(ESTIMATE_TIME_TYPES), help: timeTypeText('--time', ESTIMATE_TIME_TYPES), group: 'Panel and model' },
  ...WHERE_FLAG,
  ...TRANSFORM_FLAGS,
  ...RESULT_FLAGS,
  digits: { ...RESULT_FLAGS.digits, default: '4' },
  ...HELP_FLAG,
} as const satisfies FlagTable;

export const BACON_HELP = commandHelp(
  `ntl bacon — Goodman-Bacon (2021) decomposition of the TWFE DID estimate

Usage:
  ntl bacon --panel P --y Y --treat D --unit U --time T [--format md|tex|csv] [--out FILE]

The TWFE coefficient of Y on D (unit and time fixed effects) is a weighted average of every 2×2 DID
between timing groups: treated_vs_never, earlier_vs_later, later_vs_earlier (the "forbidden" comparison,
an already-treated group as control) and later_vs_always (units treated in every period as control).
Prints JSON: twfe, weighted_sum (= twfe), weight_sum (= 1), by_type (weight and weighted average
estimate per type) and every comparison (treated / control first-treated period, estimate, weight);
--format md|tex|csv prints the per-type summary and the comparisons as a table instead.

Needs a balanced panel (one row per unit and period, no missing Y or D) and an absorbing 0/1 treatment.`,
  BACON_FLAGS,
);

export async function baconCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseCommandFlags('bacon', argv, BACON_FLAGS, io);
  if (values.help) {
    io.stdout(BACON_HELP);
    return 0;
  }
  if (positionals.length > 0) throw new NtlError(`ntl bacon: unexpected argument "${positionals[0]}"; see \`ntl bacon --help\``);
  const path = requireFlag('bacon', values, 'panel');
  const [y, treat, unit, time] = ['y', 'treat', 'unit', 'time'].map((f) => requireFlag('bacon', values, f)) as [string, string, string, string];
  const table = parseFormat('bacon', values.format);
  const where = parseWhere('bacon', multiValues(values, 'where'));
  const digits = optionalNumber('bacon', values, 'digits', (n) => Number.isInteger(n) && n >= 0 && n <= 12, 'a whole number 0–12') ?? 4;
  const spec = { ...staggeredSpec(y, unit, time, 'bacon', values), treat, transform: transformArgs('bacon', values) };
  const out = typeof values.out === 'string' ? values.out : undefined;
  guardModelOutputs('bacon', path, out);
  await emitModel({ out, table, digits }, io, await runModel('bacon', await readPanel(path, where), spec));
  return 0;
}

/** Bacon and the staggered estimators fix the model (unit and time effects, by-unit clusters): only the columns vary. */
export function staggeredSpec(y: string, unit: string, time: string, command: string, values: FlagValues): ModelSpec {
  return { y, unit, time, timeType: estimateTimeType(command, values), controls: [], fe: [unit, time], cluster: [unit], vcov: 'CR1', ssc: 'nested' };
}
