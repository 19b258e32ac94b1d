/**
 * Black Marble tiles of one product and date as one virtual EPSG:4326 raster: a RasterSource whose row bands
 * are assembled from the tiles on the fly (each tile read for just the band's rows and the window's columns).
 * Only one band of rows is in memory at a time; cells no tile covers are NaN (no data).
 */
import { resolve } from 'node:path';
import { NtlError } from '../../errors.js';
import { WGS84 } from '../../geo/crs.js';
import type { BandWindow, RasterInfo, RasterSource, RowBand } from '../types.js';
import { BlackMarbleTile, type BlackMarbleOptions } from './tile.js';

export interface OpenBlackMarbleOptions extends BlackMarbleOptions {
  /** Aim for bands of at least this many pixels (default 2^20), in whole HDF5 chunk rows where possible. */
  readonly bandPixels?: number;
}

/** Largest band buffer (bytes) when whole chunk rows would be bigger; then bands cut through chunks. */
const MAX_BAND_BYTES = 2 ** 28;

interface Placed {
  readonly tile: BlackMarbleTile;
  readonly row0: number;
  readonly col0: number;
}

export interface BlackMarbleSource extends RasterSource {
  /** The tile files, in the order given. */
  readonly files: readonly string[];
  /** The layer(s) read, e.g. "NearNadir_Composite_Snow_Free". */
  readonly layer: string;
  /** Product and period shared by the tiles, e.g. "VNP46A4.A2022001" (undefined when the files do not say). */
  readonly period: string | undefined;
}

/** Open one or more Black Marble tiles (.h5) of one product and date as one raster. */
export async function openBlackMarble(paths: readonly string[], opts: OpenBlackMarbleOptions = {}): Promise<BlackMarbleSource> {
  if (paths.length === 0) throw new NtlError('no Black Marble tile was given (expected one or more VNP46A3/VNP46A4 .h5 files)');
  const seen = new Map<string, string>();
  for (const p of paths) {
    const abs = resolve(p);
    if (seen.has(abs)) throw new NtlError(`Black Marble tile ${p} is listed twice (also as ${seen.get(abs)}); list each tile once`);
    seen.set(abs, p);
  }
  const tiles: BlackMarbleTile[] = [];
  try {
    for (const p of paths) tiles.push(await BlackMarbleTile.open(p, opts));
    return new MosaicSource(tiles, arrange(tiles), Math.max(1, Math.floor(opts.bandPixels ?? 1 << 20)));
  } catch (e) {
    for (const t of tiles) t.close();
    throw e;
  }
}

