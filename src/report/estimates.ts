/**
 * Estimate records (estimates/<name>.json: a command's --out JSON plus "kind" and "title") → report tables and
 * facts (pure). Regression-shaped results reuse the journal cells of src/estimate/table.ts; unknown kinds
 * come back as `null` tables and the page shows the JSON itself.
 */
import { normalTwoSided } from '../estimate/staggered-table.js';
import { tableCells, type TableColumn, type TableOptions } from '../estimate/table.js';
import { designFacts, designOf, designRows, pretrendBlocks, warningsOf } from './design.js';
import { fmt, fmtInt } from './format.js';
import { arr, isObject, num, numOrNull, obj, str, strings, type JsonObject } from './json.js';
import type { Block, ReportTable, RowClass } from './types.js';

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
  /** Design warnings of the result (shown prominently above its tables). */
  readonly warnings: readonly string[];
  /** Blocks under the tables: the design counts. */
  readonly afterTables: readonly Block[];
  /** Blocks under the figure: the event-study pre-trend test. */
  readonly afterFigure: readonly Block[];
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
  /** Each column's `design` object: adds the rows N units, Switchers, Always treated, Never treated. */
  readonly designs?: readonly (JsonObject | null)[];
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
  statRows.push(...designRows(opts.designs ?? []));
  const rowClasses: (RowClass | undefined)[] = [
    ...coefRows.map((_, i): RowClass | undefined => (i % 2 ? 'se' : undefined)),
    ...statRows.map((_, i): RowClass | undefined => (i === 0 ? 'rule' : undefined)),
  ];
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
  add(
    'Standard errors',
    `${vcovText(j)}${typeof j.df === 'number' ? `, t on ${j.df} df` : ''}${str(j.ssc) && j.vcov === 'CR1' ? `, small-sample K ${str(j.ssc)}` : ''}`,
  );
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
  const design = designOf(j);
  const base = {
    name,
    kind,
    title,
    notes: notesOf(j),
    figureCaption: '',
    generic: false,
    warnings: warningsOf(j),
    afterTables: design ? designBlock(design) : [],
    afterFigure: [] as Block[],
  };
  const reg = (t: string, rec: JsonObject, extra: TableOptions = {}) => {
    const col = regressionColumn(t, rec);
    return col ? [journalTable(`est_${name}`, title, [col], { extraRows: { 'Standard errors': [vcovText(rec)] }, designs: [designOf(rec)], ...extra })] : [];
  };
  switch (kind) {
    case 'did':
      return { ...base, tables: reg(`(1) ${str(j.y) ?? ''}`.trim(), j), facts: regressionFacts(j) };
    case 'psm':
      return { ...base, tables: [...reg(`(1) ${str(j.y) ?? 'PSM-DID'}`, j), ...psmBalance(name, j)], facts: [...regressionFacts(j), ...psmFacts(j)] };
    case 'eventstudy': {
      // the periods' own labels when the record has them ("≤ -4", …, "≥ 4": binned endpoints)
      const periods = arr(j.periods).filter(isObject);
      const labelOf = new Map(periods.map((p) => [`rel_${str(p.rel) ?? ''}`, str(p.label)]));
      const labels = Object.fromEntries(Object.keys(obj(j.coef) ?? {}).map((k) => [k, /^rel_-?\d+$/.test(k) ? `Period ${labelOf.get(k) ?? k.slice(4)}` : k]));
      const binned = periods.filter((p) => p.binned === true).map((p) => str(p.label) ?? str(p.rel) ?? '');
      const ref = numOrNull(j.ref);
      return {
        ...base,
        tables: reg(`(1) ${str(j.y) ?? 'event study'}`, j, { labels }),
        facts: [
          ...regressionFacts(j),
          ['Cohort column', str(j.cohort) ?? ''],
          ['Window', arr(j.window).join(' to ')],
          ['Reference period', ref === null ? '' : String(ref)],
        ],
        figureCaption:
          `Coefficients by period relative to adoption with 95% confidence intervals${ref === null ? '' : `; period ${ref} is the omitted reference`}` +
          `${binned.length ? `; the endpoints ${binned.join(' and ')} are binned (each pools every period beyond it, drawn hollow)` : ''}.`,
        afterFigure: pretrendBlocks(j),
      };
    }
    case 'placebo':
      return placeboView(base, j);
    case 'spillover': {
      const s = obj(j.spillover) ?? {};
      const w = obj(j.without_neighbours) ?? {};
      const parts = [
        { title: '(1) Spillover', rec: s },
        { title: '(2) No neighbours', rec: w },
      ].filter((x) => regressionColumn(x.title, x.rec) !== null);
      const cols = parts.map((x) => regressionColumn(x.title, x.rec)!);
      const designed = parts.filter((x) => designOf(x.rec));
      return {
        ...base,
        warnings: warningsOf(j, s, w),
        afterTables: designed.flatMap((x) => designBlock(designOf(x.rec)!, designed.length > 1 || parts.length > 1 ? x.title : undefined)),
        tables: cols.length
          ? [
              journalTable(`est_${name}`, title, cols, {
                extraRows: { Sample: parts.map((x) => str(x.rec.sample) ?? ''), 'Standard errors': parts.map((x) => vcovText(x.rec)) },
                designs: parts.map((x) => designOf(x.rec)),
              }),
            ]
          : [],
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

type Base = Pick<EstimateView, 'name' | 'kind' | 'title' | 'notes' | 'figureCaption' | 'generic' | 'warnings' | 'afterTables' | 'afterFigure'>;

function designBlock(d: JsonObject, label?: string): Block[] {
  const facts = designFacts(d, label);
  return facts.length > (label ? 1 : 0) ? [{ type: 'facts', facts }] : [];
}

function psmFacts(j: JsonObject): [string, string][] {
  const m = obj(j.matching);
  if (!m) return [];
  return [
    [
      'Matching',
      `${str(m.method) ?? ''}${typeof m.bandwidth === 'number' ? `, bandwidth ${m.bandwidth}` : ''}${typeof m.caliper === 'number' ? `, caliper ${m.caliper}` : ''}${m.by_period === true ? ', by period' : ''}`,
    ],
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
      groups: [
        { label: '', span: 1 },
        { label: 'Before matching', span: 3 },
        { label: 'After matching', span: 3 },
      ],
      header: ['Covariate', 'Treated', 'Control', 'Std. diff. (%)', 'Treated', 'Control', 'Std. diff. (%)'],
      rows: rows.map((r) => [
        str(r.covariate) ?? '',
        f(r.mean_treated_before),
        f(r.mean_control_before),
        f(r.std_diff_before),
        f(r.mean_treated_after),
        f(r.mean_control_after),
        f(r.std_diff_after),
      ]),
    },
  ];
}

/** True for placebo modes whose draws are a randomization distribution of the estimate (units, both). */
export function isRandomizationMode(mode: string | null): boolean {
  return mode === 'units' || mode === 'both';
}

function placeboView(base: Base, j: JsonObject): EstimateView {
  const a = obj(j.actual) ?? {};
  const q = obj(j.quantiles) ?? {};
  const mode = str(j.mode);
  const draws = numOrNull(j.draws_n);
  const failed = numOrNull(j.draws_failed) ?? 0;
  const ri = isRandomizationMode(mode);
  const pValue = numOrNull(j.p_value);
  const rows: [string, string][] = [
    ['Actual estimate', fmt(numOrNull(a.coef), 4)],
    ['Standard error', fmt(numOrNull(a.se), 4)],
    ['p-value of the actual estimate (t)', fmt(numOrNull(a.p), 4)],
    ['Placebo draws', `${fmtInt(draws)}${failed > 0 ? ` (${fmtInt(failed)} failed)` : ''}`],
    ['Placebo mean', fmt(numOrNull(j.mean), 4)],
    ['Placebo s.d.', fmt(numOrNull(j.sd), 4)],
    ...Object.keys(q).map((k): [string, string] => [`Quantile ${k}`, fmt(numOrNull(q[k]), 4)]),
  ];
  let note: string | undefined;
  if (ri || mode === null) {
    // units / both: the share of draws at least as large is the randomization-inference p-value
    if (pValue !== null) rows.push(['Randomization-inference p-value', fmt(pValue, 4)]);
    if (numOrNull(j.share_abs_ge) !== null) rows.push(['Share |placebo| ≥ |actual|', fmt(numOrNull(j.share_abs_ge), 4)]);
    note = ri
      ? 'Randomization inference: the treatment is reassigned at random; the share of placebo estimates at least as large in absolute value as the actual one is the randomization-inference p-value.'
      : 'The share of placebo estimates at least as large in absolute value as the actual one.';
  }
  const rowsFiltered = rows.filter(([, v]) => v !== '');
  const model = obj(j.model);
  const tables: ReportTable[] = [{ name: `est_${base.name}`, caption: base.title, header: ['', 'Value'], rows: rowsFiltered, ...(note ? { note } : {}) }];
  const fd = obj(j.fake_date);
  if (mode === 'timing' && fd) {
    const shift = numOrNull(fd.shift);
    const lo = numOrNull(fd.lo),
      hi = numOrNull(fd.hi);
    tables.push({
      name: `est_${base.name}_fake_date`,
      caption: `${base.title}: the fake-date estimate`,
      header: ['', 'Value'],
      rows: (
        [
          // shift: periods each treated unit's adoption date was moved earlier
          ['Adoption moved', shift === null ? '' : `${fmtInt(Math.abs(shift))} period${Math.abs(shift) === 1 ? '' : 's'} ${shift >= 0 ? 'earlier' : 'later'}`],
          ['Fake-date estimate', fmt(numOrNull(fd.coef), 4)],
          ['Standard error', fmt(numOrNull(fd.se), 4)],
          ['95% confidence interval', lo === null || hi === null ? '' : `[${fmt(lo, 4)}, ${fmt(hi, 4)}]`],
          ['N', fmtInt(numOrNull(fd.n))],
          ['Treated units carrying the fake date', fmtInt(numOrNull(fd.fake_treated_units))],
          ['Sample', str(fd.sample) ?? ''],
        ] as [string, string][]
      ).filter(([, v]) => v !== ''),
      note: "Timing placebo: every treated unit's adoption date is moved earlier and the DID is estimated on the periods before the true date; under parallel trends and no anticipation the fake effect is zero. No p-value is reported for a timing placebo.",
    });
  }
  const timingText: Block[] =
    mode === 'timing'
      ? [
          {
            type: 'text',
            tone: 'note',
            text: `Timing placebo: no p-value. Fake adoption dates are not a randomization of the treatment, so the placebo draws give no randomization-inference p-value; read ${fd ? 'the fake-date estimate and its 95% interval (and the spread of the draws)' : 'the spread of the draws around the actual estimate'} instead.`,
          },
        ]
      : [];
  if (model) {
    const col = regressionColumn('Actual model', model);
    if (col)
      tables.push(
        journalTable(`est_${base.name}_model`, `${base.title}: the actual model`, [col], {
          extraRows: { 'Standard errors': [vcovText(model)] },
          designs: [designOf(model) ?? designOf(j)],
        }),
      );
  }
  const design = designOf(j) ?? designOf(model);
  const marks = `dashed lines mark 0 and the actual estimate${mode === 'timing' && fd ? '; green: the fake-date estimate with its 95% CI' : ''}`;
  return {
    ...base,
    tables,
    facts: [['Mode', mode ?? ''], ['Seed', str(j.seed) ?? ''], ...(model ? regressionFacts(model) : [])],
    notes: [...(str(j.note) ? [str(j.note)!] : []), ...(model ? notesOf(model) : [])],
    warnings: warningsOf(j, model),
    afterTables: [...timingText, ...(design ? designBlock(design) : [])],
    figureCaption: `Density of ${draws === null ? 'the' : fmtInt(draws)} placebo estimates (${mode ?? 'placebo'} permutation); ${marks}.`,
  };
}

const BACON_LABEL: Readonly<Record<string, string>> = {
  treated_vs_never: 'Treated vs never treated',
  earlier_vs_later: 'Earlier vs later treated',
  later_vs_earlier: 'Later vs earlier treated (forbidden)',
  later_vs_always: 'Later treated vs always treated',
};

function baconView(base: Base, j: JsonObject): EstimateView {
  const types = arr(j.by_type)
    .filter(isObject)
    .filter((t) => num(t.comparisons) > 0);
  const comps = arr(j.comparisons).filter(isObject);
  const tables: ReportTable[] = [
    {
      name: `est_${base.name}`,
      caption: base.title,
      header: ['Comparison', '2×2s', 'Weight', 'Avg. estimate'],
      rows: [
        ...types.map((t) => [
          BACON_LABEL[str(t.type) ?? ''] ?? str(t.type) ?? '',
          fmtInt(numOrNull(t.comparisons)),
          fmt(numOrNull(t.weight), 4),
          fmt(numOrNull(t.estimate), 4),
        ]),
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
      rows: comps.map((c) => [
        str(c.treated) ?? '',
        c.control === null ? 'never' : (str(c.control) ?? ''),
        BACON_LABEL[str(c.type) ?? ''] ?? str(c.type) ?? '',
        fmt(numOrNull(c.estimate), 4),
        fmt(numOrNull(c.weight), 4),
      ]),
      labelColumns: 3,
    });
  }
  return {
    ...base,
    tables,
    facts: [
      ['Outcome', str(j.y) ?? ''],
      ['Treatment', str(j.treat) ?? ''],
      ['Units × periods', `${fmtInt(numOrNull(j.n_units))} × ${fmtInt(numOrNull(j.n_periods))}`],
      ['TWFE estimate', fmt(numOrNull(j.twfe), 6)],
    ],
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
      tables: [journalTable(`est_${base.name}`, base.title, [col], { statLabels, designs: [designOf(j)] }, note)],
      facts: [
        ['Method', 'Sun and Abraham (2021)'],
        ['Outcome', str(j.y) ?? ''],
        ['Control group', str(j.control) ?? ''],
        ['Observations', fmtInt(numOrNull(j.n))],
      ],
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
    tables: cols.length ? [journalTable(`est_${base.name}`, base.title, cols, { statLabels, designs: cols.map(() => designOf(j)) }, note)] : [],
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
