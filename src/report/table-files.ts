/**
 * A ReportTable as Markdown, LaTeX (booktabs) or CSV text for tables/<name>.<ext>. The cells are the ones the
 * HTML page shows, so the three files and the page always agree.
 */
import { cellParts, type ReportTable } from './types.js';

export type TableFileFormat = 'md' | 'tex' | 'csv';
export const TABLE_FILE_FORMATS: readonly TableFileFormat[] = ['md', 'tex', 'csv'];

export function tableText(table: ReportTable, format: TableFileFormat): string {
  const t = { ...table, rows: table.rows.map((r) => r.map((c) => cellParts(c).full ?? c)) };
  const labelCols = t.labelColumns ?? 1;
  if (format === 'csv') return [t.header, ...t.rows].map((r) => r.map(csvCell).join(',')).join('\n') + '\n';
  if (format === 'md') {
    const all = [t.header, ...t.rows].map((r) => r.map(mdCell));
    const w = t.header.map((_, j) => Math.max(3, ...all.map((r) => width(r[j] ?? ''))));
    const pad = (c: string, j: number) => (j < labelCols ? c + ' '.repeat(w[j]! - width(c)) : ' '.repeat(w[j]! - width(c)) + c);
    const line = (r: readonly string[]) => `| ${r.map((c, j) => pad(c, j)).join(' | ')} |`;
    const sep = `|${w.map((x, j) => (j < labelCols ? `:${'-'.repeat(x + 1)}` : `${'-'.repeat(x + 1)}:`)).join('|')}|`;
    return [`**${t.caption}**`, '', ...[all[0]!].map(line), sep, ...all.slice(1).map(line), '', ...(t.note ? [t.note, ''] : [])].join('\n');
  }
  const cols = t.header.map((_, j) => (j < labelCols ? 'l' : 'r')).join('');
  const lines = [`% ${t.caption}`, `\\begin{tabular}{${cols}}`, '\\toprule'];
  if (t.groups && t.groups.length > 0) {
    let at = 1;
    const rules: string[] = [];
    const cells = t.groups.map((g) => {
      if (g.label) rules.push(`\\cmidrule(lr){${at}-${at + g.span - 1}}`);
      at += g.span;
      return g.span === 1 ? tex(g.label) : `\\multicolumn{${g.span}}{c}{${tex(g.label)}}`;
    });
    lines.push(`${cells.join(' & ')} \\\\`, rules.join(' '));
  }
  lines.push(`${t.header.map(tex).join(' & ')} \\\\`, '\\midrule');
  t.rows.forEach((r, i) => {
    if (t.rowClasses?.[i] === 'rule') lines.push('\\midrule');
    lines.push(`${r.map(tex).join(' & ')} \\\\`);
  });
  lines.push('\\bottomrule', '\\end{tabular}');
  if (t.note) lines.push(`% ${t.note}`);
  return lines.join('\n') + '\n';
}

/** Display width: CJK characters take two columns in a monospaced Markdown source. */
function width(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(ch) ? 2 : 1;
  return w;
}

const mdCell = (s: string) => s.replace(/\|/g, '\\|');

function tex(s: string): string {
  return s
    .replace(/\\/g, '\\textbackslash{}')
    .replace(/([&%$#_{}])/g, '\\$1')
    .replace(/~/g, '\\textasciitilde{}')
    .replace(/\^/g, '\\textasciicircum{}')
    .replace(/R²/g, '$R^2$')
    .replace(/×/g, '$\\times$')
    .replace(/≥/g, '$\\geq$')
    .replace(/\*+$/, (m) => `$^{${m}}$`);
}

function csvCell(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
