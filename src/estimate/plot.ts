/**
 * Estimate plots as SVG, rasterised to PNG by sharp/librsvg: the event-study coefficient plot (points with 95 %
 * intervals, x-axis labelled with the periods' own labels such as "≤ -4", binned endpoints drawn hollow) and
 * the placebo plot (density of the placebo estimates with 0 and the actual β marked on the axis, the fake-date
 * estimate of a timing placebo with its interval).
 *
 * Print size: every plot is laid out on an 800 × 500 canvas and written at PLOT_SCALE× that, so the PNG is
 * PRINT_WIDTH (1600) px wide with all text and lines scaled alike; the SVG carries the same size and viewBox.
 * `writePlot(svg, path)` writes both formats side by side: `f.png` and `f.svg` (see twinPlotPath).
 * Numbers are printed with fixed decimals, so the SVG text, and so the PNG bytes, depend only on the results.
 */
import sharp from 'sharp';
import { writeFileAtomic } from '../output/atomic.js';

const W = 800;
const H = 500;
/** Output pixels per layout unit. */
export const PLOT_SCALE = 2;
/** Width of every PNG figure (px). */
export const PRINT_WIDTH = W * PLOT_SCALE;
const M = { left: 84, right: 28, top: 52, bottom: 84 };
const FONT = 'DejaVu Sans, sans-serif';
const BLUE = '#1f4e96';
const RED = '#c0392b';
const GREY = '#6b6b6b';
const GREEN = '#1e7b4f';

export interface CoefPoint {
  readonly x: number;
  /** Tick label for x (e.g. "≤ -4" for a binned endpoint); default the number. */
  readonly label?: string;
  readonly coef: number;
  readonly lo: number;
  readonly hi: number;
  /** The point pools every period beyond it (an event-study endpoint): drawn hollow. */
  readonly binned?: boolean;
  /** The omitted reference period (0 by construction): drawn as a grey square without interval. */
  readonly reference?: boolean;
}

interface Tick {
  readonly v: number;
  readonly label: string;
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

function tickLabel(v: number, ticks: readonly number[]): string {
  const step = ticks.length > 1 ? Math.abs(ticks[1]! - ticks[0]!) : 1;
  const dec = Math.max(0, Math.min(6, -Math.floor(Math.log10(step) + 1e-9)));
  return v.toFixed(dec);
}

const labelled = (ticks: number[]): Tick[] => ticks.map((v) => ({ v, label: tickLabel(v, ticks) }));

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Significant, fixed-format number text for annotations (e.g. "0.1234", "-12.35"). */
export function fmtEstimate(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  const dec = a === 0 ? 0 : a >= 100 ? 1 : a >= 10 ? 2 : a >= 1 ? 3 : Math.min(8, 2 - Math.floor(Math.log10(a)));
  return v.toFixed(dec).replace(/^-(0\.?0*)$/, '$1');
}

interface Frame {
  readonly sx: (v: number) => number;
  readonly sy: (v: number) => number;
  /** Plot area. */
  readonly x0: number;
  readonly x1: number;
  readonly y0: number;
  readonly y1: number;
}

interface FrameOpts {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly xs: readonly [number, number];
  readonly ys: readonly [number, number];
  readonly xTicks: readonly Tick[];
  /** false: no y ticks (a plot whose y has no scale). */
  readonly yTicks?: boolean;
  /** Dashed horizontal line at y = 0 when 0 is inside the range. */
  readonly zeroLine?: boolean;
}

/** The whole SVG: axes, ticks, labels, then `body` (drawn in layout units; the root scales to print size). */
function frame(o: FrameOpts, body: (f: Frame) => string[]): string {
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  const sx = (v: number) => M.left + ((v - o.xs[0]) / (o.xs[1] - o.xs[0] || 1)) * pw;
  const sy = (v: number) => M.top + ph - ((v - o.ys[0]) / (o.ys[1] - o.ys[0] || 1)) * ph;
  const f: Frame = { sx, sy, x0: M.left, x1: M.left + pw, y0: M.top, y1: M.top + ph };
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W * PLOT_SCALE}" height="${H * PLOT_SCALE}" viewBox="0 0 ${W} ${H}" font-family="${FONT}">`,
    `<rect width="${W}" height="${H}" fill="#ffffff"/>`,
    `<text x="${W / 2}" y="28" font-size="17" font-weight="bold" text-anchor="middle">${esc(o.title)}</text>`,
    `<line x1="${f.x0}" y1="${f.y1}" x2="${f.x1}" y2="${f.y1}" stroke="#000"/>`,
    `<line x1="${f.x0}" y1="${f.y0}" x2="${f.x0}" y2="${f.y1}" stroke="#000"/>`,
  ];
  if (o.yTicks !== false) {
    const yt = niceTicks(o.ys[0], o.ys[1]);
    for (const t of yt) {
      const y = sy(t).toFixed(1);
      parts.push(
        `<line x1="${f.x0 - 5}" y1="${y}" x2="${f.x0}" y2="${y}" stroke="#000"/>`,
        `<text x="${f.x0 - 8}" y="${y}" font-size="13" text-anchor="end" dominant-baseline="middle">${esc(tickLabel(t, yt))}</text>`,
      );
    }
  }
  for (const t of o.xTicks) {
    const x = sx(t.v).toFixed(1);
    parts.push(
      `<line x1="${x}" y1="${f.y1}" x2="${x}" y2="${f.y1 + 5}" stroke="#000"/>`,
      `<text x="${x}" y="${f.y1 + 21}" font-size="13" text-anchor="middle">${esc(t.label)}</text>`,
    );
  }
  parts.push(
    `<text x="${(f.x0 + f.x1) / 2}" y="${H - 14}" font-size="14" text-anchor="middle">${esc(o.xLabel)}</text>`,
    `<text x="20" y="${(f.y0 + f.y1) / 2}" font-size="14" text-anchor="middle" transform="rotate(-90 20 ${(f.y0 + f.y1) / 2})">${esc(o.yLabel)}</text>`,
  );
  if (o.zeroLine !== false && o.ys[0] < 0 && o.ys[1] > 0)
    parts.push(`<line x1="${f.x0}" y1="${sy(0).toFixed(1)}" x2="${f.x1}" y2="${sy(0).toFixed(1)}" stroke="#888" stroke-dasharray="4 3"/>`);
  parts.push(...body(f), '</svg>');
  return parts.join('\n');
}

