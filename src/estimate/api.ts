/**
 * The estimation API: `runModel(kind, table, spec)` fits one model of the DID family on an in-memory or file
 * table and returns a `ModelResult` — the JSON record, the regression-table columns, the figure and the
 * warnings — without writing anything. Presentation (JSON text, journal tables, plots) is separate
 * (present.ts), as fixest separates `feols` from `summary` / `etable` / `coefplot`. The `ntl` estimate commands
 * and the pipeline's estimate stage both call this, so a command line and a pipeline give identical results.
 */
import { NtlError } from '../errors.js';
import type { LoadedTable } from '../panel/read-table.js';
import { baconDecomposition, type BaconType } from './bacon.js';
import { attGt } from './cs.js';
import { designOf, type DesignReport } from './design.js';
import { didRegressors, fitModel, twfeDid, type Interaction, type ModelOptions } from './did.js';
import { eventStudy } from './eventstudy.js';
import { fakeDateTest } from './fake-date.js';
import type { AttOptions, EventstudyOptions, OutcomeTransform, PlaceboOptions, PsmOptions } from './options.js';
import { cohortsByUnit, summarizePlacebo, type PlaceboSetup } from './placebo.js';
import { runPlaceboDraws } from './placebo-pool.js';
import { eventStudySvg, placeboSvg } from './plot.js';
import { preparePanel, transformOutcome, type PanelSpec, type PreparedPanel } from './prepare.js';
import { propensityMatch } from './psm.js';
import { finiteOrNull, regressionJson } from './report.js';
import { aggregateAtt, type AggregationType, type AttAggregate } from './staggered-aggregate.js';
import { gridValues, unitConstant } from './staggered-panel.js';
import { staggeredPanel } from './staggered-read.js';
import { attTable, plainTable, type EstimateRow } from './staggered-table.js';
import { sunAbraham } from './sunab.js';
import type { TableColumn, TableFormat } from './table.js';
import { regressionTable } from './table.js';
import type { RegressionResult } from './types.js';

export const MODEL_KINDS = ['did', 'eventstudy', 'placebo', 'psm', 'spillover', 'bacon', 'att'] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];

/** Columns of the panel and the settings every model shares (what the shared panel flags give). */
export interface ModelSpec extends ModelOptions {
  readonly y: string;
  readonly unit: string;
  readonly time: string;
  /** How time (and cohort) values are read: integer (default: whole periods) or continuous (--time-type). */
  readonly timeType?: 'integer' | 'continuous';
  /** Treatment column (0/1 or intensity): did, placebo, psm, spillover, bacon. */
  readonly treat?: string;
  /** First treated period per unit (missing / 0 = never): eventstudy, att; optional for did and placebo. */
  readonly cohort?: string;
  /** Exposure to treated neighbours: spillover. */
  readonly exposure?: string;
  readonly weights?: string;
  readonly drops?: readonly { readonly column: string; readonly value: string }[];
  readonly transform?: OutcomeTransform;
  readonly interactions?: readonly Interaction[];
  /** psm: numeric covariates of the propensity score. */
  readonly covariates?: readonly string[];
  readonly eventstudy?: EventstudyOptions;
  readonly placebo?: PlaceboOptions;
  readonly att?: AttOptions;
  readonly psm?: PsmOptions;
}

export interface ModelResult {
  readonly kind: ModelKind;
  /** The JSON record (plot paths are added by whoever writes the figure). */
  readonly record: Record<string, unknown>;
  /** Journal-table columns (regression models); `table` renders them. */
  readonly columns: readonly TableColumn[];
  /** A table of its own for models that are not one regression (bacon, att). */
  readonly customTable?: (format: TableFormat, digits?: number) => string;
  /** The model's figure as SVG (event-study coefficients, placebo density), when it has one. */
  readonly figure?: string;
  /** Design warnings and notes a reader must see beside the estimate. */
  readonly warnings: readonly string[];
  /** The fitted regression (did-family), for callers who want more than the record. */
  readonly fit?: RegressionResult;
}

export interface RunOptions {
  /** Worker threads for placebo draws (default: all cores). */
  readonly threads?: number;
}

