/**
 * Estimate plots as SVG (axes, zero line, points with 95 % interval bars; or a density curve with the actual
 * estimate marked), rasterised to PNG by sharp/librsvg. Numbers are printed with fixed decimals so the SVG
 * text, and so the PNG bytes, depend only on the results.
 */
import sharp from 'sharp';

const W = 720;
const H = 440;
const M = { left: 70, right: 20, top: 40, bottom: 55 };

export interface CoefPoint {
  readonly x: number;
  /** Tick label for x (e.g. "≤ -4" for a binned endpoint); default the number. */
  readonly label?: string;
  readonly coef: number;
  readonly lo: number;
  readonly hi: number;
}

function niceTicks(lo: number, hi: number, count = 6): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((s) => s * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return out;
}

function tickLabel(v: number, ticks: number[]): string {
  const step = ticks.length > 1 ? Math.abs(ticks[1]! - ticks[0]!) : 1;
  const dec = Math.max(0, Math.min(6, -Math.floor(Math.log10(step) + 1e-9)));
  return v.toFixed(dec);
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function frame(title: string, xLabel: string, yLabel: string, xs: [number, number], ys: [number, number], xTicks: number[], body: (sx: (v: number) => number, sy: (v: number) => number) => string[]): string {
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  const sx = (v: number) => M.left + ((v - xs[0]) / (xs[1] - xs[0] || 1)) * pw;
  const sy = (v: number) => M.top + ph - ((v - ys[0]) / (ys[1] - ys[0] || 1)) * ph;
  const yTicks = niceTicks(ys[0], ys[1]);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="DejaVu Sans, sans-serif">`,
    `<rect width="${W}" height="${H}" fill="#ffffff"/>`,
    `<text x="${W / 2}" y="24" font-size="16" text-anchor="middle">${esc(title)}</text>`,
    `<line x1="${M.left}" y1="${M.top + ph}" x2="${M.left + pw}" y2="${M.top + ph}" stroke="#000"/>`,
    `<line x1="${M.left}" y1="${M.top}" x2="${M.left}" y2="${M.top + ph}" stroke="#000"/>`,
  ];
  for (const t of yTicks) {
    const y = sy(t).toFixed(1);
    parts.push(`<line x1="${M.left - 5}" y1="${y}" x2="${M.left}" y2="${y}" stroke="#000"/>`, `<text x="${M.left - 8}" y="${y}" font-size="12" text-anchor="end" dominant-baseline="middle">${tickLabel(t, yTicks)}</text>`);
  }
  for (const t of xTicks) {
    const x = sx(t).toFixed(1);
    parts.push(`<line x1="${x}" y1="${M.top + ph}" x2="${x}" y2="${M.top + ph + 5}" stroke="#000"/>`, `<text x="${x}" y="${M.top + ph + 20}" font-size="12" text-anchor="middle">${tickLabel(t, xTicks)}</text>`);
  }
  parts.push(
    `<text x="${M.left + pw / 2}" y="${H - 12}" font-size="13" text-anchor="middle">${esc(xLabel)}</text>`,
    `<text x="16" y="${M.top + ph / 2}" font-size="13" text-anchor="middle" transform="rotate(-90 16 ${M.top + ph / 2})">${esc(yLabel)}</text>`,
  );
  if (ys[0] < 0 && ys[1] > 0) parts.push(`<line x1="${M.left}" y1="${sy(0).toFixed(1)}" x2="${M.left + pw}" y2="${sy(0).toFixed(1)}" stroke="#888" stroke-dasharray="4 3"/>`);
  parts.push(...body(sx, sy), '</svg>');
  return parts.join('\n');
}

/** Event-study style plot: one point per x with its interval; a dotted vertical line at `marker` (e.g. −0.5). */
export function coefPlotSvg(points: readonly CoefPoint[], opts: { title: string; xLabel: string; yLabel: string; marker?: number }): string {
  const xs = points.map((p) => p.x);
  const lo = Math.min(0, ...points.map((p) => p.lo));
  const hi = Math.max(0, ...points.map((p) => p.hi));
  const pad = (hi - lo) * 0.08 || 1;
  const xr: [number, number] = [Math.min(...xs) - 0.5, Math.max(...xs) + 0.5];
  return frame(opts.title, opts.xLabel, opts.yLabel, xr, [lo - pad, hi + pad], xs, (sx, sy) => {
    const out: string[] = [];
    if (opts.marker !== undefined) out.push(`<line x1="${sx(opts.marker).toFixed(1)}" y1="${M.top}" x2="${sx(opts.marker).toFixed(1)}" y2="${H - M.bottom}" stroke="#aaa" stroke-dasharray="2 3"/>`);
    for (const p of points) {
      const x = sx(p.x).toFixed(1);
      out.push(
        `<line x1="${x}" y1="${sy(p.lo).toFixed(1)}" x2="${x}" y2="${sy(p.hi).toFixed(1)}" stroke="#1f4e96" stroke-width="2"/>`,
        `<line x1="${(sx(p.x) - 5).toFixed(1)}" y1="${sy(p.lo).toFixed(1)}" x2="${(sx(p.x) + 5).toFixed(1)}" y2="${sy(p.lo).toFixed(1)}" stroke="#1f4e96" stroke-width="2"/>`,
        `<line x1="${(sx(p.x) - 5).toFixed(1)}" y1="${sy(p.hi).toFixed(1)}" x2="${(sx(p.x) + 5).toFixed(1)}" y2="${sy(p.hi).toFixed(1)}" stroke="#1f4e96" stroke-width="2"/>`,
        `<circle cx="${x}" cy="${sy(p.coef).toFixed(1)}" r="4.5" fill="#c0392b"/>`,
      );
    }
    return out;
  });
}

/** Gaussian kernel density (Silverman's rule-of-thumb bandwidth) of the draws, with the actual value marked. */
export function densitySvg(draws: readonly number[], actual: number, opts: { title: string; xLabel: string }): string {
  const n = draws.length;
  const mean = draws.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(draws.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, n - 1));
  const sorted = [...draws].sort((a, b) => a - b);
  const iqr = (sorted[Math.floor(0.75 * (n - 1))]! - sorted[Math.floor(0.25 * (n - 1))]!) / 1.34;
  const bw = 0.9 * (Math.min(sd, iqr > 0 ? iqr : sd) || 1e-3) * n ** -0.2;
  const lo = Math.min(sorted[0]! - 3 * bw, actual);
  const hi = Math.max(sorted[n - 1]! + 3 * bw, actual);
  const grid = Array.from({ length: 200 }, (_, i) => lo + ((hi - lo) * i) / 199);
  const dens = grid.map((g) => draws.reduce((s, d) => s + Math.exp(-0.5 * ((g - d) / bw) ** 2), 0) / (n * bw * Math.sqrt(2 * Math.PI)));
  const top = Math.max(...dens) * 1.1;
  const span = hi - lo;
  return frame(opts.title, opts.xLabel, 'density', [lo - 0.03 * span, hi + 0.03 * span], [0, top], niceTicks(lo, hi), (sx, sy) => [
    `<polyline fill="none" stroke="#1f4e96" stroke-width="2" points="${grid.map((g, i) => `${sx(g).toFixed(1)},${sy(dens[i]!).toFixed(1)}`).join(' ')}"/>`,
    `<line x1="${sx(actual).toFixed(1)}" y1="${sy(0).toFixed(1)}" x2="${sx(actual).toFixed(1)}" y2="${sy(top).toFixed(1)}" stroke="#c0392b" stroke-width="2" stroke-dasharray="6 3"/>`,
    sx(actual) > W * 0.7
      ? `<text x="${(sx(actual) - 6).toFixed(1)}" y="${(sy(top) + 14).toFixed(1)}" font-size="12" fill="#c0392b" text-anchor="end">actual ${actual.toFixed(4)}</text>`
      : `<text x="${(sx(actual) + 6).toFixed(1)}" y="${(sy(top) + 14).toFixed(1)}" font-size="12" fill="#c0392b">actual ${actual.toFixed(4)}</text>`,
  ]);
}

/** SVG → bytes for a path: the SVG itself for .svg, else a PNG rendered by sharp (no metadata). */
export async function renderPlot(svg: string, path: string): Promise<string | Uint8Array> {
  if (path.toLowerCase().endsWith('.svg')) return svg;
  const buf = await sharp(Buffer.from(svg, 'utf8')).png({ compressionLevel: 9, adaptiveFiltering: false }).toBuffer();
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}
