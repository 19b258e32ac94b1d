/**
 * Writes one panel Table in several formats (`${basePath}.csv`, `.parquet`, `.dta`). Every file
 * is encoded before any is written, so bad input leaves no partial set of outputs; each file is
 * then replaced atomically.
 */
import { NtlError } from '../errors.js';
import { writeFileAtomic } from './atomic.js';
import { safeColumnNames } from './column-names.js';
import { tableToCsv } from './csv.js';
import { withSharedLabels } from './labels.js';
import { tableToDta } from './dta.js';
import { tableToParquet } from './parquet.js';
import type { Table } from './table.js';

export const PANEL_FORMATS = ['csv', 'parquet', 'dta'] as const;
export type PanelFormat = (typeof PANEL_FORMATS)[number];

export interface PanelWriteOptions {
  /** Dataset label (Stata dataset label, Parquet metadata "ntl.label"). */
  readonly label?: string;
  /** Stata timestamp "dd Mon yyyy hh:mm"; defaults to a fixed value so files are byte-stable. */
  readonly dtaTimestamp?: string;
}

export function isPanelFormat(s: string): s is PanelFormat {
  return (PANEL_FORMATS as readonly string[]).includes(s);
}

/**
 * One table in one format; the shared id / period columns get their one label (output/labels.ts), and every column
 * name goes through the one sanitiser (output/column-names.ts), so CSV, Parquet and .dta carry the same valid names.
 */
export function encodePanel(input: Table, format: PanelFormat, opts: PanelWriteOptions = {}): string | Uint8Array {
  const names = safeColumnNames(input.columns.map((c) => c.name));
  const table = withSharedLabels({ ...input, columns: input.columns.map((c, i) => (c.name === names[i] ? c : { ...c, name: names[i]! })) });
  switch (format) {
    case 'csv':
      return tableToCsv(table);
    case 'parquet':
      return tableToParquet(table, { label: opts.label });
    case 'dta':
      return tableToDta(table, { label: opts.label, timestamp: opts.dtaTimestamp });
  }
}

/** Writes `table` as each format in `formats` (duplicates ignored) and returns the paths written, in order. */
export async function writePanel(table: Table, basePath: string, formats: readonly PanelFormat[], opts: PanelWriteOptions = {}): Promise<string[]> {
  if (formats.length === 0) throw new NtlError(`no output format chosen for ${basePath}; pick one or more of ${PANEL_FORMATS.join(', ')}`);
  const unique = [...new Set(formats)];
  for (const f of unique) {
    if (!isPanelFormat(f)) throw new NtlError(`unknown panel format "${String(f)}"; use ${PANEL_FORMATS.join(', ')}`);
  }
  const encoded = unique.map((format) => ({ path: `${basePath}.${format}`, data: encodePanel(table, format, opts) }));
  for (const { path, data } of encoded) await writeFileAtomic(path, data);
  return encoded.map((e) => e.path);
}
