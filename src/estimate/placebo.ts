/**
 * Randomization inference for the DID: re-estimate β with fake treatment assignments and compare |β| with the
 * draws. Each draw sets D̃_it = 1[t ≥ g̃_i] for the fake treated units, 0 otherwise, with the same y, controls,
 * fixed effects and weights. Modes (the exchangeable assignments the p-value refers to):
 *   units — the observed adoption labels (never / each first-treated period, incl. always-treated) permuted
 *           across units: the number of never-, always- and each-period-treated units is preserved (ritest's
 *           permutation of the treatment-timing variable across clusters);
 *   both  — as many random units as are treated, each given a first-treated period drawn from the observed
 *           cohort distribution (random units × random dates).
 * p = (1 + #{|β̃| ≥ |β|}) / (1 + draws that could be estimated), two-sided. Draw i uses the stream
 * Xoshiro128(seed, i), so results do not depend on the number of workers. The fake-date ("timing") test is not
 * a permutation test and lives in fake-date.ts.
 */
import { demeanInPlace, makeAbsorber, nonSingletonMask, recode, type Absorber } from './demean.js';
import { choleskyDropping, choleskySolve } from './linalg.js';
import { Xoshiro128 } from './prng.js';

export type PlaceboDrawMode = 'units' | 'both';

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
  readonly mode: PlaceboDrawMode;
}

/** Fake adoption period per unit for draw `index`. */
export function placeboCohorts(s: PlaceboSetup, seed: number, index: number): Float64Array {
  const rng = new Xoshiro128(seed, index);
  const U = s.cohortByUnit.length;
  if (s.mode === 'units') return Float64Array.from(rng.shuffle(Array.from(s.cohortByUnit)));
  const observed = Array.from(s.cohortByUnit).filter(Number.isFinite);
  const all = Array.from({ length: U }, (_, u) => u);
  // partial Fisher–Yates: the first k of a random permutation, each with a date from the observed cohorts
  const out = new Float64Array(U).fill(Number.NaN);
  for (let i = 0; i < observed.length; i++) {
    const j = i + rng.nextInt(U - i);
    [all[i], all[j]] = [all[j]!, all[i]!];
    out[all[i]!] = observed[rng.nextInt(observed.length)]!;
  }
  return out;
}

/**
 * What stays fixed across draws, computed once per process: the rows kept (singletons, zero weights out, as
 * feols), the absorber, and the demeaned y and controls with their cross products. A draw then demeans only
 * its placebo column — 3× less work than calling feols per draw; same β (tested against feols to 1e-12).
 */
interface PlaceboKernel {
  readonly rows: Int32Array;
  readonly absorber: Absorber;
  readonly w: Float64Array | null;
  readonly yt: Float64Array;
  readonly xt: readonly Float64Array[];
  /** (1+K)×(1+K) normal matrix with row/column 0 left for the placebo column. */
  readonly xtx: Float64Array;
  readonly xty: Float64Array;
}

const kernels = new WeakMap<PlaceboSetup, PlaceboKernel>();

function kernelFor(s: PlaceboSetup): PlaceboKernel {
  const cached = kernels.get(s);
  if (cached) return cached;
  const n0 = s.y.length;
  const keep = nonSingletonMask(s.fe, n0);
  const rows = Int32Array.from(Array.from({ length: n0 }, (_, i) => i).filter((i) => keep[i] && (!s.weights || s.weights[i]! > 0)));
  const sub = (v: Float64Array) => Float64Array.from(rows, (i) => v[i]!);
  const dims = (s.fe.length > 0 ? s.fe : [new Int32Array(n0)]).map((c) => recode(Int32Array.from(rows, (i) => c[i]!)));
  const w = s.weights ? sub(s.weights) : null;
  const absorber = makeAbsorber(
    dims.map((d) => d.codes),
    dims.map((d) => d.levels),
    w,
  );
  const yt = sub(s.y);
  demeanInPlace(yt, absorber);
  const xt = s.controls.map((c) => {
    const v = sub(c);
    demeanInPlace(v, absorber);
    return v;
  });
  const k = 1 + xt.length;
  const xtx = new Float64Array(k * k);
  const xty = new Float64Array(k);
  for (let a = 1; a < k; a++) {
    xty[a] = dot(xt[a - 1]!, yt, w);
    for (let b = 1; b < k; b++) xtx[a * k + b] = dot(xt[a - 1]!, xt[b - 1]!, w);
  }
  const kernel = { rows, absorber, w, yt, xt, xtx, xty };
  kernels.set(s, kernel);
  return kernel;
}

function dot(a: Float64Array, b: Float64Array, w: Float64Array | null): number {
  let s = 0;
  if (w) for (let i = 0; i < a.length; i++) s += w[i]! * a[i]! * b[i]!;
  else for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/** β of the placebo treatment for draw `index`; NaN when the placebo column is absorbed by the FEs/controls. */
export function placeboBeta(s: PlaceboSetup, seed: number, index: number): number {
  const g = placeboCohorts(s, seed, index);
  const kn = kernelFor(s);
  const d = Float64Array.from(kn.rows, (i) => {
    const c = g[s.unit[i]!]!;
    return Number.isFinite(c) && s.time[i]! >= c ? 1 : 0;
  });
  let raw = 0;
  for (let i = 0; i < d.length; i++) raw += d[i]!;
  if (raw === 0 || raw === d.length) return Number.NaN;
  demeanInPlace(d, kn.absorber);
  const k = 1 + kn.xt.length;
  const xtx = Float64Array.from(kn.xtx);
  const xty = Float64Array.from(kn.xty);
  xtx[0] = dot(d, d, kn.w);
  xty[0] = dot(d, kn.yt, kn.w);
  for (let a = 1; a < k; a++) xtx[a] = xtx[a * k] = dot(d, kn.xt[a - 1]!, kn.w);
  // placebo column last in the elimination order, so a collinear placebo (not a control) is what drops
  const order = [...Array.from({ length: k - 1 }, (_, a) => a + 1), 0];
  const perm = new Float64Array(k * k);
  for (let a = 0; a < k; a++)
    for (let b = 0; b < k; b++)
      perm[a * k + b] = xtx[order[a]! * k + order[b]!]! / Math.sqrt(xtx[order[a]! * k + order[a]!]! * xtx[order[b]! * k + order[b]!]!);
  const ch = choleskyDropping(perm, k, 1e-10);
  if (ch.dropped.includes(k - 1) || xtx[0]! <= 1e-10 * raw) return Number.NaN;
  const m = ch.kept.length;
  const rhs = Float64Array.from(ch.kept, (a) => xty[order[a]!]! / Math.sqrt(xtx[order[a]! * k + order[a]!]!));
  const b = choleskySolve(ch.l, m, rhs);
  return b[m - 1]! / Math.sqrt(xtx[0]!);
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
  /** Draws with |β̃| ≥ |β| (ties within 1e-12 relative count). */
  readonly atLeastAsLarge: number;
  /** (1 + atLeastAsLarge) / (1 + successful draws): the randomization-inference p-value, two-sided. */
  readonly pValue: number;
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
    atLeastAsLarge: ge,
    pValue: (1 + ge) / (1 + n),
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