/** Event-study style plot: one point per x with its interval; a dotted vertical line at `marker` (e.g. −0.5). */
export function coefPlotSvg(input: readonly CoefPoint[], opts: { title: string; xLabel: string; yLabel: string; marker?: number; note?: string }): string {
  // Callers that only pass labels still get the marks: a "≤ …" / "≥ …" label is a binned endpoint, and a point
  // at exactly 0 with no interval just left of the marker (marker = ref + 0.5) is the omitted reference period.
  const points = input.map((p) => ({
    ...p,
    binned: p.binned ?? /^[≤≥]/.test(p.label ?? ''),
    reference: p.reference ?? (opts.marker !== undefined && p.x === opts.marker - 0.5 && p.coef === 0 && p.lo === 0 && p.hi === 0),
  }));
  const xs = points.map((p) => p.x);
  const lo = Math.min(0, ...points.map((p) => p.lo));
  const hi = Math.max(0, ...points.map((p) => p.hi));
  const pad = (hi - lo) * 0.08 || 1;
  const xr: [number, number] = [Math.min(...xs) - 0.5, Math.max(...xs) + 0.5];
  const ticks = points.map((p) => ({ v: p.x, label: (p.label ?? String(p.x)).replace(/-/g, '−') }));
  const binned = points.some((p) => p.binned);
  const reference = points.find((p) => p.reference);
  return frame({ title: opts.title, xLabel: opts.xLabel, yLabel: opts.yLabel, xs: xr, ys: [lo - pad, hi + pad], xTicks: ticks }, (f) => {
    const out: string[] = [];
    if (opts.marker !== undefined)
      out.push(
        `<line x1="${f.sx(opts.marker).toFixed(1)}" y1="${f.y0}" x2="${f.sx(opts.marker).toFixed(1)}" y2="${f.y1}" stroke="#aaa" stroke-dasharray="2 3"/>`,
      );
    for (const p of points) {
      const x = f.sx(p.x);
      const xt = x.toFixed(1);
      if (p.reference) {
        out.push(`<rect x="${(x - 5).toFixed(1)}" y="${(f.sy(0) - 5).toFixed(1)}" width="10" height="10" fill="#ffffff" stroke="${GREY}" stroke-width="2"/>`);
        continue;
      }
      out.push(
        `<line x1="${xt}" y1="${f.sy(p.lo).toFixed(1)}" x2="${xt}" y2="${f.sy(p.hi).toFixed(1)}" stroke="${BLUE}" stroke-width="2"/>`,
        `<line x1="${(x - 5).toFixed(1)}" y1="${f.sy(p.lo).toFixed(1)}" x2="${(x + 5).toFixed(1)}" y2="${f.sy(p.lo).toFixed(1)}" stroke="${BLUE}" stroke-width="2"/>`,
        `<line x1="${(x - 5).toFixed(1)}" y1="${f.sy(p.hi).toFixed(1)}" x2="${(x + 5).toFixed(1)}" y2="${f.sy(p.hi).toFixed(1)}" stroke="${BLUE}" stroke-width="2"/>`,
        p.binned
          ? `<circle cx="${xt}" cy="${f.sy(p.coef).toFixed(1)}" r="5" fill="#ffffff" stroke="${RED}" stroke-width="2.2"/>`
          : `<circle cx="${xt}" cy="${f.sy(p.coef).toFixed(1)}" r="5" fill="${RED}"/>`,
      );
    }
    // legend of the marks, bottom left under the axis label row
    const legend: string[] = [];
    if (reference) legend.push(`□ reference period ${String(reference.label ?? reference.x).replace(/-/g, '−')} (omitted, 0 by construction)`);
    if (binned) legend.push('○ binned endpoint: pools every period beyond it');
    if (opts.note) legend.push(opts.note);
    if (legend.length) out.push(`<text x="${f.x0}" y="${f.y1 + 42}" font-size="12" fill="${GREY}">${esc(legend.join('  ·  '))}</text>`);
    return out;
  });
}

