/** `ntl inequality`: group-level inequality measures per by key (year) as a panel ready to join. */
import { NtlError } from '../errors.js';
import { INEQUALITY_MEASURES, inequalityPanel, isInequalityMeasure, type InequalityMeasure } from '../inequality/index.js';
import { inputFromTable, parseWhere, selectRows, TABLE_TIME_TYPES, UNIT_TEXT } from '../inequality/table-input.js';
import { parseTimeType, timeTypeArg, timeTypeText } from '../panel/period.js';
import { minGroupSizeText, parseMinGroupSize } from '../inequality/group-size.js';
import { writeTableOut } from '../inequality/write-table.js';
import { readTable } from '../panel/read-table.js';
import { requireFlag } from './args.js';
import { commandHelp, HELP_FLAG, multiValues, parseCommandFlags, type FlagTable } from './flags.js';
import { assertOutputsAreNotInputs } from '../safety/outputs.js';
import type { CommandIo } from './zonal-command.js';

export const INEQUALITY_FLAGS = {
  panel: { type: 'string', arg: '<file>', help: 'panel (CSV or Parquet), one row per unit (e.g. county × year)' },
  y: { type: 'string', arg: '<col>', aliases: ['value'], help: 'the measured level (e.g. mean brightness)' },
  group: {
    type: 'string',
    arg: '<col>',
    help: "groups (e.g. parent_id): one output row per (group, period) — e.g. each prefecture's Gini of its counties per year (the city-year INDG)",
  },
  time: { type: 'string', arg: '<col>', aliases: ['by'], help: 'period column (e.g. year)' },
  'time-type': { type: 'string', arg: timeTypeArg(TABLE_TIME_TYPES), help: timeTypeText('--time', TABLE_TIME_TYPES) },
  unit: { type: 'string', arg: '<col>', help: UNIT_TEXT },
  where: {
    type: 'string',
    multiple: true,
    arg: 'COL=VAL',
    help: "keep only these rows (repeatable), e.g. --where source=viirs_like; required when the panel's source column holds several series",
  },
  weights: { type: 'string', arg: '<col>', aliases: ['weight'], help: 'population weights (unit i counts as w_i people)' },
  measures: {
    type: 'string',
    arg: '<list>',
    help: "comma list (default gini):\ngini     Σ_i Σ_r w_i w_r |y_i − y_r| / (2 W² μ)   (no n/(n−1) correction)\ntheil    Theil T = (1/W) Σ w_i (y_i/μ) ln(y_i/μ)\ntheil_l  Theil L = (1/W) Σ w_i ln(μ/y_i)  (empty when a value is 0)\ncv       σ/μ with the population σ (divisor W, not n − 1)\ndagum    group rows: G_jj plus that year's G, Gw, Gnb, Gt; --level by: G, Gw, Gnb, Gt and their shares of G in percent",
  },
  level: {
    type: 'string',
    arg: 'group|by',
    help: 'group (default with --group): a row per (group, period); by: a row per period with the decompositions (Theil T/L within and between groups, Dagum)',
  },
  'min-group-size': { type: 'string', arg: '<N>', help: minGroupSizeText('gini, theil, theil_l, cv, G_jj') },
  out: { type: 'string', arg: '<file>', help: '.csv, .parquet or .dta (default: CSV on standard output)' },
  ...HELP_FLAG,
} as const satisfies FlagTable;

export const INEQUALITY_HELP = commandHelp(
  `ntl inequality — inequality of a panel column within groups, per year, as a panel

Usage:
  ntl inequality --panel <P.csv|P.parquet> --y <col> [--group <col>] [--time <col> [--time-type <t>]] [--unit <col>]
                 [--weights <col>] [--where col=value] [--measures gini,theil,theil_l,cv,dagum] [--level group|by]
                 [--min-group-size <N>] [--out <file>]`,
  INEQUALITY_FLAGS,
  `Columns: <group>, <time>, n (units with a value), n_missing (dropped: missing value), mean (weighted if --weights),
then the measures. Rows sorted by group id, then period. Undefined values are empty, never 0 or NaN: a group with
fewer than --min-group-size units in that year (default 2: a single unit), a group or year whose mean is 0
(Gini, Theil, CV), theil_l where a value is 0, and a year with fewer than --min-group-size units in all (its
overall measures); each with a warning. Every measure except cv needs values ≥ 0 (a negative value is an error).
`,
  21,
);

export function parseMeasures(command: string, list: string): InequalityMeasure[] {
  const items = list
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (items.length === 0) throw new NtlError(`ntl ${command}: --measures is empty; pick from ${INEQUALITY_MEASURES.join(', ')}`);
  for (const m of items) {
    if (!isInequalityMeasure(m)) throw new NtlError(`ntl ${command}: unknown measure "${m}" in --measures; known: ${INEQUALITY_MEASURES.join(', ')}`);
  }
  return items as InequalityMeasure[];
}

export async function inequalityCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseCommandFlags('inequality', argv, INEQUALITY_FLAGS, io);
  if (values.help) {
    io.stdout(INEQUALITY_HELP);
    return 0;
  }
  if (positionals.length > 0) throw new NtlError(`ntl inequality: unexpected argument "${positionals[0]}"; see \`ntl inequality --help\``);
  const panel = requireFlag('inequality', values, 'panel');
  const value = requireFlag('inequality', values, 'y');
  const group = values.group as string | undefined;
  const by = values.time as string | undefined;
  const measures = parseMeasures('inequality', (values.measures as string | undefined) ?? 'gini');
  const level = values.level as string | undefined;
  if (level !== undefined && level !== 'group' && level !== 'by') throw new NtlError(`ntl inequality: --level must be group or by, got "${level}"`);
  if (level === 'group' && !group) throw new NtlError('ntl inequality: --level group needs --group <col>');
  if (measures.includes('dagum') && !group) throw new NtlError('ntl inequality: the dagum measure decomposes by groups; give --group <col> (e.g. parent_id)');
  const out = typeof values.out === 'string' && values.out !== '-' ? values.out : null;
  const minGroupSize = parseMinGroupSize('inequality', values['min-group-size']);
  assertOutputsAreNotInputs('inequality', [{ flag: '--out', path: out ?? undefined, example: 'inequality.csv' }], [{ flag: '--panel', path: panel }]);

  const timeType = parseTimeType('inequality', values['time-type'], TABLE_TIME_TYPES);
  if (values['time-type'] !== undefined && values.time === undefined)
    throw new NtlError('ntl inequality: --time-type says how the --time period column is read; give --time <col> (e.g. year)');
  const where = parseWhere('inequality', multiValues(values, 'where'));
  const table = await readTable(panel);
  const rows = selectRows(table, where);
  const input = inputFromTable(
    table,
    { value, group, by, weight: values.weights as string | undefined, unit: values.unit as string | undefined, timeType },
    rows,
  );
  const { table: result, warnings } = inequalityPanel(input, {
    measures,
    level: level as 'group' | 'by' | undefined,
    groupName: group,
    byName: by,
    minGroupSize,
  });
  const text = await writeTableOut(result, out, 'inequality');
  if (text !== null) io.stdout(text);
  for (const w of warnings) io.stderr(`ntl: warning: ${w}\n`);
  return 0;
}
