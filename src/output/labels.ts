/**
 * Labels of the columns several outputs share (the panel's id and period columns), defined once: every table
 * written through encodePanel (panel, panel_wide, inequality, exposure, gap — CSV, Parquet, Stata .dta) carries
 * these variable labels on these names, so `describe` in Stata shows the same label for unit_id or year in every
 * file and a merge keeps them. Id columns stay text (str in Stata) everywhere, so they need no value labels.
 */
import type { Column, Table } from './table.js';

export const SHARED_LABELS: Readonly<Record<string, string>> = {
  unit_id: 'County code (GB/T 2260)',
  unit_name: 'County name',
  parent_id: 'Prefecture code (6-digit)',
  province_id: 'Province code (6-digit)',
  year: 'Year',
  month: 'Month (monthly series)',
  source: 'Raster series',
};

/** Labels of key columns whose name the user chooses (an exposure --unit, an inequality --group / --time). */
export const ROLE_LABELS = {
  unit: 'Unit id',
  group: 'Group id',
  period: 'Period',
} as const;

/** The shared label of `name`, else `fallback`. */
export function columnLabel(name: string, fallback?: string): string | undefined {
  return Object.hasOwn(SHARED_LABELS, name) ? SHARED_LABELS[name] : fallback;
}

/** `table` with the shared label on every shared column (replacing any other label there); other columns as given. */
export function withSharedLabels(table: Table): Table {
  if (!table.columns.some((c) => Object.hasOwn(SHARED_LABELS, c.name) && c.label !== SHARED_LABELS[c.name])) return table;
  return { columns: table.columns.map((c): Column => (Object.hasOwn(SHARED_LABELS, c.name) ? { ...c, label: SHARED_LABELS[c.name] } : c)) };
}