/** One period of an event-study record (`periods[]` of `ntl eventstudy --out`); label/binned when the estimator gives them. */
export interface EventStudyPeriod {
  readonly rel: number;
  readonly coef: number | null;
  readonly lo: number | null;
  readonly hi: number | null;
  readonly reference?: boolean;
  readonly label?: string;
  readonly binned?: boolean;
}

/** The coefficient plot of an event-study record: x-axis labelled with the periods' labels ("≤ -4", …, "≥ 4"). */
export function eventStudySvg(periods: readonly EventStudyPeriod[], opts: { title: string; ref?: number; yLabel?: string }): string {
  const finite = (v: number | null): v is number => typeof v === 'number' && Number.isFinite(v);
  const points: CoefPoint[] = periods
    .filter((p) => p.reference || (finite(p.coef) && finite(p.lo) && finite(p.hi)))
    .map((p) => ({
      x: p.rel,
      coef: p.reference ? 0 : p.coef!,
      lo: p.reference ? 0 : p.lo!,
      hi: p.reference ? 0 : p.hi!,
      label: typeof p.label === 'string' && p.label !== '' ? p.label : String(p.rel),
      binned: p.binned === true,
      reference: p.reference === true,
    }));
  return coefPlotSvg(points, {
    title: opts.title,
    xLabel: 'periods relative to adoption',
    yLabel: opts.yLabel ?? 'coefficient (95% CI)',
    ...(opts.ref !== undefined ? { marker: opts.ref + 0.5 } : {}),
  });
}

/** Gaussian kernel density (Silverman's rule-of-thumb bandwidth) on 200 points over [lo, hi]. */
function kernelDensity(draws: readonly number[], lo: number, hi: number): { grid: number[]; dens: number[]; bw: number } {
  const n = draws.length;
  const mean = draws.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(draws.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, n - 1));
  const sorted = [...draws].sort((a, b) => a - b);
  const iqr = (sorted[Math.floor(0.75 * (n - 1))]! - sorted[Math.floor(0.25 * (n - 1))]!) / 1.34;
  const bw = 0.9 * (Math.min(sd, iqr > 0 ? iqr : sd) || 1e-3) * n ** -0.2;
  const grid = Array.from({ length: 200 }, (_, i) => lo + ((hi - lo) * i) / 199);
  const dens = grid.map((g) => draws.reduce((s, d) => s + Math.exp(-0.5 * ((g - d) / bw) ** 2), 0) / (n * bw * Math.sqrt(2 * Math.PI)));
  return { grid, dens, bw };
}

