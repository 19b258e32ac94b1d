/**
 * Estimation contract shared by the DID family (src/estimate/*). Plain arrays in, plain records out.
 * `feols` (src/estimate/feols.ts) is the one regression core; every estimator builds on it.
 */

/** A design in column form. All arrays have the same length n (observations already complete — no NaN). */
export interface RegressionData {
  readonly y: Float64Array;
  /** Regressors (not including absorbed fixed effects), one Float64Array per column. */
  readonly x: readonly Float64Array[];
  readonly xNames: readonly string[];
  /** Absorbed fixed effects: per dimension, a factor code 0..levels-1 per observation. */
  readonly fe: readonly Int32Array[];
  readonly feNames: readonly string[];
  /** Optional analytic weights (e.g. PSM kernel weights). */
  readonly weights?: Float64Array;
}

export type VcovType = 'iid' | 'HC1' | 'CR1';

/**
 * Small-sample convention for CR1: 'nested' (default; fixed effects nested in the cluster variable are not
 * counted in K — Stata reghdfe / xtreg fe, fixest) or 'full' (every absorbed FE counted — Stata areg,
 * estimatr se_type="stata", lm + sandwich::vcovCL HC1).
 */
export type SmallSample = 'nested' | 'full';

export interface VcovSpec {
  readonly type: VcovType;
  /** One or two cluster dimensions (two = two-way clustering, Cameron–Gelbach–Miller). Required for CR1. */
  readonly clusters?: readonly Int32Array[];
  readonly ssc?: SmallSample;
}

export interface RegressionResult {
  readonly names: readonly string[];
  readonly coef: readonly number[];
  readonly se: readonly number[];
  readonly t: readonly number[];
  readonly p: readonly number[];
  /** Row-major K×K variance matrix of the kept regressors. */
  readonly vcov: readonly number[];
  readonly n: number;
  /** Regressors kept + absorbed FE levels counted per the ssc convention. */
  readonly k: number;
  /** Number of clusters (smallest dimension for two-way); null without clustering. */
  readonly clusters: number | null;
  /** Degrees of freedom of the t tests (G−1 with clusters, else n−k). */
  readonly df: number;
  readonly r2: number;
  readonly r2Within: number;
  /** Regressors dropped as collinear with others or with the fixed effects. */
  readonly dropped: readonly string[];
  /** Observations removed as singletons (a FE level with one observation). */
  readonly singletons: number;
  readonly vcovType: VcovType;
  readonly notes: readonly string[];
  /** Σ w û² over the estimation sample. */
  readonly ssr?: number;
  /** Alternating-projection sweeps used by the slowest column (1 = exact in one pass). */
  readonly demeanSweeps?: number;
  /** Indices (into the input arrays) of the observations used (zero weights and singletons left out). */
  readonly keptRows?: Int32Array;
}
