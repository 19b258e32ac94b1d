/**
 * Period (time) columns and the one-row-per-unit-×-period rule, shared by every command that takes a period:
 * `--time` of dagum / inequality / gap (and gap's further `--by` keys), of the estimators (did, eventstudy, placebo, psm-did, spillover,
 * bacon, att) and of exposure, and the pipeline stages built on them. A period value that is not a number
 * (`20x5`) or not a whole number (`2015.5`) is an error naming the row, unless `--time-type` says otherwise;
 * two rows for one unit and period are an error naming both rows.
 */
import { NtlError } from '../errors.js';
import { MISSING_TEXT, type LoadedTable } from './read-table.js';

/**
 * How period values are read: integer (default) — whole numbers such as years; continuous — any number (decimal
 * years, 2015.5); text — labels kept as written (2015Q1), for the commands that only group by the period.
 */
export const TIME_TYPES = ['integer', 'continuous', 'text'] as const;
export type TimeType = (typeof TIME_TYPES)[number];

/** The flag, the same name on every command that takes a period column. */
export const TIME_TYPE_FLAG = { 'time-type': { type: 'string' } } as const;

/**
 * `--time-type` → the type (default integer); a value the command does not offer is an error giving `why`
 * (e.g. "the estimators order periods, so they must be numbers").
 */
export function parseTimeType(command: string, value: unknown, offered: readonly TimeType[], why = 'see `ntl ' + command + ' --help`'): TimeType {
  if (value === undefined) return 'integer';
  if (typeof value !== 'string' || !(TIME_TYPES as readonly string[]).includes(value)) {
    throw new NtlError(`ntl ${command}: --time-type must be ${offered.join(' or ')}, got "${String(value)}"; see \`ntl ${command} --help\``);
  }
  const t = value as TimeType;
  if (!offered.includes(t)) throw new NtlError(`ntl ${command}: --time-type ${t} is not available here (${offered.join(' or ')}): ${why}`);
  return t;
}

/** The description of --time-type for a command offering `offered`; `flag` names its period column (--by or --time). */
export function timeTypeText(flag: string, offered: readonly TimeType[]): string {
  const kinds = [
    'integer (default: whole numbers such as years; 2015.5 is an error)',
    ...(offered.includes('continuous') ? ['continuous (any number, e.g. decimal years such as 2015.5)'] : []),
    ...(offered.includes('text') ? ['text (labels kept as written, e.g. 2015Q1)'] : []),
  ];
  const list = kinds.length === 1 ? kinds[0]! : `${kinds.slice(0, -1).join(', ')} or ${kinds[kinds.length - 1]}`;
  return offered.length === 1
    ? `${flag} values must be whole numbers (years): a value that is not a number (20x5) or not whole (2015.5) is an error naming the row; ${offered[0]} is the only type here`
    : `how ${flag} values are read as periods: ${list}; a value that is not a number (20x5) is an error naming the row${offered.includes('text') ? ' (except with text)' : ''}`;
}

/** The placeholder of --time-type: the one type, or <t>. */
export function timeTypeArg(offered: readonly TimeType[]): string {
  return offered.length === 1 ? offered[0]! : '<t>';
}

/** A period column to read: its name, the type, the types the command offers (for the hints) and how rows are named. */
export interface PeriodColumn {
  readonly name: string;
  readonly type: TimeType;
  readonly offered: readonly TimeType[];
  /** "panel.csv line 7". */
  readonly at: (row: number) => string;
}

/**
 * One period cell: null when missing (empty, NA, NaN, .), a number for integer / continuous, the text for text;
 * a non-number, or a non-whole number under integer, is an NtlError naming the row and the value.
 */
export function periodValue(raw: string | number | boolean | null | undefined, row: number, col: PeriodColumn): string | number | null {
  if (raw === null || raw === undefined) return null;
  if (typeof raw === 'number' && !Number.isFinite(raw)) return null;
  const text = String(raw).trim();
  if (MISSING_TEXT.has(text)) return null;
  if (col.type === 'text') return text;
  const n = typeof raw === 'number' ? raw : NUMBER.test(text) ? Number(text) : Number.NaN;
  if (!Number.isFinite(n)) {
    const textHint = col.offered.includes('text') ? ', or pass --time-type text if the periods are labels (e.g. 2015Q1)' : '';
    throw new NtlError(
      `${col.at(row)}: period column "${col.name}" has the value "${text}", which is not a number; a period must be a number (e.g. 2015) — fix or drop the row${textHint}`,
    );
  }
  if (col.type === 'integer' && !Number.isInteger(n)) {
    const fix = col.offered.includes('continuous')
      ? 'fix the value, or pass --time-type continuous if the periods are fractional (e.g. decimal years)'
      : 'fix the value (this command needs whole years)';
    throw new NtlError(`${col.at(row)}: period column "${col.name}" has ${text}, which is not a whole number; ${fix}`);
  }
  return n;
}

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/**
 * The period column of a loaded table, read and checked row by row: entry r is row r's period (null: missing, or
 * not in `rows` when given — rows a filter removed are neither read nor checked).
 */
