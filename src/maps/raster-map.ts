/**
 * Quick-look PNG of a raster over the zones' extent: stream the window once, reduce it on the fly into an
 * output-sized buffer (mean or max of the cells whose centres fall in each output pixel), colour with a log ramp
 * up to a robust maximum, draw the zone outlines, add title / legend / scale as an SVG overlay.
 * Windows smaller than the output are enlarged by nearest neighbour. Memory is O(output pixels), whatever
 * the raster size.
 */
import { NtlError } from '../errors.js';
import type { RasterInfo, RasterSource } from '../raster/types.js';
import type { Zone } from '../vector/types.js';
import { gridFromTransform, windowForBBox, windowIsEmpty, type CellWindow } from '../zonal/grid.js';
import { createCoverage, drawRing } from './draw.js';
import { encodePng } from './encode.js';
import { LogHistogram } from './histogram.js';
import { blendCoverage, createImage, fillRect, setPixel, strokeRect, type RgbaImage } from './image.js';
import { NIGHT_STOPS, paletteLut, type Rgb } from './palette.js';
import { formatNumber, svgOverlay, type TextItem } from './text.js';
import { aspectFactor, checkMaxSize, projectRing, zonesBBox, type MapView } from './view.js';

export interface RasterMapOptions {
  /** Longest side of the map area in px (title and legend strips come on top); default 1200. */
  readonly maxSize?: number;
  /** Count no-data cells as 0 (dark) instead of drawing them in the no-data colour. */
  readonly nodataAsZero?: boolean;
  readonly title?: string;
  /** Units / name of the values for the legend, e.g. "radiance (nW/cm²/sr)". */
  readonly legendLabel?: string;
  /** How cells are reduced into an output pixel; default 'mean'. 'max' keeps small bright spots visible. */
  readonly resample?: 'mean' | 'max';
  /** Top of the colour ramp: this percentile of the positive cells in the window; default 99.9. */
  readonly percentile?: number;
  /**
   * Top of the colour ramp as a value, fixed beforehand (e.g. the percentile of every year of a series pooled with
   * `rasterMapHistogram`, so all its maps share one scale); `percentile` then only names it in the legend.
   */
  readonly scaleTop?: number;
  /** A second legend line, e.g. "top = p99.9 of 2012–2022 · same scale for 2012–2022". */
  readonly scaleNote?: string;
  /** Opacity of the white zone outlines, 0–1; default 0.4 (0 hides them). */
  readonly outlineAlpha?: number;
  /** Override the raster CRS's geographic flag (lon/lat maps get x scaled by cos(mid-latitude)). */
  readonly geographic?: boolean;
}

/** Fixed colours, exported so tests and callers can recognise them. */
export const RASTER_MAP_COLOURS = {
  nodata: [44, 44, 50] as Rgb,
  frame: [16, 16, 20] as Rgb,
  outline: [255, 255, 255] as Rgb,
  text: '#e8e8e8',
};
export const OUTLINE_ALPHA = 0.4;
/** Heights of the strips above (only with a title) and below the map. */
export const RASTER_TITLE_HEIGHT = 32;
export const RASTER_LEGEND_HEIGHT = 58;
/** Extra legend height for the scale note line. */
export const RASTER_NOTE_HEIGHT = 16;
const MIN_FRAME_WIDTH = 360;

export interface RasterMapPlan {
  readonly window: CellWindow;
  /** Map area in the output image: size and offset. */
  readonly view: MapView;
  readonly left: number;
  readonly top: number;
  /** Whole image size. */
  readonly width: number;
  readonly height: number;
  readonly geographic: boolean;
  readonly info: RasterInfo;
}

