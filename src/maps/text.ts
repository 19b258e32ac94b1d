/**
 * Text goes on as an SVG overlay rendered by librsvg inside sharp (we have no text rasteriser of our own).
 * Fonts are the generic `sans-serif` family, so glyph shapes depend on the fonts installed; bytes are identical
 * run to run on one machine, not across machines with different fonts.
 */

export interface TextItem {
  readonly x: number;
  /** Baseline y. */
  readonly y: number;
  readonly text: string;
  readonly size: number;
  readonly fill: string;
  readonly anchor?: 'start' | 'middle' | 'end';
  readonly bold?: boolean;
}

/** Control characters XML 1.0 forbids. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters to drop
const XML_FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g;

export function escapeXml(s: string): string {
  // drop control characters XML 1.0 forbids, then escape markup
  return s
    .replace(XML_FORBIDDEN, '')
    .replace(/[&<>"']/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&apos;'));
}

export function svgOverlay(width: number, height: number, items: readonly TextItem[]): string {
  const body = items
    .map(
      (t) =>
        `<text x="${t.x}" y="${t.y}" font-family="sans-serif" font-size="${t.size}"` +
        `${t.bold ? ' font-weight="bold"' : ''} fill="${t.fill}" text-anchor="${t.anchor ?? 'start'}">${escapeXml(t.text)}</text>`,
    )
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${body}</svg>`;
}

/** Rough advance width of `text` at `size` px in a generic sans face (CJK counted double); for layout only. */
export function estimateTextWidth(text: string, size: number): number {
  let units = 0;
  for (const ch of text) units += ch.codePointAt(0)! > 0x2e80 ? 1 : 0.62;
  return Math.ceil(units * size);
}

function groupThousands(intText: string): string {
  return intText.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * Compact, locale-independent number text for legends: 3 significant digits, thousands separators for
 * large values ("12,345", "1,234,567"), no trailing zeros ("0.5", "0.0123"), exponent only beyond 1e15.
 */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  const sign = v < 0 ? '-' : '';
  if (a >= 1e15 || a < 1e-6) return sign + a.toPrecision(3).replace(/\.?0+e/, 'e');
  if (a >= 1000) return sign + groupThousands(String(Math.round(a)));
  const p = Number(a.toPrecision(3));
  return sign + String(p);
}
