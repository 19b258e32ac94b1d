/**
 * The regression core: OLS of y on x with any number of absorbed fixed effects, and iid / HC1 / one- or two-way
 * cluster-robust (CR1) variance. Every estimator in src/estimate builds on `feols`.
 *
 * Steps: drop zero-weight rows and FE singletons (iteratively, as reghdfe) → demean y and x by alternating
 * projections → drop regressors collinear with the FEs or with earlier regressors (in-order Cholesky) → solve
 * the normal equations (+ one refinement step) → sandwich variance with the small-sample factor of `vcov.ssc`.
 */
import { NtlError } from '../errors.js';
import { absorbedDof, DEMEAN_MAX_SWEEPS, demeanInPlace, isNested, makeAbsorber, nonSingletonMask, recode } from './demean.js';
import { choleskyDropping, choleskyInverse, choleskySolve, sandwich } from './linalg.js';
import { tTwoSided } from './tdist.js';
import type { RegressionData, RegressionResult, VcovSpec } from './types.js';

/** A regressor whose demeaned sum of squares is below this share of its centred one is absorbed by the FEs. */
const FE_COLLINEAR_TOL = 1e-10;
const COLLINEAR_TOL = 1e-10;

/**
 * A fitted model before its variance: everything the sandwich needs, so the variance can be recomputed for
 * another convention (iid / HC1 / CR1 by other clusters, nested or full K) without refitting (fixest's
 * `summary(fit, vcov = …)`).
 */
export interface FeolsFit {
  readonly names: readonly string[];
  readonly coef: readonly number[];
  /** Demeaned kept regressors over the kept rows. */
  readonly X: readonly Float64Array[];
  readonly residuals: Float64Array;
  readonly weights: Float64Array | null;
  /** (X̃′WX̃)⁻¹, row-major m×m. */
  readonly bread: Float64Array;
  readonly n: number;
  /** Indices (into the input arrays) of the rows used. */
  readonly keptRows: Int32Array;
  /** Fixed-effect codes over the kept rows and their level counts (dimension 0 is a constant without FEs). */
  readonly fe: readonly Int32Array[];
  readonly levels: readonly number[];
  readonly hasFe: boolean;
  readonly ssr: number;
  readonly tss: number;
  readonly withinTss: number;
  readonly dropped: readonly string[];
  readonly singletons: number;
  readonly notes: readonly string[];
  readonly demeanSweeps: number;
}

export function feols(data: RegressionData, vcov: VcovSpec): RegressionResult {
  if (vcov.type === 'CR1' && (vcov.clusters ?? []).length === 0) throw new NtlError('feols: CR1 variance needs a cluster variable');
  if ((vcov.clusters ?? []).length > 2) throw new NtlError('feols: at most two cluster dimensions are supported');
  return feolsVcov(feolsFit(data), vcov);
}

