/**
 * Estimation stage: builds the estimation panel (county panel or prefecture inequality table, one series)
 * joined with the treatment timing, then runs the requested models through the estimation API
 * (src/estimate/api.ts) on that in-memory table — the same `runModel` the `ntl <model>` commands call, so a
 * pipeline and a command line give identical numbers. Results come back as files for the staged publish.
 */
import { isNtlError, NtlError } from '../../errors.js';
import { runModel, type ModelKind, type ModelSpec } from '../../estimate/api.js';
import { parseInteraction } from '../../estimate/did.js';
import { svgToPng } from '../../estimate/plot.js';
import { csvText, type CsvCell } from '../../output/csv.js';
import type { Table } from '../../output/table.js';
import { tableOf } from '../../panel/read-table.js';
import { readTreatment } from '../../panel/treatment.js';
import { errorAt, type DataPath } from '../yaml-errors.js';
import { loadCovariates, regionOf, regionTable, stageOf, type Covariates } from './estimation-columns.js';
import type { OutputFile } from '../commit-outputs.js';
import type { PanelPlan } from '../plan/types.js';

type Model = NonNullable<PanelPlan['estimate']>['models'][number];

/** First treated year per unit code from the treatment table (rows matching `exclude` dropped): src/panel/treatment.ts. */
export async function treatmentTiming(plan: PanelPlan, warnings: string[]): Promise<Map<string, number>> {
  const t = plan.treatment!;
  const r = await readTreatment(t.file.file, {
    unit: t.unit,
    time: t.time,
    exclude: t.exclude,
    waves: t.waves,
    wavesOption: 'set waves: true in the treatment section',
  });
  warnings.push(...r.warnings.map((w) => `treatment: ${w}`));
  if (r.excluded > 0) warnings.push(`treatment: ${r.excluded} row(s) of ${t.file.id} excluded by treatment.exclude`);
  return r.timing;
}

interface EstimationPanel {
  readonly header: readonly string[];
  readonly rows: readonly (readonly CsvCell[])[];
  readonly csv: string;
  readonly hasExposure: boolean;
}

function col(table: Table, name: string, what: string): Table['columns'][number] {
  const c = table.columns.find((x) => x.name === name);
  if (!c) throw new NtlError(`estimate: the ${what} has no column "${name}"; available: ${table.columns.map((x) => x.name).join(', ')}`);
  return c;
}

/** Columns every estimation panel has; split, intensity and covariate columns must not reuse these names. */
const FIXED_COLUMNS = ['unit', 'year', 'treat', 'cohort', 'exposure', 'stage'];

