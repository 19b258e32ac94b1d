/**
 * Step 3 — saturation (docs/calibration.md). DMSP stable lights top-code at DN 63 in urban cores.
 *
 * saturated flag: 1 where DN ≥ threshold (63 by default), 0 where valid and below, NaN where missing. Its zonal
 * coverage-weighted mean is the district's `saturated_share`. On the *raw integer* DN raster this is exactly
 * `ntl zonal --stats lit_share --lit-threshold 62.5` (lit_share = Σc over x > 62.5 / Σc over valid cells, and for
 * integers x > 62.5 ⇔ x ≥ 63); after inter-calibration values are no longer 63, so use the mask raster instead.
 *
 * VANUI (Zhang, Schaaf & Seto 2013, RSE 129: 32–41): VANUI = (1 − NDVI) × NTL/NTL_max, with NDVI < 0 (water)
 * set to 0 and NDVI the annual mean on the same grid; NTL_max = 63 for DMSP DN.
 *
 * Pareto top-code imputation (Bluhm & Krause 2022): pixels with DN ≥ L, ranked (average ranks for ties) by a
 * proxy brightness, are replaced by the inverse CDF of a Pareto(α) truncated to [L, H] at their percentile.
 */
import { NtlError } from '../errors.js';
import { isMissing, type CalWindow, type StepContext } from './types.js';

export const DMSP_SATURATION = 63;

export function saturatedValue(v: number, threshold: number): number {
  return v !== v ? NaN : v >= threshold ? 1 : 0;
}

export function vanuiValue(ntl: number, ndvi: number, ntlMax: number): number {
  if (ntl !== ntl || ndvi !== ndvi) return NaN;
  const veg = ndvi < 0 ? 0 : ndvi > 1 ? 1 : ndvi;
  return (1 - veg) * (ntl / ntlMax);
}

/** VANUI over a window; `ctx.aux.ndvi` is the NDVI raster on the same grid (checked by the runner). */
export function vanuiWindow(band: CalWindow, ctx: StepContext, ntlMax: number): Float32Array {
  const ndvi = ctx.aux?.ndvi;
  if (!ndvi) throw new NtlError('the vanui step needs an NDVI raster on the same grid (--ndvi NDVI.tif, or ndvi: in the pipeline)');
  const ndNdvi = ctx.auxNodata?.ndvi ?? null;
  const n = band.rows * band.width;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const v = band.data[i] as number,
      g = ndvi.data[i] as number;
    out[i] = vanuiValue(isMissing(v, ctx.nodata) ? NaN : v, isMissing(g, ndNdvi) ? NaN : g, ntlMax);
  }
  return out;
}

export interface ParetoParams {
  readonly alpha: number;
  readonly lower: number;
  readonly upper: number;
}
export const BLUHM_KRAUSE: ParetoParams = { alpha: 1.5, lower: 55, upper: 2000 };

/** Inverse CDF of the Pareto(α) truncated to [L, H] at p ∈ [0, 1]: x = L / (1 − p·(1 − (L/H)^α))^(1/α). */
export function paretoQuantile(p: number, { alpha, lower, upper }: ParetoParams): number {
  return lower / Math.pow(1 - p * (1 - Math.pow(lower / upper, alpha)), 1 / alpha);
}

/**
 * Replace every value ≥ L by its Pareto quantile. Percentile of a pixel = (average rank − 1) / (m − 1) over the m
 * pixels ≥ L, ranked by `rankBy` (a radiance-calibrated or VIIRS proxy; ties broken by the DN itself) — without a
 * proxy the DN alone ranks them, which is "Pareto-adjusted", not Bluhm–Krause. NaN stays NaN.
 */
export function paretoAdjust(values: Float32Array | Float64Array, params: ParetoParams = BLUHM_KRAUSE, rankBy?: ArrayLike<number>): Float64Array {
  if (rankBy && rankBy.length !== values.length)
    throw new NtlError(`Pareto adjustment: the ranking raster has ${rankBy.length} cells, the image ${values.length}; they must share the grid`);
  if (!(params.alpha > 0 && params.lower > 0 && params.upper > params.lower))
    throw new NtlError(`Pareto adjustment: need α > 0 and 0 < L < H (got α ${params.alpha}, L ${params.lower}, H ${params.upper})`);
  const out = Float64Array.from(values);
  const idx: number[] = [];
  for (let i = 0; i < values.length; i++) if ((values[i] as number) >= params.lower) idx.push(i);
  const key = (i: number) => (rankBy ? (rankBy[i] as number) : (values[i] as number));
  idx.sort((a, b) => key(a) - key(b) || (values[a] as number) - (values[b] as number));
  const m = idx.length;
  for (let s = 0; s < m; ) {
    let e = s + 1; // [s, e) ties in both keys
    while (e < m && key(idx[e]!) === key(idx[s]!) && values[idx[e]!] === values[idx[s]!]) e++;
    const p = m === 1 ? 0.5 : (s + e - 1) / 2 / (m - 1);
    const x = paretoQuantile(p, params);
    for (let k = s; k < e; k++) out[idx[k]!] = x;
    s = e;
  }
  return out;
}
