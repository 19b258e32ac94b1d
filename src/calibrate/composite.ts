/**
 * Step 2 — combining DMSP composites.
 * Intra-annual (two satellites, same year; after inter-calibration), Liu et al. 2012:
 *   'liu'  (Liu et al. 2012, default): 0 if either is 0, else the mean — a light only one sensor saw is noise;
 *   'mean' (Henderson, Storeygard & Weil 2012 and most non-Chinese work): the plain mean.
 *   A pixel missing (no-data) in one image takes the other's value; missing in both stays missing.
 * Inter-annual continuity (Liu et al. 2012, §3.2; opt-in — it forces non-decreasing series), for n = 2nd … last−1:
 *   DN(n) = 0 if DN(n+1) = 0;  DN(n) = prev if DN(n+1) > 0 and prev > DN(n);  else DN(n).
 *   The n+1 test uses the uncorrected next year. 'sequential': prev is the already-corrected DN(n−1) (Liu-style
 *   papers); 'original': prev is the uncorrected DN(n−1). First and last years are unchanged.
 */
import { NtlError } from '../errors.js';
import { isMissing, type CalWindow, type StepContext } from './types.js';

export type CompositeRule = 'liu' | 'mean';
export type ContinuityVariant = 'sequential' | 'original';

export function compositeValue(a: number, b: number, rule: CompositeRule): number {
  const ma = a !== a,
    mb = b !== b;
  if (ma && mb) return NaN;
  if (ma) return b;
  if (mb) return a;
  if (rule === 'liu' && (a === 0 || b === 0)) return 0;
  return (a + b) / 2;
}

/** The band is satellite a; `ctx.aux.composite` is satellite b on the same grid and rows (both already calibrated). */
export function compositeWindow(band: CalWindow, ctx: StepContext, rule: CompositeRule): Float32Array {
  const other = ctx.aux?.composite;
  if (!other)
    throw new NtlError('the composite step needs a second image of the same year (ntl calibrate composite --with OTHER.tif, or composite: in the pipeline)');
  if (other.rows !== band.rows || other.width !== band.width || other.row0 !== band.row0) {
    throw new NtlError(`internal: composite windows are not aligned (rows ${band.row0}+${band.rows} vs ${other.row0}+${other.rows})`);
  }
  const n = band.rows * band.width;
  const out = new Float32Array(n);
  const ndB = ctx.auxNodata?.composite ?? null;
  for (let i = 0; i < n; i++) {
    const a = band.data[i] as number,
      b = other.data[i] as number;
    out[i] = compositeValue(isMissing(a, ctx.nodata) ? NaN : a, isMissing(b, ndB) ? NaN : b, rule);
  }
  return out;
}

/** One pixel's series (years in increasing order) → the corrected series. NaN years are left alone and break no rule. */
export function continuitySeries(series: readonly number[], variant: ContinuityVariant): number[] {
  const out = series.slice();
  for (let n = 1; n < series.length - 1; n++) {
    const cur = series[n] as number,
      next = series[n + 1] as number;
    const prev = (variant === 'sequential' ? out[n - 1] : series[n - 1]) as number;
    if (cur !== cur || next !== next) continue;
    if (next === 0) out[n] = 0;
    else if (prev === prev && prev > cur) out[n] = prev;
  }
  return out;
}

/** The same rule over aligned windows of every year (index = year order); returns new windows. */
export function continuityWindows(years: readonly Float32Array[], variant: ContinuityVariant): Float32Array[] {
  const out = years.map((y) => Float32Array.from(y));
  continuityInPlace(out, variant);
  return out;
}

/**
 * The rule in place over aligned windows of every year; returns per year how many pixels were set to 0 and how many
 * raised to the previous year. Years are corrected in order, so `next` is still uncorrected when year t is; the
 * 'original' variant keeps a copy of year t − 1 before it is corrected.
 */
export function continuityInPlace(years: Float32Array[], variant: ContinuityVariant): { zeroed: number[]; raised: number[] } {
  const n = years[0]?.length ?? 0;
  for (const y of years) if (y.length !== n) throw new NtlError('internal: continuity windows differ in size');
  const zeroed = years.map(() => 0),
    raised = years.map(() => 0);
  let prevOriginal = variant === 'original' && years.length > 2 ? Float32Array.from(years[0]!) : null;
  for (let t = 1; t < years.length - 1; t++) {
    const cur = years[t] as Float32Array,
      next = years[t + 1] as Float32Array;
    const prevArr = prevOriginal ?? (years[t - 1] as Float32Array);
    const keep = prevOriginal && t + 1 < years.length - 1 ? Float32Array.from(cur) : null;
    let z = 0,
      r = 0;
    for (let i = 0; i < n; i++) {
      const c = cur[i] as number,
        nx = next[i] as number;
      if (c !== c || nx !== nx) continue;
      if (nx === 0) {
        if (c !== 0) z++;
        cur[i] = 0; // also −0 → 0, as the rule writes 0
      } else {
        const p = prevArr[i] as number;
        if (p > c) {
          cur[i] = p;
          r++;
        }
      }
    }
    zeroed[t] = z;
    raised[t] = r;
    if (prevOriginal) prevOriginal = keep;
  }
  return { zeroed, raised };
}
