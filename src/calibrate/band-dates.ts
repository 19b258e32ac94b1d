/**
 * The band → date table of a monthly cube (band_dates.csv: band,days_since_1900_01_01,date) read through the one
 * CSV reader (src/panel/csv.ts), so a quoted field or a reordered column reads correctly.
 */
import { NtlError } from '../errors.js';
import { csvTable } from '../panel/csv.js';

/** The 1-based bands of one year, first band of a repeated date only, and the repeated dates ("2014-01-15 (band 3)"). */
export function bandsOfYear(csv: string, year: number, file: string): { bands: number[]; duplicates: string[] } {
  const t = csvTable(csv, { source: file, fix: 'needs columns band and date (YYYY-MM-DD)' });
  const bi = t.column('band'),
    di = t.column('date');
  const seen = new Set<string>();
  const bands: number[] = [],
    duplicates: string[] = [];
  for (const { fields, line } of t.records) {
    const date = (fields[di] ?? '').trim();
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new NtlError(`${file}, line ${line}: date "${date}" is not YYYY-MM-DD`);
    if (Number(date.slice(0, 4)) !== year) continue;
    const band = (fields[bi] ?? '').trim();
    if (seen.has(date)) {
      duplicates.push(`${date} (band ${band})`);
      continue;
    }
    seen.add(date);
    bands.push(Number(band));
  }
  return { bands, duplicates };
}
