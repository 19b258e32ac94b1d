/**
 * Reads the columns an inequality command (dagum, inequality, gap) names from a loaded CSV/Parquet panel, with
 * error locations in the file's own terms (CSV line, Parquet row), keeping only the rows --where selects. The
 * panel checks every such command shares live here: the period column is a period (panel/period.ts) and the
 * panel has one row per unit × period — a duplicated row would count a unit twice.
 */
import { extname } from 'node:path';
import { NtlError } from '../errors.js';
import { checkOneRowPerUnitPeriod, readPeriods, requireDataRows, TIME_TYPES, type TimeType } from '../panel/period.js';
import type { LoadedTable } from '../panel/read-table.js';
import { rowsWhere, type RowCondition } from '../panel/where.js';
import type { InequalityInput } from './prepare.js';

/** The time types the table commands offer: they only group by the period, so labels (text) are fine too. */
export const TABLE_TIME_TYPES: readonly TimeType[] = TIME_TYPES;

/** The unit column every table command checks for one row per unit × period (unless --unit names another). */
export const DEFAULT_UNIT_COLUMN = 'unit_id';

/** In a monthly ntl panel the month column is part of the period (one row per unit × year × month). */
export const MONTH_COLUMN = 'month';

/** What --unit means for the table commands (their generated help). */
export const UNIT_TEXT =
  'unit id (default: unit_id when the panel has it): the panel must have one row per unit and period (and month, when the panel has a month column) — a duplicated row is an error naming both rows (without a unit column, identical rows are)';

export interface ColumnChoice {
  readonly value: string;
  readonly group?: string;
  /** The period column (e.g. year). */
  readonly by?: string;
  readonly weight?: string;
  /** Unit id column (default unit_id when the table has it). */
  readonly unit?: string;
  /** How the period values are read (default integer). */
  readonly timeType?: TimeType;
}

export { parseWhere, type RowCondition } from '../panel/where.js';

/**
 * Indices of the rows meeting every condition. A long ntl panel stacks several series in a `source` column; mixing
 * them would compare DMSP with VIIRS units, so more than one source without a --where on it is an error.
 */
export function selectRows(t: LoadedTable, where: readonly RowCondition[]): number[] {
  requireDataRows(t);
  const rows = rowsWhere(t, where);
  if (t.has('source') && !where.some((c) => c.column === 'source')) {
    const sources = [...new Set(rows.map((i) => t.text('source')[i]))].filter((s) => s !== null);
    if (sources.length > 1) {
      throw new NtlError(
        `${t.path} holds ${sources.length} series in column "source" (${sources.join(', ')}); pick one with --where source=${sources[0]} — mixing them compares different sensors`,
      );
    }
  }
  return rows;
}

export function inputFromTable(t: LoadedTable, cols: ColumnChoice, rows: readonly number[]): InequalityInput {
  const parquet = extname(t.path).toLowerCase() === '.parquet';
  const pick = <T>(col: readonly T[]): T[] => rows.map((i) => col[i]!);
  const value = pick(t.numbers(cols.value));
  const group = cols.group ? pick(t.text(cols.group)) : null;
  const weight = cols.weight ? pick(t.numbers(cols.weight)) : null;
  const by = cols.by ? readPeriods(t, cols.by, cols.timeType ?? 'integer', TABLE_TIME_TYPES, rows) : null;
  checkUnitPeriods(t, cols.unit, cols.by && by ? [{ name: cols.by, values: by }] : [], rows);
  return {
    value,
    group,
    by: by ? pick(by) : null,
    weight,
    where: (i) => `${t.path} ${parquet ? `row ${rows[i]! + 1}` : `line ${rows[i]! + 2}`}`,
    valueName: `column "${cols.value}"`,
    weightName: cols.weight ? `weight column "${cols.weight}"` : undefined,
  };
}

/**
 * The gap's by keys: the first --by column is the period (checked as one), the others are plain keys (e.g.
 * source); the panel must have one row per unit × by key. null for a row with a missing key.
 */
export function periodKeys(t: LoadedTable, byCols: readonly string[], unit: string | undefined, timeType: TimeType = 'integer'): (string | null)[] {
  requireDataRows(t);
  const all = Array.from({ length: t.rowCount }, (_, i) => i);
  let period: (string | number | null)[];
  try {
    period = readPeriods(t, byCols[0]!, timeType, TABLE_TIME_TYPES);
  } catch (e) {
    // `--by source,year`: say which column is read as the period.
    if (e instanceof NtlError && byCols.length > 1)
      throw new NtlError(`${e.message}; the first --by column is the period (e.g. --by year,source), or name it with --time year`);
    throw e;
  }
  const cols = byCols.map((name, k) => ({ name, values: k === 0 ? period : t.text(name) }));
  checkUnitPeriods(t, unit, cols, all);
  return all.map((i) => (cols.some((c) => c.values[i] === null) ? null : cols.map((c) => String(c.values[i])).join('\u0000')));
}

/**
 * One row per unit × period among `rows`: the unit column is --unit, else unit_id when present; without one,
 * identical rows (every column equal) are the duplicates caught.
 */
export function checkUnitPeriods(
  t: LoadedTable,
  unit: string | undefined,
  periods: readonly { name: string; values: readonly (string | number | null)[] }[],
  rows: readonly number[],
): void {
  const unitCol = unit ?? (t.has(DEFAULT_UNIT_COLUMN) ? DEFAULT_UNIT_COLUMN : null);
  const all = unitCol === null ? t.names.map((n) => t.text(n)) : [];
  // A monthly ntl panel has one row per unit × year × month: the month is part of the period there.
  const withMonth =
    t.has(MONTH_COLUMN) && !periods.some((p) => p.name === MONTH_COLUMN) ? [...periods, { name: MONTH_COLUMN, values: t.text(MONTH_COLUMN) }] : periods;
  checkOneRowPerUnitPeriod({
    source: t.path,
    unit: unitCol,
    unitValues: unitCol === null ? undefined : t.text(unitCol),
    periods: withMonth,
    rows,
    at: (r) => t.rowLabel(r),
    fix:
      periods.length === 0
        ? 'without --time every row is one unit: give --time <period column> (e.g. year), or aggregate them to one row'
        : 'aggregate them to one row or drop the duplicate, then run again',
    wholeRow: (r) => JSON.stringify(all.map((c) => c[r])),
    unitOption: '--unit <col>',
  });
}
