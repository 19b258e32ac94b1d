/**
 * The one column-name sanitiser: every name a writer puts in a file (CSV header, Parquet schema, Stata .dta
 * varname) and every statistic column (`quantile:0.9` → `quantile_0_9`) goes through here, so a column reads
 * the same in Stata, R and SQL, whichever command wrote it:
 * - ASCII letters, digits and `_` only: each run of other characters becomes one `_` (a trailing one is dropped);
 * - not starting with a digit or `_` (R's rule; `2015` → `v2015`, `_n` → `v_n`); an empty result is `v`;
 * - not a reserved word of Stata (`in`, `byte`, `str5`, …), R (`if`, `NA`, …) or SQL (`group`, `order`, …):
 *   `_` is appended;
 * - at most 32 characters (Stata's limit);
 * - unique within a table after sanitising: a later duplicate gets `_2`, `_3`, … (within the 32 characters).
 */

export const MAX_COLUMN_NAME_CHARS = 32;

/** Stata's reserved names (plus str1 … str2045 below); the .dta writer checks against the same list. */
export const STATA_RESERVED = [
  '_all',
  '_b',
  'byte',
  '_coef',
  '_cons',
  'double',
  'float',
  'if',
  'in',
  'int',
  'long',
  '_n',
  '_N',
  '_pi',
  '_pred',
  '_rc',
  '_skip',
  'strL',
  'using',
  'with',
];
/** R's reserved words (?Reserved). */
const R_RESERVED = [
  'if',
  'else',
  'repeat',
  'while',
  'function',
  'for',
  'next',
  'break',
  'TRUE',
  'FALSE',
  'NULL',
  'Inf',
  'NaN',
  'NA',
  'NA_integer_',
  'NA_real_',
  'NA_character_',
  'in',
];
/** SQL reserved keywords (DuckDB's reserved list, which covers PostgreSQL's and SQLite's common ones); compared case-insensitively. */
const SQL_RESERVED = [
  'all',
  'analyse',
  'analyze',
  'and',
  'any',
  'array',
  'as',
  'asc',
  'asymmetric',
  'both',
  'case',
  'cast',
  'check',
  'collate',
  'column',
  'constraint',
  'create',
  'default',
  'deferrable',
  'desc',
  'describe',
  'distinct',
  'do',
  'else',
  'end',
  'except',
  'false',
  'fetch',
  'for',
  'foreign',
  'from',
  'grant',
  'group',
  'having',
  'in',
  'initially',
  'intersect',
  'into',
  'lateral',
  'leading',
  'limit',
  'not',
  'null',
  'offset',
  'on',
  'only',
  'or',
  'order',
  'pivot',
  'placing',
  'primary',
  'qualify',
  'references',
  'returning',
  'select',
  'show',
  'some',
  'summarize',
  'symmetric',
  'table',
  'then',
  'to',
  'trailing',
  'true',
  'union',
  'unique',
  'unpivot',
  'using',
  'variadic',
  'when',
  'where',
  'window',
  'with',
];
const RESERVED = new Set([...STATA_RESERVED, ...R_RESERVED]);
const RESERVED_CI = new Set(SQL_RESERVED);

function reserved(name: string): boolean {
  return RESERVED.has(name) || RESERVED_CI.has(name.toLowerCase()) || /^str[0-9]+$/.test(name);
}

/** Why `name` is not a valid column name here, or null when it is. */
export function columnNameProblem(name: string): string | null {
  if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) return 'column names use only letters A-Z/a-z, digits and _, and start with a letter';
  if (name.length > MAX_COLUMN_NAME_CHARS) return `column names have at most ${MAX_COLUMN_NAME_CHARS} characters (Stata's limit)`;
  if (reserved(name)) return 'it is a reserved word in Stata, R or SQL';
  return null;
}

/** One name made valid (without the uniqueness rule, which needs the whole table: safeColumnNames). */
export function safeColumnName(name: string): string {
  if (columnNameProblem(name) === null) return name;
  let s = name.replace(/[^A-Za-z0-9_]+/g, '_');
  if (s.endsWith('_') && !/[A-Za-z0-9_]$/.test(name)) s = s.replace(/_+$/, '');
  if (s === '') s = 'v';
  if (!/^[A-Za-z]/.test(s)) s = `v${s}`;
  s = s.slice(0, MAX_COLUMN_NAME_CHARS);
  if (reserved(s)) s = `${s.slice(0, MAX_COLUMN_NAME_CHARS - 1)}_`;
  return s;
}

/** Every name of one table made valid and unique: a later duplicate gets _2, _3, … (within 32 characters). */
export function safeColumnNames(names: readonly string[]): string[] {
  const taken = new Set<string>();
  return names.map((name) => {
    const base = safeColumnName(name);
    let s = base;
    for (let k = 2; taken.has(s); k++) {
      const suffix = `_${k}`;
      s = `${base.slice(0, MAX_COLUMN_NAME_CHARS - suffix.length)}${suffix}`;
    }
    taken.add(s);
    return s;
  });
}
