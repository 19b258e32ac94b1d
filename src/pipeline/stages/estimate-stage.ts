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

export function estimationPanel(plan: PanelPlan, base: Table, exposure: Table | null, timing: ReadonlyMap<string, number>, warnings: string[]): EstimationPanel {
  const est = plan.estimate!;
  const what = est.level === 'county' ? 'panel' : 'inequality table';
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
  const rows: CsvCell[][] = [];
  const units = new Set<string>();
  for (let i = 0; i < year.values.length; i++) {
    if (source.values[i] !== est.source) continue;
    const u = String(unitCol.values[i]);
    const t = year.values[i] as number;
    units.add(u);
    const cohort = timing.get(u);
    const row: CsvCell[] = [u, t, y.values[i] as number | null, cohort !== undefined && t >= cohort ? 1 : 0, cohort ?? null];
    if (exposureByKey.size > 0) row.push(exposureByKey.get(`${u}|${t}`) ?? null);
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
  const header = ['unit', 'year', est.outcome, 'treat', 'cohort', ...(exposureByKey.size > 0 ? ['exposure'] : [])];
  return { csv: csvText(header, rows), hasExposure: exposureByKey.size > 0 };
}

const TITLES: Record<Model, string> = {
  did: 'Two-way fixed-effects DID',
  eventstudy: 'Event study (relative years, 95% CI)',
  placebo: 'Placebo distribution',
  bacon: 'Goodman-Bacon decomposition',
  att: "Callaway–Sant'Anna ATT",
  spillover: 'Spillover DID on neighbours of treated units',
};

export async function runEstimates(plan: PanelPlan, base: Table, exposure: Table | null, warnings: string[], threads?: number): Promise<OutputFile[]> {
  const est = plan.estimate!;
  const timing = await treatmentTiming(plan, warnings);
  const panel = estimationPanel(plan, base, exposure, timing, warnings);
  const dir = await mkdtemp(join(tmpdir(), 'ntl-estimate-'));
  try {
    const panelPath = join(dir, 'panel.csv');
    await writeFile(panelPath, panel.csv);
    const common = ['--panel', panelPath, '--y', est.outcome, '--unit', 'unit', '--time', 'year'];
    const files: OutputFile[] = [{ rel: 'estimation/panel.csv', data: panel.csv }];
    const io = { stdout: () => undefined, stderr: () => undefined };
    for (const model of est.models) {
      const json = join(dir, `${model}.json`);
      const png = join(dir, `${model}.png`);
      const argv: Record<Model, string[]> = {
        did: [...common, '--treat', 'treat', '--out', json],
        eventstudy: [...common, '--cohort', 'cohort', `--window=${est.eventstudy.window.join(',')}`, `--ref=${est.eventstudy.ref}`, '--plot', png, '--out', json],
        placebo: [...common, '--treat', 'treat', '--cohort', 'cohort', '--draws', String(est.placebo.draws), '--seed', String(est.placebo.seed), '--mode', est.placebo.mode, '--plot', png, '--out', json, ...(threads ? ['--threads', String(threads)] : [])],
        bacon: [...common, '--treat', 'treat', '--out', json],
        att: [...common, '--cohort', 'cohort', '--control', est.att.control, '--out', json],
        spillover: [...common, '--treat', 'treat', '--exposure', 'exposure', '--out', json],
      };
      const run = { did: didCommand, eventstudy: eventstudyCommand, placebo: placeboCommand, bacon: baconCommand, att: attCommand, spillover: spilloverCommand }[model];
      try {
        await run(argv[model], io);
      } catch (e) {
        if (!isNtlError(e)) throw e;
        warnings.push(`estimate ${model} skipped: ${e.message.split(dir).join('estimation')}`);
        continue;
      }
      // The temporary folder must not leak into published (byte-stable) outputs.
      const text = (await readFile(json, 'utf8')).split(dir).join('estimation');
      const result = JSON.parse(text) as Record<string, unknown>;
      const title = `${TITLES[model]}: ${est.outcome} (${est.level}, ${est.source})`;
      files.push({ rel: `estimates/${model}.json`, data: JSON.stringify({ kind: model, title, ...result }, null, 2) + '\n' });
      const figure = await readFile(png).catch(() => null);
      if (figure) files.push({ rel: `figures/${model}.png`, data: figure });
    }
    return files;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
