/**
 * The one treatment-table reader: a table listing treated units → each unit's first treated year. `ntl exposure`,
 * the pipeline's spatial exposure and its estimation stage (`ntl run`) all read treatment tables here, so one file
 * gives one answer:
 * - time: a whole year (2016, "2016", 2016.0) or a date that starts with one ("2016-03", "2016-03-15", "2016/3",
 *   "2016年3月", "2016Q1") → 2016; anything else (2016.5, "mid-2016", "20x6") is an error naming the row;
 * - rows are filtered first: `where` keeps rows whose column equals a value (--where), `exclude` drops rows whose
 *   column matches a regular expression (the pipeline's treatment.exclude); filtered rows are neither read nor checked;
 * - unit codes are trimmed, and a numeric code exported as a float ("430102.0") reads as "430102";
 * - a unit listed more than once with the same year is one unit; listed with different years it is an error
 *   naming both rows — which year is meant is the user's call, not the reader's. Unless the table is a policy list
 *   in waves (`waves`: CLI --waves, pipeline `waves: true`), where a unit named again in a later wave is still
 *   treated from its first (treatment is absorbing): then its earliest year, with a warning naming those units;
 * - a row with a unit but no year, or a year but no unit, is an error naming the row (a fully empty row is skipped).
 */
import { NtlError } from '../errors.js';
import { MISSING_TEXT, readTable, type LoadedTable } from './read-table.js';
import { rowsWhere, type RowCondition } from './where.js';

export interface TreatmentColumns {
  /** Column with the unit code. */
  readonly unit: string;
  /** Column with each unit's first treated year; or `firstYear` for every listed unit. */
  readonly time?: string;
  readonly firstYear?: number;
  /** Keep only rows with column = value (all must hold). */
  readonly where?: readonly RowCondition[];
  /** Drop rows whose column matches the regular expression (column → pattern). */
  readonly exclude?: Readonly<Record<string, string>>;
  /** The table is a policy list in waves: a unit listed with several years is treated from its earliest. */
  readonly waves?: boolean;
  /** How the user turns `waves` on, for the error's advice (default "pass --waves"). */
  readonly wavesOption?: string;
}

export interface TreatmentTiming {
  /** Unit code → first treated year. */
  readonly timing: Map<string, number>;
  /** Rows dropped by `exclude`. */
  readonly excluded: number;
  /** Rows the reader kept (after where / exclude). */
  readonly rows: number;
  readonly warnings: string[];
}

/** A unit code as the panels write it: trimmed, and "430102.0" (a code that went through a float) → "430102". */
export function unitCode(raw: string): string {
  const s = raw.trim();
  return /^[-+]?\d+\.0+$/.test(s) ? s.replace(/\.0+$/, '') : s;
}

/** A treatment time → its year, or null when it is not a year or a date starting with one. */
export function treatmentYear(raw: string): number | null {
  const s = raw.trim();
  if (/^\d{4}(\.0+)?$/.test(s)) return Number.parseInt(s, 10);
  const date = /^(\d{4})[-/](\d{1,2})(?:[-/](\d{1,2}))?(?:[T ].*)?$/.exec(s);
  if (date && Number(date[2]) >= 1 && Number(date[2]) <= 12) return Number(date[1]);
  // 2016年, 2016年3月, 2016年3月15日 (Chinese policy lists); 2016Q1, 2016-Q1.
  const zh = /^(\d{4})年(?:(\d{1,2})月(?:\d{1,2}日)?)?$/.exec(s);
  if (zh && (zh[2] === undefined || (Number(zh[2]) >= 1 && Number(zh[2]) <= 12))) return Number(zh[1]);
  const quarter = /^(\d{4})[- ]?Q[1-4]$/i.exec(s);
  if (quarter) return Number(quarter[1]);
  return null;
}

export async function readTreatment(path: string, cols: TreatmentColumns): Promise<TreatmentTiming> {
  return treatmentTiming(await readTable(path), cols);
}

