/**
 * Goodman-Bacon (2021) decomposition: the TWFE DID coefficient of a balanced panel with an absorbing binary
 * treatment is a weighted average of every 2×2 DID between timing groups (Theorem 1). Group means only —
 * no regression — so the decomposition is exact and independent of the regression core.
 */
import { NtlError } from '../errors.js';

export type BaconType = 'treated_vs_never' | 'earlier_vs_later' | 'later_vs_earlier' | 'later_vs_always';
export const BACON_TYPES: readonly BaconType[] = ['treated_vs_never', 'earlier_vs_later', 'later_vs_earlier', 'later_vs_always'];

export interface BaconInput {
  readonly units: readonly string[];
  readonly times: readonly number[];
  /** Outcome, unit-major: y[u * times.length + t]. */
  readonly y: Float64Array;
  /** Treatment 0/1, same layout; absorbing (once 1, stays 1). */
  readonly d: Float64Array;
}

export interface BaconComparison {
  readonly type: BaconType;
  /** First treated period of the group whose switch identifies the 2×2. */
  readonly treated: number;
  /** First treated period of the comparison group; null = never treated (always treated = first period). */
  readonly control: number | null;
  readonly estimate: number;
  readonly weight: number;
  readonly treatedUnits: number;
  readonly controlUnits: number;
}

export interface BaconTypeSummary {
  readonly type: BaconType;
  readonly comparisons: number;
  readonly weight: number;
  /** Weighted average of the type's 2×2 estimates (null when the type is absent). */
  readonly estimate: number | null;
}

export interface BaconResult {
  /** The TWFE coefficient from the two-way within transformation (exact in a balanced panel). */
  readonly twfe: number;
  /** Σ weight × estimate over all comparisons; equals `twfe` up to rounding. */
  readonly weightedSum: number;
  readonly weightSum: number;
  readonly comparisons: readonly BaconComparison[];
  readonly byType: readonly BaconTypeSummary[];
  readonly nUnits: number;
  readonly nTimes: number;
  /** Units per timing group (first treated period; null = never). */
  readonly groups: readonly { readonly firstTreated: number | null; readonly units: number }[];
}