export async function runModel(kind: ModelKind, table: LoadedTable, spec: ModelSpec, opts: RunOptions = {}): Promise<ModelResult> {
  switch (kind) {
    case 'did':
      return didModel(table, spec);
    case 'eventstudy':
      return eventstudyModel(table, spec);
    case 'placebo':
      return placeboModel(table, spec, opts);
    case 'psm':
      return psmModel(table, spec);
    case 'spillover':
      return spilloverModel(table, spec);
    case 'bacon':
      return baconModel(table, spec);
    case 'att':
      return attModel(table, spec);
  }
}

/** Render a result's table: the regression columns or the model's own table. */
export function resultTable(r: ModelResult, format: TableFormat, digits?: number): string {
  if (r.customTable) return r.customTable(format, digits);
  return regressionTable(r.columns, format, digits === undefined ? {} : { digits });
}

// ---------------------------------------------------------------------------------------------------------
// regression models on the prepared panel

function need(spec: ModelSpec, key: 'treat' | 'cohort' | 'exposure', kind: ModelKind): string {
  const v = spec[key];
  if (v === undefined || v === '') throw new NtlError(`${kind}: the ${key} column is required`);
  return v;
}

function panelSpec(spec: ModelSpec, extra: Partial<Pick<PanelSpec, 'numeric' | 'optionalNumeric' | 'factors'>> = {}, treat = spec.treat): PanelSpec {
  const inter = spec.interactions ?? [];
  return {
    y: spec.y,
    unit: spec.unit,
    time: spec.time,
    treat,
    numeric: [
      ...(treat ? [treat] : []),
      ...spec.controls,
      ...inter.map((i) => i.a),
      ...inter.filter((i) => !i.byLevel).map((i) => i.b),
      ...(extra.numeric ?? []),
    ],
    optionalNumeric: [...(spec.cohort ? [spec.cohort] : []), ...(extra.optionalNumeric ?? [])],
    factors: [...spec.fe, ...(spec.vcov === 'CR1' ? spec.cluster : []), ...inter.filter((i) => i.byLevel).map((i) => i.b), ...(extra.factors ?? [])],
    weights: spec.weights,
    drops: spec.drops,
    transform: spec.transform,
    timeType: spec.timeType,
    cohort: spec.cohort,
  };
}

/** Panel rows (indices into the prepared panel) that a fit used: `rows` subset, then feols' kept rows. */
function usedRows(r: RegressionResult, rows?: Int32Array): Int32Array {
  const kept = r.keptRows ?? Int32Array.from({ length: r.n }, (_, i) => i);
  return rows ? Int32Array.from(kept, (i) => rows[i]!) : kept;
}

/** Design of the sample a fit used: timing from the cohort column when there is one, else from `treat`. */
function sampleDesign(panel: PreparedPanel, spec: ModelSpec, fit: RegressionResult, rows?: Int32Array, treat = spec.treat): DesignReport {
  const used = usedRows(fit, rows);
  const unitF = panel.factors.get(spec.unit)!;
  const unit = Int32Array.from(used, (i) => unitF.codes[i]!);
  const time = Float64Array.from(used, (i) => panel.time[i]!);
  const cohortCol = spec.cohort ? panel.numeric.get(spec.cohort) : undefined;
  const treatCol = treat ? panel.numeric.get(treat) : undefined;
  const cohort = cohortCol
    ? cohortsByUnit(
        unit,
        unitF.labels.length,
        time,
        Float64Array.from(used, (i) => cohortCol[i]!),
        null,
      )
    : null;
  const d = treatCol ? Float64Array.from(used, (i) => treatCol[i]!) : null;
  const report = designOf(unit, unitF.labels.length, time, cohort, d, fit.singletons);
  // A continuous regressor is identified by its variation within units, not by switching: counts only, no warnings.
  if (!cohort && d && d.some((v) => v !== 0 && v !== 1)) return { design: { ...report.design, treatment: 'continuous' }, warnings: [] };
  return report;
}

function transformRecord(spec: ModelSpec): Record<string, unknown> {
  const t = spec.transform?.transform ?? 'none';
  return { outcome: { column: spec.y, transform: t, ...(t === 'winsor' ? { p: spec.transform!.p } : {}) } };
}

function base(panel: PreparedPanel, spec: ModelSpec, r: RegressionResult): Record<string, unknown> {
  return regressionJson(r, { fe: spec.fe, cluster: spec.cluster, ssc: spec.ssc, droppedMissing: panel.droppedMissing, notes: panel.notes });
}

