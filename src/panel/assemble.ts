/**
 * Zonal results per (series, period) + the county hierarchy → the tidy long panel: one row per unit × year
 * (× month) × source, sorted, with a fixed column order and documented units.
 */
import { safeColumnName } from '../output/column-names.js';
import { SHARED_LABELS } from '../output/labels.js';
import { quantileLevelText } from '../zonal/spec.js';
import type { Column, Table } from '../output/table.js';
import type { HierarchyUnit } from './hierarchy.js';

export interface PeriodValues {
  readonly series: string;
  readonly year: number;
  readonly month?: number;
  readonly columns: readonly string[];
  /** [unit id, ...statistics] in column order. */
  readonly rows: readonly (readonly [string, ...(number | null)[]])[];
}

export interface UnitInfo {
  readonly id: string;
  readonly name: string | null;
  /** From the hierarchy; null when the unit could not be placed. */
  readonly parentId: string | null;
  readonly provinceId: string | null;
}

/** Stata variable labels / documentation for the statistic columns. */
export const STAT_LABELS: Readonly<Record<string, string>> = {
  count: 'Valid cells covered (coverage-weighted count)',
  sum: 'Total light: sum of value x coverage (灯光总量)',
  mean: 'Mean light: sum / count (平均灯光强度)',
  min: 'Minimum cell value',
  max: 'Maximum cell value',
  stdev: 'Std. dev. of cell values (coverage-weighted)',
  variance: 'Variance of cell values (coverage-weighted)',
  median: 'Median cell value (coverage-weighted)',
  lit_count: 'Lit cells: coverage-weighted count above threshold',
  lit_share: 'Share of covered cells that are lit',
  saturated_share: 'Share of covered cells whose raw DMSP DN is 63 or more (saturated; DMSP-OLS series only)',
  nodata_count: 'No-data cells covered (coverage-weighted)',
  area_km2: 'Polygon area, km2 (geodesic, WGS84)',
  cell_area_sum_km2: 'Covered cell area, km2',
  weighted_sum: 'Area-weighted total light: sum value x coverage x cell km2',
  weighted_mean: 'Area-weighted mean light',
};

export function unitsFromHierarchy(units: readonly HierarchyUnit[], names: ReadonlyMap<string, string | null>, ids: readonly string[]): UnitInfo[] {
  const byId = new Map(units.map((u) => [u.county_id, u]));
  return ids.map((id) => {
    const h = byId.get(id);
    return { id, name: names.get(id) ?? null, parentId: h?.prefecture_id ?? null, provinceId: h?.province_id ?? null };
  });
}

export function assemblePanel(units: readonly UnitInfo[], periods: readonly PeriodValues[]): Table {
  const statColumns = periods[0]?.columns ?? [];
  const monthly = periods.some((p) => p.month !== undefined);
  const unitById = new Map(units.map((u) => [u.id, u]));
  interface Row {
    unit: UnitInfo;
    year: number;
    month: number | null;
    source: string;
    values: readonly (number | null)[];
  }
  const rows: Row[] = [];
  for (const p of periods) {
    for (const [id, ...values] of p.rows) {
      const unit = unitById.get(id) ?? { id, name: null, parentId: null, provinceId: null };
      rows.push({ unit, year: p.year, month: p.month ?? null, source: p.series, values });
    }
  }
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  rows.sort((a, b) => cmp(a.unit.id, b.unit.id) || a.year - b.year || (a.month ?? 0) - (b.month ?? 0) || cmp(a.source, b.source));

  const columns: Column[] = [
    { name: 'unit_id', type: 'string', label: SHARED_LABELS.unit_id, values: rows.map((r) => r.unit.id) },
    { name: 'unit_name', type: 'string', label: SHARED_LABELS.unit_name, values: rows.map((r) => r.unit.name) },
    { name: 'parent_id', type: 'string', label: SHARED_LABELS.parent_id, values: rows.map((r) => r.unit.parentId) },
    { name: 'province_id', type: 'string', label: SHARED_LABELS.province_id, values: rows.map((r) => r.unit.provinceId) },
    { name: 'year', type: 'int32', label: SHARED_LABELS.year, values: rows.map((r) => r.year) },
  ];
  if (monthly) columns.push({ name: 'month', type: 'int32', label: SHARED_LABELS.month, values: rows.map((r) => r.month) });
  columns.push({ name: 'source', type: 'string', label: SHARED_LABELS.source, values: rows.map((r) => r.source) });
  statColumns.forEach((name, k) => {
    columns.push({
      name: safeColumnName(name),
      type: 'float64',
      label: STAT_LABELS[name] ?? (quantileLevelText(name) !== null ? `Quantile ${quantileLevelText(name)} of cell values` : name),
      values: rows.map((r) => r.values[k] ?? null),
    });
  });
  return { columns };
}
