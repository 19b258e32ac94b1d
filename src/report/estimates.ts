/**
 * Estimate records (estimates/<name>.json: a command's --out JSON plus "kind" and "title") → report tables and
 * facts (pure). Regression-shaped results reuse the journal cells of src/estimate/table.ts; unknown kinds
 * come back as `null` tables and the page shows the JSON itself.
 */
import { normalTwoSided } from '../estimate/staggered-table.js';
import { tableCells, type TableColumn, type TableOptions } from '../estimate/table.js';
import { fmt, fmtInt } from './format.js';
import { arr, isObject, num, numOrNull, obj, str, strings, type JsonObject } from './json.js';
import type { ReportTable, RowClass } from './types.js';

export const ESTIMATE_KINDS = ['did', 'eventstudy', 'placebo', 'bacon', 'psm', 'spillover', 'att'] as const;
export type EstimateKind = (typeof ESTIMATE_KINDS)[number];

export interface EstimateView {
  readonly name: string;
  readonly kind: string;
  readonly title: string;
  readonly tables: readonly ReportTable[];
  readonly facts: readonly (readonly [string, string])[];
  readonly notes: readonly string[];
  /** What the figure figures/<name>.png shows, for its caption. */
  readonly figureCaption: string;
  /** True when the kind is not one the report knows: the page shows the JSON. */
  readonly generic: boolean;
}

const STAR_NOTE = 'Standard errors in parentheses. *** p<0.01, ** p<0.05, * p<0.1.';

/** A column of a journal table from a regressionJson-shaped record (coef/se/p keyed by regressor). */
export function regressionColumn(title: string, j: JsonObject): TableColumn | null {
  const coef = obj(j.coef);
  if (!coef) return null;
  const names = Object.keys(coef);
  const se = obj(j.se) ?? {};
  const p = obj(j.p) ?? {};
  return {
    title,
    result: {
      names,
      coef: names.map((n) => num(coef[n])),
      se: names.map((n) => num(se[n])),
      p: names.map((n) => num(p[n])),
      n: num(j.n),
      r2: num(j.r2),
      r2Within: num(j.r2_within),
      clusters: typeof j.clusters === 'number' ? j.clusters : null,
    },
    fe: strings(j.fe),
  };
}

export interface JournalOptions extends TableOptions {
  /** Rename statistic rows, e.g. { N: 'Units' }; a '' label drops the row. */
  readonly statLabels?: Readonly<Record<string, string>>;
}

/** Journal cells → ReportTable: SE rows marked, a rule above the FE/statistics block, empty statistic rows dropped. */
export function journalTable(name: string, caption: string, columns: readonly TableColumn[], opts: JournalOptions = {}, note = STAR_NOTE): ReportTable {
  const cells = tableCells(columns, opts);
  const names: string[] = opts.keep ? [...opts.keep] : [];
  if (!opts.keep) for (const c of columns) for (const nm of c.result.names) if (!names.includes(nm)) names.push(nm);
  const coefRows = cells.slice(1, 1 + 2 * names.length);
  const statRows = cells
    .slice(1 + 2 * names.length)
    .filter((r) => r.slice(1).some((c) => c !== ''))
    .map((r) => [opts.statLabels?.[r[0]!] ?? r[0]!, ...r.slice(1)])
    .filter((r) => r[0] !== '');
  const rowClasses: (RowClass | undefined)[] = [...coefRows.map((_, i): RowClass | undefined => (i % 2 ? 'se' : undefined)), ...statRows.map((_, i): RowClass | undefined => (i === 0 ? 'rule' : undefined))];
  return { name, caption, header: cells[0]!, rows: [...coefRows, ...statRows], rowClasses, note };
}

function vcovText(j: JsonObject): string {
  const v = str(j.vcov);
  if (v === 'CR1') return `Clustered (${strings(j.cluster_vars).join(', ') || 'unit'})`;
  if (v === 'HC1') return 'Robust (HC1)';
  if (v === 'iid') return 'Conventional';
  return v ?? '';
}

