/** `ntl bacon`: Goodman-Bacon (2021) decomposition of the TWFE DID coefficient into its 2×2 comparisons. */
import { NtlError } from '../errors.js';
import { baconDecomposition, type BaconType } from '../estimate/bacon.js';
import { gridValues } from '../estimate/staggered-panel.js';
import { readStaggeredPanel } from '../estimate/staggered-read.js';
import { plainTable } from '../estimate/staggered-table.js';
import { TABLE_FORMATS, type TableFormat } from '../estimate/table.js';
import { writeFileAtomic } from '../output/atomic.js';
import { optionalNumber, parseFlags, requireFlag } from './args.js';
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
  --time <col>         period (number)
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
  table: { type: 'string' },
  digits: { type: 'string' },
  out: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const TYPE_LABEL: Record<BaconType, string> = {
  treated_vs_never: 'Treated vs never treated',
  earlier_vs_later: 'Earlier vs later treated',
  later_vs_earlier: 'Later vs earlier treated (forbidden)',
  later_vs_always: 'Later vs always treated',
};

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

  const f = await readStaggeredPanel(path, unit, time);
  const yv = gridValues(f.panel, f.table.numbers(y), y, f.label);
  const dv = gridValues(f.panel, f.table.numbers(treat), treat, f.label);
  let r;
  try {
    r = baconDecomposition({ units: f.panel.units, times: f.panel.times, y: yv, d: dv });
  } catch (e) {
    if (e instanceof NtlError) throw new NtlError(`${path}: ${e.message.replace(/^bacon: /, '')} (column "${treat}")`);
    throw e;
  }
  if (table !== undefined) {
    const fx = (x: number | null) => (x === null ? '' : x.toFixed(digits));
    const summary = plainTable(
      ['Comparison', 'Weight', 'Avg. estimate', '2×2s'],
      [...r.byType.filter((s) => s.comparisons > 0).map((s) => [TYPE_LABEL[s.type], fx(s.weight), fx(s.estimate), String(s.comparisons)]), ['TWFE', fx(r.weightSum), fx(r.twfe), String(r.comparisons.length)]],
      table,
    );
    const each = plainTable(
      ['Treated', 'Control', 'Type', 'Estimate', 'Weight'],
      r.comparisons.map((c) => [String(c.treated), c.control === null ? 'never' : String(c.control), c.type, fx(c.estimate), fx(c.weight)]),
      table,
    );
    io.stdout(`${summary}\n${each}`);
  }
  const json = {
    method: 'goodman-bacon-2021',
    panel: path,
    y,
    treat,
    n_units: r.nUnits,
    n_periods: r.nTimes,
    twfe: r.twfe,
    weighted_sum: r.weightedSum,
    weight_sum: r.weightSum,
    by_type: r.byType.map((s) => ({ type: s.type, comparisons: s.comparisons, weight: s.weight, estimate: s.estimate })),
    comparisons: r.comparisons.map((c) => ({ type: c.type, treated: c.treated, control: c.control, estimate: c.estimate, weight: c.weight, treated_units: c.treatedUnits, control_units: c.controlUnits })),
    groups: r.groups.map((g) => ({ first_treated: g.firstTreated, units: g.units })),
  };
  const text = `${JSON.stringify(json, null, 2)}\n`;
  if (typeof values.out === 'string' && values.out !== '-') await writeFileAtomic(values.out, text);
  else if (table === undefined) io.stdout(text);
  return 0;
}

export function parseTable(command: string, v: string | boolean | undefined): TableFormat | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !(TABLE_FORMATS as readonly string[]).includes(v)) throw new NtlError(`ntl ${command}: --table must be md, tex or csv, got "${String(v)}"`);
  return v as TableFormat;
}
