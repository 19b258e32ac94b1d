/**
 * Step 5 — VIIRS preprocessing (the Chinese-literature recipe for monthly data).
 * denoise: negatives → 0 (counted), background → 0 (radiance below a threshold, or where the same-year DMSP
 * stable-lights mask is dark), outliers above a cap → the cap (the cap: the maximum inside user-given reference
 * city cores, e.g. 北上广深, or a percentile of lit pixels). monthly → annual: mean of the valid months, weighted
 * by the number of cloud-free observations when a coverage band is given (months with 0 coverage drop out).
 */
import { isMissing, type CalWindow, type StepContext } from './types.js';

export interface DenoiseParams {
  /** Radiance at or below which a pixel is background (0 = only negatives/zero); null = no threshold. */
  readonly threshold: number | null;
  /** Use ctx.aux.dmsp_mask: pixels where the DMSP mask is 0 (dark) become 0. */
  readonly dmspMask: boolean;
  /** Upper cap (nW·cm⁻²·sr⁻¹); null = none. Computed beforehand by capFromCores / capFromPercentile. */
  readonly cap: number | null;
}

export interface DenoiseCounts {
  negatives: number;
  background: number;
  capped: number;
}

export function newDenoiseCounts(): DenoiseCounts {
  return { negatives: 0, background: 0, capped: 0 };
}

/** One pixel (NaN = missing) without the DMSP mask; the same rule as denoiseWindow, counting into `counts`. */
export function denoiseValue(v: number, p: DenoiseParams, counts: DenoiseCounts): number {
  if (v !== v) return NaN;
  if (v < 0) {
    v = 0;
    counts.negatives++;
  }
  if (v > 0 && p.threshold !== null && v <= p.threshold) {
    v = 0;
    counts.background++;
  }
  if (p.cap !== null && v > p.cap) {
    v = p.cap;
    counts.capped++;
  }
  return v;
}

export function denoiseWindow(band: CalWindow, ctx: StepContext, p: DenoiseParams, counts: DenoiseCounts = newDenoiseCounts()): Float32Array {
  const n = band.rows * band.width;
  const out = new Float32Array(n);
  const mask = p.dmspMask ? ctx.aux?.dmsp_mask : undefined;
  if (p.dmspMask && !mask) throw new Error('internal: denoise with dmsp_mask needs ctx.aux.dmsp_mask');
  for (let i = 0; i < n; i++) {
    let v = band.data[i] as number;
    if (isMissing(v, ctx.nodata)) {
      out[i] = NaN;
      continue;
    }
    if (v < 0) {
      v = 0;
      counts.negatives++;
    }
    if (v > 0 && ((p.threshold !== null && v <= p.threshold) || (mask && (mask.data[i] as number) === 0))) {
      v = 0;
      counts.background++;
    }
    if (p.cap !== null && v > p.cap) {
      v = p.cap;
      counts.capped++;
    }
    out[i] = v;
  }
  return out;
}

/** Running per-pixel accumulator for one output year over a row window: add months, then read the composite. */
export class AnnualAccumulator {
  private readonly sum: Float64Array;
  private readonly weight: Float64Array;
  constructor(readonly size: number) {
    this.sum = new Float64Array(size);
    this.weight = new Float64Array(size);
  }
  /** `coverage` = cloud-free observation counts of the month (weights); absent → weight 1 for valid values. */
  add(values: ArrayLike<number>, nodata: number | null, coverage?: ArrayLike<number>, coverageNodata: number | null = null): void {
    for (let i = 0; i < this.size; i++) {
      const v = values[i] as number;
      if (isMissing(v, nodata)) continue;
      let w = 1;
      if (coverage) {
        w = coverage[i] as number;
        if (isMissing(w, coverageNodata) || !(w > 0)) continue;
      }
      this.sum[i] += w * v;
      this.weight[i] += w;
    }
  }
  /** Weighted mean; NaN where no month was valid. */
  result(): Float32Array {
    const out = new Float32Array(this.size);
    for (let i = 0; i < this.size; i++) out[i] = this.weight[i]! > 0 ? this.sum[i]! / this.weight[i]! : NaN;
    return out;
  }
}

/** The q-quantile (0..1, type 7 like R/numpy default) of the positive values given as a histogram-free sample. */
export function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return NaN;
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h),
    hi = Math.ceil(h);
  return (sorted[lo] as number) + (h - lo) * ((sorted[hi] as number) - (sorted[lo] as number));
}