export function readPeriods(t: LoadedTable, name: string, type: TimeType, offered: readonly TimeType[], rows?: Iterable<number>): (string | number | null)[] {
  const text = t.text(name);
  const col: PeriodColumn = { name, type, offered, at: (r) => `${t.path} ${t.rowLabel(r)}` };
  const out: (string | number | null)[] = new Array<string | number | null>(t.rowCount).fill(null);
  for (const r of rows ?? text.keys()) out[r] = periodValue(text[r], r, col);
  return out;
}

/** Numbers only (integer / continuous): the period column as numbers. */
export function readPeriodNumbers(
  t: LoadedTable,
  name: string,
  type: Exclude<TimeType, 'text'>,
  offered: readonly TimeType[],
  rows?: Iterable<number>,
): (number | null)[] {
  return readPeriods(t, name, type, offered, rows) as (number | null)[];
}

/** A header-only file is named as such, not as "no rows left after filters" or "no column X". */
export function requireDataRows(t: Pick<LoadedTable, 'path' | 'rowCount'>, what = 'the panel'): void {
  if (t.rowCount === 0)
    throw new NtlError(`${t.path}: ${what} has a header but no data rows; check that the file was written completely (one row per unit × period)`);
}

export interface UnitPeriodCheck {
  /** The file (or "panel") named first in the message. */
  readonly source: string;
  /** Unit column name, or null when the table has none: then only identical rows (every column equal) are caught. */
  readonly unit: string | null;
  readonly unitValues?: ArrayLike<string | null>;
  /** Period column(s): e.g. [year] or [year, source]; may be empty (then one row per unit). */
  readonly periods: readonly { readonly name: string; readonly values: ArrayLike<string | number | null> }[];
  /** Row indices to check (e.g. the rows --where kept); default every row. */
  readonly rows: Iterable<number>;
  /** "line 7" / "row 6". */
  readonly at: (row: number) => string;
  /** What to do, e.g. "aggregate them to one row or drop the duplicate". */
  readonly fix: string;
  /** Without a unit column: every column's text per row, to find identical rows. */
  readonly wholeRow?: (row: number) => string;
  /** How to name the unit column option in the no-unit message (e.g. "--unit <col>"). */
  readonly unitOption?: string;
}

/**
 * One row per unit × period: the second row of a pair is an NtlError naming the file, both rows, the unit and the
 * period, and what to do. Rows with a missing unit or period are skipped (they are dropped or reported elsewhere).
 */
export function checkOneRowPerUnitPeriod(c: UnitPeriodCheck): void {
  const seen = new Map<string, number>();
  const periodText = (r: number) => c.periods.map((p) => `${p.name} = ${p.values[r]}`).join(', ');
  const what = [c.unit ?? 'unit', ...c.periods.map((p) => p.name)].join(' × ');
  for (const r of c.rows) {
    if (c.periods.some((p) => p.values[r] === null || p.values[r] === undefined)) continue;
    let key: string;
    if (c.unit !== null) {
      const u = c.unitValues![r];
      if (u === null || u === undefined || u === '') continue;
      key = [u, ...c.periods.map((p) => String(p.values[r]))].join('\u0000');
    } else if (c.wholeRow) key = c.wholeRow(r);
    else return;
    const prev = seen.get(key);
    if (prev === undefined) {
      seen.set(key, r);
      continue;
    }
    if (c.unit !== null) {
      const periods = c.periods.length > 0 ? ` for ${periodText(r)}` : '';
      throw new NtlError(
        `${c.source}: unit "${c.unitValues![r]}" has two rows${periods} (${c.at(prev)} and ${c.at(r)}); a panel needs one row per ${what} — ${c.fix}`,
      );
    }
    throw new NtlError(
      `${c.source}: ${c.at(prev)} and ${c.at(r)} are the same row${c.periods.length > 0 ? ` (${periodText(r)})` : ''}; a panel needs one row per unit × period — ${c.fix}` +
        `${c.unitOption ? `; name the unit column with ${c.unitOption} so every unit × period is checked` : ''}`,
    );
  }
}
