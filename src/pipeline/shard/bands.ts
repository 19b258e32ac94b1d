/**
 * Row-band layout of one input raster: the work-unit split of the scale-out (`--shard`, `ntl merge`).
 * The layout depends only on the raster header, the zones and `bandRows` — never on the number of shards —
 * so every shard count and the single-machine run compute the same units and merge them the same way.
 * Bands partition all raster rows [0, height); inner edges are block-aligned multiples of the step inside
 * the zones' row window, so every block is decoded by one unit only.
 */
import type { RasterInfo } from '../../raster/types.js';
import { gridFromTransform, windowForBBox, type CellWindow } from '../../zonal/grid.js';
import type { Zone } from '../../vector/types.js';

/** Default rows per band (rounded down to whole blocks); a period smaller than this is one unit. */
export const DEFAULT_BAND_ROWS = 8192;

export interface RowRange {
  readonly row0: number;
  readonly row1: number;
}

/** Each zone's cell window (bbox-based; empty windows dropped) in the raster's grid. */
export function zoneWindows(info: RasterInfo, zones: readonly Zone[]): CellWindow[] {
  const grid = gridFromTransform(info.geoTransform, info.width, info.height, info.path);
  const out: CellWindow[] = [];
  for (const z of zones) {
    let xmin = Infinity,
      ymin = Infinity,
      xmax = -Infinity,
      ymax = -Infinity;
    for (const part of z.parts) {
      for (const ring of part) {
        for (let k = 0; k + 1 < ring.length; k += 2) {
          const x = ring[k]!,
            y = ring[k + 1]!;
          if (x < xmin) xmin = x;
          if (x > xmax) xmax = x;
          if (y < ymin) ymin = y;
          if (y > ymax) ymax = y;
        }
      }
    }
    if (!(xmin <= xmax)) continue;
    const w = windowForBBox(grid, { xmin, ymin, xmax, ymax });
    if (w.row0 < w.row1 && w.col0 < w.col1) out.push(w);
  }
  return out;
}

/**
 * Bands for one raster. `split: false` (quantile statistics requested) keeps the period whole: a quantile
 * needs every (value, weight) pair of a zone.
 */
export function rowBands(info: RasterInfo, windows: readonly CellWindow[], bandRows: number, split: boolean): RowRange[] {
  if (!split || windows.length === 0) return [{ row0: 0, row1: info.height }];
  let rs = Infinity,
    re = -Infinity;
  for (const w of windows) {
    rs = Math.min(rs, w.row0);
    re = Math.max(re, w.row1);
  }
  const bh = info.blockHeight;
  const step = Math.max(bh, Math.floor(bandRows / bh) * bh);
  const edges = [0];
  for (let e = (Math.floor(rs / step) + 1) * step; e < re; e += step) edges.push(e);
  edges.push(info.height);
  const out: RowRange[] = [];
  for (let i = 0; i + 1 < edges.length; i++) out.push({ row0: edges[i]!, row1: edges[i + 1]! });
  return out;
}

/** Covered-cell estimate of one band: Σ over zones of (rows of the zone window in the band) × window columns. */
export function bandCells(windows: readonly CellWindow[], band: RowRange): number {
  let cells = 0;
  for (const w of windows) {
    const rows = Math.min(w.row1, band.row1) - Math.max(w.row0, band.row0);
    if (rows > 0) cells += rows * (w.col1 - w.col0);
  }
  return cells;
}
