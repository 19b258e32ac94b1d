/** `ntl bacon`: Goodman-Bacon (2021) decomposition of the TWFE DID coefficient into its 2×2 comparisons. */
import { NtlError } from '../errors.js';
import { runModel, type ModelSpec } from '../estimate/api.js';
import { TABLE_FORMATS, type TableFormat } from '../estimate/table.js';
import { ESTIMATE_TIME_TYPES } from '../estimate/prepare.js';
import { TIME_TYPE_FLAG, timeTypeHelp } from '../panel/period.js';
import { readTable } from '../panel/read-table.js';
import { optionalNumber, parseFlags, requireFlag, type FlagValues } from './args.js';
import { emitModel, estimateTimeType, guardModelOutputs, transformArgs } from './estimate-args.js';
import type { CommandIo } from './zonal-command.js';

export const BACON_HELP = `ntl bacon — Goodman-Bacon (2021) decomposition of the TWFE DID estimate

Usage:
  ntl bacon --panel P --y Y --treat D --unit U --time T [--table md|tex|csv] [--out FILE]

The TWFE coefficient of Y on D (unit and time fixed effects) is a weighted average of every 2×2 DID
between timing groups: treated_vs_never, earlier_vs_later, later_vs_earlier (the "forbidden" comparison,
an already-treated group as control) and later_vs_always (units treated in every period as control).
Prints JSON: twfe, weighted_sum (= twfe), weight_sum (= 1), by_type (weight and weighted average
estimate per type) and every comparison (treated / control first-treated period, estimate, weight).

Needs a balanced panel (one row per unit and period, no missing Y or D) and an absorbing 0/1 treatment.

Options:
  --panel <file>       CSV or Parquet, long format
  --y <col>            outcome
  --treat <col>        treatment indicator (0/1, once 1 stays 1)
  --unit <col>         unit id
  --time <col>         period (number); one row per unit and period
${timeTypeHelp(23, '--time', ESTIMATE_TIME_TYPES)}  --y-transform t      outcome transform: log, log1p, ihs or winsor (with --winsor p)
  --table md|tex|csv   print the per-type summary and the comparisons as a table instead of JSON
  --digits <n>         decimals in the table (default 4)
  --out <file>         write the JSON here (atomically) instead of standard output
`;

const FLAGS = {
  panel: { type: 'string' },
  y: { type: 'string' },
  treat: { type: 'string' },
  unit: { type: 'string' },
  time: { type: 'string' },
  ...TIME_TYPE_FLAG,
  'y-transform': { type: 'string' },
  winsor: { type: 'string' },
  table: { type: 'string' },
  digits: { type: 'string' },
  out: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function baconCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseFlags('bacon', argv, FLAGS);
  if (values.help) {
    io.stdout(BACON_HELP);
    return 0;
  }
  if (positionals.length > 0) throw new NtlError(`ntl bacon: unexpected argument "${positionals[0]}"; see \`ntl bacon --help\``);
  const path = requireFlag('bacon', values, 'panel');
  const [y, treat, unit, time] = ['y', 'treat', 'unit', 'time'].map((f) => requireFlag('bacon', values, f)) as [string, string, string, string];
  const table = parseTable('bacon', values.table);
  const digits = optionalNumber('bacon', values, 'digits', (n) => Number.isInteger(n) && n >= 0 && n <= 12, 'a whole number 0–12') ?? 4;
  const spec = { ...staggeredSpec(y, unit, time, 'bacon', values), treat, transform: transformArgs('bacon', values) };
  const out = typeof values.out === 'string' ? values.out : undefined;
  guardModelOutputs('bacon', path, out);
  await emitModel({ out, table, digits }, io, await runModel('bacon', await readTable(path), spec));
  return 0;
}

/** Bacon and the staggered estimators fix the model (unit and time effects, by-unit clusters): only the columns vary. */
export function staggeredSpec(y: string, unit: string, time: string, command: string, values: FlagValues): ModelSpec {
  return { y, unit, time, timeType: estimateTimeType(command, values), controls: [], fe: [unit, time], cluster: [unit], vcov: 'CR1', ssc: 'nested' };
}

export function parseTable(command: string, v: string | boolean | undefined): TableFormat | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !(TABLE_FORMATS as readonly string[]).includes(v)) throw new NtlError(`ntl ${command}: --table must be md, tex or csv, got "${String(v)}"`);
  return v as TableFormat;
}