function didModel(table: LoadedTable, spec: ModelSpec): ModelResult {
  const treat = need(spec, 'treat', 'did');
  const panel = preparePanel(table, panelSpec(spec));
  const r = twfeDid(panel, { ...spec, treat, interactions: spec.interactions ?? [] });
  const d = sampleDesign(panel, spec, r);
  const record = { ...base(panel, spec, r), treat, y: spec.y, ...transformRecord(spec), design: d.design, warnings: d.warnings };
  return { kind: 'did', record, columns: [{ title: `(1) ${spec.y}`, result: r, fe: spec.fe, design: d.design }], warnings: d.warnings, fit: r };
}

function eventstudyModel(table: LoadedTable, spec: ModelSpec): ModelResult {
  const cohort = need(spec, 'cohort', 'eventstudy');
  const es = spec.eventstudy ?? { window: [-5, 5] as [number, number], ref: -1 };
  const panel = preparePanel(table, panelSpec({ ...spec, treat: undefined }));
  const r = eventStudy(panel, { ...spec, cohort, window: es.window, ref: es.ref });
  const d = sampleDesign(panel, spec, r.result, undefined, undefined);
  const warnings = [...d.warnings];
  if (r.pretrend.p !== null && r.pretrend.p < 0.05) {
    warnings.push(
      `pre-trend test: the ${r.pretrend.df1} lead coefficient(s) are jointly significant (F = ${r.pretrend.F!.toFixed(2)}, p = ${formatP(r.pretrend.p)}): treated and control units were already diverging before treatment, so parallel trends are doubtful`,
    );
  }
  const periods = r.periods.map((p) => ({
    rel: p.rel,
    label: p.label,
    binned: p.binned,
    coef: p.coef,
    se: p.se,
    p: p.p === null ? null : finiteOrNull(p.p),
    lo: p.lo,
    hi: p.hi,
    reference: p.reference,
  }));
  const record = {
    periods,
    pretrend: r.pretrend,
    ...base(panel, spec, r.result),
    cohort,
    window: [...es.window],
    ref: es.ref,
    y: spec.y,
    ...transformRecord(spec),
    design: d.design,
    warnings,
  };
  const figure = eventStudySvg(periods, { title: `Event study: ${spec.y}`, ref: es.ref, yLabel: 'coefficient (95% CI)' });
  return {
    kind: 'eventstudy',
    record,
    columns: [{ title: `(1) ${spec.y}`, result: r.result, fe: spec.fe, design: d.design }],
    figure,
    warnings,
    fit: r.result,
  };
}

export function formatP(p: number): string {
  return p < 0.001 ? '< 0.001' : p.toFixed(3);
}

