/**
 * ReportDocument → one self-contained HTML page: inline CSS, images as data: URIs, no scripts, no external
 * requests. Tables and figures are numbered in page order.
 */
import { renderTableHtml } from './html-table.js';
import { displayMinus, esc } from './html.js';
import type { Block, ReportDocument, ReportFigure } from './types.js';

const CSS = `
:root { --ink: #1d2430; --muted: #5b6472; --rule: #c9ced6; --accent: #1f5fa8; --flag: #fff1cc; --flag-ink: #8a4b00; --bg: #ffffff; --panel: #f6f7f9; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--bg); color: var(--ink); font: 15px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", Arial,
  "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "WenQuanYi Micro Hei", "Droid Sans Fallback", sans-serif; }
main { max-width: 1180px; margin: 0 auto; padding: 32px 28px 64px; }
header.top { border-bottom: 3px solid var(--ink); padding-bottom: 14px; margin-bottom: 10px; }
header.top h1 { font-size: 30px; line-height: 1.2; margin: 0 0 4px; letter-spacing: -0.01em; }
header.top p { margin: 0; color: var(--muted); }
nav.toc { display: flex; flex-wrap: wrap; gap: 6px 8px; margin: 14px 0 8px; padding: 0; list-style: none; }
nav.toc a { display: inline-block; padding: 3px 10px; border: 1px solid var(--rule); border-radius: 999px; color: var(--accent); text-decoration: none; font-size: 13.5px; }
nav.toc a:hover { background: var(--panel); }
section { margin-top: 38px; }
section > h2 { font-size: 22px; margin: 0 0 14px; padding-bottom: 6px; border-bottom: 1px solid var(--rule); }
h3 { font-size: 17px; margin: 26px 0 10px; }
h4 { font-size: 15px; margin: 22px 0 8px; color: var(--ink); font-weight: 600; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 18px; margin: 0 0 16px; padding: 12px 16px; background: var(--panel); border-radius: 6px; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
figure { margin: 18px 0 22px; }
figure.table .scroll { overflow-x: auto; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums lining-nums; font-size: 14px; margin: 0; }
figure.table .caption { padding: 0 0 8px; font-size: 14.5px; max-width: 90ch; }
.caption .label, figcaption .label { font-weight: 700; }
thead tr:first-child th { border-top: 2px solid var(--ink); }
thead tr:last-child th { border-bottom: 1px solid var(--ink); }
tbody tr:last-child th, tbody tr:last-child td { border-bottom: 2px solid var(--ink); }
th, td { padding: 4px 12px; vertical-align: baseline; white-space: nowrap; }
thead th { font-weight: 600; text-align: left; }
thead th.num { text-align: right; }
thead tr.groups th { border-bottom: none; padding-bottom: 0; }
thead tr.groups th.grp { text-align: center; background-image: linear-gradient(var(--rule), var(--rule)); background-size: calc(100% - 16px) 1px; background-position: center bottom; background-repeat: no-repeat; }
tbody th { font-weight: 400; text-align: left; }
td.num { text-align: right; }
td.ctr { text-align: center; }
td .sfx { display: inline-block; width: 1.9em; text-align: left; }
tr.se td, tr.se th { padding-top: 0; color: var(--muted); }
tr.rule th, tr.rule td { border-top: 1px solid var(--ink); }
tr.flag th, tr.flag td { background: var(--flag); }
tr.flag td:last-child { color: var(--flag-ink); font-weight: 700; }
tbody tr:not(.se):not(.flag):hover th, tbody tr:not(.se):not(.flag):hover td { background: #f2f5fa; }
code { font: 12.5px/1.4 ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", Menlo, Consolas, monospace; }
figcaption { color: var(--muted); font-size: 13.5px; margin-top: 6px; max-width: 80ch; }
figcaption.note { font-size: 12.5px; }
figure.plot img { display: block; max-width: 100%; height: auto; border: 1px solid var(--rule); border-radius: 4px; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(190px, 1fr)); gap: 14px; }
.grid figure { margin: 0; }
.grid img { display: block; width: 100%; height: auto; aspect-ratio: var(--ar, auto); object-fit: contain; border: 1px solid var(--rule); border-radius: 4px; background: #fff; }
.grid figcaption { text-align: center; margin-top: 3px; color: var(--ink); font-weight: 600; }
.callout { padding: 10px 14px; border-radius: 6px; white-space: pre-line; margin: 0 0 16px; }
.callout.note { background: var(--panel); color: var(--muted); }
.callout.warning { background: var(--flag); color: var(--flag-ink); border-left: 4px solid #e0a100; }
details.json { margin: 10px 0 18px; }
details.json summary { cursor: pointer; color: var(--accent); }
details.json pre { max-height: 420px; overflow: auto; background: var(--panel); padding: 10px 14px; border-radius: 6px; }
footer { margin-top: 48px; padding-top: 10px; border-top: 1px solid var(--rule); color: var(--muted); font-size: 13px; }
@media (max-width: 700px) { main { padding: 18px 14px 40px; } header.top h1 { font-size: 24px; } .grid { grid-template-columns: repeat(2, 1fr); } }
@media print { nav.toc { display: none; } section { break-inside: auto; } figure { break-inside: avoid; } }
`;

