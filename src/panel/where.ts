/**
 * `--where COL=VAL`: the one row filter of the panel commands (keep the rows whose column COL reads VAL; several
 * conditions must all hold). The estimators' `--drop COL=VAL` is its opposite (drop those rows). Both compare
 * the cell's text exactly (a missing cell reads as the empty string).
 */
import { NtlError } from '../errors.js';
import { MISSING_TEXT, readTable, type LoadedTable } from './read-table.js';

export interface RowCondition {
  readonly column: string;
  readonly value: string;
}

/** `COL=VAL` items of a repeatable flag (`--where`, `--drop`); a comma inside VAL is part of the value. */
export function parseConditions(command: string, flag: string, items: readonly string[]): RowCondition[] {
  return items.map((s) => {
    const eq = s.indexOf('=');
    if (eq <= 0) throw new NtlError(`ntl ${command}: ${flag} must look like column=value (e.g. source=viirs_like), got "${s}"`);
    return { column: s.slice(0, eq).trim(), value: s.slice(eq + 1) };
  });
}

/** `--where` items → conditions. */
export function parseWhere(command: string, items: readonly string[]): RowCondition[] {
  return parseConditions(command, '--where', items);
}

/** Indices of the rows meeting every condition (all rows when there is none); none left is an error naming the conditions. */
export function rowsWhere(t: LoadedTable, where: readonly RowCondition[]): number[] {
  const cols = where.map((c) => ({ c, text: t.text(c.column) }));
  const rows: number[] = [];
  for (let i = 0; i < t.rowCount; i++) if (cols.every(({ c, text }) => (text[i] ?? '') === c.value)) rows.push(i);
  if (rows.length === 0 && where.length > 0 && t.rowCount > 0) {
    throw new NtlError(`${t.path}: no row has ${where.map((c) => `${c.column}=${c.value}`).join(' and ')}; check the --where values`);
  }
  return rows;
}

/**
 * The table restricted to `rows` (in that order), with the same accessors; messages still name each row by its
 * place in the file (a CSV line, a Parquet row), so an error after filtering points at the right line.
 */
export function subsetTable(t: LoadedTable, rows: readonly number[]): LoadedTable {
  if (rows.length === t.rowCount && rows.every((r, i) => r === i)) return t;
  const pick = <T>(col: readonly T[]): T[] => rows.map((r) => col[r]!);
  return {
    path: t.path,
    names: t.names,
    rowCount: rows.length,
    has: (name) => t.has(name),
    rowLabel: (r) => t.rowLabel(rows[r]!),
    text: (name) => pick(t.text(name)),
    // Only the kept rows are checked: a non-number in a filtered-out row is not an error.
    numbers: (name) => {
      let all: (number | null)[];
      try {
        all = t.numbers(name);
      } catch (e) {
        const text = t.text(name);
        for (const r of rows) {
          const v = (text[r] ?? '').trim();
          if (!MISSING_TEXT.has(v) && !Number.isFinite(Number(v)))
            throw e instanceof NtlError
              ? new NtlError(`${t.path} ${t.rowLabel(r)}: column "${name}" has the non-numeric value "${v}"; it must hold numbers (empty or NA for missing)`)
              : e;
        }
        return rows.map((r) => {
          const v = (text[r] ?? '').trim();
          return MISSING_TEXT.has(v) ? null : Number(v);
        });
      }
      return pick(all);
    },
  };
}

/** A table file with only the --where rows (every panel command reads its panel here). */
export async function readTableWhere(path: string, where: readonly RowCondition[]): Promise<LoadedTable> {
  const t = await readTable(path);
  return where.length === 0 ? t : subsetTable(t, rowsWhere(t, where));
}