/** Steps 1–5: rows, demeaning, collinearity, coefficients and the bread. */
export function feolsFit(data: RegressionData): FeolsFit {
  const n0 = data.y.length;
  for (const [j, col] of data.x.entries()) {
    if (col.length !== n0) throw new NtlError(`feols: regressor "${data.xNames[j]}" has ${col.length} values, y has ${n0}`);
  }
  if (data.xNames.length !== data.x.length) throw new NtlError('feols: xNames and x differ in length');
  const notes: string[] = [];

  // 1. rows used: positive weight, not a singleton.
  const keep = nonSingletonMask(data.fe, n0);
  const w0 = data.weights;
  let zeroWeights = 0;
  if (w0) {
    for (let i = 0; i < n0; i++) {
      const w = w0[i]!;
      if (!(w >= 0) || !Number.isFinite(w)) throw new NtlError(`feols: weight ${w} at observation ${i + 1}; weights must be finite and ≥ 0`);
      if (w === 0 && keep[i]) zeroWeights++;
    }
  }
  let singletons = 0;
  for (let i = 0; i < n0; i++) if (!keep[i]) singletons++;
  const rows: number[] = [];
  for (let i = 0; i < n0; i++) if (keep[i] && (!w0 || w0[i]! > 0)) rows.push(i);
  const keptRows = Int32Array.from(rows);
  const n = keptRows.length;
  if (singletons > 0) notes.push(`${singletons} singleton observation(s) dropped (alone in a fixed-effect level)`);
  if (zeroWeights > 0) notes.push(`${zeroWeights} observation(s) with weight 0 left out`);

  const pick = (v: Float64Array): Float64Array => {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = v[keptRows[i]!]!;
    return out;
  };
  const pickCodes = (c: Int32Array) => {
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = c[keptRows[i]!]!;
    return recode(out);
  };
  const y = pick(data.y);
  const xs = data.x.map(pick);
  const weights = w0 ? pick(w0) : null;
  const feDims = data.fe.length > 0 ? data.fe.map(pickCodes) : [{ codes: new Int32Array(n), levels: n > 0 ? 1 : 0 }];
  const fe = feDims.map((d) => d.codes);
  const levels = feDims.map((d) => d.levels);

  // 2. centred sums of squares (reference scale for FE-collinearity and R²) before demeaning.
  const sumW = weights ? weights.reduce((a, b) => a + b, 0) : n;
  const centredSS = (v: Float64Array): number => {
    let m = 0;
    for (let i = 0; i < n; i++) m += (weights ? weights[i]! : 1) * v[i]!;
    m /= sumW;
    let s = 0;
    for (let i = 0; i < n; i++) s += (weights ? weights[i]! : 1) * (v[i]! - m) ** 2;
    return s;
  };
  const tss = centredSS(y);
  const xCentredSS = xs.map(centredSS);

  // 3. demean.
  const absorber = makeAbsorber(fe, levels, weights);
  let maxSweeps = 0;
  for (const v of [y, ...xs]) {
    const s = demeanInPlace(v, absorber);
    if (s < 0)
      throw new NtlError(`feols: demeaning did not converge in ${DEMEAN_MAX_SWEEPS} sweeps; the fixed effects may be nearly collinear — drop one dimension`);
    maxSweeps = Math.max(maxSweeps, s);
  }

  // 4. normal equations and collinearity.
  const K = xs.length;
  const xtx = new Float64Array(K * K);
  const xty = new Float64Array(K);
  crossProducts(xs, y, weights, xtx, xty);
  const candidates: number[] = [];
  const dropped: string[] = [];
  for (let j = 0; j < K; j++) {
    if (xtx[j * K + j]! <= FE_COLLINEAR_TOL * xCentredSS[j]! || xCentredSS[j] === 0) {
      dropped.push(data.xNames[j]!);
      notes.push(`"${data.xNames[j]}" dropped: collinear with the fixed effects`);
    } else candidates.push(j);
  }
  const m0 = candidates.length;
  const sub = new Float64Array(m0 * m0);
  const scale = candidates.map((j) => Math.sqrt(xtx[j * K + j]!));
  for (let a = 0; a < m0; a++) for (let b = 0; b < m0; b++) sub[a * m0 + b] = xtx[candidates[a]! * K + candidates[b]!]! / (scale[a]! * scale[b]!);
  const chol = choleskyDropping(sub, m0, COLLINEAR_TOL);
  for (const d of chol.dropped) {
    const name = data.xNames[candidates[d]!]!;
    dropped.push(name);
    notes.push(`"${name}" dropped: collinear with other regressors`);
  }
  const keptIdx = chol.kept.map((a) => candidates[a]!);
  const keptScale = chol.kept.map((a) => scale[a]!);
  const m = keptIdx.length;
  const X = keptIdx.map((j) => xs[j]!);
  const names = keptIdx.map((j) => data.xNames[j]!);

  // 5. solve in the scaled basis, then one refinement step on the residuals.
  const rhs = new Float64Array(m);
  for (let a = 0; a < m; a++) rhs[a] = xty[keptIdx[a]!]! / keptScale[a]!;
  const bs = choleskySolve(chol.l, m, rhs);
  const beta = new Float64Array(m);
  for (let a = 0; a < m; a++) beta[a] = bs[a]! / keptScale[a]!;
  const u = residuals(y, X, beta);
  const corr = new Float64Array(m);
  for (let a = 0; a < m; a++) {
    const xa = X[a]!;
    let s = 0;
    for (let i = 0; i < n; i++) s += (weights ? weights[i]! : 1) * xa[i]! * u[i]!;
    corr[a] = s / keptScale[a]!;
  }
  const db = choleskySolve(chol.l, m, corr);
  for (let a = 0; a < m; a++) beta[a]! += db[a]! / keptScale[a]!;
  const uFinal = residuals(y, X, beta);

  // bread = (X̃′WX̃)⁻¹ in original units.
  const invScaled = choleskyInverse(chol.l, m);
  const bread = new Float64Array(m * m);
  for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) bread[a * m + b] = invScaled[a * m + b]! / (keptScale[a]! * keptScale[b]!);

  let ssr = 0;
  let withinTss = 0;
  for (let i = 0; i < n; i++) {
    const w = weights ? weights[i]! : 1;
    ssr += w * uFinal[i]! * uFinal[i]!;
    withinTss += w * y[i]! * y[i]!;
  }

  return {
    names,
    coef: Array.from(beta),
    X,
    residuals: uFinal,
    weights,
    bread,
    n,
    keptRows,
    fe,
    levels,
    hasFe: data.fe.length > 0,
    ssr,
    tss,
    withinTss,
    dropped,
    singletons,
    notes,
    demeanSweeps: maxSweeps,
  };
}

