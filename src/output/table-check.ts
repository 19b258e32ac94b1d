/**
 * Checks every panel writer runs before encoding, so a bad Table fails once, with the column
 * and row named, and never reaches a file: NaN/±Infinity, non-integers in int32 columns,
 * ragged columns, duplicate names and strings that are not valid Unicode.
 */
import { NtlError } from '../errors.js';
import type { Column, Table } from './table.js';

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
// With the u flag, a surrogate range matches only unpaired surrogates (paired ones form one code point).
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

export function checkTable(table: Table, what = 'panel'): void {
  if (table.columns.length === 0) {
    throw new NtlError(`${what} has no columns; a panel needs at least one column`);
  }
  checkUniqueNames(table, what);
  const n = table.columns[0].values.length;
  for (const column of table.columns) {
    if (column.values.length !== n) {
      throw new NtlError(
        `${what} column "${column.name}" has ${column.values.length} rows but "${table.columns[0].name}" has ${n}; ` +
          'every column of a table must have the same number of rows',
      );
    }
    checkValues(column, what);
  }
}

function checkUniqueNames(table: Table, what: string): void {
  // Case-insensitive: DuckDB, SQL engines and some file systems fold case, so "GDP" and "gdp" would collide there.
  const seen = new Map<string, string>();
  for (const { name } of table.columns) {
    if (name.length === 0) throw new NtlError(`${what} has a column with an empty name; give every column a name`);
    const key = name.toLowerCase();
    const prior = seen.get(key);
    if (prior !== undefined) {
      throw new NtlError(`${what} has duplicate column names "${prior}" and "${name}" (names are compared ignoring case); rename one of them`);
    }
    seen.set(key, name);
  }
}

function checkValues(column: Column, what: string): void {
  const where = (row: number) => `${what} column "${column.name}", row ${row + 1}`;
  if (column.type === 'string') {
    column.values.forEach((v, row) => {
      if (v === null) return;
      if (typeof v !== 'string') throw new NtlError(`${where(row)}: expected text, got ${typeof v}; fix the code that built the table`);
      if (LONE_SURROGATE.test(v)) {
        throw new NtlError(`${where(row)}: text contains an unpaired UTF-16 surrogate (invalid Unicode); fix the source text encoding`);
      }
    });
    return;
  }
  if (column.type !== 'int32' && column.type !== 'float64') {
    throw new NtlError(`${what} column "${(column as Column).name}" has unknown type "${String((column as Column).type)}"; use string, int32 or float64`);
  }
  column.values.forEach((v, row) => {
    if (v === null) return;
    if (typeof v !== 'number') throw new NtlError(`${where(row)}: expected a number or null, got ${typeof v}; fix the code that built the table`);
    if (!Number.isFinite(v)) {
      throw new NtlError(`${where(row)}: value is ${String(v)}; NaN and ±Infinity must never reach an output — use null for a missing value`);
    }
    if (column.type === 'int32' && (!Number.isInteger(v) || v < INT32_MIN || v > INT32_MAX)) {
      throw new NtlError(`${where(row)}: ${v} is not a 32-bit integer; declare the column float64 or fix the value`);
    }
  });
}