async function placeboModel(table: LoadedTable, spec: ModelSpec, opts: RunOptions): Promise<ModelResult> {
  const treat = need(spec, 'treat', 'placebo');
  const po = spec.placebo ?? { draws: 500, seed: 1, mode: 'units' as const, shift: 2 };
  if ((spec.interactions ?? []).length > 0) throw new NtlError('placebo: interactions are not supported; the placebo replaces the treatment only');
  const panel = preparePanel(table, panelSpec(spec));
  const actual = twfeDid(panel, { ...spec, treat, interactions: [] });
  const d = sampleDesign(panel, spec, actual);
  const unit = panel.factors.get(spec.unit)!;
  const cohorts = cohortsByUnit(
    unit.codes,
    unit.labels.length,
    panel.time,
    spec.cohort ? panel.numeric.get(spec.cohort)! : null,
    spec.cohort ? null : panel.numeric.get(treat)!,
  );
  const j = actual.names.indexOf(treat);
  const beta = actual.coef[j]!;
  const model = base(panel, spec, actual);
  const common = { actual: { coef: beta, se: actual.se[j]!, p: actual.p[j]! }, mode: po.mode, y: spec.y, treat, ...transformRecord(spec), design: d.design };
  if (po.mode === 'timing') {
    const f = fakeDateTest(panel, spec, unit.codes, cohorts, po.shift);
    const warnings = [...d.warnings];
    const fakeSig = f.p < 0.05;
    if (fakeSig)
      warnings.push(
        `fake-date test: moving every adoption ${po.shift} period(s) earlier gives a significant effect (β = ${f.coef.toPrecision(4)}, p = ${formatP(f.p)}) before treatment: anticipation or diverging pre-trends`,
      );
    const record = {
      ...common,
      inference: 'fake-date',
      p_value: null,
      fake_date: {
        shift: po.shift,
        coef: f.coef,
        se: f.se,
        p: f.p,
        lo: f.lo,
        hi: f.hi,
        n: f.n,
        fake_treated_units: f.fake_treated_units,
        sample: "observations before each treated unit's true adoption; all periods of never-treated units",
      },
      note: 'timing mode is the fake-date test: a regression on pre-treatment observations, not a permutation test, so it has no randomization p-value',
      model,
      warnings,
    };
    const figure = placeboSvg(record, { title: `Fake-date test: adoption moved ${po.shift} period(s) earlier`, xLabel: `coefficient of ${treat}` });
    return {
      kind: 'placebo',
      record,
      columns: [
        { title: `(1) ${spec.y}`, result: actual, fe: spec.fe, design: d.design },
        { title: `(2) fake date −${po.shift}`, result: f.result, fe: spec.fe },
      ],
      figure,
      warnings,
      fit: actual,
    };
  }
  const setup: PlaceboSetup = {
    y: panel.y,
    controls: spec.controls.map((c) => panel.numeric.get(c)!),
    controlNames: spec.controls,
    fe: spec.fe.map((f) => panel.factors.get(f)!.codes),
    weights: panel.weights,
    unit: unit.codes,
    time: panel.time,
    cohortByUnit: cohorts,
    mode: po.mode,
  };
  const betas = await runPlaceboDraws(setup, po.seed, po.draws, opts.threads);
  const s = summarizePlacebo(betas, beta);
  const warnings = [...d.warnings];
  if (s.failed > po.draws / 10)
    warnings.push(
      `${s.failed} of ${po.draws} placebo draws could not be estimated (the fake treatment was absorbed by the fixed effects) and are left out of the p-value`,
    );
  const record = {
    ...common,
    inference: 'randomization',
    p_value: s.pValue,
    draws_n: po.draws,
    draws_ok: po.draws - s.failed,
    draws_failed: s.failed,
    at_least_as_large: s.atLeastAsLarge,
    mean: s.mean,
    sd: s.sd,
    quantiles: s.quantiles,
    seed: po.seed,
    note:
      po.mode === 'units'
        ? 'randomization inference: cohort labels (never / first-treated period) permuted across units; p = (1 + #{|β̃| ≥ |β|}) / (1 + draws)'
        : 'randomization inference: random units with first-treated periods drawn from the observed cohort distribution; p = (1 + #{|β̃| ≥ |β|}) / (1 + draws)',
    model,
    warnings,
    draws: s.draws.map((v) => (Number.isFinite(v) ? v : null)),
  };
  const figure = placeboSvg(record, { title: `Randomization inference (${po.mode}, ${po.draws} draws)`, xLabel: `placebo coefficient of ${treat}` });
  return { kind: 'placebo', record, columns: [{ title: `(1) ${spec.y}`, result: actual, fe: spec.fe, design: d.design }], figure, warnings, fit: actual };
}