export function estimationPanel(
  plan: PanelPlan,
  base: Table,
  exposure: Table | null,
  timing: ReadonlyMap<string, number>,
  warnings: string[],
  covariates: Covariates | null = null,
): EstimationPanel {
  const est = plan.estimate!;
  const what = est.level === 'county' ? 'panel' : 'inequality table';
  const at = (path: DataPath, message: string): NtlError => errorAt({ display: plan.origin, lines: plan.specLines ?? {} }, ['estimate', ...path], message);
  const unitCol = col(base, est.level === 'county' ? 'unit_id' : 'parent_id', what);
  const year = col(base, 'year', what);
  const source = col(base, 'source', what);
  const y = col(base, est.outcome, what);
  const exposureByKey = new Map<string, number | null>();
  if (exposure && est.level === 'county') {
    const eu = col(exposure, 'unit_id', 'exposure panel');
    const ey = col(exposure, 'year', 'exposure panel');
    const ev = col(exposure, 'neighbour_of_treated', 'exposure panel');
    eu.values.forEach((u, i) => exposureByKey.set(`${u}|${ey.values[i]}`, ev.values[i] as number | null));
  }
  // Columns taken from the panel (or inequality table) as they are: heterogeneity splits other than region, intensity.
  const fromBase: { name: string; values: Table['columns'][number]['values'] }[] = [];
  const addBase = (name: string, path: DataPath, what2: string): void => {
    if (name === est.outcome || fromBase.some((c) => c.name === name)) return;
    if (FIXED_COLUMNS.includes(name)) throw at(path, `'${name}' is a column the pipeline builds itself; name a column of the ${what}`);
    const c = base.columns.find((x) => x.name === name);
    if (!c) throw at(path, `'${name}' is not a column of the ${what} (${what2}); available: region, ${base.columns.map((x) => x.name).join(', ')}`);
    fromBase.push({ name, values: c.values });
  };
  est.heterogeneity.forEach((h, i) => h !== 'region' && addBase(h, ['heterogeneity', i], 'split variable'));
  if (est.intensity !== undefined) addBase(est.intensity, ['intensity'], 'treatment intensity');
  const regions = regionTable();
  const covNames = est.covariates?.columns ?? [];
  covNames.forEach((c, i) => {
    if (FIXED_COLUMNS.includes(c) || c === est.outcome || c === 'region' || fromBase.some((b) => b.name === c))
      throw at(['covariates', 'columns', i], `'${c}' clashes with an estimation-panel column; rename it in the covariates table`);
  });

  const rows: CsvCell[][] = [];
  const units = new Set<string>();
  const noCovariates = new Set<string>();
  for (let i = 0; i < year.values.length; i++) {
    if (source.values[i] !== est.source) continue;
    const u = String(unitCol.values[i]);
    const t = year.values[i] as number;
    units.add(u);
    const cohort = timing.get(u);
    const row: CsvCell[] = [u, t, y.values[i] as number | null, cohort !== undefined && t >= cohort ? 1 : 0, cohort ?? null];
    if (exposureByKey.size > 0) row.push(exposureByKey.get(`${u}|${t}`) ?? null);
    row.push(regionOf(u, regions));
    if (est.stages) row.push(stageOf(cohort, est.stages));
    for (const c of fromBase) row.push(c.values[i] ?? null);
    if (covariates) {
      const v = covariates.values.get(covariates.byYear ? `${u}|${t}` : u);
      if (!v) noCovariates.add(u);
      row.push(...(v ?? covNames.map(() => null)));
    }
    rows.push(row);
  }
  if (rows.length === 0) throw new NtlError(`estimate: no rows of series '${est.source}' in the ${what}`);
  // One estimation sample for every model: units with a missing outcome in any year are dropped (the staggered
  // estimators need a balanced panel, and comparing models on different samples would mislead).
  const incomplete = new Set(rows.filter((r) => r[2] === null).map((r) => String(r[0])));
  if (incomplete.size > 0) {
    warnings.push(
      `estimate: ${incomplete.size} unit(s) with a missing ${est.outcome} in some year left out of the estimation sample: ${[...incomplete].slice(0, 8).join(', ')}${incomplete.size > 8 ? ', …' : ''}`,
    );
    for (let i = rows.length - 1; i >= 0; i--) if (incomplete.has(String(rows[i]![0]))) rows.splice(i, 1);
    for (const u of incomplete) units.delete(u);
  }
  const matched = [...timing.keys()].filter((k) => units.has(k)).length;
  if (matched === 0)
    throw new NtlError(
      `estimate: none of the ${timing.size} treated units of ${plan.treatment!.file.id} (column ${plan.treatment!.unit}) is a ${est.level} in the ${what}; check treatment.unit and the estimation level`,
    );
  if (matched < timing.size)
    warnings.push(`estimate: ${timing.size - matched} of ${timing.size} treated units are not in the ${what} (outside the boundaries or other codes)`);
  const missingCov = [...noCovariates].filter((u) => units.has(u)).sort();
  if (covariates && missingCov.length === units.size)
    throw at(
      ['covariates', 'unit'],
      `no unit of the ${what} is in covariates table '${est.covariates!.file.id}' (column ${est.covariates!.unit}${covariates.byYear ? ` and ${est.covariates!.time}` : ''}); check the unit codes (${est.level} codes, 6 digits)`,
    );
  if (missingCov.length > 0)
    warnings.push(
      `estimate: ${missingCov.length} unit(s) without covariates in ${est.covariates!.file.id} (left out of psm): ${missingCov.slice(0, 8).join(', ')}${missingCov.length > 8 ? ', …' : ''}`,
    );
  const header = [
    'unit',
    'year',
    est.outcome,
    'treat',
    'cohort',
    ...(exposureByKey.size > 0 ? ['exposure'] : []),
    'region',
    ...(est.stages ? ['stage'] : []),
    ...fromBase.map((c) => c.name),
    ...(covariates ? covNames : []),
  ];
  return { header, rows, csv: csvText(header, rows), hasExposure: exposureByKey.size > 0 };
}

const TITLES: Record<Model, string> = {
  did: 'Two-way fixed-effects DID',
  eventstudy: 'Event study (relative years, 95% CI)',
  placebo: 'Placebo distribution',
  bacon: 'Goodman-Bacon decomposition',
  att: "Callaway–Sant'Anna ATT",
  spillover: 'Spillover DID on neighbours of treated units',
  psm: 'PSM-DID (kernel matching on user covariates)',
};

