/**
 * buildReport(outDir): read a run's output folder and assemble the report (each section only when its inputs
 * exist); writeReport(outDir) also writes report.html and tables/<name>.{md,tex,csv}, each atomically.
 * Everything shown derives from byte-stable outputs, so the same folder always gives the same bytes.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { NtlError } from '../errors.js';
import { writeFileAtomic } from '../output/atomic.js';
import { readTable, type LoadedTable } from '../panel/read-table.js';
import { warningBlock } from './design.js';
import { estimateView } from './estimates.js';
import { fmt, fmtColumn } from './format.js';
import { slug } from './html.js';
import { pngFigure } from './images.js';
import { dagumTable } from './inequality.js';
import { arr, isObject, str, type JsonObject } from './json.js';
import { groupMaps } from './maps.js';
import { renderPage } from './page.js';
import { brightestTable, panelFacts, panelSummaryTable, totalsRows, totalsTable, type PanelColumns } from './panel-summary.js';
import { inputsTable, provenanceBlocks, runFacts, runHeader, seriesBlocks, seriesInfo, type SeriesInfo } from './run-info.js';
import { tableText, TABLE_FILE_FORMATS } from './table-files.js';
import type { Block, ReportDocument, ReportTable, Section } from './types.js';

/** Map thumbnails: ~2× their on-page width. */
const MAP_WIDTH = 440;
const FIGURE_WIDTH = 1400;

const exists = async (p: string) =>
  stat(p).then(
    () => true,
    () => false,
  );

async function readJson(path: string): Promise<JsonObject> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (e) {
    throw new NtlError(`${path} is not valid JSON (${(e as Error).message.replace(/\s+/g, ' ')}); rewrite it with the command that made it`);
  }
  if (!isObject(parsed)) throw new NtlError(`${path} must hold a JSON object`);
  return parsed;
}

async function listPngs(dir: string): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  return names.filter((n) => n.toLowerCase().endsWith('.png') && !n.startsWith('.')).sort();
}

async function firstTable(outDir: string, stem: string): Promise<LoadedTable | null> {
  for (const ext of ['csv', 'parquet']) {
    const p = join(outDir, `${stem}.${ext}`);
    if (await exists(p)) return readTable(p);
  }
  return null;
}

function panelColumns(t: LoadedTable): PanelColumns {
  const years = t.numbers('year');
  const bad = years.findIndex((y) => y === null);
  if (bad >= 0) throw new NtlError(`${t.path}: row ${bad + 1} has no year; the panel must have a year on every row`);
  const stats = new Map<string, (number | null)[]>();
  const skip = new Set(['unit_id', 'unit_name', 'parent_id', 'province_id', 'year', 'month', 'source']);
  for (const n of t.names) if (!skip.has(n)) stats.set(n, t.numbers(n));
  return {
    unitId: t.text('unit_id').map((s) => s ?? ''),
    unitName: t.has('unit_name') ? t.text('unit_name') : null,
    year: years as number[],
    source: t.has('source') ? t.text('source').map((s) => s ?? '') : years.map(() => 'panel'),
    stats,
  };
}

function continuityCsvTable(t: LoadedTable): ReportTable {
  const cols = t.names.filter((n) => n !== 'file');
  const text = cols.map((n) => {
    if (n === 'year' || n === 'sensor' || n === 'flag') return t.text(n).map((s) => s ?? '');
    try {
      return fmtColumn(t.numbers(n));
    } catch {
      return t.text(n).map((s) => s ?? '');
    }
  });
  const flags = t.has('flag') ? t.text('flag') : [];
  return {
    name: 'continuity',
    caption: 'Raster continuity report (ntl calibrate report): totals, lit area and year-over-year ratios per raster',
    header: cols,
    rows: Array.from({ length: t.rowCount }, (_, i) => text.map((c) => c[i]!)),
    rowClasses: Array.from({ length: t.rowCount }, (_, i) => ((flags[i] ?? '').includes('break') ? 'flag' : undefined)),
    note: 'Flags from the documented break rule of ntl calibrate (robust to a steady trend).',
  };
}

