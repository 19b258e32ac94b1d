/**
 * Panel tables (pure): overview facts, the per source × year distribution of `sum` and `mean` across units,
 * the totals-per-year table with year-over-year ratios (the continuity check every run gets, flagging jumps
 * of more than 50 % such as the VIIRS-like 2012 → 2013 break), and the brightest units of the latest year.
 */
import { fmt, fmtColumn, fmtInt, median } from './format.js';
import type { ReportTable, RowClass } from './types.js';

export interface PanelColumns {
  readonly unitId: readonly string[];
  readonly unitName: readonly (string | null)[] | null;
  readonly year: readonly number[];
  readonly source: readonly string[];
  /** Statistic columns present in the panel, by name (only `sum` and `mean` are summarised). */
  readonly stats: ReadonlyMap<string, readonly (number | null)[]>;
}

/** A jump is a year-over-year ratio above this, or below its inverse. */
export const JUMP_RATIO = 1.5;

interface Cell {
  readonly source: string;
  readonly year: number;
  readonly rows: number[];
}

/** Row indices grouped by source (in order of first appearance) then year (ascending). */
function cells(p: PanelColumns): Cell[] {
  const by = new Map<string, Map<number, number[]>>();
  p.source.forEach((s, i) => {
    let years = by.get(s);
    if (!years) by.set(s, (years = new Map()));
    const y = p.year[i]!;
    let rows = years.get(y);
    if (!rows) years.set(y, (rows = []));
    rows.push(i);
  });
  return [...by].flatMap(([source, years]) => [...years].sort((a, b) => a[0] - b[0]).map(([year, rows]) => ({ source, year, rows })));
}

const SUMMARY_STATS = ['sum', 'mean'] as const;

export function panelFacts(p: PanelColumns): [string, string][] {
  const years = [...new Set(p.year)].sort((a, b) => a - b);
  const sources = [...new Set(p.source)];
  const yearText =
    years.length === 0
      ? '—'
      : years.length === years[years.length - 1]! - years[0]! + 1
        ? `${years[0]}–${years[years.length - 1]} (${years.length})`
        : years.join(', ');
  return [
    ['Rows', fmtInt(p.year.length)],
    ['Units', fmtInt(new Set(p.unitId).size)],
    ['Years', yearText],
    ['Sources', sources.map((s) => `${s} (${new Set(p.year.filter((_, i) => p.source[i] === s)).size} years)`).join(', ')],
    ['Statistics', [...p.stats.keys()].join(', ')],
  ];
}

/** Mean / median / min / max across units of `sum` and `mean`, one row per source × year. */
export function panelSummaryTable(p: PanelColumns): ReportTable | null {
  const stats = SUMMARY_STATS.filter((s) => p.stats.has(s));
  if (stats.length === 0) return null;
  const cs = cells(p);
  const columns: (number | null)[][] = [];
  for (const s of stats) {
    const v = p.stats.get(s)!;
    const per = cs.map((c) =>
      c.rows
        .map((i) => v[i])
        .filter((x): x is number => x !== null && Number.isFinite(x))
        .sort((a, b) => a - b),
    );
    const mean = per.map((xs) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null));
    columns.push(
      mean,
      per.map((xs) => (xs.length ? median(xs) : null)),
      per.map((xs) => xs[0] ?? null),
      per.map((xs) => xs[xs.length - 1] ?? null),
    );
  }
  // One decimal count per statistic (its four columns), so mean/median/min/max compare at a glance.
  const text: string[][] = [];
  for (let s = 0; s < stats.length; s++) {
    const block = columns.slice(s * 4, s * 4 + 4);
    const digits = fmtColumn(block.flat());
    for (let k = 0; k < 4; k++) text.push(digits.slice(k * cs.length, (k + 1) * cs.length));
  }
  return {
    name: 'panel_summary',
    caption: 'Distribution across units of the county light sum and mean, by source and year',
    groups: [{ label: '', span: 3 }, ...stats.map((s) => ({ label: s === 'sum' ? 'sum (total light per unit)' : 'mean (light per cell)', span: 4 }))],
    header: ['Source', 'Year', 'Units', ...stats.flatMap(() => ['Mean', 'Median', 'Min', 'Max'])],
    rows: cs.map((c, i) => [c.source, String(c.year), fmtInt(c.rows.length), ...text.map((col) => col[i]!)]),
    labelColumns: 2,
    note: 'Computed from panel.csv; missing values are left out.',
  };
}