/** Check that the tiles belong together and place each on the common grid. */
function arrange(tiles: readonly BlackMarbleTile[]): { placed: Placed[]; width: number; height: number; west: number; north: number; warnings: string[] } {
  const t0 = tiles[0]!;
  const warnings = tiles.flatMap((t) => t.warnings);
  if (tiles.length > 1) {
    const unknown = tiles.find((t) => t.product === undefined || t.date === undefined);
    if (unknown) {
      throw new NtlError(
        `cannot tell the product and date of ${unknown.path} (its name is not like VNP46A4.A2022001.h29v06.001.<production>.h5 and it has no ShortName/RangeBeginningDate attributes), ` +
          'so it cannot be checked against the other tiles; keep the LAADS file names',
      );
    }
    const groups = new Map<string, string[]>();
    for (const t of tiles) groups.set(`${t.product}.${t.date}`, [...(groups.get(`${t.product}.${t.date}`) ?? []), t.name]);
    if (groups.size > 1) {
      throw new NtlError(
        `Black Marble tiles of different products or dates cannot form one mosaic: ${[...groups].map(([k, names]) => `${k} (${names.join(', ')})`).join('; ')}. ` +
          'Give the tiles of one date per raster (one ntl zonal run, or one manifest period, per date)',
      );
    }
    const byTile = new Map<string, string>();
    for (const t of tiles) {
      if (t.tile === undefined) continue;
      const prev = byTile.get(t.tile);
      if (prev) throw new NtlError(`two files for Black Marble tile ${t.tile}: ${prev} and ${t.name} (e.g. two production runs); keep one`);
      byTile.set(t.tile, t.name);
    }
  }
  const { dx, dy } = t0.geometry;
  const placed: Placed[] = tiles.map((t) => {
    const g = t.geometry;
    if (Math.abs(g.dx / dx - 1) > 1e-6 || Math.abs(g.dy / dy - 1) > 1e-6) {
      throw new NtlError(
        `Black Marble tiles ${t0.name} and ${t.name} have different cell sizes (${dx}° × ${dy}° and ${g.dx}° × ${g.dy}°); they cannot be mosaicked`,
      );
    }
    const c = (g.west - t0.geometry.west) / dx,
      r = (t0.geometry.north - g.north) / dy;
    if (Math.abs(c - Math.round(c)) > 1e-3 || Math.abs(r - Math.round(r)) > 1e-3) {
      throw new NtlError(
        `Black Marble tile ${t.name} is not on the cell grid of ${t0.name} (offset ${c.toFixed(4)} columns, ${r.toFixed(4)} rows); they cannot be mosaicked`,
      );
    }
    return { tile: t, row0: Math.round(r), col0: Math.round(c) };
  });
  const minR = Math.min(...placed.map((p) => p.row0)),
    minC = Math.min(...placed.map((p) => p.col0));
  const shifted = placed.map((p) => ({ ...p, row0: p.row0 - minR, col0: p.col0 - minC }));
  const width = Math.max(...shifted.map((p) => p.col0 + p.tile.width));
  const height = Math.max(...shifted.map((p) => p.row0 + p.tile.height));
  for (let i = 0; i < shifted.length; i++) {
    for (let j = i + 1; j < shifted.length; j++) {
      const a = shifted[i]!,
        b = shifted[j]!;
      const overlap = a.col0 < b.col0 + b.tile.width && b.col0 < a.col0 + a.tile.width && a.row0 < b.row0 + b.tile.height && b.row0 < a.row0 + a.tile.height;
      if (overlap)
        throw new NtlError(
          `Black Marble tiles ${a.tile.name} and ${b.tile.name} overlap; tiles of one date never do — is one of them listed under another name?`,
        );
    }
  }
  const covered = shifted.reduce((s, p) => s + p.tile.width * p.tile.height, 0);
  if (covered < width * height) {
    const missing = missingTiles(shifted);
    warnings.push(
      `the ${tiles.length} Black Marble tiles do not fill their bounding rectangle${missing.length ? ` (no file for ${missing.join(', ')})` : ''}; ` +
        'cells there are no data, so zones reaching into them are summed over fewer cells — add the missing tiles if your zones reach there',
    );
  }
  const westTile = shifted.find((p) => p.col0 === 0)!,
    northTile = shifted.find((p) => p.row0 === 0)!;
  return { placed: shifted, width, height, west: westTile.tile.geometry.west, north: northTile.tile.geometry.north, warnings };
}

/** Tile ids inside the bounding box of the given tiles that have no file (when all are 10° grid tiles). */
function missingTiles(placed: readonly Placed[]): string[] {
  const ids = placed.map((p) => p.tile.tile);
  if (ids.some((id) => id === undefined)) return [];
  const hv = ids.map((id) => /^h(\d{2})v(\d{2})$/.exec(id!)).map((m) => [Number(m![1]), Number(m![2])] as const);
  const hs = hv.map(([h]) => h),
    vs = hv.map(([, v]) => v);
  const have = new Set(ids);
  const out: string[] = [];
  for (let v = Math.min(...vs); v <= Math.max(...vs); v++) {
    for (let h = Math.min(...hs); h <= Math.max(...hs); h++) {
      const id = `h${String(h).padStart(2, '0')}v${String(v).padStart(2, '0')}`;
      if (!have.has(id)) out.push(id);
    }
  }
  return out;
}

