/**
 * Choropleth PNG: each zone filled by the class of its value (even-odd scanline fill, holes respected), missing
 * values hatched grey, thin outlines, and an SVG legend with the class breaks. Drawn in the zones' own
 * coordinates; lon/lat zones (geographic: true) get x scaled by cos(mid-latitude).
 */
import { NtlError } from '../errors.js';
import type { Zone } from '../vector/types.js';
import { classOf, logEqualClasses, quantileClasses, type Classes } from './classify.js';
import { createCoverage, drawRing, fillRings } from './draw.js';
import { encodePng } from './encode.js';
import { blendCoverage, createImage, fillRect, hatchColour, setPixel, strokeRect } from './image.js';
import { classColours, SEQUENTIAL_STOPS, type Rgb } from './palette.js';
import { estimateTextWidth, formatNumber, svgOverlay, type TextItem } from './text.js';
import { aspectFactor, checkMaxSize, fitView, projectRing, zonesBBox, type MapView } from './view.js';

export interface ChoroplethOptions {
  readonly title?: string;
  /** Heading of the legend, e.g. "sum of lights 2022". */
  readonly legendLabel?: string;
  /** Longest side of the map area in px (the legend panel and title come on top); default 1200. */
  readonly maxSize?: number;
  /** Number of quantile classes, 1–12; default 7. */
  readonly classes?: number;
  /** Classes equally wide in log1p(value) instead of quantiles (values must be ≥ 0). */
  readonly logScale?: boolean;
  /** true when the zone coordinates are lon/lat degrees. */
  readonly geographic?: boolean;
  /**
   * Class breaks fixed beforehand (e.g. `pooledClasses` over every year of a series, so all its maps share one
   * colour scale); `classes` and `logScale` are then ignored.
   */
  readonly breaks?: Classes;
  /** The legend's method line; default "quantile classes" / "log-scale classes". */
  readonly classNote?: string;
  /** A second legend line under the method (bold), e.g. "same scale for 2012–2022". */
  readonly scaleNote?: string;
}

export const CHOROPLETH_COLOURS = {
  background: [255, 255, 255] as Rgb,
  missing: [226, 226, 226] as Rgb,
  missingHatch: [168, 168, 168] as Rgb,
  outline: [60, 60, 60] as Rgb,
  text: '#222222',
};
export const CHOROPLETH_OUTLINE_ALPHA = 0.55;
export const CHOROPLETH_PAD = 6;
export const CHOROPLETH_TITLE_HEIGHT = 34;

export interface ChoroplethPlan {
  readonly view: MapView;
  readonly classes: Classes;
  readonly colours: readonly Rgb[];
  /** Map area offset in the image. */
  readonly left: number;
  readonly top: number;
}

function finite(v: number | null | undefined): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** Layout and classification (pure; no pixels). */
export function planChoropleth(zones: readonly Zone[], values: ReadonlyMap<string, number | null>, opts: ChoroplethOptions = {}): ChoroplethPlan {
  const what = `choropleth${opts.title ? ` "${opts.title}"` : ''}`;
  const maxSize = checkMaxSize(opts.maxSize, what);
  const k = opts.classes ?? 7;
  if (!Number.isInteger(k) || k < 1 || k > 12) throw new NtlError(`${what}: classes ${k} must be a whole number from 1 to 12.`);
  const bbox = zonesBBox(zones, what);
  const present: number[] = [];
  for (const z of zones) {
    const v = values.get(z.id);
    if (finite(v)) present.push(v);
  }
  if (present.length === 0) {
    throw new NtlError(
      `${what}: none of the ${zones.length} zones has a finite value (${values.size} values given); ` +
        `check that the value ids match the zone ids (e.g. "430102").`,
    );
  }
  const classes = opts.breaks ?? (opts.logScale ? logEqualClasses(present, k, what) : quantileClasses(present, k));
  if (classes.upper.length === 0) throw new NtlError(`${what}: the given class breaks are empty.`);
  const colours = classColours(SEQUENTIAL_STOPS, classes.upper.length);
  const view = fitView(bbox, maxSize, CHOROPLETH_PAD, aspectFactor(bbox, opts.geographic ?? false));
  return { view, classes, colours, left: 0, top: opts.title ? CHOROPLETH_TITLE_HEIGHT : 4 };
}