/** The fake-date estimate of a timing placebo (placebo JSON `fake_date`). */
export interface FakeDate {
  /** Periods every treated unit's adoption date was moved earlier. */
  readonly shift: number;
  readonly coef: number;
  readonly se?: number | null;
  readonly p?: number | null;
  readonly lo: number;
  readonly hi: number;
  readonly n?: number;
}

export interface PlaceboPlotInput {
  /** Placebo estimates (null = a failed draw). */
  readonly draws?: readonly (number | null)[];
  readonly actual: { readonly coef: number };
  readonly mode?: string;
  /** Randomization-inference p-value (units/both); null or absent for timing. */
  readonly p_value?: number | null;
  readonly fake_date?: FakeDate | null;
}

/**
 * Placebo plot: the density of the placebo estimates (when there are ≥ 2), with 0 and the actual β marked on the
 * x-axis (a dashed grey and a red line, each labelled under the axis); a timing placebo's fake-date estimate as a
 * green point with its 95 % interval. The randomization-inference p-value is printed only for units/both.
 */
export function placeboSvg(j: PlaceboPlotInput, opts: { title: string; xLabel: string }): string {
  const beta = j.actual.coef;
  const draws = (j.draws ?? []).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  const fd = j.fake_date && [j.fake_date.coef, j.fake_date.lo, j.fake_date.hi].every(Number.isFinite) ? j.fake_date : null;
  const hasDensity = draws.length >= 2;
  const kd = hasDensity ? kernelDensity(draws, Math.min(...draws), Math.max(...draws)) : null;
  const pts = [0, beta, ...(hasDensity ? [Math.min(...draws) - 3 * kd!.bw, Math.max(...draws) + 3 * kd!.bw] : []), ...(fd ? [fd.lo, fd.hi] : [])];
  const lo = Math.min(...pts),
    hi = Math.max(...pts);
  const span = hi - lo || Math.abs(beta) || 1;
  const xs: [number, number] = [lo - 0.04 * span, hi + 0.04 * span];
  const density = hasDensity ? kernelDensity(draws, xs[0], xs[1]) : null;
  const top = density ? Math.max(...density.dens) * 1.18 : 1;
  const xTicks = labelled(niceTicks(xs[0], xs[1]));
  return frame(
    {
      title: opts.title,
      xLabel: opts.xLabel,
      yLabel: hasDensity ? 'density of placebo estimates' : '',
      xs,
      ys: [0, top],
      xTicks,
      yTicks: hasDensity,
      zeroLine: false,
    },
    (f) => {
      const out: string[] = [];
      if (density)
        out.push(
          `<polyline fill="none" stroke="${BLUE}" stroke-width="2" points="${density.grid.map((g, i) => `${f.sx(g).toFixed(1)},${f.sy(density.dens[i]!).toFixed(1)}`).join(' ')}"/>`,
        );
      // the two marks on the axis: 0 (no effect) and the actual estimate
      const mark = (v: number, colour: string, dash: string, text: string, row: number) => {
        const x = f.sx(v);
        const anchor = x > f.x1 - 90 ? 'end' : x < f.x0 + 90 ? 'start' : 'middle';
        out.push(
          `<line x1="${x.toFixed(1)}" y1="${f.y0}" x2="${x.toFixed(1)}" y2="${f.y1}" stroke="${colour}" stroke-width="2" stroke-dasharray="${dash}"/>`,
          `<path d="M ${x.toFixed(1)} ${f.y1} l -6 10 l 12 0 z" fill="${colour}"/>`,
          `<text x="${x.toFixed(1)}" y="${f.y1 + 24 + 14 * row}" font-size="12.5" font-weight="bold" fill="${colour}" text-anchor="${anchor}" stroke="#ffffff" stroke-width="3" paint-order="stroke">${esc(text)}</text>`,
        );
      };
      mark(0, GREY, '5 4', 'no effect (0)', 1);
      // labels that would collide go on a second row
      mark(beta, RED, '7 3', `actual β = ${fmtEstimate(beta)}`, Math.abs(f.sx(beta) - f.sx(0)) < 150 ? 2 : 1);
      if (fd) {
        const y = f.y0 + (f.y1 - f.y0) * (hasDensity ? 0.12 : 0.5);
        out.push(
          `<line x1="${f.sx(fd.lo).toFixed(1)}" y1="${y.toFixed(1)}" x2="${f.sx(fd.hi).toFixed(1)}" y2="${y.toFixed(1)}" stroke="${GREEN}" stroke-width="2.5"/>`,
          `<line x1="${f.sx(fd.lo).toFixed(1)}" y1="${(y - 6).toFixed(1)}" x2="${f.sx(fd.lo).toFixed(1)}" y2="${(y + 6).toFixed(1)}" stroke="${GREEN}" stroke-width="2.5"/>`,
          `<line x1="${f.sx(fd.hi).toFixed(1)}" y1="${(y - 6).toFixed(1)}" x2="${f.sx(fd.hi).toFixed(1)}" y2="${(y + 6).toFixed(1)}" stroke="${GREEN}" stroke-width="2.5"/>`,
          `<circle cx="${f.sx(fd.coef).toFixed(1)}" cy="${y.toFixed(1)}" r="5.5" fill="${GREEN}"/>`,
          `<text x="${((f.x0 + f.x1) / 2).toFixed(1)}" y="${(y - 12).toFixed(1)}" font-size="12.5" fill="${GREEN}" text-anchor="middle" stroke="#ffffff" stroke-width="3" paint-order="stroke">${esc(`fake adoption ${Math.abs(fd.shift)} period${Math.abs(fd.shift) === 1 ? '' : 's'} ${fd.shift >= 0 ? 'earlier' : 'later'}: ${fmtEstimate(fd.coef)} [${fmtEstimate(fd.lo)}, ${fmtEstimate(fd.hi)}] (95% CI)`)}</text>`,
        );
      }
      const p = j.p_value;
      if ((j.mode === 'units' || j.mode === 'both') && typeof p === 'number' && Number.isFinite(p)) {
        out.push(
          `<text x="${f.x1 - 6}" y="${f.y0 + 18}" font-size="13" text-anchor="end" fill="#222" stroke="#ffffff" stroke-width="4" paint-order="stroke">${esc(`randomization-inference p = ${p.toFixed(3)}`)}</text>`,
        );
      }
      return out;
    },
  );
}

