/**
 * Output of the inequality commands: a Table written as CSV, Parquet or Stata .dta chosen by the --out
 * extension (atomically), or CSV on standard output; and the loaded input panel back as a Table.
 */
import { extname } from 'node:path';
import { NtlError } from '../errors.js';
import { writeFileAtomic } from '../output/atomic.js';
import { encodePanel, type PanelFormat } from '../output/panel-writers.js';
import { columnLabel } from '../output/labels.js';
import type { Column, Table } from '../output/table.js';
import type { LoadedTable } from '../panel/read-table.js';

export function formatForPath(path: string, command: string): PanelFormat {
  const ext = extname(path).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.parquet') return 'parquet';
  if (ext === '.dta') return 'dta';
  throw new NtlError(`ntl ${command}: cannot tell the format of --out ${path}; end it in .csv, .parquet or .dta`);
}

/** Writes `table` to `out` (format by extension) or returns its CSV text for standard output (out = null). */
export async function writeTableOut(table: Table, out: string | null, command: string): Promise<string | null> {
  if (out === null) return encodePanel(table, 'csv') as string;
  await writeFileAtomic(out, encodePanel(table, formatForPath(out, command)));
  return null;
}

/**
 * The input panel as a Table, for commands that add a column. Text is kept as read (so CSV → CSV is unchanged);
 * a column becomes numeric only when every value is a number, none has a leading zero (codes like "0101"), and
 * its name does not mark an identifier (`id`, `code`, `*_id`, `*_code`) — GB/T 2260 codes stay text.
 */
export function tableFromLoaded(t: LoadedTable, numericWanted: boolean): Column[] {
  return t.names.map((name): Column => {
    const text = t.text(name);
    const label = columnLabel(name);
    const labelled = label === undefined ? {} : { label };
    if (!numericWanted || /(^|_)(id|code)$/i.test(name)) return { name, type: 'string', ...labelled, values: text };
    const numeric = text.every((s) => s === null || (/^-?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?$/.test(s.trim()) && Number.isFinite(Number(s))));
    if (!numeric || text.every((s) => s === null)) return { name, type: 'string', ...labelled, values: text };
    const nums = text.map((s) => (s === null ? null : Number(s)));
    const int = nums.every((v) => v === null || (Number.isInteger(v) && Math.abs(v) < 2 ** 31));
    return { name, type: int ? 'int32' : 'float64', ...labelled, values: nums };
  });
}
