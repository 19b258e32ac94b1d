/**
 * Theil T (GE(1)), Theil L (GE(0), mean log deviation) and the coefficient of variation, population-weighted
 * when weights are given (μ = Σ w y / W):
 *   T = (1/W) Σ w_i (y_i/μ) ln(y_i/μ)     (a zero value contributes 0, the limit of x ln x)
 *   L = (1/W) Σ w_i ln(μ/y_i)             (undefined — null — when any value is 0)
 *   CV = σ/μ with the population standard deviation σ² = (1/W) Σ w_i (y_i − μ)²  (divisor W, not n − 1)
 * Decomposition by groups (exact, no residual):
 *   T = Σ_j s_j T_j + Σ_j s_j ln(μ_j/μ),  s_j = Y_j / Y (value shares)
 *   L = Σ_j p_j L_j + Σ_j p_j ln(μ/μ_j),  p_j = W_j / W (population shares)
 */
import { CompensatedSum } from './sum.js';

export interface GroupValues {
  readonly id: string;
  readonly values: Float64Array;
  readonly weights: Float64Array | null;
}

interface Moments {
  readonly W: number;
  readonly Y: number;
  readonly mean: number;
}

function moments(y: Float64Array, w: Float64Array | null): Moments {
  const sw = new CompensatedSum();
  const sy = new CompensatedSum();
  for (let i = 0; i < y.length; i++) {
    const wi = w === null ? 1 : w[i]!;
    sw.add(wi);
    sy.add(wi * y[i]!);
  }
  return { W: sw.value, Y: sy.value, mean: sy.value / sw.value };
}

/** Theil T; null when the mean is 0. */
export function theilT(y: Float64Array, w: Float64Array | null = null): number | null {
  const { W, mean } = moments(y, w);
  if (!(mean > 0)) return null;
  const acc = new CompensatedSum();
  for (let i = 0; i < y.length; i++) {
    const r = y[i]! / mean;
    if (r > 0) acc.add((w === null ? 1 : w[i]!) * r * Math.log(r));
  }
  return acc.value / W;
}

/** Theil L (mean log deviation); null when the mean or any value is 0. */
export function theilL(y: Float64Array, w: Float64Array | null = null): number | null {
  const { W, mean } = moments(y, w);
  if (!(mean > 0)) return null;
  const acc = new CompensatedSum();
  for (let i = 0; i < y.length; i++) {
    if (!(y[i]! > 0)) return null;
    acc.add((w === null ? 1 : w[i]!) * Math.log(mean / y[i]!));
  }
  return acc.value / W;
}

/** Coefficient of variation σ/μ (population σ); null when the mean is 0. */
export function coefficientOfVariation(y: Float64Array, w: Float64Array | null = null): number | null {
  const { W, mean } = moments(y, w);
  if (mean === 0) return null;
  const acc = new CompensatedSum();
  for (let i = 0; i < y.length; i++) {
    const d = y[i]! - mean;
    acc.add((w === null ? 1 : w[i]!) * d * d);
  }
  return Math.sqrt(acc.value / W) / mean;
}

export interface TheilDecomposition {
  readonly T: number | null;
  readonly T_within: number | null;
  readonly T_between: number | null;
  readonly L: number | null;
  readonly L_within: number | null;
  readonly L_between: number | null;
}

/** Within/between decomposition of T and L over the given groups (nulls as for theilT / theilL). */
export function theilDecomposition(groups: readonly GroupValues[]): TheilDecomposition {
  const m = groups.map((g) => ({ g, ...moments(g.values, g.weights) }));
  const W = sum(m.map((x) => x.W));
  const Y = sum(m.map((x) => x.Y));
  const mean = Y / W;
  const all = concat(groups);
  const T = theilT(all.values, all.weights);
  const L = theilL(all.values, all.weights);
  let T_within: number | null = null;
  let T_between: number | null = null;
  if (T !== null) {
    const tw = new CompensatedSum();
    const tb = new CompensatedSum();
    for (const x of m) {
      if (x.Y === 0) continue; // s_j = 0: the group adds nothing to either part
      const s = x.Y / Y;
      tw.add(s * theilT(x.g.values, x.g.weights)!);
      tb.add(s * Math.log(x.mean / mean));
    }
    T_within = tw.value;
    T_between = tb.value;
  }
  let L_within: number | null = null;
  let L_between: number | null = null;
  if (L !== null) {
    const lw = new CompensatedSum();
    const lb = new CompensatedSum();
    for (const x of m) {
      const p = x.W / W;
      lw.add(p * theilL(x.g.values, x.g.weights)!);
      lb.add(p * Math.log(mean / x.mean));
    }
    L_within = lw.value;
    L_between = lb.value;
  }
  return { T, T_within, T_between, L, L_within, L_between };
}

function sum(xs: readonly number[]): number {
  const acc = new CompensatedSum();
  for (const x of xs) acc.add(x);
  return acc.value;
}

function concat(groups: readonly GroupValues[]): { values: Float64Array; weights: Float64Array | null } {
  const n = groups.reduce((s, g) => s + g.values.length, 0);
  const values = new Float64Array(n);
  const weighted = groups.some((g) => g.weights !== null);
  const weights = weighted ? new Float64Array(n).fill(1) : null;
  let at = 0;
  for (const g of groups) {
    values.set(g.values, at);
    if (weights !== null && g.weights !== null) weights.set(g.weights, at);
    at += g.values.length;
  }
  return { values, weights };
}