/** One model run: the model, its options on top of the shared panel settings, and where its JSON goes. */
interface Job {
  readonly name: string;
  readonly kind: ModelKind;
  readonly title: string;
  readonly spec: Partial<ModelSpec>;
}

/** The requested models, then the DID variants (splits, intensity, stages), in a fixed order. */
export function estimateJobs(plan: PanelPlan): Job[] {
  const est = plan.estimate!;
  const transform = est.transform ? ` [${est.transform.transform}${est.transform.p !== undefined ? ` ${est.transform.p}` : ''}]` : '';
  const suffix = `: ${est.outcome}${transform} (${est.level}, ${est.source})`;
  const specs: Record<Model, Partial<ModelSpec>> = {
    did: { treat: 'treat', cohort: 'cohort' },
    eventstudy: { treat: undefined, cohort: 'cohort', eventstudy: est.eventstudy },
    placebo: { treat: 'treat', cohort: 'cohort', placebo: est.placebo },
    bacon: { treat: 'treat' },
    att: { cohort: 'cohort', att: est.att },
    spillover: { treat: 'treat', cohort: 'cohort', exposure: 'exposure' },
    psm: { treat: 'treat', cohort: 'cohort', covariates: est.covariates?.columns ?? [], psm: est.psm },
  };
  const kind: Record<Model, ModelKind> = {
    did: 'did',
    eventstudy: 'eventstudy',
    placebo: 'placebo',
    bacon: 'bacon',
    att: 'att',
    spillover: 'spillover',
    psm: 'psm',
  };
  const jobs: Job[] = est.models.map((m) => ({ name: m, kind: kind[m], title: `${TITLES[m]}${suffix}`, spec: specs[m] }));
  const did = (name: string, title: string, interact: string): Job => ({
    name,
    kind: 'did',
    title: `${title}${suffix}`,
    spec: { treat: 'treat', cohort: 'cohort', interactions: [parseInteraction(interact)] },
  });
  for (const h of est.heterogeneity) {
    jobs.push(
      did(
        `did_by_${h}`,
        h === 'region' ? 'Triple difference: treatment effect by region (east / central / west)' : `Triple difference: treatment effect by ${h}`,
        `treat:i.${h}`,
      ),
    );
  }
  if (est.intensity !== undefined) jobs.push(did('did_intensity', `DID with treatment intensity (treat × ${est.intensity})`, `treat:${est.intensity}`));
  if (est.stages) jobs.push(did('did_by_stage', `DID by treatment stage (cohorts from ${est.stages.join(', ')})`, 'treat:i.stage'));
  return jobs;
}

/** Where the estimation panel is published; results name it as their panel. */
const PANEL_REL = 'estimation/panel.csv';

export async function runEstimates(plan: PanelPlan, base: Table, exposure: Table | null, warnings: string[], threads?: number): Promise<OutputFile[]> {
  const est = plan.estimate!;
  const timing = await treatmentTiming(plan, warnings);
  const covariates = est.covariates ? await loadCovariates(est.covariates) : null;
  const panel = estimationPanel(plan, base, exposure, timing, warnings, covariates);
  const table = tableOf(PANEL_REL, panel.header, panel.rows);
  const common: ModelSpec = {
    y: est.outcome,
    unit: 'unit',
    time: 'year',
    controls: [],
    fe: ['unit', 'year'],
    cluster: ['unit'],
    vcov: 'CR1',
    ssc: 'nested',
    transform: est.transform,
  };
  const files: OutputFile[] = [{ rel: PANEL_REL, data: panel.csv }];
  for (const job of estimateJobs(plan)) {
    let result;
    try {
      result = await runModel(job.kind, table, { ...common, ...job.spec }, { threads });
    } catch (e) {
      if (!isNtlError(e)) throw e;
      warnings.push(`estimate ${job.name} skipped: ${e.message}`);
      continue;
    }
    for (const w of result.warnings) warnings.push(`estimate ${job.name}: ${w}`);
    const record: Record<string, unknown> = { kind: job.kind, title: job.title, ...result.record };
    if (result.figure !== undefined) {
      const rel = `figures/${job.name}.png`;
      record.plot = rel;
      files.push({ rel, data: await svgToPng(result.figure) }, { rel: `figures/${job.name}.svg`, data: result.figure });
    }
    files.push({ rel: `estimates/${job.name}.json`, data: JSON.stringify(record, null, 2) + '\n' });
  }
  return files;
}