export function baconDecomposition(input: BaconInput): BaconResult {
  const { units, times, y, d } = input;
  const N = units.length;
  const T = times.length;
  if (y.length !== N * T || d.length !== N * T) throw new NtlError(`bacon: y and d need ${N} units × ${T} periods = ${N * T} values`);
  if (T < 2) throw new NtlError('bacon: the panel has one period; a DID needs at least two');

  // Timing index per unit: first period with D = 1 (T = never treated, 0 = treated throughout).
  const timing = new Int32Array(N);
  for (let u = 0; u < N; u++) {
    let first = T;
    for (let t = 0; t < T; t++) {
      const v = d[u * T + t]!;
      if (v !== 0 && v !== 1) throw new NtlError(`bacon: treatment of unit "${units[u]}" at ${times[t]} is ${v}; it must be 0 or 1`);
      if (v === 1 && first === T) first = t;
      if (v === 0 && first < T) {
        throw new NtlError(
          `bacon: treatment of unit "${units[u]}" switches off (1 at ${times[first]}, 0 at ${times[t]}); the decomposition needs an absorbing treatment (once treated, always treated)`,
        );
      }
    }
    timing[u] = first;
  }

  // Group sizes and group × time means of y.
  const size = new Float64Array(T + 1);
  const sums = new Float64Array((T + 1) * T);
  for (let u = 0; u < N; u++) {
    const g = timing[u]!;
    size[g]!++;
    for (let t = 0; t < T; t++) sums[g * T + t]! += y[u * T + t]!;
  }
  const present = [...size.keys()].filter((g) => size[g]! > 0);
  if (!present.some((g) => g > 0 && g < T)) {
    throw new NtlError('bacon: no unit changes treatment status inside the panel, so there is no DID to decompose (TWFE β is not identified)');
  }
  if (present.length < 2)
    throw new NtlError('bacon: all units share one treatment timing; there is no comparison group (add never-treated or differently timed units)');
  const mean = (g: number, from: number, to: number): number => {
    let s = 0;
    for (let t = from; t < to; t++) s += sums[g * T + t]!;
    return s / (size[g]! * (to - from));
  };

  const { twfe, varD } = twfeWithin(y, d, N, T);

  const comparisons: BaconComparison[] = [];
  const label = (g: number): number | null => (g === T ? null : times[g]!);
  for (const k of present) {
    if (k === 0 || k === T) continue; // only switching groups can be "treated" in a 2×2
    for (const l of present) {
      if (l === k) continue;
      const nk = size[k]! / N;
      const nl = size[l]! / N;
      const nkl = nk / (nk + nl);
      const Dk = (T - k) / T;
      const Dl = (T - l) / T;
      let type: BaconType;
      let estimate: number;
      let s: number;
      if (l === T || l === 0) {
        // Against a group whose treatment never changes: the whole panel, post = t ≥ k.
        type = l === T ? 'treated_vs_never' : 'later_vs_always';
        estimate = mean(k, k, T) - mean(k, 0, k) - (mean(l, k, T) - mean(l, 0, k));
        s = (nk + nl) ** 2 * nkl * (1 - nkl) * Dk * (1 - Dk);
      } else if (k < l) {
        // Earlier k vs later l, before l is treated: periods [0, l), post = [k, l).
        type = 'earlier_vs_later';
        estimate = mean(k, k, l) - mean(k, 0, k) - (mean(l, k, l) - mean(l, 0, k));
        s = ((nk + nl) * (1 - Dl)) ** 2 * nkl * (1 - nkl) * ((Dk - Dl) / (1 - Dl)) * ((1 - Dk) / (1 - Dl));
      } else {
        // Later k vs earlier l, after l is treated: periods [l, T), post = [k, T).
        type = 'later_vs_earlier';
        const nlk = nl / (nl + nk);
        estimate = mean(k, k, T) - mean(k, l, k) - (mean(l, k, T) - mean(l, l, k));
        s = ((nl + nk) * Dl) ** 2 * nlk * (1 - nlk) * (Dk / Dl) * ((Dl - Dk) / Dl);
      }
      comparisons.push({ type, treated: times[k]!, control: label(l), estimate, weight: s / varD, treatedUnits: size[k]!, controlUnits: size[l]! });
    }
  }

  let weightSum = 0;
  let weightedSum = 0;
  for (const c of comparisons) {
    weightSum += c.weight;
    weightedSum += c.weight * c.estimate;
  }
  const byType = BACON_TYPES.map((type): BaconTypeSummary => {
    const of = comparisons.filter((c) => c.type === type);
    const w = of.reduce((a, c) => a + c.weight, 0);
    const we = of.reduce((a, c) => a + c.weight * c.estimate, 0);
    return { type, comparisons: of.length, weight: w, estimate: of.length === 0 ? null : we / w };
  });
  const groups = present.map((g) => ({ firstTreated: label(g), units: size[g]! }));
  return { twfe, weightedSum, weightSum, comparisons, byType, nUnits: N, nTimes: T, groups };
}

/**
 * TWFE β of y on d with unit and time effects, by the exact two-way within transformation of a balanced
 * panel (x − x̄_i − x̄_t + x̄), and V̂^D = mean of the squared demeaned d (the weights' denominator).
 */
export function twfeWithin(y: Float64Array, d: Float64Array, N: number, T: number): { twfe: number; varD: number } {
  const dd = demeanTwoWay(d, N, T);
  const yy = demeanTwoWay(y, N, T);
  let sdy = 0;
  let sdd = 0;
  for (let i = 0; i < dd.length; i++) {
    sdy += dd[i]! * yy[i]!;
    sdd += dd[i]! * dd[i]!;
  }
  return { twfe: sdy / sdd, varD: sdd / (N * T) };
}

function demeanTwoWay(x: Float64Array, N: number, T: number): Float64Array {
  const unitMean = new Float64Array(N);
  const timeMean = new Float64Array(T);
  let all = 0;
  for (let u = 0; u < N; u++) {
    for (let t = 0; t < T; t++) {
      const v = x[u * T + t]!;
      unitMean[u]! += v;
      timeMean[t]! += v;
      all += v;
    }
  }
  for (let u = 0; u < N; u++) unitMean[u]! /= T;
  for (let t = 0; t < T; t++) timeMean[t]! /= N;
  all /= N * T;
  const out = new Float64Array(N * T);
  for (let u = 0; u < N; u++) for (let t = 0; t < T; t++) out[u * T + t] = x[u * T + t]! - unitMean[u]! - timeMean[t]! + all;
  return out;
}
