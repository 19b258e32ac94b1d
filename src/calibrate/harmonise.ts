/**
 * Step 6 — DMSP ↔ VIIRS harmonisation (Li et al. 2020; Chen et al. 2021): fit DMSP DN = f(VIIRS radiance) on overlap years,
 * at pixel level (VIIRS aggregated to the DMSP grid, see aggregate.ts) or district level (pairs of zonal
 * values), and store the fit with the output. Models (x = VIIRS radiance > 0):
 *   loglinear  y = a + b·ln x                     (task_hii_power: a 24.62, b 10.53)
 *   power      y = a·x^b                          (Chinese county papers)
 *   sigmoid    y = a + b / (1 + exp(−c·(ln x − d)))  (Li et al. 2020 form; their parameters were not at hand)
 * Nonlinear least squares by Levenberg–Marquardt (Marquardt's diagonal scaling, analytic Jacobians), checked
 * against scipy.optimize.curve_fit (test/goldens/calibrate-harmonise.json). Pairs with x ≤ 0 or a missing value
 * are dropped and counted.
 */
import { z } from 'zod';
import { NtlError } from '../errors.js';

import { HARMONISE_MODELS } from './harmonise-models.js';

export { HARMONISE_MODELS } from './harmonise-models.js';
export type HarmoniseModel = (typeof HARMONISE_MODELS)[number];
export const PARAM_NAMES: Record<HarmoniseModel, readonly string[]> = { loglinear: ['a', 'b'], power: ['a', 'b'], sigmoid: ['a', 'b', 'c', 'd'] };
export const FORMULAS: Record<HarmoniseModel, string> = {
  loglinear: 'DN = a + b*ln(x)',
  power: 'DN = a * x^b',
  sigmoid: 'DN = a + b / (1 + exp(-c*(ln(x) - d)))',
};

/**
 * Options of a harmonisation fit, validated the same way for `ntl calibrate harmonise` and the pipeline's
 * `harmonise:` block (spec.ts uses these fields).
 */
export const HARMONISE_FIT_FIELDS = {
  /** loglinear y = a + b·ln x; power y = a·x^b; sigmoid y = a + b/(1 + exp(−c(ln x − d))). */
  model: z.enum(HARMONISE_MODELS, { error: `must be one of ${HARMONISE_MODELS.join(', ')}` }),
  /** Pixel level: Gaussian smoothing of the aggregated VIIRS values, in DMSP pixels (0 = none). */
  sigma: z.number().min(0, 'must be ≥ 0').default(0),
  /** Pixel level: fit only pixels whose DMSP value is ≥ this (Li et al. 2020 advise DN > 7). */
  min_dn: z.number().default(0),
};

export interface HarmoniseFit {
  readonly model: HarmoniseModel;
  readonly formula: string;
  readonly params: Readonly<Record<string, number>>;
  readonly r2: number;
  readonly rmse: number;
  readonly n: number;
  readonly dropped: number;
  readonly iterations: number;
  readonly converged: boolean;
}

/** f(x; θ) and ∂f/∂θ (written into `grad`). */
function evalModel(model: HarmoniseModel, th: readonly number[], x: number, grad: Float64Array): number {
  const lx = Math.log(x);
  switch (model) {
    case 'loglinear':
      grad[0] = 1;
      grad[1] = lx;
      return th[0]! + th[1]! * lx;
    case 'power': {
      const p = Math.exp(th[1]! * lx);
      grad[0] = p;
      grad[1] = th[0]! * p * lx;
      return th[0]! * p;
    }
    case 'sigmoid': {
      const [a, b, c, d] = th as [number, number, number, number];
      const e = Math.exp(-c * (lx - d));
      const s = 1 / (1 + e);
      const ds = s * s * e; // ∂s/∂(c·(lx−d))
      grad[0] = 1;
      grad[1] = s;
      grad[2] = b * ds * (lx - d);
      grad[3] = -b * ds * c;
      return a + b * s;
    }
  }
}

export function predict(model: HarmoniseModel, params: Readonly<Record<string, number>>, x: number): number {
  return evalModel(
    model,
    PARAM_NAMES[model].map((k) => params[k] as number),
    x,
    new Float64Array(4),
  );
}

/** Solve A·z = g (A symmetric positive definite k×k) by Gaussian elimination with partial pivoting; null if singular. */
function solve(A: Float64Array, g: Float64Array, k: number): Float64Array | null {
  const M = Float64Array.from(A),
    z = Float64Array.from(g);
  for (let col = 0; col < k; col++) {
    let piv = col;
    for (let r = col + 1; r < k; r++) if (Math.abs(M[r * k + col]!) > Math.abs(M[piv * k + col]!)) piv = r;
    if (!(Math.abs(M[piv * k + col]!) > 0)) return null;
    if (piv !== col) {
      for (let c = 0; c < k; c++) {
        const t = M[col * k + c]!;
        M[col * k + c] = M[piv * k + c]!;
        M[piv * k + c] = t;
      }
      const t = z[col]!;
      z[col] = z[piv]!;
      z[piv] = t;
    }
    for (let r = col + 1; r < k; r++) {
      const f = M[r * k + col]! / M[col * k + col]!;
      for (let c = col; c < k; c++) M[r * k + c] = M[r * k + c]! - f * M[col * k + c]!;
      z[r] = z[r]! - f * z[col]!;
    }
  }
  for (let r = k - 1; r >= 0; r--) {
    let s = z[r]!;
    for (let c = r + 1; c < k; c++) s -= M[r * k + c]! * z[c]!;
    z[r] = s / M[r * k + r]!;
  }
  return z;
}

