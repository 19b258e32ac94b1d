/**
 * Read a panel/table file (CSV or Parquet) for the estimators, inequality and exposure commands: columns by
 * name, as text or as numbers, with missing values as null and one clear error for a non-numeric cell.
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { NtlError } from '../errors.js';
import { parseCsv } from './csv.js';

export type Cell = string | number | boolean | null;

export interface LoadedTable {
  readonly path: string;
  readonly names: readonly string[];
  readonly rowCount: number;
  /** The column as text (numbers in shortest round-trip form); null for missing. Unknown column → NtlError. */
  text(name: string): (string | null)[];
  /** The column as numbers; empty / NA / NaN / "." → null; any other non-number → NtlError naming row and value. */
  numbers(name: string): (number | null)[];
  has(name: string): boolean;
  /** Where data row r (0-based) is: "line 7" in a CSV (header = line 1), "row 6" in Parquet or memory. */
  rowLabel(r: number): string;
}

/** Text read as a missing value in a numeric (or period) column. */
export const MISSING_TEXT: ReadonlySet<string> = new Set(['', 'NA', 'NaN', 'nan', 'null', 'NULL', '.']);

export async function readTable(path: string): Promise<LoadedTable> {
  const ext = extname(path).toLowerCase();
  let names: string[];
  let rows: Cell[][];
  if (ext === '.parquet') ({ names, rows } = await readParquet(path));
  else ({ names, rows } = await readCsv(path));
  return tableOf(path, names, rows, ext === '.parquet' ? 'row' : 'line');
}

/**
 * A table held in memory (the pipeline's estimation panel, a library caller's rows) with the same accessors and
 * errors as a file; `label` names it in messages, `rowWord` says how rows are counted there (line = CSV line
 * with the header as line 1; row = 1-based data row).
 */
export function tableOf(
  label: string,
  names: readonly string[],
  rows: readonly (readonly (Cell | undefined)[])[],
  rowWord: 'line' | 'row' = 'row',
): LoadedTable {
  const index = new Map(names.map((n, i) => [n, i]));
  const col = (name: string): number => {
    const i = index.get(name);
    if (i === undefined) throw new NtlError(`${label} has no column "${name}"; available columns: ${names.join(', ')}`);
    return i;
  };
  const dataLine = (r: number) => (rowWord === 'row' ? `row ${r + 1}` : `line ${r + 2}`);
  return {
    path: label,
    names,
    rowCount: rows.length,
    has: (name) => index.has(name),
    rowLabel: dataLine,
    text(name) {
      const i = col(name);
      return rows.map((r) => {
        const v = r[i];
        if (v === null || v === undefined) return null;
        const s = String(v);
        return typeof v === 'string' && (s === '' || s === 'NA') ? null : s;
      });
    },
    numbers(name) {
      const i = col(name);
      return rows.map((r, k) => {
        const v = r[i];
        if (v === null || v === undefined) return null;
        if (typeof v === 'number') return Number.isFinite(v) ? v : null;
        if (typeof v === 'boolean') return v ? 1 : 0;
        const s = v.trim();
        if (MISSING_TEXT.has(s)) return null;
        const n = Number(s);
        if (!Number.isFinite(n))
          throw new NtlError(`${label} ${dataLine(k)}: column "${name}" has the non-numeric value "${s}"; it must hold numbers (empty or NA for missing)`);
        return n;
      });
    },
  };
}

async function readCsv(path: string): Promise<{ names: string[]; rows: Cell[][] }> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (e) {
    throw new NtlError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (e as Error).message}; check the path`);
  }
  const other = notCsv(bytes);
  if (other !== null) throw new NtlError(`${path} is not a CSV table: ${other}`);
  const text = bytes.toString('utf8');
  const records = parseCsv(text).filter((r) => !(r.fields.length === 1 && r.fields[0] === ''));
  if (records.length === 0) throw new NtlError(`${path} is empty: a CSV panel needs a header row and data rows`);
  const names = records[0]!.fields.map((f) => f.trim());
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup !== undefined) throw new NtlError(`${path}: the header names column "${dup}" twice; column names must be unique`);
  const rows: Cell[][] = [];
  for (const r of records.slice(1)) {
    if (r.fields.length !== names.length) {
      throw new NtlError(
        `${path} line ${r.line}: ${r.fields.length} fields, but the header has ${names.length}; fix the row (quote fields that contain commas)`,
      );
    }
    rows.push(r.fields);
  }
  return { names, rows };
}

/** What a file given as a CSV table looks like when it is something else (null: plausible CSV text). */
function notCsv(bytes: Buffer): string | null {
  const head = bytes.subarray(0, 4096);
  const at = (sig: string) => head.subarray(0, sig.length).toString('latin1') === sig;
  if (at('PAR1')) return 'it is a Parquet file; name it .parquet';
  if (at('II*\0') || at('MM\0*') || at('II+\0') || at('MM\0+'))
    return 'it is a GeoTIFF raster; give a CSV or Parquet panel (ntl zonal or ntl run make one from rasters)';
  if (at('PK\x03\x04') || (head[0] === 0x1f && head[1] === 0x8b)) return 'it is a zip or gzip archive; unpack it first';
  if (head.includes(0)) return 'it holds binary data; give a CSV (text) or Parquet panel';
  const text = head
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart();
  if (/^(<!doctype\s+html|<(html|head|body)[\s>])/i.test(text)) return 'it is an HTML page (a web page saved in place of the data); download the table itself';
  if (/^[{[]/.test(text)) return 'it looks like JSON; give the panel as CSV (a header row, then one row per unit × period) or Parquet';
  return null;
}

async function readParquet(path: string): Promise<{ names: string[]; rows: Cell[][] }> {
  let objects: Record<string, unknown>[];
  let names: string[];
  // Loaded here, not at the top: most panels are CSV, and every command's flag spec reaches this module.
  const { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects, parquetSchema } = await import('hyparquet');
  try {
    const file = await asyncBufferFromFile(path);
    const metadata = await parquetMetadataAsync(file);
    objects = (await parquetReadObjects({ file, metadata })) as Record<string, unknown>[];
    // Column names from the schema, so a file with no rows still names its columns.
    names = objects.length > 0 ? Object.keys(objects[0]!) : parquetSchema(metadata).children.map((c) => c.element.name);
  } catch (e) {
    throw new NtlError(`cannot read ${path} as Parquet: ${(e as Error).message}; check that it is a Parquet file`);
  }
  const rows = objects.map((o) =>
    names.map((n): Cell => {
      const v = o[n];
      if (v === null || v === undefined) return null;
      if (typeof v === 'bigint') return Number(v);
      if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
      return String(v);
    }),
  );
  return { names, rows };
}