function psmModel(table: LoadedTable, spec: ModelSpec): ModelResult {
  const treat = need(spec, 'treat', 'psm');
  const covariates = spec.covariates ?? [];
  if (covariates.length === 0) throw new NtlError('psm: covariates are required (numeric columns of the propensity score)');
  if (spec.weights !== undefined) throw new NtlError('psm: analytic weights cannot be combined with matching weights');
  const po = spec.psm ?? { match: 'kernel' as const, bandwidth: 0.06, by_period: false };
  const panel = preparePanel(table, panelSpec(spec, { numeric: covariates }));
  const d = panel.numeric.get(treat)!;
  const unit = panel.factors.get(spec.unit)!;
  const ever = new Uint8Array(unit.labels.length);
  d.forEach((v, i) => v !== 0 && (ever[unit.codes[i]!] = 1));
  const group = Float64Array.from(unit.codes, (u) => ever[u]!);
  const m = propensityMatch(
    group,
    covariates.map((c) => panel.numeric.get(c)!),
    covariates,
    panel.time,
    po.by_period,
    { method: po.match, bandwidth: po.bandwidth, caliper: po.caliper },
  );
  const rows = Int32Array.from(Array.from(m.weights.keys()).filter((i) => m.weights[i]! > 0));
  const matched = { ...panel, weights: m.weights };
  const r = fitModel(matched, didRegressors(matched, treat, spec.controls, spec.interactions ?? []), spec, [treat], rows);
  const des = sampleDesign(panel, spec, r, rows);
  const record = {
    ...base(panel, spec, r),
    treat,
    y: spec.y,
    ...transformRecord(spec),
    matching: {
      method: po.match,
      bandwidth: po.match === 'kernel' ? po.bandwidth : null,
      caliper: po.caliper ?? null,
      by_period: po.by_period,
      treated_on_support: m.treatedOnSupport,
      treated_off_support: m.treatedOffSupport,
      controls_used: m.controlsUsed,
    },
    balance: m.balance,
    logit: m.logits.map((l) => ({
      period: l.period,
      coef: Object.fromEntries(l.model.names.map((nm, i) => [nm, l.model.coef[i]!])),
      iterations: l.model.iterations,
    })),
    design: des.design,
    warnings: des.warnings,
  };
  return { kind: 'psm', record, columns: [{ title: `(1) ${spec.y}`, result: r, fe: spec.fe, design: des.design }], warnings: des.warnings, fit: r };
}

function spilloverModel(table: LoadedTable, spec: ModelSpec): ModelResult {
  const treat = need(spec, 'treat', 'spillover');
  const exposure = need(spec, 'exposure', 'spillover');
  const panel = preparePanel(table, panelSpec(spec, { numeric: [exposure] }));
  const d = panel.numeric.get(treat)!;
  const e = panel.numeric.get(exposure)!;
  const unit = panel.factors.get(spec.unit)!;
  const everTreated = new Uint8Array(unit.labels.length);
  const everExposed = new Uint8Array(unit.labels.length);
  for (let i = 0; i < panel.n; i++) {
    if (d[i] !== 0) everTreated[unit.codes[i]!] = 1;
    if (e[i] !== 0) everExposed[unit.codes[i]!] = 1;
  }
  const rowsWhere = (f: (u: number) => boolean) => Int32Array.from(Array.from({ length: panel.n }, (_, i) => i).filter((i) => f(unit.codes[i]!)));
  const untreated = rowsWhere((u) => !everTreated[u]);
  if (!Array.from(untreated).some((i) => e[i] !== 0))
    throw new NtlError(`${panel.path}: exposure "${exposure}" is 0 for every never-treated unit; nothing to estimate`);
  const spill = fitModel(panel, didRegressors(panel, exposure, spec.controls, []), spec, [exposure], untreated);
  const noNeighbours = rowsWhere((u) => everTreated[u] === 1 || !everExposed[u]);
  const main = fitModel(panel, didRegressors(panel, treat, spec.controls, spec.interactions ?? []), spec, [treat], noNeighbours);
  // exposure is the "treatment" of the spillover regression: its design counts units that become exposed
  const dSpill = sampleDesign(panel, { ...spec, cohort: undefined }, spill, untreated, exposure);
  const dMain = sampleDesign(panel, spec, main, noNeighbours);
  const warnings = [...dSpill.warnings.map((w) => `spillover sample: ${w}`), ...dMain.warnings.map((w) => `without-neighbours sample: ${w}`)];
  const record = {
    spillover: { ...base(panel, spec, spill), sample: 'units never treated', treat: exposure, design: dSpill.design },
    without_neighbours: {
      ...base(panel, spec, main),
      sample: 'treated units + controls never exposed',
      treat,
      neighbours_removed: everExposed.reduce((c, x, u) => c + (x && !everTreated[u] ? 1 : 0), 0),
      design: dMain.design,
    },
    y: spec.y,
    ...transformRecord(spec),
    design: dMain.design,
    warnings,
  };
  return {
    kind: 'spillover',
    record,
    columns: [
      { title: '(1) spillover', result: spill, fe: spec.fe, design: dSpill.design },
      { title: '(2) no neighbours', result: main, fe: spec.fe, design: dMain.design },
    ],
    warnings,
    fit: spill,
  };
}

// ---------------------------------------------------------------------------------------------------------
// staggered estimators on the balanced grid