/** Facts every regression record carries. */
function regressionFacts(j: JsonObject): [string, string][] {
  const out: [string, string][] = [];
  const add = (k: string, v: string | null | undefined) => v && out.push([k, v]);
  add('Outcome', str(j.y));
  add('Treatment', str(j.treat));
  add('Standard errors', `${vcovText(j)}${typeof j.df === 'number' ? `, t on ${j.df} df` : ''}${str(j.ssc) && j.vcov === 'CR1' ? `, small-sample K ${str(j.ssc)}` : ''}`);
  const dropped = strings(j.dropped_collinear);
  if (dropped.length) add('Dropped (collinear)', dropped.join(', '));
  if (num(j.singletons_dropped) > 0) add('Singletons dropped', fmtInt(num(j.singletons_dropped)));
  if (num(j.missing_dropped) > 0) add('Rows with missing values dropped', fmtInt(num(j.missing_dropped)));
  return out;
}

const notesOf = (j: JsonObject) => strings(j.notes);

export function estimateView(name: string, j: JsonObject): EstimateView {
  const kind = str(j.kind) ?? 'unknown';
  const title = str(j.title) ?? name;
  const base = { name, kind, title, notes: notesOf(j), figureCaption: '', generic: false };
  const reg = (t: string, rec: JsonObject, extra: TableOptions = {}) => {
    const col = regressionColumn(t, rec);
    return col ? [journalTable(`est_${name}`, title, [col], { extraRows: { 'Standard errors': [vcovText(rec)] }, ...extra })] : [];
  };
  switch (kind) {
    case 'did':
      return { ...base, tables: reg(`(1) ${str(j.y) ?? ''}`.trim(), j), facts: regressionFacts(j) };
    case 'psm':
      return { ...base, tables: [...reg(`(1) ${str(j.y) ?? 'PSM-DID'}`, j), ...psmBalance(name, j)], facts: [...regressionFacts(j), ...psmFacts(j)] };
    case 'eventstudy': {
      const labels = Object.fromEntries(Object.keys(obj(j.coef) ?? {}).map((k) => [k, /^rel_-?\d+$/.test(k) ? `Period ${k.slice(4)}` : k]));
      const ref = numOrNull(j.ref);
      return {
        ...base,
        tables: reg(`(1) ${str(j.y) ?? 'event study'}`, j, { labels }),
        facts: [...regressionFacts(j), ['Cohort column', str(j.cohort) ?? ''], ['Window', arr(j.window).join(' to ')], ['Reference period', ref === null ? '' : String(ref)]],
        figureCaption: `Coefficients by period relative to adoption with 95% confidence intervals${ref === null ? '' : `; period ${ref} is the omitted reference`}.`,
      };
    }
    case 'placebo':
      return placeboView(base, j);
    case 'spillover': {
      const s = obj(j.spillover) ?? {};
      const w = obj(j.without_neighbours) ?? {};
      const cols = [regressionColumn('(1) Spillover', s), regressionColumn('(2) No neighbours', w)].filter((c): c is TableColumn => c !== null);
      return {
        ...base,
        tables: cols.length ? [journalTable(`est_${name}`, title, cols, { extraRows: { Sample: [str(s.sample) ?? '', str(w.sample) ?? ''], 'Standard errors': [vcovText(s), vcovText(w)] } })] : [],
        facts: [
          ['(1) Regressor', str(s.treat) ?? ''],
          ['(2) Regressor', str(w.treat) ?? ''],
          ['Neighbour units removed in (2)', fmtInt(numOrNull(w.neighbours_removed))],
        ],
        notes: [...notesOf(s), ...notesOf(w)],
      };
    }
    case 'bacon':
      return baconView(base, j);
    case 'att':
      return attView(base, j);
    default:
      return { ...base, tables: [], facts: [], generic: true };
  }
}

type Base = Pick<EstimateView, 'name' | 'kind' | 'title' | 'notes' | 'figureCaption' | 'generic'>;

function psmFacts(j: JsonObject): [string, string][] {
  const m = obj(j.matching);
  if (!m) return [];
  return [
    ['Matching', `${str(m.method) ?? ''}${typeof m.bandwidth === 'number' ? `, bandwidth ${m.bandwidth}` : ''}${typeof m.caliper === 'number' ? `, caliper ${m.caliper}` : ''}${m.by_period === true ? ', by period' : ''}`],
    ['Treated on / off support', `${fmtInt(numOrNull(m.treated_on_support))} / ${fmtInt(numOrNull(m.treated_off_support))}`],
    ['Controls used', fmtInt(numOrNull(m.controls_used))],
  ];
}