/** Layout of the map (pure; no pixels read): which raster window, how big, where in the image. */
export function planRasterMap(info: RasterInfo, zones: readonly Zone[], opts: RasterMapOptions = {}): RasterMapPlan {
  const what = `map of ${info.path}`;
  const maxSize = checkMaxSize(opts.maxSize, what);
  const grid = gridFromTransform(info.geoTransform, info.width, info.height, info.path);
  const bbox = zonesBBox(zones, what);
  const window = windowForBBox(grid, bbox);
  if (windowIsEmpty(window)) {
    throw new NtlError(
      `${what}: the zones (extent ${bbox.xmin}, ${bbox.ymin} – ${bbox.xmax}, ${bbox.ymax}) do not overlap the raster; ` +
        `reproject the zones to the raster's CRS (${info.crs?.label ?? 'unknown'}) first.`,
    );
  }
  const geographic = opts.geographic ?? info.crs?.geographic ?? false;
  const winW = window.col1 - window.col0,
    winH = window.row1 - window.row0;
  const dx = grid.dx,
    dy = grid.dy;
  const midY = grid.ymax - ((window.row0 + window.row1) / 2) * dy;
  const kx = aspectFactor({ xmin: 0, xmax: 1, ymin: midY, ymax: midY }, geographic);
  // ground-proportional size in units of one cell height; small windows are enlarged (nearest neighbour)
  const groundW = (winW * dx * kx) / dy,
    groundH = winH;
  const s = maxSize / Math.max(groundW, groundH);
  const outW = Math.max(1, Math.round(groundW * s));
  const outH = Math.max(1, Math.round(groundH * s));
  const view: MapView = {
    x0: grid.xmin + window.col0 * dx,
    y0: grid.ymax - window.row0 * dy,
    sx: outW / (winW * dx),
    sy: outH / (winH * dy),
    width: outW,
    height: outH,
  };
  const width = Math.max(outW, MIN_FRAME_WIDTH);
  const top = opts.title ? RASTER_TITLE_HEIGHT : 8;
  const legend = RASTER_LEGEND_HEIGHT + (opts.scaleNote ? RASTER_NOTE_HEIGHT : 0);
  return { window, view, left: Math.floor((width - outW) / 2), top, width, height: top + outH + legend, geographic, info };
}

interface Reduced {
  /** Reduction grid: never finer than the window, never finer than the output. */
  readonly width: number;
  readonly height: number;
  /** Per reduction pixel: reduced value, NaN where no valid cell. */
  readonly values: Float64Array;
  readonly hist: LogHistogram;
}

async function reduceWindow(source: RasterSource, plan: RasterMapPlan, nodataAsZero: boolean, mode: 'mean' | 'max'): Promise<Reduced> {
  const { window: w, view } = plan;
  const winW = w.col1 - w.col0,
    winH = w.row1 - w.row0;
  // each reduction pixel receives ≥ 1 cell centre because it is at most as fine as the window
  const outW = Math.min(winW, view.width),
    outH = Math.min(winH, view.height);
  const acc = new Float64Array(outW * outH).fill(mode === 'max' ? -Infinity : 0);
  const cnt = new Uint32Array(outW * outH);
  const hist = new LogHistogram();
  // output column of each window column, by cell centre
  const colMap = new Int32Array(winW);
  for (let k = 0; k < winW; k++) colMap[k] = Math.min(outW - 1, Math.floor(((k + 0.5) * outW) / winW));
  const nodata = source.info.nodata;
  for await (const band of source.bands({ rowStart: w.row0, rowEnd: w.row1, colStart: w.col0, colEnd: w.col1 })) {
    const data = band.data;
    for (let r = 0; r < band.rows; r++) {
      const oy = Math.min(outH - 1, Math.floor(((band.row0 + r - w.row0 + 0.5) * outH) / winH));
      const rowOff = oy * outW;
      const base = r * band.width;
      for (let k = 0; k < band.width; k++) {
        let v = data[base + k];
        if (v !== v || v === nodata) {
          if (!nodataAsZero) continue;
          v = 0;
        }
        hist.add(v);
        const o = rowOff + colMap[k];
        if (mode === 'max') {
          if (v > acc[o]) acc[o] = v;
        } else {
          acc[o] += v;
        }
        cnt[o]++;
      }
    }
  }
  const values = new Float64Array(outW * outH);
  for (let i = 0; i < values.length; i++) values[i] = cnt[i] === 0 ? NaN : mode === 'max' ? acc[i] : acc[i] / cnt[i];
  return { width: outW, height: outH, values, hist };
}