function staggeredY(table: LoadedTable, spec: ModelSpec) {
  const f = staggeredPanel(table, spec.unit, spec.time, spec);
  const yv = gridValues(f.panel, table.numbers(spec.y), spec.y, f.label);
  const t = transformOutcome(yv, spec.transform, spec.y, (k) => `${table.path}: grid cell ${k + 1}`);
  return { f, yv, notes: t.note ? [t.note] : [] };
}

function gridDesign(units: number, times: readonly number[], firstTreated: Float64Array): DesignReport {
  const T = times.length;
  const unit = Int32Array.from({ length: units * T }, (_, k) => Math.floor(k / T));
  const time = Float64Array.from({ length: units * T }, (_, k) => times[k % T]!);
  return designOf(unit, units, time, firstTreated, null, 0);
}

const BACON_LABEL: Record<BaconType, string> = {
  treated_vs_never: 'Treated vs never treated',
  earlier_vs_later: 'Earlier vs later treated',
  later_vs_earlier: 'Later vs earlier treated (forbidden)',
  later_vs_always: 'Later vs always treated',
};

function baconModel(table: LoadedTable, spec: ModelSpec): ModelResult {
  const treat = need(spec, 'treat', 'bacon');
  const { f, yv, notes } = staggeredY(table, spec);
  const dv = gridValues(f.panel, table.numbers(treat), treat, f.label);
  let r;
  try {
    r = baconDecomposition({ units: f.panel.units, times: f.panel.times, y: yv, d: dv });
  } catch (e) {
    if (e instanceof NtlError) throw new NtlError(`${table.path}: ${e.message.replace(/^bacon: /, '')} (column "${treat}")`);
    throw e;
  }
  const T = f.panel.times.length;
  const first = Float64Array.from(f.panel.units, (_, u) => {
    for (let t = 0; t < T; t++) if (dv[u * T + t] !== 0) return f.panel.times[t]!;
    return Number.NaN;
  });
  const d = gridDesign(f.panel.units.length, f.panel.times, first);
  const warnings = [...d.warnings];
  const forbidden = r.byType.find((s) => s.type === 'later_vs_earlier');
  if (forbidden && forbidden.weight > 0.2)
    warnings.push(
      `${(forbidden.weight * 100).toFixed(0)} % of the TWFE weight comes from "forbidden" comparisons (already-treated units as controls): with effects that change over time the TWFE β can be biased; prefer the staggered estimators (att)`,
    );
  const record = {
    method: 'goodman-bacon-2021',
    panel: table.path,
    y: spec.y,
    treat,
    ...transformRecord(spec),
    n_units: r.nUnits,
    n_periods: r.nTimes,
    twfe: r.twfe,
    weighted_sum: r.weightedSum,
    weight_sum: r.weightSum,
    by_type: r.byType.map((s) => ({ type: s.type, comparisons: s.comparisons, weight: s.weight, estimate: s.estimate })),
    comparisons: r.comparisons.map((c) => ({
      type: c.type,
      treated: c.treated,
      control: c.control,
      estimate: c.estimate,
      weight: c.weight,
      treated_units: c.treatedUnits,
      control_units: c.controlUnits,
    })),
    groups: r.groups.map((g) => ({ first_treated: g.firstTreated, units: g.units })),
    notes,
    design: d.design,
    warnings,
  };
  const customTable = (format: TableFormat, digits = 4) => {
    const fx = (x: number | null) => (x === null ? '' : x.toFixed(digits));
    const summary = plainTable(
      ['Comparison', 'Weight', 'Avg. estimate', '2×2s'],
      [
        ...r.byType.filter((s) => s.comparisons > 0).map((s) => [BACON_LABEL[s.type], fx(s.weight), fx(s.estimate), String(s.comparisons)]),
        ['TWFE', fx(r.weightSum), fx(r.twfe), String(r.comparisons.length)],
      ],
      format,
    );
    const each = plainTable(
      ['Treated', 'Control', 'Type', 'Estimate', 'Weight'],
      r.comparisons.map((c) => [String(c.treated), c.control === null ? 'never' : String(c.control), c.type, fx(c.estimate), fx(c.weight)]),
      format,
    );
    return `${summary}\n${each}`;
  };
  return { kind: 'bacon', record, columns: [], customTable, warnings };
}