interface Counters {
  table: number;
  figure: number;
}

function figureHtml(f: ReportFigure, n: number, cls: string): string {
  return `<figure class="${cls}"><img src="${f.src}" width="${f.width}" height="${f.height}" alt="${esc(f.alt)}"><figcaption>${n > 0 ? `<span class="label">Figure ${n}.</span> ` : ''}${esc(f.caption)}</figcaption></figure>`;
}

/** One image box shape per grid (the widest-relative figure), so captions line up across a row. */
function gridRatio(figures: readonly ReportFigure[]): string {
  if (figures.length === 0) return '';
  const f = figures.reduce((a, b) => (b.height / b.width > a.height / a.width ? b : a));
  return ` style="--ar: ${f.width} / ${f.height}"`;
}

function blockHtml(b: Block, c: Counters, depth: number): string {
  switch (b.type) {
    case 'table':
      return renderTableHtml(b.table, ++c.table);
    case 'figure':
      return figureHtml(b.figure, ++c.figure, 'plot');
    case 'grid':
      return `<h4>${esc(b.title)}</h4>\n<div class="grid"${gridRatio(b.figures)}>\n${b.figures.map((f) => figureHtml(f, 0, 'map')).join('\n')}\n</div>`;
    case 'facts':
      return `<dl class="facts">${b.facts.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(displayMinus(v))}</dd>`).join('')}</dl>`;
    case 'text':
      return `<div class="callout ${b.tone ?? 'note'}">${esc(b.text)}</div>`;
    case 'code':
      return `<details class="json"><summary>${esc(b.title)}</summary><pre><code>${esc(b.text)}</code></pre></details>`;
    case 'subsection': {
      const h = depth === 0 ? 'h3' : 'h4';
      return `<div class="sub" id="${esc(b.id)}"><${h}>${esc(b.title)}</${h}>\n${b.blocks.map((x) => blockHtml(x, c, depth + 1)).join('\n')}\n</div>`;
    }
  }
}

export function renderPage(doc: ReportDocument): string {
  const c: Counters = { table: 0, figure: 0 };
  const sections = doc.sections.map(
    (s) => `<section id="${esc(s.id)}">\n<h2>${esc(s.title)}</h2>\n${s.blocks.map((b) => blockHtml(b, c, 0)).join('\n')}\n</section>`,
  );
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="ntl-pipeline">
<title>${esc(doc.title)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
<header class="top">
<h1>${esc(doc.title)}</h1>
<p>${esc(doc.subtitle)}</p>
</header>
<nav class="toc" aria-label="Contents">${doc.sections.map((s) => `<a href="#${esc(s.id)}">${esc(s.title)}</a>`).join('')}</nav>
${sections.join('\n')}
<footer>Built by <code>ntl report</code> from the files of this output folder; tables are also in <code>tables/</code> as Markdown, LaTeX and CSV.</footer>
</main>
</body>
</html>
`;
}
