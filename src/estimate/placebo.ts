/**
 * Placebo (randomization) inference for the DID: re-estimate β with fake treatments and compare |β_actual| with
 * the draw distribution. Modes (each draw: D_it = 1[t ≥ g̃_i] for the fake treated units, 0 otherwise):
 *   timing — the actually treated units, each with an adoption period drawn uniformly from the panel's
 *            periods after the first (a shift of timing);
 *   units  — as many units as are actually treated, drawn at random without replacement, given the actual
 *            adoption periods in random order;
 *   both   — random units (as in units) with uniformly drawn periods (as in timing).
 * Draw i uses the stream Xoshiro128(seed, i), so results do not depend on the number of workers.
 */
import { feols } from './feols.js';
import { Xoshiro128 } from './prng.js';
import type { RegressionData } from './types.js';

export type PlaceboMode = 'timing' | 'units' | 'both';
export const PLACEBO_MODES: readonly PlaceboMode[] = ['timing', 'units', 'both'];

/** Everything a draw needs, as transferable plain data (sent once to each worker). */
export interface PlaceboSetup {
  readonly y: Float64Array;
  readonly controls: readonly Float64Array[];
  readonly controlNames: readonly string[];
  readonly fe: readonly Int32Array[];
  readonly weights?: Float64Array;
  /** Unit code 0..U−1 per observation. */
  readonly unit: Int32Array;
  readonly time: Float64Array;
  /** Actual adoption period per unit (NaN = never treated). */
  readonly cohortByUnit: Float64Array;
  /** Distinct periods of the panel, ascending. */
  readonly periods: Float64Array;
  readonly mode: PlaceboMode;
}

/** Fake adoption period per unit for draw `index`. */
export function placeboCohorts(s: PlaceboSetup, seed: number, index: number): Float64Array {
  const rng = new Xoshiro128(seed, index);
  const U = s.cohortByUnit.length;
  const treated: number[] = [];
  const actual: number[] = [];
  for (let u = 0; u < U; u++) if (Number.isFinite(s.cohortByUnit[u]!)) (treated.push(u), actual.push(s.cohortByUnit[u]!));
  const out = new Float64Array(U).fill(Number.NaN);
  const randomPeriod = () => s.periods[1 + rng.nextInt(s.periods.length - 1)]!;
  if (s.mode === 'timing') {
    for (const u of treated) out[u] = randomPeriod();
    return out;
  }
  const all = Array.from({ length: U }, (_, u) => u);
  // partial Fisher–Yates: the first k of a random permutation
  for (let i = 0; i < treated.length; i++) {
    const j = i + rng.nextInt(U - i);
    [all[i], all[j]] = [all[j]!, all[i]!];
  }
  const chosen = all.slice(0, treated.length);
  if (s.mode === 'units') {
    const years = rng.shuffle([...actual]);
    chosen.forEach((u, i) => (out[u] = years[i]!));
  } else for (const u of chosen) out[u] = randomPeriod();
  return out;
}

export function placeboBeta(s: PlaceboSetup, seed: number, index: number): number {
  const g = placeboCohorts(s, seed, index);
  const d = Float64Array.from(s.time, (t, i) => {
    const c = g[s.unit[i]!]!;
    return Number.isFinite(c) && t >= c ? 1 : 0;
  });
  const data: RegressionData = { y: s.y, x: [d, ...s.controls], xNames: ['placebo', ...s.controlNames], fe: s.fe, feNames: [], weights: s.weights };
  const r = feols(data, { type: 'iid' });
  return r.names[0] === 'placebo' ? r.coef[0]! : Number.NaN;
}

export function placeboRange(s: PlaceboSetup, seed: number, from: number, to: number): Float64Array {
  const out = new Float64Array(to - from);
  for (let i = from; i < to; i++) out[i - from] = placeboBeta(s, seed, i);
  return out;
}

export interface PlaceboSummary {
  readonly draws: readonly number[];
  /** Draws where the placebo treatment was absorbed (e.g. all fake units adopt in the first period): NaN, left out. */
  readonly failed: number;
  readonly shareAbsGe: number;
  readonly mean: number;
  readonly sd: number;
  readonly quantiles: Readonly<Record<string, number>>;
}

export function summarizePlacebo(draws: Float64Array, actual: number): PlaceboSummary {
  const ok = Array.from(draws).filter(Number.isFinite);
  const n = ok.length;
  const mean = ok.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(ok.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, n - 1));
  const sorted = [...ok].sort((a, b) => a - b);
  const q = (p: number) => {
    const h = (n - 1) * p;
    const lo = Math.floor(h);
    return sorted[lo]! + (h - lo) * ((sorted[Math.min(n - 1, lo + 1)] ?? sorted[lo]!) - sorted[lo]!);
  };
  // ≥ with a relative tolerance so an exact tie (e.g. the actual assignment redrawn) counts
  const ge = ok.filter((b) => Math.abs(b) >= Math.abs(actual) * (1 - 1e-12)).length;
  return {
    draws: Array.from(draws, (v) => v),
    failed: draws.length - n,
    shareAbsGe: ge / n,
    mean,
    sd,
    quantiles: { '0.025': q(0.025), '0.05': q(0.05), '0.5': q(0.5), '0.95': q(0.95), '0.975': q(0.975) },
  };
}

/**
 * Adoption period per unit: from a cohort column (missing/0 = never) or, without one, the first period in
 * which the treatment is non-zero.
 */
export function cohortsByUnit(unit: Int32Array, units: number, time: Float64Array, cohort: Float64Array | null, treat: Float64Array | null): Float64Array {
  const out = new Float64Array(units).fill(Number.NaN);
  for (let i = 0; i < unit.length; i++) {
    const u = unit[i]!;
    if (cohort) {
      const g = cohort[i]!;
      if (Number.isFinite(g) && g !== 0) out[u] = g;
    } else if (treat && treat[i] !== 0 && !(out[u]! <= time[i]!)) out[u] = time[i]!;
  }
  return out;
}