const TERM_LABEL: Record<AggregationType, string> = { simple: '', dynamic: 'e', group: 'g', calendar: 't' };
const TERM_KEY: Record<AggregationType, string> = { simple: '', dynamic: 'event', group: 'group', calendar: 'time' };

function attModel(table: LoadedTable, spec: ModelSpec): ModelResult {
  const cohortCol = need(spec, 'cohort', 'att');
  const ao = spec.att ?? {
    method: 'cs' as const,
    control: 'never' as const,
    base: 'varying' as const,
    anticipation: 0,
    aggregate: ['simple', 'dynamic', 'group', 'calendar'] as AggregationType[],
  };
  const { f, yv, notes } = staggeredY(table, spec);
  const cohort = unitConstant(f.panel, table.numbers(cohortCol), cohortCol, f.label, 0);
  const first = Float64Array.from(cohort, (g) => (g > 0 && Number.isFinite(g) ? g : Number.NaN));
  const d = gridDesign(f.panel.units.length, f.panel.times, first);
  const inCohort = <T>(run: () => T): T => {
    try {
      return run();
    } catch (e) {
      if (e instanceof NtlError) throw new NtlError(`${table.path}: ${e.message} (cohort column "${cohortCol}")`);
      throw e;
    }
  };
  if (ao.method === 'sunab') {
    if (ao.control === 'notyet') throw new NtlError('att: control notyet applies to method cs; Sun–Abraham takes never or last');
    const control = ao.control === 'last' ? 'last' : 'never';
    const r = inCohort(() => sunAbraham({ units: f.panel.units, times: f.panel.times, y: yv, cohort, control }));
    const record = {
      method: 'sun-abraham-2021',
      panel: table.path,
      y: spec.y,
      ...transformRecord(spec),
      control,
      n: r.n,
      clusters: r.clusters,
      att: r.att,
      se: r.se,
      event_study: r.terms.map((t) => ({ event: t.at, att: t.att, se: t.se })),
      coefficients: r.coefficients,
      notes: [...notes, ...r.notes],
      design: d.design,
      warnings: d.warnings,
    };
    const rows: EstimateRow[] = [{ name: 'ATT', att: r.att, se: r.se }, ...r.terms.map((t) => ({ name: `e=${t.at}`, att: t.att, se: t.se }))];
    return {
      kind: 'att',
      record,
      columns: [],
      customTable: (format, digits) => attTable([{ title: `Sun–Abraham ${spec.y}`, rows, n: r.clusters }], format, digits),
      warnings: d.warnings,
    };
  }
  if (ao.control === 'last') throw new NtlError("att: control last applies to method sunab; Callaway–Sant'Anna takes never or notyet");
  const control = ao.control;
  const r = inCohort(() => attGt({ units: f.panel.units, times: f.panel.times, y: yv, cohort, control, base: ao.base, anticipation: ao.anticipation }));
  const aggs = ao.aggregate.map((t) => aggregateAtt(r, t));
  const aggJson = (a: AttAggregate) => ({
    att: a.att,
    se: a.se,
    ...(a.type === 'simple' ? {} : { terms: a.terms.map((t) => ({ [TERM_KEY[a.type]]: t.at, att: t.att, se: t.se })) }),
  });
  const record = {
    method: 'callaway-santanna-2021',
    panel: table.path,
    y: spec.y,
    ...transformRecord(spec),
    control,
    base: ao.base,
    anticipation: ao.anticipation,
    n_units: r.nUnits,
    att_gt: r.cells.map((c) => ({
      group: c.group,
      time: c.time,
      base_time: c.baseTime,
      post: c.post,
      att: c.att,
      se: c.se,
      treated_units: c.treatedUnits,
      control_units: c.controlUnits,
    })),
    aggregates: Object.fromEntries(aggs.map((a) => [a.type, aggJson(a)])),
    notes: [...notes, ...r.notes],
    design: d.design,
    warnings: d.warnings,
  };
  const customTable = (format: TableFormat, digits?: number) =>
    attTable(
      aggs.map((a) => ({
        title: a.type,
        n: r.nUnits,
        rows: [{ name: 'ATT', att: a.att, se: a.se }, ...a.terms.map((t) => ({ name: `${TERM_LABEL[a.type]}=${t.at}`, att: t.att, se: t.se }))],
      })),
      format,
      digits,
    );
  return { kind: 'att', record, columns: [], customTable, warnings: d.warnings };
}
