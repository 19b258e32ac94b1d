/** `ntl att`: heterogeneity-robust staggered DID — Callaway & Sant'Anna (2021) or Sun & Abraham (2021). */
import { NtlError } from '../errors.js';
import { attGt, type BasePeriod, type ControlGroup } from '../estimate/cs.js';
import { aggregateAtt, AGGREGATION_TYPES, type AggregationType, type AttAggregate } from '../estimate/staggered-aggregate.js';
import { gridValues, unitConstant } from '../estimate/staggered-panel.js';
import { readStaggeredPanel } from '../estimate/staggered-read.js';
import { attTable, type EstimateRow } from '../estimate/staggered-table.js';
import { sunAbraham } from '../estimate/sunab.js';
import { writeFileAtomic } from '../output/atomic.js';
import { optionalNumber, parseFlags, requireFlag } from './args.js';
import { parseTable } from './bacon-command.js';
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
  --unit <col>, --time <col>    unit id and period (number)
  --cohort <col>                first treated period of the unit (0 or empty = never treated), constant within unit
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
  cohort: { type: 'string' },
  method: { type: 'string' },
  control: { type: 'string' },
  anticipation: { type: 'string' },
  base: { type: 'string' },
  aggregate: { type: 'string' },
  table: { type: 'string' },
  digits: { type: 'string' },
  out: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

function oneOf<T extends string>(flag: string, v: string | boolean | undefined, allowed: readonly T[], dflt: T): T {
  if (v === undefined) return dflt;
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) throw new NtlError(`ntl att: --${flag} must be ${allowed.join(' or ')}, got "${String(v)}"`);
  return v as T;
}

const TERM_LABEL: Record<AggregationType, string> = { simple: '', dynamic: 'e', group: 'g', calendar: 't' };
const TERM_KEY: Record<AggregationType, string> = { simple: '', dynamic: 'event', group: 'group', calendar: 'time' };

export async function attCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseFlags('att', argv, FLAGS);
  if (values.help) {
    io.stdout(ATT_HELP);
    return 0;
  }
  if (positionals.length > 0) throw new NtlError(`ntl att: unexpected argument "${positionals[0]}"; see \`ntl att --help\``);
  const path = requireFlag('att', values, 'panel');
  const [y, unit, time, cohortCol] = ['y', 'unit', 'time', 'cohort'].map((f) => requireFlag('att', values, f)) as [string, string, string, string];
  const method = oneOf('method', values.method, ['cs', 'sunab'] as const, 'cs');
  const table = parseTable('att', values.table);
  const digits = optionalNumber('att', values, 'digits', (n) => Number.isInteger(n) && n >= 0 && n <= 12, 'a whole number 0–12');
  const f = await readStaggeredPanel(path, unit, time);
  const yv = gridValues(f.panel, f.table.numbers(y), y, f.label);
  const cohort = unitConstant(f.panel, f.table.numbers(cohortCol), cohortCol, f.label, 0);
  const inFile = (run: () => void) => {
    try {
      run();
    } catch (e) {
      if (e instanceof NtlError) throw new NtlError(`${path}: ${e.message} (cohort column "${cohortCol}")`);
      throw e;
    }
  };
  let json: Record<string, unknown>;
  let text = '';

  if (method === 'sunab') {
    if (values.anticipation !== undefined || values.base !== undefined || values.aggregate !== undefined) {
      throw new NtlError('ntl att: --anticipation, --base and --aggregate apply to --method cs only');
    }
    const control = oneOf('control', values.control, ['never', 'last'] as const, 'never');
    let r!: ReturnType<typeof sunAbraham>;
    inFile(() => (r = sunAbraham({ units: f.panel.units, times: f.panel.times, y: yv, cohort, control })));
    json = {
      method: 'sun-abraham-2021',
      panel: path,
      y,
      control,
      n: r.n,
      clusters: r.clusters,
      att: r.att,
      se: r.se,
      event_study: r.terms.map((t) => ({ event: t.at, att: t.att, se: t.se })),
      coefficients: r.coefficients,
      notes: r.notes,
    };
    if (table !== undefined) {
      const rows: EstimateRow[] = [{ name: 'ATT', att: r.att, se: r.se }, ...r.terms.map((t) => ({ name: `e=${t.at}`, att: t.att, se: t.se }))];
      text = attTable([{ title: `Sun–Abraham ${y}`, rows, n: r.clusters }], table, digits);
    }
  } else {
    const control: ControlGroup = oneOf('control', values.control, ['never', 'notyet'] as const, 'never');
    const base: BasePeriod = oneOf('base', values.base, ['varying', 'universal'] as const, 'varying');
    const anticipation = optionalNumber('att', values, 'anticipation', (n) => Number.isInteger(n) && n >= 0, 'a whole number ≥ 0') ?? 0;
    const types = typeof values.aggregate === 'string' ? values.aggregate.split(',').map((s) => s.trim()) : [...AGGREGATION_TYPES];
    for (const t of types) {
      if (!(AGGREGATION_TYPES as readonly string[]).includes(t)) throw new NtlError(`ntl att: --aggregate takes simple, dynamic, group, calendar; got "${t}"`);
    }
    let r!: ReturnType<typeof attGt>;
    inFile(() => (r = attGt({ units: f.panel.units, times: f.panel.times, y: yv, cohort, control, base, anticipation })));
    const aggs = (types as AggregationType[]).map((t) => aggregateAtt(r, t));
    const aggJson = (a: AttAggregate) => ({ att: a.att, se: a.se, ...(a.type === 'simple' ? {} : { terms: a.terms.map((t) => ({ [TERM_KEY[a.type]]: t.at, att: t.att, se: t.se })) }) });
    json = {
      method: 'callaway-santanna-2021',
      panel: path,
      y,
      control,
      base,
      anticipation,
      n_units: r.nUnits,
      att_gt: r.cells.map((c) => ({ group: c.group, time: c.time, base_time: c.baseTime, post: c.post, att: c.att, se: c.se, treated_units: c.treatedUnits, control_units: c.controlUnits })),
      aggregates: Object.fromEntries(aggs.map((a) => [a.type, aggJson(a)])),
      notes: r.notes,
    };
    if (table !== undefined) {
      const columns = aggs.map((a) => ({
        title: a.type,
        n: r.nUnits,
        rows: [{ name: 'ATT', att: a.att, se: a.se }, ...a.terms.map((t) => ({ name: `${TERM_LABEL[a.type]}=${t.at}`, att: t.att, se: t.se }))],
      }));
      text = attTable(columns, table, digits);
    }
  }
  const out = `${JSON.stringify(json, null, 2)}\n`;
  if (typeof values.out === 'string' && values.out !== '-') await writeFileAtomic(values.out, out);
  else if (table === undefined) io.stdout(out);
  if (table !== undefined) io.stdout(text);
  return 0;
}
