/**
 * Reads the columns an inequality command names from a loaded CSV/Parquet panel into InequalityInput, with
 * error locations in the file's own terms (CSV line, Parquet row), keeping only the rows --where selects.
 */
import { extname } from 'node:path';
import { NtlError } from '../errors.js';
import type { LoadedTable } from '../panel/read-table.js';
import type { InequalityInput } from './prepare.js';

export interface ColumnChoice {
  readonly value: string;
  readonly group?: string;
  readonly by?: string;
  readonly weight?: string;
}

export interface RowCondition {
  readonly column: string;
  readonly value: string;
}

/** `--where col=value` flags. */
export function parseWhere(command: string, items: readonly string[]): RowCondition[] {
  return items.map((s) => {
    const eq = s.indexOf('=');
    if (eq <= 0) throw new NtlError(`ntl ${command}: --where must look like column=value (e.g. source=viirs_like), got "${s}"`);
    return { column: s.slice(0, eq), value: s.slice(eq + 1) };
  });
}

/**
 * Indices of the rows meeting every condition. A long ntl panel stacks several series in a `source` column; mixing
 * them would compare DMSP with VIIRS units, so more than one source without a --where on it is an error.
 */
export function selectRows(t: LoadedTable, where: readonly RowCondition[], command: string): number[] {
  const cols = where.map((c) => ({ c, text: t.text(c.column) }));
  const rows: number[] = [];
  for (let i = 0; i < t.rowCount; i++) if (cols.every(({ c, text }) => (text[i] ?? '') === c.value)) rows.push(i);
  if (rows.length === 0 && where.length > 0) {
    throw new NtlError(`${t.path}: no row has ${where.map((c) => `${c.column}=${c.value}`).join(' and ')}; check the --where values`);
  }
  if (t.has('source') && !where.some((c) => c.column === 'source')) {
    const sources = [...new Set(rows.map((i) => t.text('source')[i]))].filter((s) => s !== null);
    if (sources.length > 1) {
      throw new NtlError(`${t.path} holds ${sources.length} series in column "source" (${sources.join(', ')}); pick one with --where source=${sources[0]} — mixing them compares different sensors`);
    }
  }
  return rows;
}

export function inputFromTable(t: LoadedTable, cols: ColumnChoice, rows: readonly number[]): InequalityInput {
  const parquet = extname(t.path).toLowerCase() === '.parquet';
  const pick = <T>(col: readonly T[]): T[] => rows.map((i) => col[i]!);
  return {
    value: pick(t.numbers(cols.value)),
    group: cols.group ? pick(t.text(cols.group)) : null,
    by: cols.by ? pick(byColumn(t, cols.by)) : null,
    weight: cols.weight ? pick(t.numbers(cols.weight)) : null,
    where: (i) => `${t.path} ${parquet ? `row ${rows[i]! + 1}` : `line ${rows[i]! + 2}`}`,
    valueName: `column "${cols.value}"`,
    weightName: cols.weight ? `weight column "${cols.weight}"` : undefined,
  };
}

/** A by column keeps numbers as numbers (years) and text as text. */
function byColumn(t: LoadedTable, name: string): (string | number | null)[] {
  const text = t.text(name);
  const numeric = text.every((s) => s === null || (s.trim() !== '' && Number.isFinite(Number(s))));
  return numeric ? text.map((s) => (s === null ? null : Number(s))) : text;
}