/** km covered by one output pixel vertically (geographic: degrees × 111.32 km; projected: metres). */
function kmPerPixel(view: MapView, geographic: boolean): number {
  const unitsPerPx = 1 / view.sy;
  return geographic ? unitsPerPx * 111.32 : unitsPerPx / 1000;
}

function distanceText(km: number): string {
  return km < 1 ? `${formatNumber(km * 1000)} m` : `${formatNumber(km)} km`;
}

function drawLegend(img: RgbaImage, plan: RasterMapPlan, lut: Uint8Array, topLog: number, opts: RasterMapOptions): TextItem[] {
  const y = plan.top + plan.view.height + 10;
  const x = 16;
  const barW = Math.min(320, img.width - 32);
  for (let i = 0; i < barW; i++) {
    const li = Math.round((i / (barW - 1)) * 255) * 3;
    const c: Rgb = [lut[li], lut[li + 1], lut[li + 2]];
    for (let j = 0; j < 12; j++) setPixel(img, x + i, y + j, c);
  }
  strokeRect(img, x - 1, y - 1, barW + 2, 14, [120, 120, 128]);
  const text: TextItem[] = [];
  const fill = RASTER_MAP_COLOURS.text;
  // ticks at equal steps in log space, labelled with the value they stand for
  const ticks = barW >= 240 ? [0, 0.25, 0.5, 0.75, 1] : [0, 0.5, 1];
  for (const t of ticks) {
    const v = Math.expm1(t * topLog);
    const tx = x + Math.round(t * (barW - 1));
    fillRect(img, tx, y + 12, 1, 4, [160, 160, 168]);
    const label = t === 1 ? `≥ ${formatNumber(v)}` : formatNumber(v);
    text.push({ x: tx, y: y + 28, text: label, size: 11, fill, anchor: t === 0 ? 'start' : t === 1 ? 'end' : 'middle' });
  }
  const label = opts.legendLabel ?? 'value';
  const px = `1 px ≈ ${distanceText(kmPerPixel(plan.view, plan.geographic))}`;
  const note = opts.scaleTop !== undefined ? `${label}, log scale · ${px}` : `${label}, log scale; top = p${opts.percentile ?? 99.9} · ${px}`;
  text.push({ x, y: y + 44, text: note, size: 11, fill });
  if (opts.scaleNote) text.push({ x, y: y + 44 + RASTER_NOTE_HEIGHT, text: opts.scaleNote, size: 11, fill, bold: true });
  // no-data swatch to the right of the bar when there is room
  const swX = x + barW + 16;
  const info = plan.info;
  const canBeMissing = info.nodata !== null || info.dtype === 'float32' || info.dtype === 'float64';
  if (!opts.nodataAsZero && canBeMissing && swX + 70 <= img.width) {
    fillRect(img, swX, y, 14, 12, RASTER_MAP_COLOURS.nodata);
    strokeRect(img, swX - 1, y - 1, 16, 14, [120, 120, 128]);
    text.push({ x: swX + 20, y: y + 10, text: 'no data', size: 11, fill });
  }
  return text;
}