/** Gaussian kernel density of the draws with the actual value marked (and 0); kept for callers of the old API. */
export function densitySvg(draws: readonly number[], actual: number, opts: { title: string; xLabel: string }): string {
  return placeboSvg({ draws, actual: { coef: actual } }, opts);
}

/** SVG → PNG bytes (sharp/librsvg at the SVG's own print size, no metadata). */
export async function svgToPng(svg: string): Promise<Uint8Array> {
  const buf = await sharp(Buffer.from(svg, 'utf8')).png({ compressionLevel: 9, adaptiveFiltering: false }).toBuffer();
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

/** SVG → bytes for a path: the SVG itself for .svg, else the PNG. */
export async function renderPlot(svg: string, path: string): Promise<string | Uint8Array> {
  return path.toLowerCase().endsWith('.svg') ? svg : svgToPng(svg);
}

/**
 * The other format's file beside a plot path: `f.png` ↔ `f.svg` (case kept); a path with neither ending gets
 * `.svg` appended (the path itself then holds the PNG).
 */
export function twinPlotPath(path: string): string {
  if (/\.png$/i.test(path)) return path.slice(0, -4) + (path.endsWith('.PNG') ? '.SVG' : '.svg');
  if (/\.svg$/i.test(path)) return path.slice(0, -4) + (path.endsWith('.SVG') ? '.PNG' : '.png');
  return `${path}.svg`;
}

/**
 * Write a figure in both formats, each atomically: `path` in its own format (.svg → SVG, anything else → PNG at
 * print size) and `twinPlotPath(path)` in the other. Returns [png path, svg path].
 */
export async function writePlot(svg: string, path: string): Promise<[string, string]> {
  const twin = twinPlotPath(path);
  const isSvg = /\.svg$/i.test(path);
  const [pngPath, svgPath] = isSvg ? [twin, path] : [path, twin];
  await writeFileAtomic(pngPath, await svgToPng(svg));
  await writeFileAtomic(svgPath, svg);
  return [pngPath, svgPath];
}
