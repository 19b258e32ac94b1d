/**
 * Gini coefficient in O(n log n). For sorted y the double sum Σ_i Σ_r w_i w_r |y_i − y_r| equals
 * 2 Σ_k (y_(k+1) − y_(k)) · B_k · (W − B_k), B_k the weight of the k smallest units: each gap between neighbours
 * is crossed by every pair with one unit below and one above it. Unlike the textbook Σ (2i − n − 1) y_(i) form,
 * every term is ≥ 0, so nothing cancels and the result keeps full precision even when G is tiny.
 */
import { NtlError } from '../errors.js';
import { sortGroup, type SortedGroup } from './sorted-group.js';
import { CompensatedSum } from './sum.js';

/** ½ Σ_i Σ_r w_i w_r |y_i − y_r| over one sorted group (the sum over unordered pairs). */
export function halfAbsDiffSum(g: SortedGroup): number {
  const { values: y, weights: w, above, n } = g;
  const acc = new CompensatedSum();
  let below = 0;
  for (let k = 0; k < n - 1; k++) {
    below += w === null ? 1 : w[k]!;
    const gap = y[k + 1]! - y[k]!;
    if (gap !== 0) acc.add(gap * below * (above === null ? n - below : above[k + 1]!));
  }
  return acc.value;
}

/**
 * G = Σ_i Σ_r w_i w_r |y_i − y_r| / (2 W² μ) of a sorted group; null when the mean is 0 (all zeros: undefined).
 * A single unit gives 0.
 */
export function giniSorted(g: SortedGroup): number | null {
  if (g.Y === 0) return null;
  return halfAbsDiffSum(g) / (g.W * g.Y);
}

/**
 * Gini of nonnegative values, optionally population-weighted (unit i counts as w_i people). Throws NtlError for
 * an empty input, a negative or non-finite value or weight; returns null when every value is 0.
 */
export function gini(values: ArrayLike<number>, weights?: ArrayLike<number> | null): number | null {
  const y = Float64Array.from(values);
  const w = weights ? Float64Array.from(weights) : null;
  checkNonnegative(y, w, 'gini');
  return giniSorted(sortGroup('all', y, w));
}

/** Library-level validation (the CLI checks earlier, with file and line). */
export function checkNonnegative(y: Float64Array, w: Float64Array | null, what: string): void {
  if (y.length === 0) throw new NtlError(`${what}: no values; at least one unit is needed`);
  if (w !== null && w.length !== y.length) throw new NtlError(`${what}: ${y.length} values but ${w.length} weights; give one weight per value`);
  for (let i = 0; i < y.length; i++) {
    const v = y[i]!;
    if (!Number.isFinite(v)) throw new NtlError(`${what}: value ${i + 1} is ${v}; drop missing values before calling`);
    if (v < 0) throw new NtlError(`${what}: value ${i + 1} is negative (${v}); ${NEGATIVE_WHY}`);
    if (w !== null && !(Number.isFinite(w[i]!) && w[i]! > 0))
      throw new NtlError(`${what}: weight ${i + 1} is ${w[i]}; weights must be positive population counts`);
  }
}

export const NEGATIVE_WHY =
  'the Gini and Dagum measures are defined for nonnegative quantities (brightness, income): with negative values the mean can be 0 or negative, G can exceed 1 and the decomposition shares lose their meaning — set negative values (e.g. calibration noise below 0) to 0 or drop them, or use cv';