export function treatmentTiming(t: LoadedTable, cols: TreatmentColumns): TreatmentTiming {
  if ((cols.time === undefined) === (cols.firstYear === undefined)) throw new Error('treatmentTiming: give exactly one of time or firstYear');
  if (cols.firstYear !== undefined && !Number.isInteger(cols.firstYear))
    throw new NtlError(`the first treated year must be a whole year, got ${cols.firstYear}`);
  const units = t.text(cols.unit);
  const times = cols.time === undefined ? null : t.text(cols.time);
  const excludes = Object.entries(cols.exclude ?? {}).map(([col, pattern]) => ({ values: t.text(col), re: new RegExp(pattern) }));
  const timing = new Map<string, number>();
  const firstRow = new Map<string, number>();
  const differing = new Map<string, Set<number>>();
  const conflicts: { unit: string; year: number; row: number }[] = [];
  let excluded = 0;
  let kept = 0;
  for (const r of rowsWhere(t, cols.where ?? [])) {
    if (excludes.some((e) => e.re.test(e.values[r] ?? ''))) {
      excluded++;
      continue;
    }
    const u = units[r] === null ? '' : unitCode(units[r]!);
    const rawTime = times === null ? null : (times[r] ?? '').trim();
    const noTime = rawTime !== null && MISSING_TEXT.has(rawTime);
    if (u === '' && (times === null || noTime)) continue;
    if (u === '') throw new NtlError(`${t.path} ${t.rowLabel(r)}: column "${cols.unit}" is empty; every treated row needs a unit id`);
    let year: number;
    if (rawTime === null) year = cols.firstYear!;
    else {
      if (noTime) throw new NtlError(`${t.path} ${t.rowLabel(r)}: unit ${u} has no value in "${cols.time}"; give its first treated year or drop the row`);
      const y = treatmentYear(rawTime);
      if (y === null)
        throw new NtlError(
          `${t.path} ${t.rowLabel(r)}: column "${cols.time}" has "${rawTime}", which is not a year; give the first treated year as a whole year (2016) or a date starting with it (2016-03)`,
        );
      year = y;
    }
    kept++;
    const prev = timing.get(u);
    if (prev === undefined) firstRow.set(u, r);
    else if (prev !== year) {
      // the first conflicting row is reported; the others are counted (every row is still checked for bad values)
      if (!differing.has(u)) conflicts.push({ unit: u, year, row: r });
      differing.set(u, new Set([...(differing.get(u) ?? [prev]), year]));
    }
    timing.set(u, Math.min(year, prev ?? Infinity));
  }
  if (conflicts.length > 0 && !cols.waves) {
    const { unit, year, row } = conflicts[0]!;
    const more = conflicts.length - 1;
    const earlier = [...differing.get(unit)!][0]!;
    throw new NtlError(
      `${t.path} ${t.rowLabel(row)}: unit ${unit} is listed twice with different years (${earlier} on ${t.rowLabel(firstRow.get(unit)!)}, ${year} on ${t.rowLabel(row)})` +
        `${more > 0 ? `, and ${more} other unit(s) too` : ''}; keep one row per unit, or, if the file is a policy list in waves (a unit named again in a later wave), ` +
        `${cols.wavesOption ?? 'pass --waves'} to treat each unit from its earliest year`,
    );
  }
  const warnings: string[] = [];
  if (differing.size > 0) {
    const list = [...differing].sort(([a], [b]) => (a < b ? -1 : 1)).map(([u, ys]) => `${u} (${[...ys].sort((a, b) => a - b).join(', ')})`);
    warnings.push(
      `${t.path}: policy waves: ${differing.size} unit(s) are listed in more than one wave; each is treated from its earliest year: ` +
        `${list.slice(0, 10).join(', ')}${list.length > 10 ? `, … (${list.length - 10} more)` : ''}`,
    );
  }
  return { timing, excluded, rows: kept, warnings };
}
