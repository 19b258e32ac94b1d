/**
 * A ReportTable as an HTML table: booktabs-style rules, numeric columns right-aligned with tabular figures.
 * Trailing marks (significance stars, the closing parenthesis of a standard error, '%') sit in a fixed-width
 * box after the number, so the digits of coefficients and standard errors line up on the decimal point.
 */
import { displayMinus, esc } from './html.js';
import { cellParts, type ReportTable } from './types.js';

const NUMERIC = /^\(?[-−+]?(\d[\d,]*(\.\d+)?|\.\d+|∞)\)?(\*{1,3}|%|×| [KMGT]?B)?$/;
const SUFFIX = /^(.*?)(\)?(?:\*{1,3}|%)?)$/;

export function isNumericCell(s: string): boolean {
  return NUMERIC.test(s.trim());
}

function numericCell(text: string, withSuffixBox: boolean): string {
  const shown = displayMinus(text);
  if (!withSuffixBox) return esc(shown);
  const m = SUFFIX.exec(shown)!;
  return `${esc(m[1]!)}<span class="sfx">${esc(m[2]!)}</span>`;
}

/** A column is numeric when most of its non-empty body cells are numbers (then text cells like "Yes" centre). */
function numericColumns(t: ReportTable, labelCols: number): boolean[] {
  return t.header.map((_, j) => {
    if (j < labelCols) return false;
    const cells = t.rows.map((r) => r[j] ?? '').filter((c) => c !== '');
    return cells.length > 0 && cells.filter(isNumericCell).length * 2 >= cells.length;
  });
}

export function renderTableHtml(t: ReportTable, number: number): string {
  const labelCols = t.labelColumns ?? 1;
  const numCol = numericColumns(t, labelCols);
  const suffixBox = t.rows.some((r) => r.some((c, j) => j >= labelCols && isNumericCell(c) && /[)*%]$/.test(c)));
  const captionId = `cap-${t.name}`;
  const head: string[] = [];
  if (t.groups && t.groups.length > 0) {
    head.push(`<tr class="groups">${t.groups.map((g) => `<th colspan="${g.span}"${g.label ? ' class="grp"' : ''}>${esc(g.label)}</th>`).join('')}</tr>`);
  }
  head.push(`<tr>${t.header.map((h, j) => `<th${numCol[j] ? ' class="num"' : ''}>${esc(h)}</th>`).join('')}</tr>`);
  const body = t.rows.map((r, i) => {
    const cls = t.rowClasses?.[i];
    const cells = r.map((c, j) => {
      const { shown, full } = cellParts(c);
      if (full !== null) return `<td><code title="${esc(full)}">${esc(shown)}</code></td>`;
      if (j < labelCols) return `<th scope="row">${esc(displayMinus(c))}</th>`;
      if (isNumericCell(c)) return `<td class="num">${numericCell(c, suffixBox)}</td>`;
      return `<td${numCol[j] ? ' class="ctr"' : ''}>${esc(c)}</td>`;
    });
    return `<tr${cls ? ` class="${cls}"` : ''}>${cells.join('')}</tr>`;
  });
  return [
    `<figure class="table" id="table-${esc(t.name)}">`,
    `<div class="caption" id="${esc(captionId)}"><span class="label">Table ${number}.</span> ${esc(t.caption)}</div>`,
    `<div class="scroll"><table aria-labelledby="${esc(captionId)}">`,
    `<thead>${head.join('')}</thead>`,
    `<tbody>${body.join('')}</tbody>`,
    `</table></div>`,
    t.note ? `<figcaption class="note">${esc(t.note)}</figcaption>` : '',
    `</figure>`,
  ].join('\n');
}