/**
 * Reading order of the estimates: the main TWFE DID, the event study, the placebo, the staggered-adoption
 * estimators (Callaway–Sant'Anna / Sun–Abraham, then Bacon), then every other record by name.
 */
export function estimateRank(name: string, kind: string): number {
  if (kind === 'did') return name === 'did' ? 0 : 5;
  return { eventstudy: 1, placebo: 2, att: 3, bacon: 4 }[kind] ?? 5;
}

async function estimateBlocks(outDir: string): Promise<Block[]> {
  const dir = join(outDir, 'estimates');
  const files = (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith('.json') && !n.startsWith('.')).sort();
  const figDir = join(outDir, 'figures');
  const figures = new Set(await listPngs(figDir));
  const svgs = new Set((await readdir(figDir).catch(() => [] as string[])).filter((n) => n.toLowerCase().endsWith('.svg')));
  const records: { f: string; name: string; j: JsonObject; v: ReturnType<typeof estimateView> }[] = [];
  for (const f of files) {
    const name = f.slice(0, -'.json'.length);
    const j = await readJson(join(dir, f));
    records.push({ f, name, j, v: estimateView(name, j) });
  }
  records.sort((a, b) => estimateRank(a.name, a.v.kind) - estimateRank(b.name, b.v.kind) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const blocks: Block[] = [];
  for (const { f, name, j, v } of records) {
    const inner: Block[] = [...warningBlock(v.warnings)];
    if (v.facts.length) inner.push({ type: 'facts', facts: v.facts.filter(([, x]) => x !== '') });
    for (const t of v.tables) inner.push({ type: 'table', table: t });
    inner.push(...v.afterTables);
    if (figures.has(`${name}.png`)) {
      figures.delete(`${name}.png`);
      const vector = svgs.has(`${name}.svg`) ? ` Vector version: figures/${name}.svg.` : '';
      inner.push({ type: 'figure', figure: await pngFigure(join(figDir, `${name}.png`), `${v.figureCaption || v.title}${vector}`, v.title, FIGURE_WIDTH) });
    }
    inner.push(...v.afterFigure);
    if (v.notes.length) inner.push({ type: 'text', tone: 'note', text: `Notes:\n${v.notes.map((n) => `• ${n}`).join('\n')}` });
    if (v.generic)
      inner.push(
        { type: 'text', tone: 'note', text: `Kind "${v.kind}" has no table layout in this version; the record follows as JSON.` },
        { type: 'code', title: `${f} (JSON)`, text: JSON.stringify(j, null, 2) },
      );
    blocks.push({ type: 'subsection', id: `est-${slug(name)}`, title: v.title, blocks: inner });
  }
  const rest = [...figures];
  if (rest.length) {
    const figs: Block[] = [];
    for (const r of rest) figs.push({ type: 'figure', figure: await pngFigure(join(figDir, r), r, r, FIGURE_WIDTH) });
    blocks.push({ type: 'subsection', id: 'other-figures', title: 'Other figures', blocks: figs });
  }
  return blocks;
}

export async function assembleReport(outDir: string): Promise<{ doc: ReportDocument; tables: ReportTable[] }> {
  const info = await stat(outDir).catch(() => null);
  if (!info?.isDirectory()) throw new NtlError(`report: ${outDir} is not a folder; pass the output folder of \`ntl run\` (e.g. out/hunan-demo)`);
  const runPath = join(outDir, 'run.json');
  const run = (await exists(runPath)) ? await readJson(runPath) : null;
  const panel = await firstTable(outDir, 'panel');
  const sections: Section[] = [];

  // Estimates first: the main TWFE table, event study, placebo, staggered estimators, then the rest.
  const est = await estimateBlocks(outDir);
  if (est.length) sections.push({ id: 'estimates', title: 'Estimates', blocks: est });

  // Run summary.
  const header = run ? runHeader(run) : { pipeline: null, version: null };
  if (run) {
    const inputs = inputsTable(run);
    sections.push({
      id: 'summary',
      title: 'Run summary',
      blocks: [{ type: 'facts', facts: runFacts(run) }, ...(inputs ? [{ type: 'table' as const, table: inputs }] : [])],
    });
  }

  // Series: every series of the run (harmonised ones included) with label and unit, and the harmonisation fit.
  const p = panel ? panelColumns(panel) : null;
  const series = run ? seriesBlocks(run, p ? [...new Set(p.source)] : []) : [];
  if (series.length) sections.push({ id: 'series', title: 'Series', blocks: series });

  // Panel summary.
  if (p && panel) {
    const blocks: Block[] = [{ type: 'facts', facts: [['File', basename(panel.path)], ...panelFacts(p)] }];
    for (const t of [panelSummaryTable(p), brightestTable(p)]) if (t) blocks.push({ type: 'table', table: t });
    sections.push({ id: 'panel', title: 'Panel summary', blocks });
  }

  // Maps: small multiples per series, every year side by side on the series' one colour scale.
  const mapDir = join(outDir, 'maps');
  const seriesOrder = run
    ? arr(run.series)
        .filter(isObject)
        .map((x) => str(x.name) ?? '')
    : p
      ? [...new Set(p.source)]
      : [];
  const { groups, other } = groupMaps(await listPngs(mapDir), seriesOrder);
  if (groups.length || other.length) {
    const described = run ? seriesInfo(run) : new Map<string, SeriesInfo>();
    const jumps = p ? totalsRows(p).filter((r) => r.jump && r.ratio !== null) : [];
    const blocks: Block[] = [];
    for (const name of [...new Set(groups.map((g) => g.series))]) {
      const info = described.get(name);
      const label = info?.label && info.label !== name ? `${info.label} (${name})` : name;
      const mine = groups.filter((g) => g.series === name);
      const years = [...new Set(mine.flatMap((g) => g.maps.map((m) => m.year)))].sort((a, b) => a - b);
      const span = years.length > 1 ? `${years[0]}–${years[years.length - 1]}` : String(years[0] ?? '');
      const flagged = jumps.filter((r) => r.source === name).map((r) => `${r.year} (${r.ratio! >= 1 ? '+' : ''}${fmt((r.ratio! - 1) * 100, 1)} %)`);
      const inner: Block[] = [
        {
          type: 'text',
          tone: 'note',
          text:
            `Every map of ${label} uses one colour scale (same scale for ${span}${info?.unit ? `, values in ${info.unit}` : ''}): a colour means the same value in every year, so growth and level breaks show as colour.` +
            (flagged.length
              ? `\nYear-over-year jumps flagged in the continuity diagnostics: ${flagged.join(', ')} — a sensor or product break shows here as a sudden change of colour.`
              : ''),
        },
      ];
      for (const g of mine) {
        const figures = await Promise.all(
          g.maps.map((m) =>
            pngFigure(join(mapDir, m.file), String(m.year), `${label} ${m.year}: ${g.kind === 'raster' ? 'raster' : `county ${g.kind}`}`, MAP_WIDTH),
          ),
        );
        const what =
          g.kind === 'raster'
            ? `${info?.unit ?? 'value'} per cell (log colour ramp)`
            : `county ${g.kind}${info?.unit && !g.kind.endsWith('_gap') ? ` of ${info.unit}` : ''} (quantile classes of all years pooled)`;
        inner.push({ type: 'grid', title: `${label}: ${what}, ${span}`, figures });
      }
      blocks.push({ type: 'subsection', id: `maps-${slug(name)}`, title: label, blocks: inner });
    }
    if (other.length)
      blocks.push({ type: 'grid', title: 'Other maps', figures: await Promise.all(other.map((f) => pngFigure(join(mapDir, f), f, f, MAP_WIDTH))) });
    sections.push({
      id: 'maps',
      title: 'Maps',
      blocks: [{ type: 'text', tone: 'note', text: 'Small multiples of maps/*.png, one block per series (full resolution in the folder).' }, ...blocks],
    });
  }

  // Continuity diagnostics: always the totals from the panel; the raster report when the folder has one.
  const continuity: Block[] = [];
  const totals = p ? totalsTable(totalsRows(p)) : null;
  if (totals) continuity.push({ type: 'table', table: totals });
  if (await exists(join(outDir, 'continuity.csv')))
    continuity.push({ type: 'table', table: continuityCsvTable(await readTable(join(outDir, 'continuity.csv'))) });
  if (await exists(join(outDir, 'continuity.png')))
    continuity.push({
      type: 'figure',
      figure: await pngFigure(
        join(outDir, 'continuity.png'),
        'Total light by year from the raster continuity report; flagged steps in red.',
        'continuity chart',
        FIGURE_WIDTH,
      ),
    });
  if (continuity.length) sections.push({ id: 'continuity', title: 'Continuity diagnostics', blocks: continuity });

  // Inequality.
  const ineq = await firstTable(outDir, 'inequality');
  if (ineq && ['year', 'source', 'G', 'Gw', 'Gnb', 'Gt'].every((c) => ineq.has(c))) {
    const groupCol = ['parent_id', 'province_id', 'group'].find((c) => ineq.has(c));
    const t = dagumTable({
      year: ineq.numbers('year').map((y) => y ?? NaN),
      source: ineq.text('source').map((s) => s ?? ''),
      group: groupCol ? ineq.text(groupCol) : ineq.names.map(() => null),
      G: ineq.numbers('G'),
      Gw: ineq.numbers('Gw'),
      Gnb: ineq.numbers('Gnb'),
      Gt: ineq.numbers('Gt'),
    });
    if (t) sections.push({ id: 'inequality', title: 'Inequality', blocks: [{ type: 'table', table: t }] });
  }

  if (run) sections.push({ id: 'provenance', title: 'Provenance', blocks: provenanceBlocks(run) });

  if (sections.length === 0) {
    throw new NtlError(`report: ${outDir} has none of run.json, panel.csv, maps/, inequality.csv, estimates/*.json; pass the output folder of \`ntl run\``);
  }
  const name = header.pipeline ?? basename(outDir);
  const doc: ReportDocument = {
    title: `Night-light report: ${name}`,
    // No folder name or date: the same run into any folder gives the same bytes.
    subtitle: [`ntl-pipeline${header.version ? ` ${header.version}` : ''}`, `${sections.length} sections`].join(' · '),
    sections,
  };
  const tables = collectTables(sections.flatMap((s) => s.blocks));
  return { doc, tables };
}

function collectTables(blocks: readonly Block[]): ReportTable[] {
  return blocks.flatMap((b) => (b.type === 'table' ? [b.table] : b.type === 'subsection' ? collectTables(b.blocks) : []));
}

/** The report page as HTML text. */
export async function buildReport(outDir: string): Promise<string> {
  return renderPage((await assembleReport(outDir)).doc);
}

/**
 * The report's files relative to the folder: tables/<name>.{md,tex,csv} then report.html (for a caller that
 * publishes outputs as one set, like the pipeline runner's staging commit).
 */
export async function reportFiles(outDir: string): Promise<{ rel: string; data: string }[]> {
  const { doc, tables } = await assembleReport(outDir);
  const files = tables.flatMap((t) => TABLE_FILE_FORMATS.map((f) => ({ rel: `tables/${t.name}.${f}`, data: tableText(t, f) })));
  files.push({ rel: 'report.html', data: renderPage(doc) });
  return files;
}

/** Write report.html and tables/<name>.{md,tex,csv} into the folder, each atomically; returns the paths written. */
export async function writeReport(outDir: string): Promise<string[]> {
  const written: string[] = [];
  for (const f of await reportFiles(outDir)) {
    const p = join(outDir, f.rel);
    await writeFileAtomic(p, f.data);
    written.push(p);
  }
  return written;
}