/** Step 6: K and the variance of a fit; `vcov.clusters` are over the input rows (picked to the kept ones here). */
export function feolsVcov(fit: FeolsFit, vcov: VcovSpec): RegressionResult {
  const { n, X, bread, weights, fe, levels, ssr } = fit;
  const uFinal = fit.residuals;
  const m = X.length;
  const notes = [...fit.notes];
  const clusters = (vcov.clusters ?? []).map((c) => recode(Int32Array.from(fit.keptRows, (i) => c[i]!)));
  const kFull = m + absorbedDof(fit.hasFe ? fe : [], levels);
  let k = kFull;
  if (vcov.type === 'CR1' && (vcov.ssc ?? 'nested') === 'nested' && fit.hasFe) {
    const nested = fe.map((codes, d) => clusters.some((c) => isNested(codes, levels[d]!, c.codes)));
    if (nested.some(Boolean)) {
      const rest = fe.filter((_, d) => !nested[d]);
      const restLevels = levels.filter((_, d) => !nested[d]);
      k = m + absorbedDof(rest, restLevels);
    }
  }
  if (n <= k)
    throw new NtlError(
      `feols: ${n} observations but ${k} parameters (regressors + fixed effects); the model is not identified — use fewer fixed effects or regressors`,
    );

  let V: Float64Array;
  let G: number | null = null;
  let df = n - k;
  if (vcov.type === 'iid') {
    const s2 = ssr / (n - k);
    V = bread.map((v) => v * s2);
  } else if (vcov.type === 'HC1') {
    const meat = new Float64Array(m * m);
    const sc = new Float64Array(m);
    for (let i = 0; i < n; i++) {
      const wu = (weights ? weights[i]! : 1) * uFinal[i]!;
      for (let a = 0; a < m; a++) sc[a] = wu * X[a]![i]!;
      for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) meat[a * m + b]! += sc[a]! * sc[b]!;
    }
    V = sandwich(bread, meat, m).map((v) => (v * n) / (n - k));
  } else {
    if (clusters.length === 0) throw new NtlError('feols: CR1 variance needs a cluster variable');
    const small = (n - 1) / (n - k);
    const dims = clusters.map((c) => c.codes);
    const gs = clusters.map((c) => c.levels);
    for (const [d, g] of gs.entries()) {
      if (g < 2)
        throw new NtlError(
          `feols: ${g} cluster${g === 1 ? '' : 's'} in cluster dimension ${d + 1}; cluster-robust variance needs at least 2 (better 30+) — cluster on a coarser or different variable, or use --vcov hc1`,
        );
    }
    const clusterMeat = (codes: Int32Array, g: number): Float64Array => {
      const scores = new Float64Array(g * m);
      for (let i = 0; i < n; i++) {
        const wu = (weights ? weights[i]! : 1) * uFinal[i]!;
        const base = codes[i]! * m;
        for (let a = 0; a < m; a++) scores[base + a]! += wu * X[a]![i]!;
      }
      const meat = new Float64Array(m * m);
      for (let c = 0; c < g; c++)
        for (let a = 0; a < m; a++) {
          const sa = scores[c * m + a]!;
          for (let b = 0; b < m; b++) meat[a * m + b]! += sa * scores[c * m + b]!;
        }
      return sandwich(bread, meat, m).map((v) => (v * g) / (g - 1));
    };
    if (dims.length === 1) {
      V = clusterMeat(dims[0]!, gs[0]!).map((v) => v * small);
    } else {
      // Cameron–Gelbach–Miller: V1 + V2 − V12, each with its own G/(G−1) (sandwich::vcovCL's convention).
      const inter = intersectCodes(dims[0]!, dims[1]!);
      const v1 = clusterMeat(dims[0]!, gs[0]!);
      const v2 = clusterMeat(dims[1]!, gs[1]!);
      const v12 = inter.levels > 1 ? clusterMeat(inter.codes, inter.levels) : new Float64Array(m * m);
      V = v1.map((v, i) => (v + v2[i]! - v12[i]!) * small);
      if (Array.from({ length: m }, (_, a) => V[a * m + a]!).some((v) => v < 0)) {
        notes.push('two-way cluster variance has a negative diagonal element; its SE is reported as null');
      }
    }
    G = Math.min(...gs);
    df = G - 1;
  }

  const se = Array.from({ length: m }, (_, a) => Math.sqrt(V[a * m + a]!));
  const coef = [...fit.coef];
  const t = coef.map((b, a) => b / se[a]!);
  const p = t.map((tv) => tTwoSided(tv, df));
  return {
    names: fit.names,
    coef,
    se,
    t,
    p,
    vcov: Array.from(V),
    n,
    k,
    clusters: G,
    df,
    r2: fit.tss > 0 ? 1 - ssr / fit.tss : Number.NaN,
    r2Within: fit.withinTss > 0 ? 1 - ssr / fit.withinTss : Number.NaN,
    dropped: fit.dropped,
    singletons: fit.singletons,
    vcovType: vcov.type,
    notes,
    ssr,
    demeanSweeps: fit.demeanSweeps,
    keptRows: fit.keptRows,
  };
}

