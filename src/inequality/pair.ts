/**
 * Between-group sums of Dagum (1997) for two sorted groups in O(n_j + n_h) by merging:
 * Σ_i Σ_r w_i w_r max(a_i − b_r, 0) = Σ over gaps of the merged order of gap · (A-weight above) · (B-weight below),
 * because max(a − b, 0) is the length of [b, a) — each gap lies in it for exactly those pairs. Every term is ≥ 0.
 */
import type { SortedGroup } from './sorted-group.js';
import { CompensatedSum } from './sum.js';

export interface PairSums {
  /** Σ_i∈A Σ_r∈B w_i w_r max(a_i − b_r, 0) — d_AB times W_A W_B. */
  readonly aOverB: number;
  /** Σ_i∈A Σ_r∈B w_i w_r max(b_r − a_i, 0) — p_AB times W_A W_B. */
  readonly bOverA: number;
}

export function pairSums(a: SortedGroup, b: SortedGroup): PairSums {
  const ya = a.values;
  const yb = b.values;
  const wa = a.weights;
  const wb = b.weights;
  const d = new CompensatedSum();
  const p = new CompensatedSum();
  let i = 0;
  let r = 0;
  let aBelow = 0;
  let bBelow = 0;
  let prev = 0;
  let started = false;
  while (i < a.n || r < b.n) {
    const takeA = r >= b.n || (i < a.n && ya[i]! <= yb[r]!);
    const z = takeA ? ya[i]! : yb[r]!;
    if (started) {
      const gap = z - prev;
      if (gap !== 0) {
        const aAbove = a.above === null ? a.n - i : a.above[i]!;
        const bAbove = b.above === null ? b.n - r : b.above[r]!;
        if (aAbove !== 0 && bBelow !== 0) d.add(gap * aAbove * bBelow);
        if (bAbove !== 0 && aBelow !== 0) p.add(gap * bAbove * aBelow);
      }
    }
    if (takeA) {
      aBelow += wa === null ? 1 : wa[i]!;
      i++;
    } else {
      bBelow += wb === null ? 1 : wb[r]!;
      r++;
    }
    prev = z;
    started = true;
  }
  return { aOverB: d.value, bOverA: p.value };
}