function psmBalance(name: string, j: JsonObject): ReportTable[] {
  const rows = arr(j.balance).filter(isObject);
  if (rows.length === 0) return [];
  const f = (v: unknown) => fmt(numOrNull(v), 3);
  return [
    {
      name: `est_${name}_balance`,
      caption: 'Covariate balance before and after matching',
      groups: [{ label: '', span: 1 }, { label: 'Before matching', span: 3 }, { label: 'After matching', span: 3 }],
      header: ['Covariate', 'Treated', 'Control', 'Std. diff. (%)', 'Treated', 'Control', 'Std. diff. (%)'],
      rows: rows.map((r) => [str(r.covariate) ?? '', f(r.mean_treated_before), f(r.mean_control_before), f(r.std_diff_before), f(r.mean_treated_after), f(r.mean_control_after), f(r.std_diff_after)]),
    },
  ];
}

function placeboView(base: Base, j: JsonObject): EstimateView {
  const a = obj(j.actual) ?? {};
  const q = obj(j.quantiles) ?? {};
  const draws = numOrNull(j.draws_n);
  const failed = numOrNull(j.draws_failed) ?? 0;
  const rows: [string, string][] = [
    ['Actual estimate', fmt(numOrNull(a.coef), 4)],
    ['Standard error', fmt(numOrNull(a.se), 4)],
    ['p-value (t)', fmt(numOrNull(a.p), 4)],
    ['Placebo draws', `${fmtInt(draws)}${failed > 0 ? ` (${fmtInt(failed)} failed)` : ''}`],
    ['Placebo mean', fmt(numOrNull(j.mean), 4)],
    ['Placebo s.d.', fmt(numOrNull(j.sd), 4)],
    ...Object.keys(q).map((k): [string, string] => [`Quantile ${k}`, fmt(numOrNull(q[k]), 4)]),
    ['Share |placebo| ≥ |actual|', fmt(numOrNull(j.share_abs_ge), 4)],
  ];
  const model = obj(j.model);
  const tables: ReportTable[] = [
    { name: `est_${base.name}`, caption: base.title, header: ['', 'Value'], rows, note: 'The share of placebo estimates at least as large in absolute value as the actual one is the permutation p-value.' },
  ];
  if (model) {
    const col = regressionColumn('Actual model', model);
    if (col) tables.push(journalTable(`est_${base.name}_model`, `${base.title}: the actual model`, [col], { extraRows: { 'Standard errors': [vcovText(model)] } }));
  }
  return {
    ...base,
    tables,
    facts: [['Mode', str(j.mode) ?? ''], ['Seed', str(j.seed) ?? ''], ...(model ? regressionFacts(model) : [])],
    notes: model ? notesOf(model) : [],
    figureCaption: `Density of ${draws === null ? 'the' : fmtInt(draws)} placebo estimates (${str(j.mode) ?? 'placebo'} permutation); the vertical line marks the actual estimate.`,
  };
}

const BACON_LABEL: Readonly<Record<string, string>> = {
  treated_vs_never: 'Treated vs never treated',
  earlier_vs_later: 'Earlier vs later treated',
  later_vs_earlier: 'Later vs earlier treated (forbidden)',
  later_vs_always: 'Later treated vs always treated',
};