function sse(model: HarmoniseModel, th: readonly number[], x: Float64Array, y: Float64Array): number {
  const g = new Float64Array(4);
  let s = 0;
  for (let i = 0; i < x.length; i++) {
    const r = y[i]! - evalModel(model, th, x[i]!, g);
    s += r * r;
  }
  return s;
}

/** Starting values: closed-form OLS for loglinear / power (log–log), and the data's range for the sigmoid. */
function start(model: HarmoniseModel, x: Float64Array, y: Float64Array): number[] {
  const ols = (u: ArrayLike<number>, v: ArrayLike<number>) => {
    let n = 0,
      su = 0,
      sv = 0,
      suu = 0,
      suv = 0;
    for (let i = 0; i < u.length; i++) {
      const a = u[i]!,
        b = v[i]!;
      if (!Number.isFinite(a) || !Number.isFinite(b)) continue;
      n++;
      su += a;
      sv += b;
      suu += a * a;
      suv += a * b;
    }
    const b = (suv - (su * sv) / n) / (suu - (su * su) / n);
    return [(sv - b * su) / n, b] as const;
  };
  const lx = x.map(Math.log);
  if (model === 'loglinear') return [...ols(lx, y)];
  if (model === 'power') {
    const [la, b] = ols(
      lx,
      y.map((v) => (v > 0 ? Math.log(v) : NaN)),
    );
    return [Math.exp(la), b];
  }
  let ymin = Infinity,
    ymax = -Infinity;
  for (const v of y) {
    if (v < ymin) ymin = v;
    if (v > ymax) ymax = v;
  }
  const sorted = Float64Array.from(lx).sort();
  return [ymin, Math.max(ymax - ymin, 1e-9), 1, sorted[sorted.length >> 1]!];
}

export interface LmOptions {
  readonly maxIter?: number;
  readonly tol?: number;
  readonly start?: readonly number[];
}

/** Levenberg–Marquardt on (x, y); x must be > 0. */
export function fitHarmonisation(model: HarmoniseModel, xs: ArrayLike<number>, ys: ArrayLike<number>, opts: LmOptions = {}): HarmoniseFit {
  if (!HARMONISE_MODELS.includes(model)) throw new NtlError(`unknown harmonisation model "${String(model)}"; choose ${HARMONISE_MODELS.join(', ')}`);
  const keepX: number[] = [],
    keepY: number[] = [];
  let dropped = 0;
  for (let i = 0; i < xs.length; i++) {
    const a = xs[i] as number,
      b = ys[i] as number;
    if (a > 0 && Number.isFinite(a) && Number.isFinite(b)) {
      keepX.push(a);
      keepY.push(b);
    } else dropped++;
  }
  const k = PARAM_NAMES[model].length;
  if (keepX.length <= k)
    throw new NtlError(
      `harmonisation (${model}): only ${keepX.length} usable pairs (VIIRS > 0 and both present; ${dropped} dropped); need more than ${k} — use a larger overlap area or district-level pairs`,
    );
  const x = Float64Array.from(keepX),
    y = Float64Array.from(keepY);
  let th = opts.start ? [...opts.start] : start(model, x, y);
  let cur = sse(model, th, x, y);
  let lambda = 1e-3,
    iter = 0,
    converged = false;
  const maxIter = opts.maxIter ?? 500,
    tol = opts.tol ?? 1e-14;
  const g = new Float64Array(4);
  while (iter < maxIter) {
    iter++;
    const JtJ = new Float64Array(k * k),
      Jtr = new Float64Array(k);
    for (let i = 0; i < x.length; i++) {
      const r = y[i]! - evalModel(model, th, x[i]!, g);
      for (let p = 0; p < k; p++) {
        Jtr[p] = Jtr[p]! + g[p]! * r;
        for (let q = 0; q <= p; q++) JtJ[p * k + q] = JtJ[p * k + q]! + g[p]! * g[q]!;
      }
    }
    for (let p = 0; p < k; p++) for (let q = 0; q < p; q++) JtJ[q * k + p] = JtJ[p * k + q]!;
    let accepted = false;
    while (lambda < 1e16) {
      const A = Float64Array.from(JtJ);
      for (let p = 0; p < k; p++) A[p * k + p] = JtJ[p * k + p]! * (1 + lambda) + 1e-300;
      const step = solve(A, Jtr, k);
      if (step) {
        const next = th.map((t, p) => t + step[p]!);
        const s = sse(model, next, x, y);
        if (Number.isFinite(s) && s <= cur) {
          const rel = (cur - s) / Math.max(cur, 1e-300);
          const small = step.every((d, p) => Math.abs(d) <= 1e-12 * (Math.abs(th[p]!) + 1e-12));
          th = next;
          cur = s;
          lambda = Math.max(lambda / 10, 1e-12);
          accepted = true;
          if (rel < tol || small) converged = true;
          break;
        }
      }
      lambda *= 10;
    }
    if (!accepted) {
      converged = true;
      break;
    } // no step lowers the SSE: at a minimum (to rounding)
    if (converged) break;
  }
  let mean = 0;
  for (const v of y) mean += v;
  mean /= y.length;
  let sst = 0;
  for (const v of y) sst += (v - mean) ** 2;
  const params: Record<string, number> = {};
  PARAM_NAMES[model].forEach((name, p) => {
    params[name] = th[p]!;
  });
  return {
    model,
    formula: FORMULAS[model],
    params,
    r2: sst > 0 ? 1 - cur / sst : NaN,
    rmse: Math.sqrt(cur / y.length),
    n: y.length,
    dropped,
    iterations: iter,
    converged,
  };
}
