/**
 * Grid checks and row alignment for several rasters read together (two satellites, a year series, NDVI,
 * monthly bands): the same size, geotransform and CRS, and row windows cut to common boundaries whatever
 * each file's block layout — so every step sees aligned windows while each file streams band by band.
 */
import { NtlError } from '../errors.js';
import { sameCrs } from '../geo/index.js';
import type { RasterInfo, RasterSource, RowBand } from '../raster/types.js';

/** Throws when `b` is not on `a`'s grid, saying by how much (in CRS units and, roughly, metres). */
export function checkSameGrid(a: RasterInfo, b: RasterInfo, role: string): void {
  const where = `${b.path} (${role}) vs ${a.path}`;
  if (a.width !== b.width || a.height !== b.height) {
    throw new NtlError(
      `${where}: grids differ in size (${b.width} × ${b.height} vs ${a.width} × ${a.height}); resample one onto the other first, e.g. gdalwarp -te/-tr to the reference grid`,
    );
  }
  if (a.crs && b.crs && !sameCrs(a.crs, b.crs)) {
    throw new NtlError(`${where}: different CRS (${b.crs.label} vs ${a.crs.label}); reproject one onto the other first (gdalwarp)`);
  }
  const ga = a.geoTransform,
    gb = b.geoTransform;
  const px = Math.abs(ga[1]);
  const tol = px * 1e-6;
  const dx = gb[0] - ga[0],
    dy = gb[3] - ga[3];
  const sizeDiff = Math.abs(gb[1] - ga[1]) + Math.abs(gb[5] - ga[5]) + Math.abs(gb[2] - ga[2]) + Math.abs(gb[4] - ga[4]);
  if (Math.abs(dx) > tol || Math.abs(dy) > tol || sizeDiff > tol) {
    const geographic = a.crs?.geographic ?? Math.abs(ga[0]) <= 360;
    const m = (d: number, lat = 0) => (geographic ? d * 111_320 * Math.cos((lat * Math.PI) / 180) : d);
    const lat = geographic ? ga[3] : 0;
    throw new NtlError(
      `${where}: the grids are shifted by ${dx.toPrecision(4)} × ${dy.toPrecision(4)} ${geographic ? 'degrees' : 'CRS units'} ` +
        `(≈ ${Math.round(Math.abs(m(dx, lat)))} m east-west, ${Math.round(Math.abs(m(dy)))} m north-south; ${(Math.max(Math.abs(dx), Math.abs(dy)) / px).toFixed(2)} pixel)` +
        `${sizeDiff > tol ? ' and the pixel sizes differ' : ''}. Pixels would be compared across different ground; ` +
        'resample one file onto the other grid first (gdalwarp -te … -tr … -r near), nothing is resampled silently',
    );
  }
}

export interface AlignedRows {
  readonly row0: number;
  readonly rows: number;
  /** One slab per source, same rows, full width. */
  readonly data: RowBand['data'][];
}

/** Zip several row-band streams of equal width into common row windows (each source buffers at most one band). */
export async function* alignRows(sources: readonly RasterSource[]): AsyncGenerator<AlignedRows> {
  const its = sources.map((s) => s.bands()[Symbol.asyncIterator]());
  const cur: (RowBand | null)[] = sources.map(() => null);
  const used = sources.map(() => 0);
  const width = sources[0]?.info.width ?? 0;
  const height = sources[0]?.info.height ?? 0;
  let row = 0;
  while (row < height) {
    for (let k = 0; k < its.length; k++) {
      if (cur[k] === null || used[k] === (cur[k] as RowBand).rows) {
        const next = await (its[k] as AsyncIterator<RowBand>).next();
        if (next.done) throw new NtlError(`${sources[k]!.info.path}: the file ended before row ${row}; it is truncated`);
        cur[k] = next.value;
        used[k] = 0;
      }
    }
    const rows = Math.min(...cur.map((b, k) => (b as RowBand).rows - (used[k] as number)));
    const data = cur.map((b, k) => {
      const u = used[k] as number;
      return (b as RowBand).data.subarray(u * width, (u + rows) * width) as RowBand['data'];
    });
    yield { row0: row, rows, data };
    for (let k = 0; k < used.length; k++) used[k] = (used[k] as number) + rows;
    row += rows;
  }
  for (const it of its) await it.return?.();
}
