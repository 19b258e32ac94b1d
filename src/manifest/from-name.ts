/**
 * Year, month and entry id from a file name, for adding many files at once (`ntl manifest add --glob
 * --year-from-name`, `ntl init`). Only the file name counts, not its folders.
 *
 * - year: the one run of exactly four digits with a value 1970–2100 (`lights_2015.tif`, `VNL_v2_npp_2015_global_
 *   vcmslcfg_c202102150000…` → 2015: the 12-digit run is not a year). The same year twice counts once.
 * - month: the one `YYYYMM` run of exactly six digits or `YYYY-MM` (month 01–12, year 1970–2100).
 * - NASA Black Marble names (`VNP46A4.A2022001.h29v06.001.2023011214401.h5`): year and month from the AYYYYDDD
 *   period start (day 001 → January; VNP46A3 months start on their first day), not from the production time.
 */
import { basename, extname } from 'node:path';

export type FromName<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: string };

const inRange = (y: number): boolean => y >= 1970 && y <= 2100;

function digitRuns(name: string): { text: string; index: number }[] {
  return [...name.matchAll(/\d+/g)].map((m) => ({ text: m[0], index: m.index ?? 0 }));
}

/** Year and month of a Black Marble file name's AYYYYDDD, when the name is one. */
function blackMarblePeriod(name: string): { year: number; month: number } | undefined {
  const m = /^V[NJ][P12]46A[1-4]\.A(\d{4})(\d{3})\./i.exec(name);
  if (!m) return undefined;
  const year = Number(m[1]),
    doy = Number(m[2]);
  if (!inRange(year) || doy < 1 || doy > 366) return undefined;
  return { year, month: new Date(Date.UTC(year, 0, doy)).getUTCMonth() + 1 };
}

export function yearFromName(file: string): FromName<number> {
  const name = basename(file);
  const bm = blackMarblePeriod(name);
  if (bm) return { ok: true, value: bm.year };
  const years = [
    ...new Set(
      digitRuns(name)
        .filter((r) => r.text.length === 4)
        .map((r) => Number(r.text))
        .filter(inRange),
    ),
  ];
  if (years.length === 1) return { ok: true, value: years[0]! };
  if (years.length === 0) return { ok: false, problem: `no 4-digit year (1970–2100) in the file name "${name}"` };
  return { ok: false, problem: `more than one year in the file name "${name}" (${years.join(', ')})` };
}

export function yearMonthFromName(file: string): FromName<{ year: number; month: number }> {
  const name = basename(file);
  const bm = blackMarblePeriod(name);
  if (bm) return { ok: true, value: bm };
  const found = new Map<string, { year: number; month: number }>();
  const add = (year: number, month: number): void => {
    if (inRange(year) && month >= 1 && month <= 12) found.set(`${year}-${month}`, { year, month });
  };
  for (const r of digitRuns(name)) if (r.text.length === 6) add(Number(r.text.slice(0, 4)), Number(r.text.slice(4)));
  for (const m of name.matchAll(/(?<!\d)(\d{4})-(\d{2})(?!\d)/g)) add(Number(m[1]), Number(m[2]));
  const all = [...found.values()];
  if (all.length === 1) return { ok: true, value: all[0]! };
  if (all.length === 0) return { ok: false, problem: `no month (YYYYMM or YYYY-MM) in the file name "${name}"` };
  return {
    ok: false,
    problem: `more than one month in the file name "${name}" (${all.map((v) => `${v.year}-${String(v.month).padStart(2, '0')}`).join(', ')})`,
  };
}

/**
 * An entry id from the file stem: characters other than letters, digits, '.', '_', '-' become '-', and it
 * starts with a letter or digit (`lights 2015 (v2).tif` → `lights-2015-v2`). Undefined when nothing is left.
 */
export function idFromFileName(file: string): string | undefined {
  const name = basename(file);
  const stem = name.slice(0, name.length - extname(name).length) || name;
  const id = stem
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .replace(/[-.]+$/, '');
  return id === '' ? undefined : id;
}
