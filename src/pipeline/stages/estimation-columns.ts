/**
 * Extra columns of the estimation panel, each a pure function of the unit code, its cohort or a joined table:
 * economic region (东部/中部/西部 from the province code; data/reference/regions.csv), treatment stage (cohort
 * bins from estimate.stages), and user covariates (a manifest table joined by unit, and year when given).
 */
import { readFileSync } from 'node:fs';
import { NtlError } from '../../errors.js';
import { csvTable } from '../../panel/csv.js';
import { readTable } from '../../panel/read-table.js';

/** Province code (2 digits) → region (east / central / west) from data/reference/regions.csv. */
export function regionTable(): ReadonlyMap<string, string> {
  const url = new URL('../../../data/reference/regions.csv', import.meta.url);
  let text: string;
  try {
    text = readFileSync(url, 'utf8');
  } catch {
    throw new NtlError(
      `estimate: the region table ${url.pathname} is missing; it ships with ntl-pipeline (data/reference/regions.csv) — reinstall the package`,
    );
  }
  return parseRegionTable(text, url.pathname);
}

/** The region table's text (columns province_code, region; any order, quoted fields allowed) → code → region. */
export function parseRegionTable(text: string, source: string): ReadonlyMap<string, string> {
  const t = csvTable(text, { source, fix: 'it ships with ntl-pipeline (data/reference/regions.csv) — reinstall the package' });
  const code = t.column('province_code');
  const region = t.column('region');
  const out = new Map<string, string>();
  for (const r of t.records) out.set((r.fields[code] ?? '').trim(), (r.fields[region] ?? '').trim());
  return out;
}

/** Region of a GB/T 2260 unit code (county or prefecture); null outside the mainland provinces. */
export function regionOf(code: string, table: ReadonlyMap<string, string>): string | null {
  return /^\d{6}$/.test(code) ? (table.get(code.slice(0, 2)) ?? null) : null;
}

/**
 * Stage label of a cohort for bins starting at `starts` (ascending): "2016-2017", "2018+"; cohorts before the
 * first start → "before-2016"; never treated → "never" (sorts last, so the first bin is the reported one).
 */
export function stageOf(cohort: number | undefined, starts: readonly number[]): string {
  if (cohort === undefined) return 'never';
  if (cohort < starts[0]!) return `before-${starts[0]}`;
  for (let i = starts.length - 1; i >= 0; i--) {
    if (cohort >= starts[i]!) {
      const next = starts[i + 1];
      if (next === undefined) return `${starts[i]}+`;
      return next - 1 === starts[i] ? String(starts[i]) : `${starts[i]}-${next - 1}`;
    }
  }
  return 'never';
}

export interface CovariateSpec {
  readonly file: { readonly id: string; readonly file: string };
  readonly unit: string;
  readonly time?: string;
  readonly columns: readonly string[];
}

/** Covariates keyed by unit (or unit|year when the table has a time column). */
export interface Covariates {
  readonly byYear: boolean;
  readonly values: ReadonlyMap<string, readonly (number | null)[]>;
}

export async function loadCovariates(c: CovariateSpec): Promise<Covariates> {
  const t = await readTable(c.file.file);
  const units = t.text(c.unit);
  const years = c.time ? t.numbers(c.time) : null;
  const cols = c.columns.map((name) => t.numbers(name));
  const values = new Map<string, (number | null)[]>();
  units.forEach((u, i) => {
    if (u === null) return;
    const code = u.replace(/\.0+$/, '');
    const key = years ? `${code}|${years[i]}` : code;
    if (values.has(key)) {
      throw new NtlError(
        `${c.file.file} row ${i + 2}: a second row for unit ${code}${years ? ` in ${years[i]}` : ''} in covariates table '${c.file.id}'; keep one row per unit${years ? ' and year' : ''}${years ? '' : ', or set estimate.covariates.time'}`,
      );
    }
    values.set(
      key,
      cols.map((col) => col[i] ?? null),
    );
  });
  return { byYear: years !== null, values };
}
