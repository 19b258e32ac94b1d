/**
 * A ReportTable as an HTML table: booktabs-style rules, numeric columns right-aligned with tabular figures.
 * Trailing marks (significance stars, the closing parenthesis of a standard error, '%') sit in a fixed-width
 * box after the number, so the digits of coefficients and standard errors line up on the decimal point.
 */
import { displayMinus, esc } from './html.js';
import { cellParts, type ReportTable } from './types.js';

const NUMERIC = /^\(?[-−+]?(\d[\d,]*(\.\d+)?|\.\d+|∞)\)?(\*{1,3}|%|×)?$/;
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

export function renderTableHtml(t: ReportTable, number: number): string {
  const labelCols = t.labelColumns ?? 1;
  const suffixBox = t.rows.some((r) => r.some((c, j) => j >= labelCols && isNumericCell(c) && /[)*%]$/.test(c)));
  const head: string[] = [];
  if (t.groups && t.groups.length > 0) {
    head.push(`<tr class="groups">${t.groups.map((g) => `<th colspan="${g.span}"${g.label ? ' class="grp"' : ''}>${esc(g.label)}</th>`).join('')}</tr>`);
  }
  head.push(`<tr>${t.header.map((h, j) => `<th${j >= labelCols ? ' class="num"' : ''}>${esc(h)}</th>`).join('')}</tr>`);
  const body = t.rows.map((r, i) => {
    const cls = t.rowClasses?.[i];
    const cells = r.map((c, j) => {
      const { full } = cellParts(c);
      if (full !== null) return `<td><code title="${esc(full)}">${esc(cellParts(c).shown)}</code></td>`;
      if (j < labelCols) return `<th scope="row">${esc(c)}</th>`;
      return isNumericCell(c) ? `<td class="num">${numericCell(c, suffixBox)}</td>` : `<td${c.length <= 12 ? ' class="ctr"' : ''}>${esc(c)}</td>`;
    });
    return `<tr${cls ? ` class="${cls}"` : ''}>${cells.join('')}</tr>`;
  });
  return [
    `<figure class="table" id="table-${esc(t.name)}">`,
    `<div class="scroll"><table>`,
    `<caption><span class="label">Table ${number}.</span> ${esc(t.caption)}</caption>`,
    `<thead>${head.join('')}</thead>`,
    `<tbody>${body.join('')}</tbody>`,
    `</table></div>`,
    t.note ? `<figcaption class="note">${esc(t.note)}</figcaption>` : '',
    `</figure>`,
  ].join('\n');
}
