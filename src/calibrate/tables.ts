/**
 * DMSP-OLS inter-calibration coefficient tables, read from data/calibration/*.csv (the published rows with
 * their citation in the file header; produced from the reference notes by scripts/golden/calibrate-tables.py,
 * never re-typed). Each table is one model family: second-order polynomial or Wu's power form.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { NtlError } from '../errors.js';
import { csvComments, csvTable } from '../panel/csv.js';

export const TABLE_NAMES = ['elvidge2014', 'elvidge2009', 'liu2012', 'wu2013'] as const;
export type TableName = (typeof TABLE_NAMES)[number];

/** DN' = c0 + c1·DN + c2·DN² */
export interface Poly2Coefs {
  readonly kind: 'poly2';
  readonly c0: number;
  readonly c1: number;
  readonly c2: number;
  readonly r2: number | null;
}
/** DN' = a·(DN + 1)^b − 1 (Wu et al. 2013) */
export interface PowerCoefs {
  readonly kind: 'power';
  readonly a: number;
  readonly b: number;
  readonly r2: number | null;
}
export type Coefficients = Poly2Coefs | PowerCoefs;

export interface CoefficientTable {
  readonly name: TableName;
  readonly citation: string;
  /** Header comment lines of the data file (model, reference, sources, known errors in public copies). */
  readonly notes: readonly string[];
  /** Keyed by satellite-year, e.g. "F101992". */
  readonly rows: ReadonlyMap<string, Coefficients>;
}

export const SATELLITES = ['F10', 'F12', 'F14', 'F15', 'F16', 'F18'] as const;

export function tablePath(name: TableName): string {
  return fileURLToPath(new URL(`../../data/calibration/${name}.csv`, import.meta.url));
}

const cache = new Map<TableName, CoefficientTable>();

export function loadTable(name: string): CoefficientTable {
  if (!(TABLE_NAMES as readonly string[]).includes(name)) {
    throw new NtlError(`unknown calibration table "${name}"; choose one of ${TABLE_NAMES.join(', ')}`);
  }
  const key = name as TableName;
  const hit = cache.get(key);
  if (hit) return hit;
  const table = parseTable(key, readFileSync(tablePath(key), 'utf8'), tablePath(key));
  cache.set(key, table);
  return table;
}

/** Parse one table file: '#' comment lines, a header naming the columns, then one row per satellite-year. */
export function parseTable(name: TableName, text: string, file: string): CoefficientTable {
  const notes = csvComments(text);
  const t = csvTable(text, { source: file, comments: true, fix: 'the coefficient file is damaged — restore it from the repository' });
  const rows = new Map<string, Coefficients>();
  for (const { fields: cells, line } of t.records) {
    const numAt = (h: string) => {
      const v = Number(cells[t.column(h)]);
      if (!Number.isFinite(v)) throw new NtlError(`${file}, line ${line}: "${h}" is not a number; restore the file from the repository`);
      return v;
    };
    const id = `${cells[t.column('satellite')]}${cells[t.column('year')]}`;
    const r2 = numAt('r2');
    let c: Coefficients;
    if (t.has('c0')) c = { kind: 'poly2', c0: numAt('c0'), c1: numAt('c1'), c2: numAt('c2'), r2 };
    // Liu 2012 publishes DN' = a·DN² + b·DN + c: a is the quadratic term (GRASS swaps a and c).
    else if (t.has('a_dn2')) c = { kind: 'poly2', c0: numAt('c_const'), c1: numAt('b_dn'), c2: numAt('a_dn2'), r2 };
    else c = { kind: 'power', a: numAt('a'), b: numAt('b'), r2 };
    rows.set(id, c);
  }
  return { name, citation: notes[0] ?? '', notes, rows };
}

/** Satellite code and year → the satellite-year key, checking both against what DMSP-OLS flew. */
export function satelliteYear(satellite: string, year: number): string {
  const sat = satellite.toUpperCase();
  if (!(SATELLITES as readonly string[]).includes(sat)) {
    throw new NtlError(`unknown DMSP satellite "${satellite}"; DMSP-OLS composites come from ${SATELLITES.join(', ')} (e.g. --satellite F14)`);
  }
  if (!Number.isInteger(year) || year < 1992 || year > 2013) {
    throw new NtlError(`year ${year} is outside the DMSP-OLS V4 record (1992–2013); for later years use VIIRS (ntl calibrate denoise …)`);
  }
  return `${sat}${year}`;
}

/** The coefficients for one satellite-year; refuses one the table does not cover, saying what to do. */
export function lookupCoefficients(table: CoefficientTable, satellite: string, year: number): Coefficients {
  const key = satelliteYear(satellite, year);
  const c = table.rows.get(key);
  if (!c) {
    const covered = [...table.rows.keys()].filter((k) => k.startsWith(key.slice(0, 3))).map((k) => k.slice(3));
    const span = covered.length ? `${key.slice(0, 3)} rows there: ${covered[0]}–${covered[covered.length - 1]}` : `no ${key.slice(0, 3)} rows`;
    throw new NtlError(
      `the ${table.name} table has no coefficients for ${key} (${span}); choose another --table, or fit your own with ` +
        'ntl calibrate fit-intercalibration --reference REF.tif --input TARGET.tif --region POLYGONS --region-id FIELD (reference regressed on this image over an invariant region)',
    );
  }
  return c;
}
