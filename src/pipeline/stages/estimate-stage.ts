/**
 * Estimation stage: builds the estimation panel (county panel or prefecture inequality table, one series)
 * joined with the treatment timing, then runs the requested models. Each model is the same library path as
 * its `ntl <model>` command, invoked in-process with an argument list so a pipeline and a command line give
 * identical numbers; results come back as files for the staged publish.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isNtlError, NtlError } from '../../errors.js';
import { csvText, type CsvCell } from '../../output/csv.js';
import type { Table } from '../../output/table.js';
import { readTable } from '../../panel/read-table.js';
import { didCommand } from '../../cli/did-command.js';
import { eventstudyCommand } from '../../cli/eventstudy-command.js';
import { placeboCommand } from '../../cli/placebo-command.js';
import { baconCommand } from '../../cli/bacon-command.js';
import { attCommand } from '../../cli/att-command.js';
import { spilloverCommand } from '../../cli/spillover-command.js';
import { psmCommand } from '../../cli/psm-command.js';
import { errorAt, type DataPath } from '../yaml-errors.js';
import { loadCovariates, regionOf, regionTable, stageOf, type Covariates } from './estimation-columns.js';
import type { OutputFile } from '../commit-outputs.js';
import type { PanelPlan } from '../plan.js';

type Model = NonNullable<PanelPlan['estimate']>['models'][number];

/** First treated year per unit code from the treatment table (rows matching `exclude` dropped). */
export async function treatmentTiming(plan: PanelPlan, warnings: string[]): Promise<Map<string, number>> {
  const t = plan.treatment!;
  const table = await readTable(t.file.file);
  const units = table.text(t.unit);
  const times = table.text(t.time);
  const excludes = Object.entries(t.exclude).map(([col, pattern]) => ({ values: table.text(col), re: new RegExp(pattern) }));
  const out = new Map<string, number>();
  let excluded = 0;
  units.forEach((u, i) => {
    if (u === null) return;
    if (excludes.some((e) => e.re.test(e.values[i] ?? ''))) { excluded++; return; }
    const m = /^(\d{4})/.exec(times[i] ?? '');
    if (!m) throw new NtlError(`${t.file.file} row ${i + 2}: column "${t.time}" must start with a year (2010 or 2010-01), found "${times[i] ?? ''}"`);
    const code = u.replace(/\.0+$/, '');
    out.set(code, Math.min(Number(m[1]), out.get(code) ?? Infinity));
  });
  if (excluded > 0) warnings.push(`treatment: ${excluded} row(s) of ${t.file.id} excluded by treatment.exclude`);
  return out;
}