function baconView(base: Base, j: JsonObject): EstimateView {
  const types = arr(j.by_type).filter(isObject).filter((t) => num(t.comparisons) > 0);
  const comps = arr(j.comparisons).filter(isObject);
  const tables: ReportTable[] = [
    {
      name: `est_${base.name}`,
      caption: base.title,
      header: ['Comparison', '2×2s', 'Weight', 'Avg. estimate'],
      rows: [
        ...types.map((t) => [BACON_LABEL[str(t.type) ?? ''] ?? str(t.type) ?? '', fmtInt(numOrNull(t.comparisons)), fmt(numOrNull(t.weight), 4), fmt(numOrNull(t.estimate), 4)]),
        ['TWFE (weighted sum)', fmtInt(comps.length), fmt(numOrNull(j.weight_sum), 4), fmt(numOrNull(j.twfe), 4)],
      ],
      rowClasses: [...types.map(() => undefined), 'rule'],
      note: 'Goodman-Bacon (2021): the TWFE estimate is the weighted sum of all 2×2 DID comparisons; weights sum to 1.',
    },
  ];
  if (comps.length > 0) {
    tables.push({
      name: `est_${base.name}_comparisons`,
      caption: `${base.title}: every 2×2 comparison`,
      header: ['Treated cohort', 'Control', 'Type', 'Estimate', 'Weight'],
      rows: comps.map((c) => [str(c.treated) ?? '', c.control === null ? 'never' : str(c.control) ?? '', BACON_LABEL[str(c.type) ?? ''] ?? str(c.type) ?? '', fmt(numOrNull(c.estimate), 4), fmt(numOrNull(c.weight), 4)]),
      labelColumns: 3,
    });
  }
  return {
    ...base,
    tables,
    facts: [['Outcome', str(j.y) ?? ''], ['Treatment', str(j.treat) ?? ''], ['Units × periods', `${fmtInt(numOrNull(j.n_units))} × ${fmtInt(numOrNull(j.n_periods))}`], ['TWFE estimate', fmt(numOrNull(j.twfe), 6)]],
  };
}

/** Terms of an aggregation: [{event|group|time: at, att, se}] → rows named like `ntl att --table`. */
const TERM_PREFIX: Readonly<Record<string, string>> = { event: 'e', group: 'g', time: 't' };

function attColumn(title: string, att: unknown, se: unknown, terms: readonly JsonObject[], n: number): TableColumn {
  const rows = [{ name: 'ATT', att: num(att), se: numOrNull(se) }];
  for (const t of terms) {
    const key = Object.keys(t).find((k) => k !== 'att' && k !== 'se') ?? 'at';
    rows.push({ name: `${TERM_PREFIX[key] ?? key}=${str(t[key]) ?? ''}`, att: num(t.att), se: numOrNull(t.se) });
  }
  return {
    title,
    result: {
      names: rows.map((r) => r.name),
      coef: rows.map((r) => r.att),
      se: rows.map((r) => r.se ?? NaN),
      p: rows.map((r) => (r.se === null || !(r.se > 0) ? NaN : normalTwoSided(r.att / r.se))),
      n,
      r2: NaN,
      r2Within: NaN,
      clusters: null,
    },
  };
}

function attView(base: Base, j: JsonObject): EstimateView {
  const method = str(j.method) ?? '';
  const statLabels = { N: 'Units' };
  const note = `${STAR_NOTE} p-values from the normal distribution; standard errors clustered by unit.`;
  if (method.startsWith('sun-abraham')) {
    const col = attColumn(`Sun–Abraham ${str(j.y) ?? ''}`.trim(), j.att, j.se, arr(j.event_study).filter(isObject), num(j.clusters));
    return {
      ...base,
      tables: [journalTable(`est_${base.name}`, base.title, [col], { statLabels }, note)],
      facts: [['Method', 'Sun and Abraham (2021)'], ['Outcome', str(j.y) ?? ''], ['Control group', str(j.control) ?? ''], ['Observations', fmtInt(numOrNull(j.n))]],
    };
  }
  const aggs = obj(j.aggregates) ?? {};
  const n = num(j.n_units);
  const cols = Object.keys(aggs).flatMap((type) => {
    const a = obj(aggs[type]);
    return a ? [attColumn(type[0]!.toUpperCase() + type.slice(1), a.att, a.se, arr(a.terms).filter(isObject), n)] : [];
  });
  return {
    ...base,
    tables: cols.length ? [journalTable(`est_${base.name}`, base.title, cols, { statLabels }, note)] : [],
    facts: [
      ['Method', method === 'callaway-santanna-2021' ? 'Callaway and Sant’Anna (2021)' : method],
      ['Outcome', str(j.y) ?? ''],
      ['Control group', str(j.control) ?? ''],
      ['Base period', str(j.base) ?? ''],
      ['Anticipation', str(j.anticipation) ?? ''],
      ['ATT(g,t) cells', fmtInt(arr(j.att_gt).length)],
    ],
  };
}