function crossProducts(xs: Float64Array[], y: Float64Array, w: Float64Array | null, xtx: Float64Array, xty: Float64Array): void {
  const K = xs.length;
  const n = y.length;
  for (let a = 0; a < K; a++) {
    const xa = xs[a]!;
    let sy = 0;
    for (let i = 0; i < n; i++) sy += (w ? w[i]! : 1) * xa[i]! * y[i]!;
    xty[a] = sy;
    for (let b = 0; b <= a; b++) {
      const xb = xs[b]!;
      let s = 0;
      for (let i = 0; i < n; i++) s += (w ? w[i]! : 1) * xa[i]! * xb[i]!;
      xtx[a * K + b] = s;
      xtx[b * K + a] = s;
    }
  }
}

function residuals(y: Float64Array, X: Float64Array[], beta: Float64Array): Float64Array {
  const u = Float64Array.from(y);
  for (let a = 0; a < X.length; a++) {
    const xa = X[a]!;
    const b = beta[a]!;
    for (let i = 0; i < u.length; i++) u[i]! -= b * xa[i]!;
  }
  return u;
}

function intersectCodes(a: Int32Array, b: Int32Array): { codes: Int32Array; levels: number } {
  const map = new Map<string, number>();
  const out = new Int32Array(a.length);
  for (let i = 0; i < a.length; i++) {
    const key = `${a[i]},${b[i]}`;
    let c = map.get(key);
    if (c === undefined) {
      c = map.size;
      map.set(key, c);
    }
    out[i] = c;
  }
  return { codes: out, levels: map.size };
}
