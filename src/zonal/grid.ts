/**
 * The raster grid as the zonal engine sees it: north-up, square-or-rectangular cells, no rotation.
 * Cell (row, col) spans x ∈ [xmin + col·dx, xmin + (col+1)·dx], y ∈ [ymax − (row+1)·dy, ymax − row·dy].
 * Edges are always computed from the origin by multiplication, never by accumulation, so that every
 * module (and the oracles) agree on the same cell boundaries to the last bit.
 */
import { NtlError } from '../errors.js';
import type { GeoTransform } from '../raster/types.js';

export interface Grid {
  readonly xmin: number;
  readonly ymax: number;
  /** Cell width and height, both > 0. */
  readonly dx: number;
  readonly dy: number;
  /** Columns and rows. */
  readonly nx: number;
  readonly ny: number;
}

/** Half-open cell window: rows [row0, row1), cols [col0, col1). Empty when row0 >= row1 or col0 >= col1. */
export interface CellWindow {
  readonly row0: number;
  readonly row1: number;
  readonly col0: number;
  readonly col1: number;
}

export interface BBox {
  readonly xmin: number;
  readonly ymin: number;
  readonly xmax: number;
  readonly ymax: number;
}

/** Build a north-up grid from a GDAL geotransform; rotated or south-up rasters get a clear error. */
export function gridFromTransform(gt: GeoTransform, width: number, height: number, where = 'raster'): Grid {
  const [x0, pw, rot1, y0, rot2, ph] = gt;
  if (![x0, pw, rot1, y0, rot2, ph].every(Number.isFinite)) {
    throw new NtlError(
      `${where} has no usable georeferencing: the geotransform has non-finite entries (${gt.join(', ')}); add the grid with gdal_edit.py -a_ullr <ulx> <uly> <lrx> <lry> -a_srs EPSG:4326 (or gdal_translate -a_ullr … -a_srs … in.tif out.tif), or use the original georeferenced file.`,
    );
  }
  if (rot1 !== 0 || rot2 !== 0) {
    throw new NtlError(
      `${where}: the raster is rotated (geotransform rotation terms ${rot1}, ${rot2}); zonal statistics need a north-up grid — warp it first, e.g. gdalwarp -r near in.tif out.tif.`,
    );
  }
  if (!(pw > 0)) {
    throw new NtlError(`${where}: pixel width is ${pw}; it must be positive (west-to-east columns) — fix the georeferencing or warp the raster with gdalwarp.`);
  }
  if (!(ph < 0)) {
    throw new NtlError(
      `${where}: pixel height is ${ph}; only north-up rasters (negative pixel height) are supported — flip it with gdalwarp (any resampling, same grid) first.`,
    );
  }
  if (!(Number.isInteger(width) && width > 0 && Number.isInteger(height) && height > 0)) {
    throw new NtlError(`${where}: raster size ${width} × ${height} is not a positive integer size.`);
  }
  return { xmin: x0, ymax: y0, dx: pw, dy: -ph, nx: width, ny: height };
}

export function cellXmin(g: Grid, col: number): number {
  return g.xmin + col * g.dx;
}
export function cellYmax(g: Grid, row: number): number {
  return g.ymax - row * g.dy;
}

/** Bounds of one cell, edges computed from the origin. */
export function cellBounds(g: Grid, row: number, col: number): BBox {
  return {
    xmin: g.xmin + col * g.dx,
    xmax: g.xmin + (col + 1) * g.dx,
    ymin: g.ymax - (row + 1) * g.dy,
    ymax: g.ymax - row * g.dy,
  };
}

/**
 * The cells whose closed area a bbox overlaps with positive area, clamped to the grid.
 * A bbox edge lying exactly on a cell edge does not pull in the neighbouring cell.
 */
export function windowForBBox(g: Grid, b: BBox): CellWindow {
  const u0 = (b.xmin - g.xmin) / g.dx;
  const u1 = (b.xmax - g.xmin) / g.dx;
  const v0 = (g.ymax - b.ymax) / g.dy;
  const v1 = (g.ymax - b.ymin) / g.dy;
  return clampWindow(g, Math.floor(v0), Math.ceil(v1), Math.floor(u0), Math.ceil(u1));
}

/** Clamp a window to the grid; an empty result has row0 === row1 or col0 === col1. */
export function clampWindow(g: Pick<Grid, 'nx' | 'ny'>, row0: number, row1: number, col0: number, col1: number): CellWindow {
  const r0 = Math.min(Math.max(row0, 0), g.ny);
  const r1 = Math.min(Math.max(row1, r0), g.ny);
  const c0 = Math.min(Math.max(col0, 0), g.nx);
  const c1 = Math.min(Math.max(col1, c0), g.nx);
  return { row0: r0, row1: r1, col0: c0, col1: c1 };
}

export function windowIsEmpty(w: CellWindow): boolean {
  return w.row0 >= w.row1 || w.col0 >= w.col1;
}

export function windowCells(w: CellWindow): number {
  return windowIsEmpty(w) ? 0 : (w.row1 - w.row0) * (w.col1 - w.col0);
}

const EARTH_RADIUS_M = 6_378_137;
const DEG = Math.PI / 180;

/**
 * Area in km² of one cell in `row`. Geographic grids (degrees): exactextract's spherical formula
 * A = R²·(π/180)·|sin φ_top − sin φ_bottom|·Δλ°; the same for every column of a row. The sine
 * difference is evaluated as 2·cos((φt+φb)/2)·sin((φt−φb)/2), identical in exact arithmetic but free of
 * the cancellation that costs the direct form ~1e-12 relative on small cells.
 * Projected grids: dx·dy, assuming metres.
 */
export function cellAreaKm2(g: Grid, row: number, geographic: boolean): number {
  if (!geographic) return (g.dx * g.dy) / 1e6;
  const top = (g.ymax - row * g.dy) * DEG;
  const bottom = (g.ymax - (row + 1) * g.dy) * DEG;
  const dSin = 2 * Math.cos((top + bottom) / 2) * Math.sin((top - bottom) / 2);
  return (EARTH_RADIUS_M * EARTH_RADIUS_M * DEG * Math.abs(dSin) * g.dx) / 1e6;
}
