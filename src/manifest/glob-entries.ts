/**
 * One new manifest entry per file matching a glob (`ntl manifest add --glob`, `ntl init --rasters`):
 * files sorted by path, year (and month) from the file names, deterministic ids. Problems with single
 * files (no year in the name, …) travel with the entries so that `addManifestEntries` lists them all in
 * one error; a pattern that matches nothing is an error at once.
 */
import { relative } from 'node:path';
import { NtlError } from '../errors.js';
import { displayPath } from '../pipeline/yaml-errors.js';
import type { NewEntry, NewEntryFields } from './add.js';
import { idFromFileName, yearFromName, yearMonthFromName } from './from-name.js';
import { expandGlob } from './glob.js';

export interface GlobEntriesOptions {
  /** The pattern, relative to `cwd` (default: the current folder). */
  readonly pattern: string;
  readonly cwd?: string;
  /** Fields every entry gets (kind, sensor, product, licence, …). */
  readonly fields: Readonly<Record<string, unknown>>;
  /** Fields of one file (e.g. from a template entry matched by file name); they come before `fields`. */
  readonly perFile?: (file: string) => Promise<{ fields?: Readonly<Record<string, unknown>>; problem?: string }>;
  /** `year` from the one 4-digit year 1970–2100 in the file name. */
  readonly yearFromName?: boolean;
  /** `year` and `month` from the one YYYYMM or YYYY-MM in the file name. */
  readonly monthFromName?: boolean;
  /** Ids `<prefix><year>` (`<prefix><year>-<MM>` with months); default: the id of the per-file fields, else the file stem. */
  readonly idPrefix?: string;
  /** How the command and the flag are called in messages (default: ntl manifest add, --glob). */
  readonly command?: string;
  readonly flag?: string;
  /** What to do about a file without a year (default: rename it, or record it alone with --file). */
  readonly nameHint?: string;
}

export async function entriesFromGlob(o: GlobEntriesOptions): Promise<NewEntry[]> {
  const cwd = o.cwd ?? process.cwd();
  const found = await expandGlob(o.pattern, cwd);
  const flag = `${o.command ?? 'ntl manifest add'}: ${o.flag ?? '--glob'}`;
  if (found.files.length === 0) {
    const folder = displayPath(found.base);
    throw new NtlError(
      found.baseExists
        ? `${flag} '${o.pattern}' matches no file in ${folder}/; check the pattern (relative to the current folder; * and ? stay within a folder name, ** spans folders) and quote it so the shell passes it on unexpanded`
        : `${flag} '${o.pattern}': the folder ${folder} does not exist; check the pattern (it is relative to the current folder, ${cwd})`,
    );
  }
  const out: NewEntry[] = [];
  for (const file of found.files) {
    const problems: string[] = [];
    const own = o.perFile ? await o.perFile(file) : {};
    if (own.problem !== undefined) problems.push(own.problem);
    const fields: Record<string, unknown> = { ...own.fields, ...o.fields };
    if (o.monthFromName) {
      const ym = yearMonthFromName(file);
      if (ym.ok) Object.assign(fields, ym.value);
      else problems.push(`${ym.problem}; ${o.nameHint ?? 'rename the file, or record it alone with `ntl manifest add --file … --year … --month …`'}`);
    } else if (o.yearFromName) {
      const y = yearFromName(file);
      if (y.ok) fields.year = y.value;
      else problems.push(`${y.problem}; ${o.nameHint ?? 'rename the file, or record it alone with `ntl manifest add --file … --year …`'}`);
    }
    let id: string | undefined;
    if (o.idPrefix !== undefined) {
      const year = fields.year as number | undefined;
      const month = fields.month as number | undefined;
      if (year !== undefined) id = `${o.idPrefix}${year}${month !== undefined ? `-${String(month).padStart(2, '0')}` : ''}`;
      else if (problems.length === 0) problems.push('--id-prefix needs a year: add --year-from-name (or --month-from-name)');
    } else {
      id = typeof fields.id === 'string' ? fields.id : idFromFileName(file);
      if (id === undefined) problems.push(`cannot make an entry id from the file name "${relative(found.base, file)}"; give --id-prefix`);
    }
    fields.id = id ?? 'unnamed';
    out.push({ fields: fields as unknown as NewEntryFields, file, problems });
  }
  return out;
}
