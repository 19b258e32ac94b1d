/** `ntl gap`: each row's value relative to the year's median (or mean, or 90th percentile) — methods.md §2. */
import { extname } from 'node:path';
import { NtlError } from '../errors.js';
import { GAP_REFERENCES, gapColumn, type GapReference } from '../inequality/index.js';
import { tableFromLoaded, writeTableOut } from '../inequality/write-table.js';
import { periodKeys, TABLE_TIME_TYPES } from '../inequality/table-input.js';
import { parseTimeType } from '../panel/period.js';
import { parseWhere, readTableWhere } from '../panel/where.js';
import { requireFlag } from './args.js';
import { multiValues, parseCommandFlags } from './flags.js';
import { assertOutputsAreNotInputs } from '../safety/outputs.js';
import type { CommandIo } from './zonal-command.js';
import { GAP_FLAGS, GAP_HELP } from './specs/gap.js';

export async function gapCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseCommandFlags('gap', argv, GAP_FLAGS, io);
  if (values.help) {
    io.stdout(GAP_HELP);
    return 0;
  }
  if (positionals.length > 0) throw new NtlError(`ntl gap: unexpected argument "${positionals[0]}"; see \`ntl gap --help\``);
  const panel = requireFlag('gap', values, 'panel');
  const value = requireFlag('gap', values, 'y');
  const time = typeof values.time === 'string' && values.time !== '' ? values.time : undefined;
  const byList = (typeof values.by === 'string' ? values.by : '')
    .split(',')
    .map((c) => c.trim())
    .filter((c) => c !== '');
  if (time === undefined && byList.length === 0) throw new NtlError('ntl gap: --time is required (the period column, e.g. --time year); see `ntl gap --help`');
  const byCols = time === undefined ? byList : [time, ...byList.filter((c) => c !== time)];
  const ref = (values.ref ?? 'median') as string;
  if (!(GAP_REFERENCES as readonly string[]).includes(ref)) throw new NtlError(`ntl gap: --ref must be ${GAP_REFERENCES.join(', ')}, got "${ref}"`);
  const name = typeof values.name === 'string' && values.name !== '' ? values.name : `${value}_gap`;
  const out = typeof values.out === 'string' && values.out !== '-' ? values.out : null;
  assertOutputsAreNotInputs('gap', [{ flag: '--out', path: out ?? undefined, example: 'gap.csv' }], [{ flag: '--panel', path: panel }]);

  const timeType = parseTimeType('gap', values['time-type'], TABLE_TIME_TYPES);
  const table = await readTableWhere(panel, parseWhere('gap', multiValues(values, 'where')));
  if (table.has(name)) throw new NtlError(`ntl gap: ${panel} already has a column "${name}"; choose another with --name`);
  if (table.has('source') && !byCols.includes('source') && new Set(table.text('source').filter((x) => x !== null)).size > 1) {
    throw new NtlError(
      `ntl gap: ${panel} holds several series in column "source"; use --by source so each series gets its own reference (or keep one with --where source=…)`,
    );
  }
  const keys = periodKeys(table, byCols, values.unit as string | undefined, timeType);
  const gap = gapColumn(table.numbers(value), keys, ref as GapReference);
  const numericOut = out !== null && extname(out).toLowerCase() !== '.csv';
  const columns = [
    ...tableFromLoaded(table, numericOut),
    { name, type: 'float64' as const, label: `${value} / ${ref} by ${byCols.join(', ')}`, values: gap.values },
  ];
  const text = await writeTableOut({ columns }, out, 'gap');
  if (text !== null) io.stdout(text);
  for (const w of gap.warnings) io.stderr(`ntl: warning: ${w}\n`);
  return 0;
}
