/**
 * Journal-style regression tables (Markdown, LaTeX, CSV): one column per model; coefficient with stars
 * (*** p<0.01, ** p<0.05, * p<0.1), standard error in parentheses beneath; then fixed-effect rows, N, R²,
 * within R² and clusters. Shared by every estimate command (part A and B).
 */
import type { Design } from './design.js';
import type { RegressionResult } from './types.js';

export type TableFormat = 'md' | 'tex' | 'csv';
export const TABLE_FORMATS: readonly TableFormat[] = ['md', 'tex', 'csv'];

export interface TableColumn {
  readonly title: string;
  readonly result: Pick<RegressionResult, 'names' | 'coef' | 'se' | 'p' | 'n' | 'r2' | 'r2Within' | 'clusters'>;
  /** Absorbed fixed effects, shown as "Yes" rows. */
  readonly fe?: readonly string[];
  /** Who identifies the effect: units, switchers, always- and never-treated rows under the model. */
  readonly design?: Pick<Design, 'units' | 'switchers' | 'always_treated' | 'never_treated'>;
}

export interface TableOptions {
  /** Decimals for coefficients and SEs (default 3); R² uses the same. */
  readonly digits?: number;
  /** Only these regressors, in this order (default: all, in order of first appearance). */
  readonly keep?: readonly string[];
  /** Display labels for regressor names. */
  readonly labels?: Readonly<Record<string, string>>;
  /** Extra rows appended at the bottom, e.g. { "Controls": ["Yes", "No"] }. */
  readonly extraRows?: Readonly<Record<string, readonly string[]>>;
}

export function stars(p: number): string {
  if (!(p >= 0)) return '';
  return p < 0.01 ? '***' : p < 0.05 ? '**' : p < 0.1 ? '*' : '';
}

function fixed(x: number | null | undefined, digits: number): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '';
  const s = x.toFixed(digits);
  return /^-0\.?0*$/.test(s) ? s.slice(1) : s; // no "-0.000"
}

/** The table as rows of cells (header row first); the formats below only differ in how they print it. */
export function tableCells(columns: readonly TableColumn[], opts: TableOptions = {}): string[][] {
  const digits = opts.digits ?? 3;
  const names: string[] = opts.keep ? [...opts.keep] : [];
  if (!opts.keep) for (const c of columns) for (const nm of c.result.names) if (!names.includes(nm)) names.push(nm);
  const rows: string[][] = [['', ...columns.map((c) => c.title)]];
  for (const nm of names) {
    const coefRow = [opts.labels?.[nm] ?? nm];
    const seRow = [''];
    for (const c of columns) {
      const j = c.result.names.indexOf(nm);
      coefRow.push(j < 0 ? '' : fixed(c.result.coef[j], digits) + stars(c.result.p[j]!));
      seRow.push(j < 0 || !Number.isFinite(c.result.se[j]!) ? '' : `(${fixed(c.result.se[j], digits)})`);
    }
    rows.push(coefRow, seRow);
  }
  const feNames: string[] = [];
  for (const c of columns) for (const f of c.fe ?? []) if (!feNames.includes(f)) feNames.push(f);
  for (const f of feNames) rows.push([`${f} FE`, ...columns.map((c) => ((c.fe ?? []).includes(f) ? 'Yes' : 'No'))]);
  for (const [label, cells] of Object.entries(opts.extraRows ?? {})) rows.push([label, ...columns.map((_, i) => cells[i] ?? '')]);
  rows.push(['N', ...columns.map((c) => String(c.result.n))]);
  rows.push(['R²', ...columns.map((c) => fixed(c.result.r2, digits))]);
  rows.push(['Within R²', ...columns.map((c) => fixed(c.result.r2Within, digits))]);
  if (columns.some((c) => c.result.clusters !== null))
    rows.push(['Clusters', ...columns.map((c) => (c.result.clusters === null ? '' : String(c.result.clusters)))]);
  if (columns.some((c) => c.design)) {
    const row = (label: string, key: 'units' | 'switchers' | 'always_treated' | 'never_treated') =>
      rows.push([label, ...columns.map((c) => (c.design ? String(c.design[key]) : ''))]);
    row('Units', 'units');
    row('Switchers', 'switchers');
    row('Always treated', 'always_treated');
    row('Never treated', 'never_treated');
  }
  return rows;
}

const NOTE = 'Standard errors in parentheses. *** p<0.01, ** p<0.05, * p<0.1';

export function regressionTable(columns: readonly TableColumn[], format: TableFormat, opts: TableOptions = {}): string {
  const rows = tableCells(columns, opts);
  if (format === 'csv') return rows.map((r) => r.map(csvCell).join(',')).join('\n') + '\n';
  if (format === 'md') {
    const widths = rows[0]!.map((_, j) => Math.max(3, ...rows.map((r) => r[j]!.length)));
    const line = (r: string[]) => `| ${r.map((c, j) => (j === 0 ? c.padEnd(widths[j]!) : c.padStart(widths[j]!))).join(' | ')} |`;
    const sep = `|${widths.map((w, j) => (j === 0 ? `:${'-'.repeat(w + 1)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
    return [line(rows[0]!), sep, ...rows.slice(1).map(line), '', NOTE, ''].join('\n');
  }
  const k = rows[0]!.length - 1;
  const tex = (s: string) =>
    s
      .replace(/([&%$#_{}])/g, '\\$1')
      .replace(/R²/g, '$R^2$')
      .replace(/\*+$/, (m) => `$^{${m}}$`);
  const body = rows.slice(1).map((r) => `${r.map(tex).join(' & ')} \\\\`);
  const statsAt = rows.findIndex((r, i) => i > 0 && (r[0]!.endsWith(' FE') || r[0] === 'N'));
  if (statsAt > 0) body.splice(statsAt - 1, 0, '\\midrule');
  return [
    `\\begin{tabular}{l${'c'.repeat(k)}}`,
    '\\toprule',
    `${rows[0]!.map(tex).join(' & ')} \\\\`,
    '\\midrule',
    ...body,
    '\\bottomrule',
    '\\end{tabular}',
    `% ${NOTE}`,
    '',
  ].join('\n');
}

function csvCell(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
