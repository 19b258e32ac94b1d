/** `ntl dagum`: Dagum (1997) Gini decomposition of a panel column by groups, per by key (year), as JSON or CSV. */
import { extname } from 'node:path';
import { NtlError } from '../errors.js';
import { dagumByKey, type DagumByResult } from '../inequality/index.js';
import { parseMinGroupSize } from '../inequality/group-size.js';
import { inputFromTable, parseWhere, selectRows, TABLE_TIME_TYPES } from '../inequality/table-input.js';
import { parseTimeType } from '../panel/period.js';
import { writeFileAtomic } from '../output/atomic.js';
import { csvText, type CsvCell } from '../output/csv.js';
import { readTable } from '../panel/read-table.js';
import { requireFlag } from './args.js';
import { multiValues, parseCommandFlags } from './flags.js';
import { assertOutputsAreNotInputs } from '../safety/outputs.js';
import type { CommandIo } from './zonal-command.js';
import { DAGUM_FLAGS, DAGUM_HELP } from './specs/dagum.js';

export async function dagumCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseCommandFlags('dagum', argv, DAGUM_FLAGS, io);
  if (values.help) {
    io.stdout(DAGUM_HELP);
    return 0;
  }
  if (positionals.length > 0) throw new NtlError(`ntl dagum: unexpected argument "${positionals[0]}"; see \`ntl dagum --help\``);
  const panel = requireFlag('dagum', values, 'panel');
  const value = requireFlag('dagum', values, 'y');
  const group = requireFlag('dagum', values, 'group');
  const format = (values.format ?? 'json') as string;
  if (format !== 'json' && format !== 'csv') throw new NtlError(`ntl dagum: --format must be json or csv, got "${format}"`);
  const out = typeof values.out === 'string' && values.out !== '-' ? values.out : null;
  if (format === 'csv' && out === null) throw new NtlError('ntl dagum: --format csv writes three files; give --out <file.csv>');
  const minGroupSize = parseMinGroupSize('dagum', values['min-group-size']);
  assertOutputsAreNotInputs(
    'dagum',
    out === null
      ? []
      : format === 'csv'
        ? csvPaths(out).map((path) => ({ flag: '--out', path, example: 'dagum.csv' }))
        : [{ flag: '--out', path: out, example: 'dagum.json' }],
    [{ flag: '--panel', path: panel }],
  );

  const timeType = parseTimeType('dagum', values['time-type'], TABLE_TIME_TYPES);
  if (values['time-type'] !== undefined && values.time === undefined)
    throw new NtlError('ntl dagum: --time-type says how the --time period column is read; give --time <col> (e.g. year)');
  const where = parseWhere('dagum', multiValues(values, 'where'));
  const table = await readTable(panel);
  const rows = selectRows(table, where);
  const input = inputFromTable(
    table,
    { value, group, by: values.time as string | undefined, weight: values.weights as string | undefined, unit: values.unit as string | undefined, timeType },
    rows,
  );
  const { results, warnings } = dagumByKey(input, { minGroupSize });
  if (results.length === 0) throw new NtlError(`${panel}: no rows with a value in column "${value}" and a group in "${group}"; nothing to decompose`);

  if (format === 'json') {
    const text = JSON.stringify({ results }, null, 2) + '\n';
    if (out === null) io.stdout(text);
    else await writeFileAtomic(out, text);
  } else {
    const files = csvFiles(results, out!, (values.time as string | undefined) ?? 'by', group);
    // Encoded first, then written: a bad path fails before any of the three files changes.
    for (const f of files) await writeFileAtomic(f.path, f.text);
  }
  for (const w of warnings) io.stderr(`ntl: warning: ${w}\n`);
  return 0;
}

/** The three files of --format csv: <out>, <out base>_summary.csv, <out base>_pairs.csv. */
function csvPaths(out: string): [string, string, string] {
  const base = extname(out) ? out.slice(0, -extname(out).length) : out;
  return [out, `${base}_summary.csv`, `${base}_pairs.csv`];
}

function csvFiles(results: readonly DagumByResult[], out: string, byName: string, groupName: string): { path: string; text: string }[] {
  const [, summaryPath, pairsPath] = csvPaths(out);
  const weighted = results.some((r) => r.weight !== undefined);
  const groups: CsvCell[][] = [];
  const pairs: CsvCell[][] = [];
  for (const r of results) {
    for (const g of r.groups) groups.push([r.by, g.id, g.n, ...(weighted ? [g.weight] : []), g.mean, g.G_jj]);
    for (const p of r.pairs) pairs.push([r.by, p.j, p.h, p.G_jh, p.D_jh]);
  }
  const summary = results.map((r): CsvCell[] => [
    r.by,
    r.n,
    r.n_missing,
    r.k,
    ...(weighted ? [r.weight] : []),
    r.mean,
    r.G,
    r.Gw,
    r.Gnb,
    r.Gt,
    r.shares.Gw,
    r.shares.Gnb,
    r.shares.Gt,
  ]);
  const w = weighted ? ['weight'] : [];
  return [
    { path: out, text: csvText([byName, groupName, 'n', ...w, 'mean', 'G_jj'], groups) },
    { path: summaryPath, text: csvText([byName, 'n', 'n_missing', 'k', ...w, 'mean', 'G', 'Gw', 'Gnb', 'Gt', 'Gw_share', 'Gnb_share', 'Gt_share'], summary) },
    { path: pairsPath, text: csvText([byName, 'j', 'h', 'G_jh', 'D_jh'], pairs) },
  ];
}