interface EstimationPanel {
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

export function estimationPanel(plan: PanelPlan, base: Table, exposure: Table | null, timing: ReadonlyMap<string, number>, warnings: string[], covariates: Covariates | null = null): EstimationPanel {
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
    if (FIXED_COLUMNS.includes(c) || c === est.outcome || c === 'region' || fromBase.some((b) => b.name === c)) throw at(['covariates', 'columns', i], `'${c}' clashes with an estimation-panel column; rename it in the covariates table`);
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
    warnings.push(`estimate: ${incomplete.size} unit(s) with a missing ${est.outcome} in some year left out of the estimation sample: ${[...incomplete].slice(0, 8).join(', ')}${incomplete.size > 8 ? ', …' : ''}`);
    for (let i = rows.length - 1; i >= 0; i--) if (incomplete.has(String(rows[i]![0]))) rows.splice(i, 1);
    for (const u of incomplete) units.delete(u);
  }
  const matched = [...timing.keys()].filter((k) => units.has(k)).length;
  if (matched === 0) throw new NtlError(`estimate: none of the ${timing.size} treated units of ${plan.treatment!.file.id} (column ${plan.treatment!.unit}) is a ${est.level} in the ${what}; check treatment.unit and the estimation level`);
  if (matched < timing.size) warnings.push(`estimate: ${timing.size - matched} of ${timing.size} treated units are not in the ${what} (outside the boundaries or other codes)`);
  const missingCov = [...noCovariates].filter((u) => units.has(u)).sort();
  if (covariates && missingCov.length === units.size) throw at(['covariates', 'unit'], `no unit of the ${what} is in covariates table '${est.covariates!.file.id}' (column ${est.covariates!.unit}${covariates.byYear ? ` and ${est.covariates!.time}` : ''}); check the unit codes (${est.level} codes, 6 digits)`);
  if (missingCov.length > 0) warnings.push(`estimate: ${missingCov.length} unit(s) without covariates in ${est.covariates!.file.id} (left out of psm): ${missingCov.slice(0, 8).join(', ')}${missingCov.length > 8 ? ', …' : ''}`);
  const header = ['unit', 'year', est.outcome, 'treat', 'cohort', ...(exposureByKey.size > 0 ? ['exposure'] : []), 'region', ...(est.stages ? ['stage'] : []), ...fromBase.map((c) => c.name), ...(covariates ? covNames : [])];
  return { csv: csvText(header, rows), hasExposure: exposureByKey.size > 0 };
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

type Command = (argv: readonly string[], io: { stdout: (s: string) => void; stderr: (s: string) => void }) => Promise<number>;

/** One model run: a command, its arguments after the shared panel flags, and where its JSON goes. */
interface Job {
  readonly name: string;
  readonly kind: string;
  readonly title: string;
  readonly run: Command;
  readonly args: (json: string, png: string) => string[];
}

const COMMANDS: Record<Model, Command> = { did: didCommand, eventstudy: eventstudyCommand, placebo: placeboCommand, bacon: baconCommand, att: attCommand, spillover: spilloverCommand, psm: psmCommand };

/** The requested models, then the DID variants (splits, intensity, stages), in a fixed order. */
export function estimateJobs(plan: PanelPlan, threads?: number): Job[] {
  const est = plan.estimate!;
  const suffix = `: ${est.outcome} (${est.level}, ${est.source})`;
  const args: Record<Model, (json: string, png: string) => string[]> = {
    did: (json) => ['--treat', 'treat', '--out', json],
    eventstudy: (json, png) => ['--cohort', 'cohort', `--window=${est.eventstudy.window.join(',')}`, `--ref=${est.eventstudy.ref}`, '--plot', png, '--out', json],
    placebo: (json, png) => ['--treat', 'treat', '--cohort', 'cohort', '--draws', String(est.placebo.draws), '--seed', String(est.placebo.seed), '--mode', est.placebo.mode, '--plot', png, '--out', json, ...(threads ? ['--threads', String(threads)] : [])],
    bacon: (json) => ['--treat', 'treat', '--out', json],
    att: (json) => ['--cohort', 'cohort', '--control', est.att.control, '--out', json],
    spillover: (json) => ['--treat', 'treat', '--exposure', 'exposure', '--out', json],
    psm: (json) => ['--treat', 'treat', '--covariates', (est.covariates?.columns ?? []).join(','), '--match', est.psm.match, ...(est.psm.match === 'kernel' ? ['--bandwidth', String(est.psm.bandwidth)] : []), '--out', json],
  };
  const jobs: Job[] = est.models.map((m) => ({ name: m, kind: m, title: `${TITLES[m]}${suffix}`, run: COMMANDS[m], args: args[m] }));
  const did = (name: string, title: string, interact: string): Job => ({ name, kind: 'did', title: `${title}${suffix}`, run: didCommand, args: (json) => ['--treat', 'treat', '--interact', interact, '--out', json] });
  for (const h of est.heterogeneity) {
    jobs.push(did(`did_by_${h}`, h === 'region' ? 'Triple difference: treatment effect by region (east / central / west)' : `Triple difference: treatment effect by ${h}`, `treat:i.${h}`));
  }
  if (est.intensity !== undefined) jobs.push(did('did_intensity', `DID with treatment intensity (treat × ${est.intensity})`, `treat:${est.intensity}`));
  if (est.stages) jobs.push(did('did_by_stage', `DID by treatment stage (cohorts from ${est.stages.join(', ')})`, 'treat:i.stage'));
  return jobs;
}

export async function runEstimates(plan: PanelPlan, base: Table, exposure: Table | null, warnings: string[], threads?: number): Promise<OutputFile[]> {
  const est = plan.estimate!;
  const timing = await treatmentTiming(plan, warnings);
  const covariates = est.covariates ? await loadCovariates(est.covariates) : null;
  const panel = estimationPanel(plan, base, exposure, timing, warnings, covariates);
  const dir = await mkdtemp(join(tmpdir(), 'ntl-estimate-'));
  try {
    const panelPath = join(dir, 'panel.csv');
    await writeFile(panelPath, panel.csv);
    const common = ['--panel', panelPath, '--y', est.outcome, '--unit', 'unit', '--time', 'year'];
    const files: OutputFile[] = [{ rel: 'estimation/panel.csv', data: panel.csv }];
    const io = { stdout: () => undefined, stderr: () => undefined };
    for (const job of estimateJobs(plan, threads)) {
      const json = join(dir, `${job.name}.json`);
      const png = join(dir, `${job.name}.png`);
      try {
        await job.run([...common, ...job.args(json, png)], io);
      } catch (e) {
        if (!isNtlError(e)) throw e;
        warnings.push(`estimate ${job.name} skipped: ${e.message.split(dir).join('estimation')}`);
        continue;
      }
      // The temporary folder must not leak into published (byte-stable) outputs.
      const text = (await readFile(json, 'utf8')).split(dir).join('estimation');
      const result = JSON.parse(text) as Record<string, unknown>;
      const figure = await readFile(png).catch(() => null);
      // the plot's vector twin (writePlot writes f.png and f.svg side by side)
      const vector = figure ? await readFile(join(dir, `${job.name}.svg`), 'utf8').catch(() => null) : null;
      // the figure is published under figures/, not where the command wrote it
      if (typeof result.plot === 'string') result.plot = figure ? `figures/${job.name}.png` : null;
      files.push({ rel: `estimates/${job.name}.json`, data: JSON.stringify({ kind: job.kind, title: job.title, ...result }, null, 2) + '\n' });
      if (figure) files.push({ rel: `figures/${job.name}.png`, data: figure });
      if (vector) files.push({ rel: `figures/${job.name}.svg`, data: vector });
    }
    return files;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
