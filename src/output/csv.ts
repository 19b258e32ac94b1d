/** RFC 4180 CSV text: comma-separated, CRLF-free (LF line ends), fields quoted only when needed. */
import { checkTable } from './table-check.js';
import { safeColumnNames } from './column-names.js';
import { rowCount, type Table } from './table.js';

export type CsvCell = string | number | boolean | null | undefined;

export function csvField(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return formatNumber(value);
  const s = escapeFormula(String(value));
  return /[",\r\n]/.test(s) || /^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * A text cell a spreadsheet would run as a formula (`=HYPERLINK(...)`, `+cmd|...`, `@SUM`, leading tab/CR)
 * gets a leading apostrophe, the OWASP-recommended neutraliser: Excel, LibreOffice and Sheets then show
 * it as text. Plain numbers such as "-3.5" are left alone (they are data, not formulas).
 */
export function escapeFormula(s: string): string {
  if (!/^[=+\-@\t\r]/.test(s)) return s;
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return s;
  return `'${s}`;
}

/**
 * Shortest text that reads back to the same float64 (JS's own algorithm), so outputs are exact
 * and byte-stable; non-finite values never reach a file (they become empty fields).
 */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return '';
  if (Object.is(n, -0)) return '0';
  return String(n);
}

/** A data CSV: the header's column names go through the one sanitiser (valid in Stata, R and SQL; column-names.ts). */
export function csvText(header: readonly string[], rows: Iterable<readonly CsvCell[]>): string {
  const lines: string[] = [safeColumnNames(header).map(csvField).join(',')];
  for (const row of rows) lines.push(row.map(csvField).join(','));
  return lines.join('\n') + '\n';
}

/**
 * A whole Table as CSV text (UTF-8, header row, LF line ends). Missing values become empty
 * fields, so a null and an empty string read back the same; numbers use formatNumber.
 */
export function tableToCsv(table: Table): string {
  checkTable(table, 'CSV table');
  const n = rowCount(table);
  const rows: CsvCell[][] = [];
  for (let r = 0; r < n; r++) rows.push(table.columns.map((c) => c.values[r]));
  return csvText(
    table.columns.map((c) => c.name),
    rows,
  );
}