function classLabel(c: Classes, i: number): string {
  const lo = i === 0 ? c.min : c.upper[i - 1];
  const hi = c.upper[i];
  return lo === hi ? formatNumber(hi) : `${formatNumber(lo)} – ${formatNumber(hi)}`;
}

export async function renderChoropleth(zones: readonly Zone[], values: ReadonlyMap<string, number | null>, opts: ChoroplethOptions = {}): Promise<Uint8Array> {
  const plan = planChoropleth(zones, values, opts);
  const { view, classes, colours, left, top } = plan;

  // legend panel geometry first: it decides the image size
  const counts = new Array<number>(classes.upper.length).fill(0);
  let missing = 0;
  for (const z of zones) {
    const v = values.get(z.id);
    if (finite(v)) counts[classOf(classes, v)]++;
    else missing++;
  }
  const rows = classes.upper.map((_, i) => `${classLabel(classes, i)}  (${counts[i]})`);
  if (missing > 0) rows.push(`no data  (${missing})`);
  const heading = opts.legendLabel ?? 'value';
  const note = opts.classNote ?? (classes.method === 'quantile' ? 'quantile classes' : 'log-scale classes');
  const notes = opts.scaleNote ? [note, opts.scaleNote] : [note];
  const SW = 22,
    SH = 14,
    ROW = 20;
  const textW = Math.max(estimateTextWidth(heading, 13), ...notes.map((n) => estimateTextWidth(n, 11)), ...rows.map((r) => SW + 8 + estimateTextWidth(r, 12)));
  const legendX = left + view.width + 10;
  const width = Math.max(legendX + textW + 12, opts.title ? estimateTextWidth(opts.title, 17) + 20 : 0);
  const legendH = 24 + rows.length * ROW + 10 + notes.length * 14;
  const height = top + Math.max(view.height, legendH) + 4;

  const img = createImage(width, height, CHOROPLETH_COLOURS.background);
  const fillFor = (v: number | null | undefined): ((x: number, y: number) => Rgb) => {
    if (!finite(v)) return (x, y) => hatchColour(x, y, CHOROPLETH_COLOURS.missing, CHOROPLETH_COLOURS.missingHatch);
    const c = colours[classOf(classes, v)];
    return () => c;
  };
  const mask = createCoverage(view.width, view.height);
  for (const z of zones) {
    const rings = z.parts.flatMap((p) => p.map((r) => projectRing(view, r)));
    const colourAt = fillFor(values.get(z.id));
    fillRings(rings, view.width, view.height, (row, c0, c1) => {
      for (let x = c0; x < c1; x++) setPixel(img, left + x, top + row, colourAt(left + x, top + row));
    });
    for (const r of rings) drawRing(mask, r);
  }
  blendCoverage(img, mask.data, view.width, view.height, left, top, CHOROPLETH_COLOURS.outline, CHOROPLETH_OUTLINE_ALPHA);

  const fill = CHOROPLETH_COLOURS.text;
  const text: TextItem[] = [{ x: legendX, y: top + 14, text: heading, size: 13, fill, bold: true }];
  rows.forEach((label, i) => {
    const y = top + 24 + i * ROW;
    if (i < colours.length) {
      fillRect(img, legendX, y, SW, SH, colours[i]);
    } else {
      for (let yy = y; yy < y + SH; yy++) {
        for (let xx = legendX; xx < legendX + SW; xx++) {
          setPixel(img, xx, yy, hatchColour(xx, yy, CHOROPLETH_COLOURS.missing, CHOROPLETH_COLOURS.missingHatch));
        }
      }
    }
    strokeRect(img, legendX, y, SW, SH, [150, 150, 150]);
    text.push({ x: legendX + SW + 8, y: y + 11, text: label, size: 12, fill });
  });
  notes.forEach((n, i) =>
    text.push({ x: legendX, y: top + 24 + rows.length * ROW + 12 + i * 14, text: n, size: 11, fill: i === 0 ? '#555555' : fill, bold: i > 0 }),
  );
  if (opts.title) text.push({ x: 10, y: 23, text: opts.title, size: 17, fill, bold: true });
  return encodePng(img, svgOverlay(width, height, text));
}
