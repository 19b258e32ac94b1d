/**
 * Pipeline entry points: inequality measures and the gap straight from an in-memory panel Table (the runner's
 * long panel), columns named as in the panel (parent_id, year, source, …). Plain options, no zod.
 */
import { NtlError } from '../errors.js';
import type { Column, Table } from '../output/table.js';
import { checkOneRowPerUnitPeriod, periodValue } from '../panel/period.js';
import { DEFAULT_UNIT_COLUMN, MONTH_COLUMN } from './table-input.js';
import { gapColumn, type GapReference } from './gap.js';
import { inequalityPanel, type InequalityMeasure, type InequalityPanelOptions, type InequalityPanelResult } from './panel.js';

export interface PanelInequalityOptions {
  /** Column with the level, e.g. "mean" or "sum". */
  readonly value: string;
  /** Group column, e.g. "parent_id" (omit for one row per by key over all units). */
  readonly group?: string;
  /** By column, e.g. "year": a period (whole numbers unless the column is text). */
  readonly by?: string;
  /** Unit column checked for one row per unit × by (default unit_id when the panel has it). */
  readonly unit?: string;
  /** Population weight column. */
  readonly weight?: string;
  /** Keep only rows whose column equals the text, e.g. { source: "viirs_like" } (compared as text). */
  readonly where?: Readonly<Record<string, string>>;
  readonly measures: readonly InequalityMeasure[];
  readonly level?: 'group' | 'by';
  /** As in inequalityPanel: per-group measures of smaller groups are empty (default 2). */
  readonly minGroupSize?: number;
  readonly setting?: string;
  readonly sizes?: InequalityPanelOptions['sizes'];
}

function column(table: Table, name: string, what: string): Column {
  const c = table.columns.find((x) => x.name === name);
  if (!c) throw new NtlError(`inequality: the panel has no column "${name}" (${what}); available: ${table.columns.map((x) => x.name).join(', ')}`);
  return c;
}

function numbers(c: Column, rows: readonly number[]): (number | null)[] {
  if (c.type === 'string') throw new NtlError(`inequality: column "${c.name}" holds text, but a number is needed`);
  return rows.map((i) => c.values[i] as number | null);
}

function selectRows(table: Table, where: Readonly<Record<string, string>>): number[] {
  const conds = Object.entries(where).map(([name, v]) => ({ c: column(table, name, 'where'), v }));
  const n = table.columns[0]?.values.length ?? 0;
  const rows: number[] = [];
  for (let i = 0; i < n; i++) if (conds.every(({ c, v }) => String(c.values[i] ?? '') === v)) rows.push(i);
  return rows;
}

/**
 * The by columns' values per row, the first checked as a period (a number column: whole numbers, as the panel's
 * year), and the panel checked for one row per unit × by key among `rows` — the rule the table commands apply.
 */
function checkedKeys(table: Table, by: readonly Column[], unit: string | undefined, rows: readonly number[], what: string): void {
  const n = table.columns[0]?.values.length ?? 0;
  const at = (r: number) => `panel row ${r + 1}`;
  const first = by[0];
  if (first && first.type !== 'string') {
    for (const r of rows) periodValue(first.values[r], r, { name: first.name, type: 'integer', offered: ['integer'], at });
  }
  const unitName = unit ?? (table.columns.some((c) => c.name === DEFAULT_UNIT_COLUMN) ? DEFAULT_UNIT_COLUMN : null);
  if (unitName === null) return;
  const u = column(table, unitName, 'unit');
  // A monthly panel has one row per unit × year × month: the month is part of the period there.
  const month = table.columns.find((c) => c.name === MONTH_COLUMN);
  const periods = month && !by.includes(month) ? [...by, month] : by;
  checkOneRowPerUnitPeriod({
    source: what,
    unit: unitName,
    unitValues: Array.from({ length: n }, (_, i) => (u.values[i] === null ? null : String(u.values[i]))),
    periods: periods.map((c) => ({ name: c.name, values: c.values })),
    rows,
    at,
    fix: 'aggregate them to one row or drop the duplicate',
  });
}

/** inequalityPanel on a panel Table; the output keys are named as the group and by columns. */
export function inequalityFromPanel(table: Table, opts: PanelInequalityOptions): InequalityPanelResult {
  const rows = selectRows(table, opts.where ?? {});
  const text = (c: Column) => rows.map((i) => (c.values[i] === null ? null : String(c.values[i])));
  const byCol = opts.by ? column(table, opts.by, 'by') : null;
  const value = numbers(column(table, opts.value, 'value'), rows);
  const group = opts.group ? text(column(table, opts.group, 'group')) : null;
  checkedKeys(table, byCol ? [byCol] : [], opts.unit, rows, 'inequality: the panel');
  return inequalityPanel(
    {
      value,
      group,
      by: byCol ? (byCol.type === 'string' ? text(byCol) : numbers(byCol, rows)) : null,
      weight: opts.weight ? numbers(column(table, opts.weight, 'weight'), rows) : null,
      where: (i) => `panel row ${rows[i]! + 1}`,
      valueName: `column "${opts.value}"`,
    },
    {
      measures: opts.measures,
      level: opts.level,
      groupName: opts.group,
      byName: opts.by,
      minGroupSize: opts.minGroupSize,
      setting: opts.setting,
      sizes: opts.sizes,
    },
  );
}

export interface PanelGapOptions {
  readonly value: string;
  /** Reference computed within each combination of these columns, e.g. ["year", "source"]. */
  readonly by: readonly string[];
  readonly ref: GapReference;
  /** New column name (default `<value>_gap`). */
  readonly name?: string;
  /** Unit column checked for one row per unit × by key (default unit_id when the panel has it). */
  readonly unit?: string;
}

/** The panel with `<value>_gap` = value / reference of its by group appended (rows unchanged). */
export function withGapColumn(table: Table, opts: PanelGapOptions): { table: Table; warnings: string[] } {
  const n = table.columns[0]?.values.length ?? 0;
  const value = column(table, opts.value, 'value');
  const keyCols = opts.by.map((b) => column(table, b, 'by'));
  checkedKeys(
    table,
    keyCols,
    opts.unit,
    Array.from({ length: n }, (_, i) => i),
    'gap: the panel',
  );
  const keys = Array.from({ length: n }, (_, i) => (keyCols.some((c) => c.values[i] === null) ? null : keyCols.map((c) => String(c.values[i])).join('\u0000')));
  const all = Array.from({ length: n }, (_, i) => i);
  const gap = gapColumn(numbers(value, all), keys, opts.ref);
  const name = opts.name ?? `${opts.value}_gap`;
  if (table.columns.some((c) => c.name === name)) throw new NtlError(`gap: the panel already has a column "${name}"; choose another name`);
  const col: Column = { name, type: 'float64', label: `${opts.value} / ${opts.ref} by ${opts.by.join(', ')}`, values: gap.values };
  return { table: { columns: [...table.columns, col] }, warnings: gap.warnings };
}
