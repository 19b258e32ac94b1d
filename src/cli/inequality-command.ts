/** `ntl inequality`: group-level inequality measures per by key (year) as a panel ready to join. */
import { NtlError } from '../errors.js';
import { INEQUALITY_MEASURES, inequalityPanel, isInequalityMeasure, type InequalityMeasure } from '../inequality/index.js';
import { inputFromTable, parseWhere, selectRows, TABLE_TIME_TYPES, UNIT_HELP } from '../inequality/table-input.js';
import { parseTimeType, TIME_TYPE_FLAG, timeTypeHelp } from '../panel/period.js';
import { MIN_GROUP_SIZE_FLAG, minGroupSizeHelp, parseMinGroupSize } from '../inequality/group-size.js';
import { writeTableOut } from '../inequality/write-table.js';
import { readTable } from '../panel/read-table.js';
import { parseFlags, requireFlag } from './args.js';
import { assertOutputsAreNotInputs } from '../safety/outputs.js';
import type { CommandIo } from './zonal-command.js';

export const INEQUALITY_HELP = `ntl inequality — inequality of a panel column within groups, per year, as a panel

Usage:
  ntl inequality --panel <P.csv|P.parquet> --value <col> [--group <col>] [--by <col> [--time-type <t>]] [--unit <col>]
                 [--weight <col>] [--where col=value] [--measures gini,theil,theil_l,cv,dagum] [--level group|by]
                 [--min-group-size <N>] [--out <file>]

Options:
  --panel <file>     panel (CSV or Parquet), one row per unit (e.g. county × year)
  --value <col>      the measured level (e.g. mean brightness)
  --group <col>      groups (e.g. parent_id): one output row per (group, by) — e.g. each prefecture's Gini of its
                     counties per year (the city-year INDG)
  --by <col>         period column (e.g. year)
${timeTypeHelp(21, '--by', TABLE_TIME_TYPES)}${UNIT_HELP}  --where <col=val>  keep only these rows (repeatable), e.g. --where source=viirs_like; required when the
                     panel's source column holds several series
  --weight <col>     population weights (unit i counts as w_i people)
  --measures <list>  comma list (default gini):
                       gini     Σ_i Σ_r w_i w_r |y_i − y_r| / (2 W² μ)   (no n/(n−1) correction)
                       theil    Theil T = (1/W) Σ w_i (y_i/μ) ln(y_i/μ)
                       theil_l  Theil L = (1/W) Σ w_i ln(μ/y_i)  (empty when a value is 0)
                       cv       σ/μ with the population σ (divisor W, not n − 1)
                       dagum    group rows: G_jj plus that year's G, Gw, Gnb, Gt;
                                --level by: G, Gw, Gnb, Gt and their shares of G in percent
  --level group|by   group (default with --group): a row per (group, by); by: a row per by key with the
                     decompositions (Theil T/L within and between groups, Dagum)
${minGroupSizeHelp('gini, theil, theil_l, cv, G_jj')}  --out <file>       .csv, .parquet or .dta (default: CSV on standard output)

Columns: <group>, <by>, n (units with a value), n_missing (dropped: missing value), mean (weighted if --weight),
then the measures. Rows sorted by group id, then by. Undefined values are empty, never 0 or NaN: a group with
fewer than --min-group-size units in that year (default 2: a single unit), a group or year whose mean is 0
(Gini, Theil, CV), theil_l where a value is 0, and a year with fewer than --min-group-size units in all (its
overall measures); each with a warning. Every measure except cv needs values ≥ 0 (a negative value is an error).
`;

const FLAGS = {
  panel: { type: 'string' },
  value: { type: 'string' },
  group: { type: 'string' },
  by: { type: 'string' },
  ...TIME_TYPE_FLAG,
  unit: { type: 'string' },
  weight: { type: 'string' },
  where: { type: 'string', multiple: true },
  measures: { type: 'string' },
  level: { type: 'string' },
  out: { type: 'string' },
  ...MIN_GROUP_SIZE_FLAG,
  help: { type: 'boolean', short: 'h' },
  debug: { type: 'boolean' },
} as const;

export function parseMeasures(command: string, list: string): InequalityMeasure[] {
  const items = list.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (items.length === 0) throw new NtlError(`ntl ${command}: --measures is empty; pick from ${INEQUALITY_MEASURES.join(', ')}`);
  for (const m of items) {
    if (!isInequalityMeasure(m)) throw new NtlError(`ntl ${command}: unknown measure "${m}" in --measures; known: ${INEQUALITY_MEASURES.join(', ')}`);
  }
  return items as InequalityMeasure[];
}

export async function inequalityCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseFlags('inequality', argv, FLAGS);
  if (values.help) {
    io.stdout(INEQUALITY_HELP);
    return 0;
  }
  if (positionals.length > 0) throw new NtlError(`ntl inequality: unexpected argument "${positionals[0]}"; see \`ntl inequality --help\``);
  const panel = requireFlag('inequality', values, 'panel');
  const value = requireFlag('inequality', values, 'value');
  const group = values.group as string | undefined;
  const by = values.by as string | undefined;
  const measures = parseMeasures('inequality', (values.measures as string | undefined) ?? 'gini');
  const level = values.level as string | undefined;
  if (level !== undefined && level !== 'group' && level !== 'by') throw new NtlError(`ntl inequality: --level must be group or by, got "${level}"`);
  if (level === 'group' && !group) throw new NtlError('ntl inequality: --level group needs --group <col>');
  if (measures.includes('dagum') && !group) throw new NtlError('ntl inequality: the dagum measure decomposes by groups; give --group <col> (e.g. parent_id)');
  const out = typeof values.out === 'string' && values.out !== '-' ? values.out : null;
  const minGroupSize = parseMinGroupSize('inequality', values['min-group-size']);
  assertOutputsAreNotInputs('inequality', [{ flag: '--out', path: out ?? undefined, example: 'inequality.csv' }], [{ flag: '--panel', path: panel }]);

  const timeType = parseTimeType('inequality', values['time-type'], TABLE_TIME_TYPES);
  if (values['time-type'] !== undefined && values.by === undefined) throw new NtlError('ntl inequality: --time-type says how the --by period column is read; give --by <col> (e.g. year)');
  const where = parseWhere('inequality', (values.where as unknown as string[] | undefined) ?? []);
  const table = await readTable(panel);
  const rows = selectRows(table, where, 'inequality');
  const input = inputFromTable(table, { value, group, by, weight: values.weight as string | undefined, unit: values.unit as string | undefined, timeType }, rows);
  const { table: result, warnings } = inequalityPanel(input, { measures, level: level as 'group' | 'by' | undefined, groupName: group, byName: by, minGroupSize });
  const text = await writeTableOut(result, out, 'inequality');
  if (text !== null) io.stdout(text);
  for (const w of warnings) io.stderr(`ntl: warning: ${w}\n`);
  return 0;
}
