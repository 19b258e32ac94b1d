/**
 * A group of units with its values sorted ascending (weights permuted alongside): the one preparation every
 * O(n log n) inequality formula here needs. Plain typed arrays, no per-unit objects, so 10⁸ pixels fit.
 */
import { sumOf, weightedSumOf } from './sum.js';

export interface SortedGroup {
  readonly id: string;
  /** Ascending. */
  readonly values: Float64Array;
  /** Population weights in the same order as `values`; null = every unit weighs 1. */
  readonly weights: Float64Array | null;
  /** Number of units. */
  readonly n: number;
  /**
   * Weighted only: above[k] = Σ_{i≥k} w_i, summed from the top so the weight above a point keeps full relative
   * precision (W − below would carry an absolute error of ε·W into small tail weights).
   */
  readonly above: Float64Array | null;
  /** Total weight W = Σ w_i (= n unweighted). */
  readonly W: number;
  /** Weighted total Y = Σ w_i y_i. */
  readonly Y: number;
}

/** Mean μ = Y / W of a group. */
export function groupMean(g: SortedGroup): number {
  return g.Y / g.W;
}

/**
 * Sorts (a copy of) `values` and `weights` by value. Unweighted: the typed-array numeric sort (C++ in V8).
 * Weighted: an index sort, then both arrays are permuted.
 */
export function sortGroup(id: string, values: Float64Array, weights: Float64Array | null = null): SortedGroup {
  const n = values.length;
  if (weights === null) {
    const sorted = Float64Array.from(values).sort();
    return { id, values: sorted, weights: null, above: null, n, W: n, Y: sumOf(sorted) };
  }
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  // Ties broken by index so the permutation (and so every float sum) is deterministic.
  order.sort((a, b) => values[a]! - values[b]! || a - b);
  const v = new Float64Array(n);
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    v[i] = values[order[i]!]!;
    w[i] = weights[order[i]!]!;
  }
  const above = new Float64Array(n + 1);
  for (let i = n - 1; i >= 0; i--) above[i] = above[i + 1]! + w[i]!;
  return { id, values: v, weights: w, above, n, W: sumOf(w), Y: weightedSumOf(v, w) };
}
