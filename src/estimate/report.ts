/** The JSON record every estimate command prints: coef/se/t/p keyed by regressor name, then sample facts. */
import type { RegressionResult, SmallSample } from './types.js';

export interface ResultContext {
  readonly fe: readonly string[];
  readonly cluster: readonly string[];
  readonly ssc: SmallSample;
  readonly droppedMissing?: number;
  readonly notes?: readonly string[];
}

const keyed = (names: readonly string[], v: readonly number[]) => Object.fromEntries(names.map((n, i) => [n, finiteOrNull(v[i]!)]));

export function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

export function regressionJson(r: RegressionResult, ctx: ResultContext): Record<string, unknown> {
  return {
    coef: keyed(r.names, r.coef),
    se: keyed(r.names, r.se),
    t: keyed(r.names, r.t),
    p: keyed(r.names, r.p),
    n: r.n,
    clusters: r.clusters,
    r2: finiteOrNull(r.r2),
    r2_within: finiteOrNull(r.r2Within),
    fe: [...ctx.fe],
    vcov: r.vcovType,
    cluster_vars: r.vcovType === 'CR1' ? [...ctx.cluster] : [],
    ssc: r.vcovType === 'CR1' ? ctx.ssc : 'full',
    k: r.k,
    df: r.df,
    dropped_collinear: [...r.dropped],
    singletons_dropped: r.singletons,
    missing_dropped: ctx.droppedMissing ?? 0,
    notes: [...(ctx.notes ?? []), ...r.notes],
  };
}
