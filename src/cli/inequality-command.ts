/** `ntl inequality`: group-level inequality measures per by key (year) as a panel ready to join. */
import { NtlError } from '../errors.js';
import { INEQUALITY_MEASURES, inequalityPanel, isInequalityMeasure, type InequalityMeasure } from '../inequality/index.js';
import { inputFromTable, parseWhere, selectRows, TABLE_TIME_TYPES } from '../inequality/table-input.js';
import { parseTimeType } from '../panel/period.js';
import { parseMinGroupSize } from '../inequality/group-size.js';
import { writeTableOut } from '../inequality/write-table.js';
import { readTable } from '../panel/read-table.js';
import { requireFlag } from './args.js';
import { multiValues, parseCommandFlags } from './flags.js';
import { assertOutputsAreNotInputs } from '../safety/outputs.js';
import type { CommandIo } from './zonal-command.js';
import { INEQUALITY_FLAGS, INEQUALITY_HELP } from './specs/inequality.js';

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
