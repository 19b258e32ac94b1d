/**
 * Reference levels for the county gap (methods.md §2): median, mean, and quantiles with R's default definition
 * (Hyndman & Fan type 7): h = (n − 1) p, q = (1 − f) x_(⌊h⌋) + f x_(⌊h⌋+1), f = h − ⌊h⌋, 0-based sorted x —
 * written in R's own arithmetic form so results agree bit for bit. The median is the usual one (the middle
 * value; for even n the average of the two middle values), which is type 7 at p = 0.5.
 */
import { sumOf } from './sum.js';

/** Quantile (type 7) of ascending-sorted values; NaN-free input with at least one value. */
export function quantileSorted(sorted: Float64Array, p: number): number {
  const n = sorted.length;
  const index = (n - 1) * p;
  const lo = Math.floor(index);
  const hi = Math.ceil(index);
  const qs = sorted[lo]!;
  const f = index - lo;
  if (f > 0 && sorted[hi]! !== qs) return (1 - f) * qs + f * sorted[hi]!;
  return qs;
}

/** Median of ascending-sorted values: the middle one, or (a + b)/2 of the two middle ones (as R's median). */
export function medianSorted(sorted: Float64Array): number {
  const n = sorted.length;
  const half = n >> 1;
  return n % 2 === 1 ? sorted[half]! : (sorted[half - 1]! + sorted[half]!) / 2;
}

export function meanOf(values: Float64Array): number {
  return sumOf(values) / values.length;
}
