/**
 * Analyses on the assembled panel, each optional and driven by its pipeline section:
 * gap (adds `<value>_gap` to the panel), inequality (city × year table), spatial (adjacency files and the
 * exposure panel). Pure functions of the panel, the zones and the pinned treatment table.
 */
import { NtlError } from '../../errors.js';
import { inequalityFromPanel, withGapColumn } from '../../inequality/index.js';
import type { Column, Table } from '../../output/table.js';
import { readTable } from '../../panel/read-table.js';
import { adjacency, edgesCsv, exposurePanel, galText } from '../../spatial/index.js';
import type { ZoneSet } from '../../vector/types.js';
import type { PanelPlan } from '../plan.js';

const sources = (panel: Table): string[] => {
  const c = panel.columns.find((x) => x.name === 'source');
  return c ? [...new Set(c.values.map((v) => String(v)))].sort() : [];
};

/**
 * The harmonised series (harmonise-stage.ts) fills only its own statistic; an analysis of another statistic
 * leaves it out (its gap stays empty, it has no inequality rows) instead of warning about rows that are empty by design.
 */
function skipsHarmonised(plan: PanelPlan, value: string): string | null {
  // a pixel-level harmonised series is a raster series with every statistic: nothing to skip
  return plan.harmonise?.level === 'district' && plan.harmonise.column !== value ? plan.harmonise.name : null;
}

export function addGap(panel: Table, plan: PanelPlan, warnings: string[]): Table {
  if (!plan.gap) return panel;
  const opts = { value: plan.gap.value, by: ['year', 'source'], ref: plan.gap.ref };
  const skip = skipsHarmonised(plan, plan.gap.value);
  const src = panel.columns.find((c) => c.name === 'source')?.values ?? [];
  const kept = src.flatMap((s, i) => (skip !== null && s === skip ? [] : [i]));
  if (kept.length === src.length) {
    const r = withGapColumn(panel, opts);
    warnings.push(...r.warnings);
    return r.table;
  }
  // Gap by year × source: computing it without the skipped rows changes no other row's value.
  const sub: Table = { columns: panel.columns.map((c) => ({ ...c, values: kept.map((i) => c.values[i] ?? null) }) as Column) };
  const r = withGapColumn(sub, opts);
  warnings.push(...r.warnings);
  const gap = r.table.columns[r.table.columns.length - 1]!;
  const values: (number | null)[] = src.map(() => null);
  kept.forEach((i, k) => { values[i] = (gap.values[k] as number | null) ?? null; });
  return { columns: [...panel.columns, { ...gap, values } as Column] };
}

/** One inequality table per series, stacked with a `source` column after the keys. */
export function inequalityTable(panel: Table, plan: PanelPlan, warnings: string[]): Table | null {
  if (!plan.inequality) return null;
  const group = plan.inequality.group === 'province' ? 'province_id' : 'parent_id';
  const parts: { source: string; table: Table }[] = [];
  const skip = skipsHarmonised(plan, plan.inequality.value);
  for (const source of sources(panel)) {
    if (source === skip) continue;
    const r = inequalityFromPanel(panel, { value: plan.inequality.value, group, by: 'year', where: { source }, measures: plan.inequality.measures });
    warnings.push(...r.warnings.map((w) => `inequality (${source}): ${w}`));
    parts.push({ source, table: r.table });
  }
  return stackWithSource(parts);
}

function stackWithSource(parts: readonly { source: string; table: Table }[]): Table {
  const first = parts[0]?.table;
  if (!first) return { columns: [] };
  const keys = 2; // group column, year
  const columns: Column[] = [];
  first.columns.forEach((c, k) => {
    const values = parts.flatMap((p) => p.table.columns[k]!.values as (string | number | null)[]);
    columns.push({ ...c, values } as Column);
    if (k === keys - 1) {
      columns.push({ name: 'source', type: 'string', label: 'Raster series', values: parts.flatMap((p) => p.table.columns[0]!.values.map(() => p.source)) });
    }
  });
  return { columns };
}

export interface SpatialOutputs {
  readonly files: { rel: string; data: string }[];
  readonly exposure: Table | null;
}

export async function spatialOutputs(zoneSet: ZoneSet, plan: PanelPlan, warnings: string[]): Promise<SpatialOutputs | null> {
  const sp = plan.spatial;
  if (!sp) return null;
  const adj = adjacency(zoneSet, { rule: sp.rule, snapM: sp.snapM, minSharedM: sp.minSharedM });
  warnings.push(...adj.warnings);
  if (adj.islands.length > 0) warnings.push(`adjacency: ${adj.islands.length} unit(s) without neighbours: ${adj.islands.slice(0, 10).join(', ')}`);
  const files = [
    { rel: 'adjacency.csv', data: edgesCsv(adj.pairs) },
    { rel: 'adjacency.gal', data: galText(adj.ids, adj.pairs, plan.name, plan.boundaries.idField) },
  ];
  let exposure: Table | null = null;
  if (sp.exposure) {
    const ex = sp.exposure;
    const t = await readTable(ex.file.file);
    const units = t.text(ex.unit);
    const years = ex.time ? t.numbers(ex.time) : units.map(() => ex.firstYear!);
    const treated = new Map<string, number>();
    const ids = new Set(adj.ids);
    let unmatched = 0;
    units.forEach((u, i) => {
      const y = years[i];
      if (u === null || y === null || y === undefined) return;
      if (!Number.isInteger(y)) throw new NtlError(`${ex.file.file}: column "${ex.time}" must hold whole years, found ${y}`);
      const code = u.replace(/\.0+$/, '');
      if (!ids.has(code)) { unmatched++; return; }
      treated.set(code, Math.min(y, treated.get(code) ?? Infinity));
    });
    if (unmatched > 0) warnings.push(`exposure: ${unmatched} treated unit(s) of ${ex.file.id} are not in the boundaries (other regions or code changes)`);
    exposure = exposurePanel(adj.pairs, treated, adj.ids, plan.years, ex.order, { unitColumn: 'unit_id' });
  }
  return { files, exposure };
}