export interface TotalsRow {
  readonly source: string;
  readonly year: number;
  readonly units: number;
  readonly total: number;
  /** total / total of the previous year of the same source (null for the first year). */
  readonly ratio: number | null;
  readonly jump: boolean;
}

/** Total of `sum` over units per source × year, with ratios to the previous year of the same source. */
export function totalsRows(p: PanelColumns): TotalsRow[] {
  const v = p.stats.get('sum');
  if (!v) return [];
  const out: TotalsRow[] = [];
  let prev: { source: string; total: number } | null = null;
  for (const c of cells(p)) {
    const total = c.rows.reduce((a, i) => a + (v[i] ?? 0), 0);
    const ratio = prev && prev.source === c.source && prev.total > 0 ? total / prev.total : null;
    out.push({ source: c.source, year: c.year, units: c.rows.length, total, ratio, jump: ratio !== null && (ratio > JUMP_RATIO || ratio < 1 / JUMP_RATIO) });
    prev = { source: c.source, total };
  }
  return out;
}

export function totalsTable(rows: readonly TotalsRow[]): ReportTable | null {
  if (rows.length === 0) return null;
  const totals = fmtColumn(rows.map((r) => r.total));
  return {
    name: 'totals_by_year',
    caption: 'Total light (sum over units) by source and year, with year-over-year ratios',
    header: ['Source', 'Year', 'Units', 'Total', 'Ratio to previous year', 'Change', 'Flag'],
    rows: rows.map((r, i) => [
      r.source,
      String(r.year),
      fmtInt(r.units),
      totals[i]!,
      r.ratio === null ? '' : `${fmt(r.ratio, 3)}`,
      r.ratio === null ? '' : `${r.ratio >= 1 ? '+' : ''}${fmt((r.ratio - 1) * 100, 1)}%`,
      r.jump ? (r.ratio! > 1 ? 'jump > 50%' : 'drop > 33%') : '',
    ]),
    rowClasses: rows.map((r): RowClass | undefined => (r.jump ? 'flag' : undefined)),
    labelColumns: 2,
    note: `Flag: the total changes by a factor above ${JUMP_RATIO} (or below 1/${JUMP_RATIO}) from the previous year of the same source — a sensor or product break rather than growth; check before pooling years.`,
  };
}

/** The brightest units (by `sum`) of each source's latest year: a quick sanity check with names. */
export function brightestTable(p: PanelColumns, top = 5): ReportTable | null {
  const v = p.stats.get('sum');
  if (!v) return null;
  const latest = new Map<string, number>();
  p.source.forEach((s, i) => latest.set(s, Math.max(latest.get(s) ?? -Infinity, p.year[i]!)));
  const rows: string[][] = [];
  const mean = p.stats.get('mean');
  const picked: { source: string; year: number; i: number }[] = [];
  for (const [source, year] of latest) {
    const idx = p.source.map((_, i) => i).filter((i) => p.source[i] === source && p.year[i] === year && v[i] !== null);
    idx.sort((a, b) => v[b]! - v[a]! || (p.unitId[a]! < p.unitId[b]! ? -1 : 1));
    for (const i of idx.slice(0, top)) picked.push({ source, year, i });
  }
  const sums = fmtColumn(picked.map((x) => v[x.i]!));
  const means = mean ? fmtColumn(picked.map((x) => mean[x.i] ?? null)) : [];
  picked.forEach((x, k) => {
    const rank = k - picked.findIndex((y) => y.source === x.source) + 1;
    rows.push([x.source, String(x.year), String(rank), p.unitId[x.i]!, p.unitName?.[x.i] ?? '', sums[k]!, ...(mean ? [means[k]!] : [])]);
  });
  return {
    name: 'brightest_units',
    caption: `Brightest ${top} units of the latest year of each source`,
    header: ['Source', 'Year', 'Rank', 'Unit', 'Name', 'sum', ...(mean ? ['mean'] : [])],
    rows,
    labelColumns: 2,
  };
}
