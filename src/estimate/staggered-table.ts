/**
 * Tables for the staggered-DID results: aggregated ATTs as journal-style columns (via the shared regression
 * table renderer; p-values from the normal distribution, as did reports pointwise intervals), and the Bacon
 * summary as a plain rows × columns table in the same three formats.
 */
import { regressionTable, type TableColumn, type TableFormat } from './table.js';

export interface EstimateRow {
  readonly name: string;
  readonly att: number;
  readonly se: number | null;
}

/** One column per estimate set (e.g. one per aggregation type); `n` = units, clustered by unit. */
export function attTable(columns: readonly { title: string; rows: readonly EstimateRow[]; n: number }[], format: TableFormat, digits?: number): string {
  const cols: TableColumn[] = columns.map((c) => ({
    title: c.title,
    result: {
      names: c.rows.map((r) => r.name),
      coef: c.rows.map((r) => r.att),
      se: c.rows.map((r) => r.se ?? NaN),
      p: c.rows.map((r) => (r.se === null ? NaN : normalTwoSided(r.att / r.se))),
      n: c.n,
      r2: NaN,
      r2Within: NaN,
      clusters: c.n,
    },
  }));
  return regressionTable(cols, format, digits === undefined ? {} : { digits });
}

/** Plain table (header + rows of text cells) as Markdown, LaTeX or CSV. */
export function plainTable(header: readonly string[], rows: readonly (readonly string[])[], format: TableFormat): string {
  if (format === 'csv') return [header, ...rows].map((r) => r.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')).join('\n') + '\n';
  if (format === 'md') {
    const all = [header, ...rows];
    const w = header.map((_, j) => Math.max(3, ...all.map((r) => r[j]!.length)));
    const line = (r: readonly string[]) => `| ${r.map((c, j) => (j === 0 ? c.padEnd(w[j]!) : c.padStart(w[j]!))).join(' | ')} |`;
    const sep = `|${w.map((x, j) => (j === 0 ? `:${'-'.repeat(x + 1)}` : `${'-'.repeat(x + 1)}:`)).join('|')}|`;
    return [line(header), sep, ...rows.map(line), ''].join('\n');
  }
  const tex = (s: string) => s.replace(/([&%$#_{}])/g, '\\$1');
  return [
    `\\begin{tabular}{l${'r'.repeat(header.length - 1)}}`,
    '\\toprule',
    `${header.map(tex).join(' & ')} \\\\`,
    '\\midrule',
    ...rows.map((r) => `${r.map(tex).join(' & ')} \\\\`),
    '\\bottomrule',
    '\\end{tabular}',
    '',
  ].join('\n');
}

/** Two-sided normal p-value, 2·Φ(−|z|), via erfc (Numerical Recipes erfcc, relative error < 1.2e-7: for stars only). */
export function normalTwoSided(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * x);
  const erfc =
    t *
    Math.exp(
      -x * x -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return erfc;
}
