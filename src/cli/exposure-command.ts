/** `ntl exposure`: unit × year spillover exposure (neighbours of treated units) from a neighbour file and a treated list. */
import { extname } from 'node:path';
import { NtlError } from '../errors.js';
import { writeFileAtomic } from '../output/atomic.js';
import { tableToCsv } from '../output/csv.js';
import { encodePanel, isPanelFormat } from '../output/panel-writers.js';
import { parseTimeType } from '../panel/period.js';
import { readTreatment } from '../panel/treatment.js';
import { parseWhere } from '../panel/where.js';
import { exposurePanel } from '../spatial/exposure.js';
import { readNeighbourFile } from '../spatial/weights-io.js';
import { optionalNumber, requireFlag } from './args.js';
import { multiValues, parseCommandFlags } from './flags.js';
import { assertOutputsAreNotInputs } from '../safety/outputs.js';
import type { CommandIo } from './zonal-command.js';
import { EXPOSURE_TIME_TYPES, EXPOSURE_FLAGS, EXPOSURE_HELP } from './specs/exposure.js';

export async function exposureCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseCommandFlags('exposure', argv, EXPOSURE_FLAGS, io);
  if (values.help) {
    io.stdout(EXPOSURE_HELP);
    return 0;
  }
  if (positionals.length > 0) throw new NtlError(`ntl exposure: unexpected argument "${positionals[0]}"; see \`ntl exposure --help\``);
  const edgesPath = requireFlag('exposure', values, 'edges');
  const treatedPath = requireFlag('exposure', values, 'treated');
  const unitCol = requireFlag('exposure', values, 'unit');
  const timeCol = typeof values.time === 'string' && values.time !== '' ? values.time : null;
  const firstYear = optionalNumber('exposure', values, 'first-year', Number.isInteger, 'a year');
  if ((timeCol === null) === (firstYear === undefined)) {
    throw new NtlError("ntl exposure: give either --time <column> (each unit's first treated year) or --first-year <year>; see `ntl exposure --help`");
  }
  parseTimeType(
    'exposure',
    values['time-type'],
    EXPOSURE_TIME_TYPES,
    "exposure builds a panel of whole years; give each unit's first treated year as one (e.g. 2016 for a unit treated in mid-2015)",
  );
  const order = optionalNumber('exposure', values, 'order', (n) => n === 1 || n === 2, '1 or 2') ?? 1;
  const out = typeof values.out === 'string' ? values.out : '-';
  const format = out === '-' ? 'csv' : extname(out).toLowerCase().slice(1);
  if (!isPanelFormat(format)) throw new NtlError(`ntl exposure: --out ${out}: use a .csv, .parquet or .dta file name (or - for standard output)`);
  assertOutputsAreNotInputs(
    'exposure',
    [{ flag: '--out', path: out, example: 'exposure.csv' }],
    [
      { flag: '--edges', path: edgesPath },
      { flag: '--treated', path: treatedPath },
    ],
  );

  const network = await readNeighbourFile(edgesPath);
  const where = parseWhere('exposure', multiValues(values, 'where'));
  const read = await readTreatment(treatedPath, {
    unit: unitCol,
    time: timeCol ?? undefined,
    firstYear: timeCol === null ? firstYear : undefined,
    where,
    waves: values.waves === true,
  });
  const treated = read.timing;
  if (treated.size === 0) throw new NtlError(`${treatedPath} lists no treated units; check the file`);
  const years = typeof values.years === 'string' ? parseYears(values.years) : defaultYears(treated);

  const known = new Set(network.units);
  const unmatched = [...treated.keys()].filter((u) => !known.has(u)).sort();
  const table = exposurePanel(network.edges, treated, network.units, years, order as 1 | 2, { unitColumn: unitCol });
  if (out === '-') io.stdout(tableToCsv(table));
  else await writeFileAtomic(out, encodePanel(table, format, { label: 'ntl exposure panel' }));
  for (const w of read.warnings) io.stderr(`ntl: warning: ${w}\n`);
  if (values.years === undefined)
    io.stderr(`ntl: note: years ${years[0]}–${years[years.length - 1]} (the range of the treated years); pass --years for earlier periods\n`);
  if (unmatched.length > 0) {
    const shown = unmatched.slice(0, 30).join(', ') + (unmatched.length > 30 ? `, … (${unmatched.length - 30} more)` : '');
    io.stderr(`ntl: warning: ${unmatched.length} of ${treated.size} treated unit(s) in ${treatedPath} are not in ${edgesPath} and are left out: ${shown}\n`);
  }
  return 0;
}

export function parseYears(spec: string): number[] {
  const s = spec.trim();
  const range = /^(\d{4})\s*[-:–]\s*(\d{4})$/.exec(s);
  if (range) {
    const from = Number(range[1]),
      to = Number(range[2]);
    if (to < from) throw new NtlError(`ntl exposure: --years ${spec}: the range ends before it starts`);
    return Array.from({ length: to - from + 1 }, (_, i) => from + i);
  }
  const list = s.split(',').map((x) => x.trim());
  if (list.length === 0 || list.some((x) => !/^\d{4}$/.test(x))) {
    throw new NtlError(`ntl exposure: --years must look like 2007-2022 or 2010,2012,2014, got "${spec}"`);
  }
  return [...new Set(list.map(Number))].sort((a, b) => a - b);
}

function defaultYears(treated: ReadonlyMap<string, number>): number[] {
  const ys = [...treated.values()];
  const from = Math.min(...ys),
    to = Math.max(...ys);
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}