/** Render the raster under the zones (already in the raster's CRS) as a PNG; see the module comment. */
export async function renderRasterMap(source: RasterSource, zones: readonly Zone[], opts: RasterMapOptions = {}): Promise<Uint8Array> {
  const what = `map of ${source.info.path}`;
  const pct = opts.percentile ?? 99.9;
  if (!(pct > 0 && pct <= 100)) throw new NtlError(`${what}: percentile ${pct} must be in (0, 100].`);
  const outlineAlpha = opts.outlineAlpha ?? OUTLINE_ALPHA;
  if (!(outlineAlpha >= 0 && outlineAlpha <= 1)) throw new NtlError(`${what}: outlineAlpha ${outlineAlpha} must be between 0 and 1.`);
  const plan = planRasterMap(source.info, zones, opts);
  const reduced = await reduceWindow(source, plan, opts.nodataAsZero ?? false, opts.resample ?? 'mean');
  const { values, hist } = reduced;
  if (opts.scaleTop !== undefined && !(opts.scaleTop >= 0 && Number.isFinite(opts.scaleTop)))
    throw new NtlError(`${what}: scaleTop ${opts.scaleTop} must be a finite value ≥ 0.`);
  let topLog = opts.scaleTop !== undefined ? Math.log1p(opts.scaleTop) : hist.quantileLog(pct / 100);
  if (!(topLog > 0)) topLog = Math.log1p(1); // all dark: keep the ramp defined

  const img = createImage(plan.width, plan.height, RASTER_MAP_COLOURS.frame);
  const lut = paletteLut(NIGHT_STOPS);
  const { view, left, top } = plan;
  // output pixel → reduction pixel by centre (identity unless the window was enlarged)
  const rx = new Int32Array(view.width);
  for (let x = 0; x < view.width; x++) rx[x] = Math.min(reduced.width - 1, Math.floor(((x + 0.5) * reduced.width) / view.width));
  for (let y = 0; y < view.height; y++) {
    const ry = Math.min(reduced.height - 1, Math.floor(((y + 0.5) * reduced.height) / view.height));
    for (let x = 0; x < view.width; x++) {
      const v = values[ry * reduced.width + rx[x]];
      if (v !== v) {
        setPixel(img, left + x, top + y, RASTER_MAP_COLOURS.nodata);
        continue;
      }
      const t = Math.min(1, Math.log1p(Math.max(0, v)) / topLog);
      const li = Math.round(t * 255) * 3;
      setPixel(img, left + x, top + y, [lut[li], lut[li + 1], lut[li + 2]]);
    }
  }
  const mask = createCoverage(view.width, view.height);
  for (const z of zones) for (const part of z.parts) for (const ring of part) drawRing(mask, projectRing(view, ring));
  blendCoverage(img, mask.data, view.width, view.height, left, top, RASTER_MAP_COLOURS.outline, outlineAlpha);

  const text = drawLegend(img, plan, lut, topLog, opts);
  if (opts.title) {
    // a title wider than the image is clipped by the SVG viewport
    text.push({ x: 12, y: 22, text: opts.title, size: 16, fill: RASTER_MAP_COLOURS.text, bold: true });
  }
  return encodePng(img, svgOverlay(img.width, img.height, text));
}

/**
 * The histogram of the cells `renderRasterMap` would colour (same window, same no-data rule), without drawing:
 * pool the histograms of every period of a series (`LogHistogram.merge`) and pass `Math.expm1(pooled.quantileLog(p))`
 * as `scaleTop`, and all its maps share one colour scale.
 */
export async function rasterMapHistogram(
  source: RasterSource,
  zones: readonly Zone[],
  opts: Pick<RasterMapOptions, 'nodataAsZero' | 'geographic'> = {},
): Promise<LogHistogram> {
  const plan = planRasterMap(source.info, zones, { geographic: opts.geographic });
  const w = plan.window;
  const hist = new LogHistogram();
  const nodata = source.info.nodata;
  for await (const band of source.bands({ rowStart: w.row0, rowEnd: w.row1, colStart: w.col0, colEnd: w.col1 })) {
    const data = band.data;
    const n = band.rows * band.width;
    for (let i = 0; i < n; i++) {
      const v = data[i];
      // no-data counts as 0 with nodataAsZero, and 0 is not in the histogram either way
      if (v !== v || v === nodata) continue;
      hist.add(v);
    }
  }
  return hist;
}

/** The value at the top of a shared ramp: the `percentile` of the pooled positive cells (≥ 1 when all are dark). */
export function pooledScaleTop(hists: Iterable<LogHistogram>, percentile = 99.9): number {
  const pooled = new LogHistogram();
  for (const h of hists) pooled.merge(h);
  const topLog = pooled.quantileLog(percentile / 100);
  return topLog > 0 ? Math.expm1(topLog) : 1;
}
