/**
 * Pixel pairs for DMSP ↔ VIIRS harmonisation (Li, Zhou, Zhao & Zhao 2020, step 3a), streamed: the fine raster (VIIRS) is
 * area-weighted onto the coarse grid (DMSP) band by band, optionally Gaussian-smoothed (σ in coarse pixels), and
 * paired with the coarse value. x: the aggregated fine value (NaN where none); y: the coarse value, NaN where
 * missing, where below `minDn`, and — for raw DMSP — where 255 (no cloud-free data). Memory: two coarse grids.
 * Shared by `ntl calibrate harmonise --dmsp --viirs` and the pipeline's `harmonise: { level: pixel }`.
 */
import { NtlError } from '../errors.js';
import { sameCrs } from '../geo/index.js';
import type { RasterSource } from '../raster/types.js';
import { AreaMeanAccumulator, gaussianSmooth } from './aggregate.js';

export interface PixelPairOptions {
  readonly sigma: number;
  readonly minDn: number;
  /** Treat 255 in the coarse raster as missing (raw DMSP stable lights). */
  readonly dmsp255: boolean;
}

export async function pixelPairs(fine: RasterSource, coarse: RasterSource, opts: PixelPairOptions): Promise<{ x: Float32Array; y: Float32Array }> {
  const fi = fine.info,
    ci = coarse.info;
  if (fi.crs && ci.crs && !sameCrs(fi.crs, ci.crs)) {
    throw new NtlError(
      `${fi.path} and ${ci.path} are in different CRS (${fi.crs.label} vs ${ci.crs.label}); pixel-level harmonisation needs nesting grids in one CRS — warp one onto the other (gdalwarp -r average), or fit district-level pairs`,
    );
  }
  const acc = new AreaMeanAccumulator(fi, ci, fi.nodata);
  for await (const b of fine.bands()) acc.addRows(b.data, b.row0, b.rows);
  const x = gaussianSmooth(acc.result(), ci.width, ci.height, opts.sigma);
  const y = new Float32Array(ci.width * ci.height);
  const nd = ci.nodata;
  for await (const b of coarse.bands()) {
    for (let k = 0; k < b.data.length; k++) {
      const v = b.data[k] as number;
      const missing = v !== v || (nd !== null && v === nd) || (opts.dmsp255 && v === 255);
      y[b.row0 * ci.width + k] = missing || !(v >= opts.minDn) ? NaN : v;
    }
  }
  return { x, y };
}
