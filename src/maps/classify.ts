/** Class breaks for choropleths: quantiles (default) or equal steps in log1p(value). */
import { NtlError } from '../errors.js';

export interface Classes {
  readonly method: 'quantile' | 'log-equal';
  readonly min: number;
  /** Inclusive upper bound of each class, ascending, last = max. Class i holds (upper[i−1], upper[i]]; class 0 starts at min. */
  readonly upper: readonly number[];
}

/**
 * Quantile classes over finite values: class i's upper bound is the value at rank ⌈(i+1)·n/k⌉; equal bounds
 * (ties) merge, so fewer than k classes come back when the data have few distinct values.
 */
export function quantileClasses(values: readonly number[], k: number): Classes {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  const upper: number[] = [];
  for (let i = 0; i < k; i++) {
    const u = sorted[Math.max(0, Math.ceil(((i + 1) * n) / k) - 1)];
    if (upper.length === 0 || u > upper[upper.length - 1]) upper.push(u);
  }
  return { method: 'quantile', min: sorted[0], upper };
}

/** k classes equally wide in log1p(value); values must be ≥ 0. */
export function logEqualClasses(values: readonly number[], k: number, what: string): Classes {
  let min = Infinity,
    max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (min < 0) throw new NtlError(`${what}: logScale needs non-negative values, but the smallest is ${min}; drop logScale or shift the values.`);
  if (max === min) return { method: 'log-equal', min, upper: [max] };
  const l0 = Math.log1p(min),
    l1 = Math.log1p(max);
  const upper: number[] = [];
  for (let i = 1; i < k; i++) upper.push(Math.expm1(l0 + (i * (l1 - l0)) / k));
  upper.push(max);
  return { method: 'log-equal', min, upper };
}

/** Index of the class holding v (binary search on the upper bounds). */
export function classOf(c: Classes, v: number): number {
  let lo = 0,
    hi = c.upper.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (v <= c.upper[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * Breaks shared by several maps (every period of one series): quantile (or log-equal) classes of the pooled
 * finite values of all of them, so one colour means one value range on every map and growth shows as colour.
 */
export function pooledClasses(
  valueSets: Iterable<Iterable<number | null | undefined>>,
  k: number,
  opts: { logScale?: boolean; what?: string } = {},
): Classes | null {
  const pooled: number[] = [];
  for (const set of valueSets) for (const v of set) if (typeof v === 'number' && Number.isFinite(v)) pooled.push(v);
  if (pooled.length === 0) return null;
  return opts.logScale ? logEqualClasses(pooled, k, opts.what ?? 'shared classes') : quantileClasses(pooled, k);
}
