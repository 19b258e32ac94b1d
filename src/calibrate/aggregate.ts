/**
 * VIIRS (15″) onto the DMSP grid (30″) for pixel-level harmonisation (Li, Zhou, Zhao & Zhao 2020, step 3a): the
 * area-weighted mean of the valid fine cells inside each coarse cell (weights: spherical cell areas on
 * lon/lat grids, equal on projected ones), then an optional Gaussian smoothing (σ in coarse pixels, support
 * ±3σ, renormalised over valid cells) that mimics OLS blooming. The grids must nest exactly: the coarse pixel
 * an integer multiple of the fine one and its origin on a fine cell corner — anything else is refused (resample
 * with gdalwarp -r average first), never interpolated silently.
 */
import { NtlError } from '../errors.js';
import type { RasterInfo } from '../raster/types.js';
import { rowCellAreasKm2 } from './report.js';

export interface Nesting {
  readonly factor: number;
  readonly rowOffset: number;
  readonly colOffset: number;
}

export function nesting(fine: RasterInfo, coarse: RasterInfo): Nesting {
  const gf = fine.geoTransform,
    gc = coarse.geoTransform;
  const where = `${fine.path} onto ${coarse.path}`;
  if (gf[2] || gf[4] || gc[2] || gc[4]) throw new NtlError(`${where}: rotated grids are not supported; warp both north-up first`);
  const k = gc[1] / gf[1],
    ky = gc[5] / gf[5];
  const factor = Math.round(k);
  const off = (a: number, b: number, px: number) => (a - b) / px;
  const co = off(gc[0], gf[0], gf[1]),
    ro = off(gc[3], gf[3], gf[5]);
  const near = (v: number) => Math.abs(v - Math.round(v)) < 1e-6;
  if (!(factor >= 1 && near(k) && Math.abs(ky - k) < 1e-6 && near(co) && near(ro))) {
    throw new NtlError(
      `${where}: the grids do not nest (coarse/fine pixel ratio ${k.toPrecision(6)} × ${ky.toPrecision(6)}, origin offset ${co.toFixed(3)}, ${ro.toFixed(3)} fine pixels); resample VIIRS onto the DMSP grid first (gdalwarp -r average -te … -tr …)`,
    );
  }
  return { factor, rowOffset: Math.round(ro) + 0, colOffset: Math.round(co) + 0 }; // + 0: no -0
}

/** Area-weighted mean of the fine cells in each coarse cell; NaN where none is valid. */
export function aggregateMean(fine: Float32Array, fineInfo: RasterInfo, coarseInfo: RasterInfo, nodata: number | null): Float32Array {
  const acc = new AreaMeanAccumulator(fineInfo, coarseInfo, nodata);
  acc.addRows(fine, 0, fineInfo.height);
  return acc.result();
}

/**
 * The same mean fed fine rows top to bottom in any band heights (the fine raster streams; only the coarse grid's
 * sums are held). Sums are taken in the same row-major order as the whole-grid loop, so the result is the same bits.
 */
export class AreaMeanAccumulator {
  private readonly nest: Nesting;
  private readonly areas: Float64Array | number[];
  private readonly sum: Float64Array;
  private readonly wsum: Float64Array;
  constructor(
    private readonly fineInfo: RasterInfo,
    private readonly coarseInfo: RasterInfo,
    private readonly nodata: number | null,
  ) {
    this.nest = nesting(fineInfo, coarseInfo);
    this.areas = rowCellAreasKm2(fineInfo);
    this.sum = new Float64Array(coarseInfo.width * coarseInfo.height);
    this.wsum = new Float64Array(coarseInfo.width * coarseInfo.height);
  }

  /** `rows` fine rows starting at fine row `row0` (full width). */
  addRows(data: ArrayLike<number>, row0: number, rows: number): void {
    const { factor, rowOffset, colOffset } = this.nest;
    const W = this.coarseInfo.width,
      H = this.coarseInfo.height,
      fw = this.fineInfo.width;
    const { sum, wsum, nodata } = this;
    for (let r = 0; r < rows; r++) {
      const fr = row0 + r;
      const R = Math.floor((fr - rowOffset) / factor);
      if (R < 0 || R >= H) continue;
      const a = this.areas[fr] as number;
      for (let fc = 0; fc < fw; fc++) {
        const C = Math.floor((fc - colOffset) / factor);
        if (C < 0 || C >= W) continue;
        const v = data[r * fw + fc] as number;
        if (v !== v || (nodata !== null && v === nodata)) continue;
        sum[R * W + C] = (sum[R * W + C] as number) + a * v;
        wsum[R * W + C] = (wsum[R * W + C] as number) + a;
      }
    }
  }

  result(): Float32Array {
    const out = new Float32Array(this.sum.length);
    for (let i = 0; i < out.length; i++) out[i] = (this.wsum[i] as number) > 0 ? (this.sum[i] as number) / (this.wsum[i] as number) : NaN;
    return out;
  }
}

/** Separable Gaussian smoothing, NaN-aware (weights renormalised over valid cells; NaN cells stay NaN). */
export function gaussianSmooth(img: Float32Array, width: number, height: number, sigma: number): Float32Array {
  if (sigma === 0) return img;
  if (!(sigma > 0)) throw new NtlError(`Gaussian smoothing: sigma ${sigma} must be ≥ 0 (in output pixels)`);
  const r = Math.ceil(3 * sigma);
  const k = new Float64Array(2 * r + 1);
  for (let d = -r; d <= r; d++) k[d + r] = Math.exp(-(d * d) / (2 * sigma * sigma));
  const pass = (src: Float32Array, horizontal: boolean): Float32Array => {
    const out = new Float32Array(src.length);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const i = y * width + x;
        if (img[i] !== img[i]) {
          out[i] = NaN;
          continue;
        }
        let s = 0,
          w = 0;
        for (let d = -r; d <= r; d++) {
          const xx = horizontal ? x + d : x,
            yy = horizontal ? y : y + d;
          if (xx < 0 || xx >= width || yy < 0 || yy >= height) continue;
          const v = src[yy * width + xx] as number;
          if (v !== v) continue;
          s += (k[d + r] as number) * v;
          w += k[d + r] as number;
        }
        out[i] = w > 0 ? s / w : NaN;
      }
    }
    return out;
  };
  return pass(pass(img, true), false);
}
