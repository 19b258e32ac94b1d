/**
 * The crosswalk stage: re-code the panel's units to the target vintage (hierarchy.crosswalk); merged units add their
 * additive statistics and recompute means, re-coded units take their prefecture and province from the new code.
 */
import type { Table } from '../../output/table.js';
import { applyCrosswalk, loadCrosswalk, type PanelRecord } from '../../panel/crosswalk.js';
import type { PanelPlan } from '../plan/types.js';

const MUNICIPALITY_PREFIXES = ['11', '12', '31', '50'];

/** Re-code units to the target vintage (merges add additive statistics; means are recomputed). */
export async function crosswalkPanel(panel: Table, plan: PanelPlan, warnings: string[]): Promise<Table> {
  const xw = await loadCrosswalk(plan.crosswalk!.file.file, plan.crosswalk!.file.id);
  const n = panel.columns[0]!.values.length;
  const records: PanelRecord[] = [];
  for (let i = 0; i < n; i++) {
    const rec: Record<string, string | number | null> = {};
    for (const c of panel.columns) rec[c.name] = c.values[i] ?? null;
    records.push(rec as PanelRecord);
  }
  const names = new Set(panel.columns.map((c) => c.name));
  const sumColumns = ['count', 'sum', 'lit_count', 'nodata_count', 'area_km2', 'cell_area_sum_km2', 'weighted_sum'].filter((c) => names.has(c));
  const meanColumns = names.has('mean') && names.has('sum') && names.has('count') ? [{ column: 'mean', sum: 'sum', count: 'count' }] : [];
  const result = applyCrosswalk(records, xw, {
    targetVintage: plan.crosswalk!.targetVintage,
    sumColumns,
    meanColumns,
    keyColumns: ['source', ...(names.has('month') ? ['month'] : [])],
    sourceVintage: plan.crosswalk!.sourceVintage,
  });
  warnings.push(...result.warnings);
  // Re-coded units take their prefecture and province from the new code (GB/T 2260 structure).
  const original = new Set(records.map((r) => r.unit_id));
  const knownParents = new Set(records.map((r) => r.parent_id).filter((p): p is string => typeof p === 'string'));
  const parentOf = (code: string): { parent: string | null; province: string } => {
    const province = `${code.slice(0, 2)}0000`;
    if (knownParents.has(province) && MUNICIPALITY_PREFIXES.includes(code.slice(0, 2))) return { parent: province, province };
    if (code.slice(2, 4) === '90') return { parent: code, province };
    const pref = `${code.slice(0, 4)}00`;
    return { parent: knownParents.has(pref) ? pref : null, province };
  };
  const unplaced = new Set<string>();
  const rows: Record<string, string | number | null>[] = result.records.map((r) => {
    if (original.has(r.unit_id)) return { ...r };
    const { parent, province } = parentOf(r.unit_id);
    if (parent === null) unplaced.add(r.unit_id);
    return { ...r, parent_id: parent, province_id: province };
  });
  if (unplaced.size > 0)
    warnings.push(`crosswalk: new code(s) ${[...unplaced].slice(0, 5).join(', ')} have no known prefecture in the panel; parent_id left empty`);
  const key = (r: Record<string, string | number | null>) => [String(r.unit_id), Number(r.year), Number(r.month ?? 0), String(r.source)] as const;
  rows.sort((a, b) => {
    const [ua, ya, ma, sa] = key(a);
    const [ub, yb, mb, sb] = key(b);
    return (ua < ub ? -1 : ua > ub ? 1 : 0) || ya - yb || ma - mb || (sa < sb ? -1 : sa > sb ? 1 : 0);
  });
  return {
    columns: panel.columns.map((c) =>
      c.type === 'string'
        ? { ...c, values: rows.map((r) => (r[c.name] as string | null) ?? null) }
        : { ...c, values: rows.map((r) => (r[c.name] as number | null) ?? null) },
    ),
  };
}