class MosaicSource implements BlackMarbleSource {
  readonly info: RasterInfo;
  readonly warnings: readonly string[];
  readonly files: readonly string[];
  readonly layer: string;
  readonly period: string | undefined;
  private readonly placed: readonly Placed[];
  private readonly chunkRows: number;
  private closed = false;

  constructor(
    private readonly tiles: readonly BlackMarbleTile[],
    layout: ReturnType<typeof arrange>,
    private readonly bandPixels: number,
  ) {
    const t0 = tiles[0]!;
    this.placed = layout.placed;
    this.warnings = layout.warnings;
    this.files = tiles.map((t) => t.path);
    this.layer = t0.layerLabel;
    this.period = t0.product && t0.date ? `${t0.product}.${t0.date}` : undefined;
    this.chunkRows = Math.max(...tiles.map((t) => t.chunkRows));
    const { dx, dy } = t0.geometry;
    const label =
      tiles.length === 1 ? t0.path : `${this.period ?? 'Black Marble'} mosaic of ${tiles.length} tiles (${tiles.map((t) => t.tile ?? t.name).join(', ')})`;
    this.info = {
      path: label,
      width: layout.width,
      height: layout.height,
      bandCount: 1,
      band: 1,
      dtype: 'float32',
      geoTransform: [layout.west, dx, 0, layout.north, 0, -dy],
      crs: WGS84,
      nodata: NaN,
      blockWidth: layout.width,
      blockHeight: this.chunkRows,
      tiled: false,
      compression: 'hdf5',
      bigTiff: false,
    };
  }

  async *bands(window?: BandWindow): AsyncIterable<RowBand> {
    const info = this.info;
    const rowStart = window?.rowStart ?? 0,
      rowEnd = window?.rowEnd ?? info.height;
    const colStart = window?.colStart ?? 0,
      colEnd = window?.colEnd ?? info.width;
    const ok = (a: number, b: number, n: number) => Number.isInteger(a) && Number.isInteger(b) && a >= 0 && a <= b && b <= n;
    if (!ok(rowStart, rowEnd, info.height) || !ok(colStart, colEnd, info.width)) {
      throw new NtlError(
        `window rows ${rowStart}..${rowEnd}, cols ${colStart}..${colEnd} is outside ${info.path} ` +
          `(${info.height} rows × ${info.width} cols; windows are integer half-open ranges within the raster).`,
      );
    }
    const width = colEnd - colStart;
    if (width === 0 || rowEnd === rowStart) return;
    // Whole chunk rows per band when that fits; else plain row counts (chunks are then decompressed more than once).
    let step = this.chunkRows;
    if (step * width * 4 > MAX_BAND_BYTES) step = Math.max(1, Math.floor(MAX_BAND_BYTES / (4 * width)));
    const k = Math.max(1, Math.floor(this.bandPixels / (step * width)));
    const rowsPer = Math.min(k * step, Math.max(step, Math.floor(MAX_BAND_BYTES / (4 * width))));
    for (let r = Math.floor(rowStart / step) * step; r < rowEnd; r += rowsPer) {
      if (this.closed) throw new NtlError(`${info.path} was closed while its bands were still being read.`);
      const r0 = Math.max(r, rowStart),
        r1 = Math.min(r + rowsPer, rowEnd);
      const data = new Float32Array((r1 - r0) * width).fill(NaN);
      for (const p of this.placed) {
        const rr0 = Math.max(r0, p.row0),
          rr1 = Math.min(r1, p.row0 + p.tile.height);
        const cc0 = Math.max(colStart, p.col0),
          cc1 = Math.min(colEnd, p.col0 + p.tile.width);
        if (rr0 >= rr1 || cc0 >= cc1) continue;
        p.tile.readInto(rr0 - p.row0, rr1 - p.row0, cc0 - p.col0, cc1 - p.col0, data, (rr0 - r0) * width + (cc0 - colStart), width);
      }
      yield { row0: r0, rows: r1 - r0, col0: colStart, width, data };
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.tiles) t.close();
  }
}
