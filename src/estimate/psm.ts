/**
 * PSM-DID: propensity scores by logit of the treated-group indicator on covariates (pooled, or per period),
 * matching of control to treated observations, then the weighted TWFE on the matched sample.
 *   kernel — Epanechnikov kernel on the score difference, bandwidth h (default 0.06 as psmatch2): control j
 *            gets Σ_i K((p_j − p_i)/h) / Σ_l K((p_l − p_i)/h) over treated i; treated without a control
 *            within h are off support (weight 0);
 *   nn     — 1:1 nearest neighbour with replacement (ties: the first control in file order); a control's weight
 *            is the number of times it is used; with a caliper, treated farther than it are off support.
 * Balance: means before (unweighted) and after (matched weights), standardized difference
 * 100·(x̄_T − x̄_C)/√((s²_T + s²_C)/2) with the before-matching variances in both (as psmatch2's pstest).
 */
import { NtlError } from '../errors.js';
import { logit, type LogitResult } from './logit.js';

export type MatchMethod = 'kernel' | 'nn';

export interface MatchOptions {
  readonly method: MatchMethod;
  readonly bandwidth: number;
  readonly caliper?: number;
}

export interface BalanceRow {
  readonly covariate: string;
  readonly mean_treated_before: number;
  readonly mean_control_before: number;
  readonly std_diff_before: number;
  readonly mean_treated_after: number;
  readonly mean_control_after: number;
  readonly std_diff_after: number;
}

export interface PsmResult {
  readonly pscore: Float64Array;
  readonly weights: Float64Array;
  readonly treatedOnSupport: number;
  readonly treatedOffSupport: number;
  readonly controlsUsed: number;
  readonly logits: readonly { period: number | null; model: LogitResult }[];
  readonly balance: readonly BalanceRow[];
}

/** Match within one group of observations (indices `idx`); writes weights. */
export function matchWeights(
  pscore: Float64Array,
  group: Float64Array,
  idx: readonly number[],
  opts: MatchOptions,
  weights: Float64Array,
): { on: number; off: number } {
  const treated = idx.filter((i) => group[i] === 1);
  const controls = idx.filter((i) => group[i] === 0);
  let on = 0;
  let off = 0;
  for (const i of treated) {
    const p = pscore[i]!;
    if (opts.method === 'nn') {
      let best = -1;
      let bestD = Infinity;
      for (const j of controls) {
        const d = Math.abs(pscore[j]! - p);
        if (d < bestD) (bestD = d), (best = j);
      }
      if (best < 0 || (opts.caliper !== undefined && bestD > opts.caliper)) {
        off++;
        continue;
      }
      weights[best]! += 1;
    } else {
      let total = 0;
      const ks: [number, number][] = [];
      for (const j of controls) {
        const u = (pscore[j]! - p) / opts.bandwidth;
        if (Math.abs(u) < 1) {
          const kv = 0.75 * (1 - u * u);
          total += kv;
          ks.push([j, kv]);
        }
      }
      if (total === 0) {
        off++;
        continue;
      }
      for (const [j, kv] of ks) weights[j]! += kv / total;
    }
    weights[i] = 1;
    on++;
  }
  return { on, off };
}

export function propensityMatch(
  group: Float64Array,
  covariates: readonly Float64Array[],
  names: readonly string[],
  time: Float64Array,
  byPeriod: boolean,
  opts: MatchOptions,
): PsmResult {
  const n = group.length;
  const pscore = new Float64Array(n);
  const weights = new Float64Array(n);
  const groups: { period: number | null; idx: number[] }[] = byPeriod
    ? [...new Set(time)].sort((a, b) => a - b).map((t) => ({ period: t, idx: Array.from({ length: n }, (_, i) => i).filter((i) => time[i] === t) }))
    : [{ period: null, idx: Array.from({ length: n }, (_, i) => i) }];
  const logits: { period: number | null; model: LogitResult }[] = [];
  let on = 0;
  let off = 0;
  for (const g of groups) {
    const yy = Float64Array.from(g.idx, (i) => group[i]!);
    if (yy.every((v) => v === 1) || yy.every((v) => v === 0)) {
      throw new NtlError(
        `propensity score${g.period === null ? '' : ` in period ${g.period}`}: all observations are ${yy[0] === 1 ? 'treated' : 'controls'}; matching needs both groups${g.period === null ? '' : ' — drop --by-period'}`,
      );
    }
    const model = logit(
      yy,
      covariates.map((c) => Float64Array.from(g.idx, (i) => c[i]!)),
      names,
    );
    g.idx.forEach((i, k) => (pscore[i] = model.fitted[k]!));
    logits.push({ period: g.period, model });
    const r = matchWeights(pscore, group, g.idx, opts, weights);
    on += r.on;
    off += r.off;
  }
  const controlsUsed = weights.reduce((c, w, i) => c + (group[i] === 0 && w > 0 ? 1 : 0), 0);
  if (on === 0) throw new NtlError('propensity matching: no treated observation has a control within the bandwidth/caliper; widen --bandwidth or --caliper');
  const balance = names.map((nm, j) => balanceRow(nm, covariates[j]!, group, weights));
  return { pscore, weights, treatedOnSupport: on, treatedOffSupport: off, controlsUsed, logits, balance };
}

function balanceRow(name: string, x: Float64Array, group: Float64Array, w: Float64Array): BalanceRow {
  const stats = (g: number, weighted: boolean) => {
    let sw = 0;
    let s = 0;
    for (let i = 0; i < x.length; i++) {
      if (group[i] !== g) continue;
      const wi = weighted ? w[i]! : 1;
      sw += wi;
      s += wi * x[i]!;
    }
    return s / sw;
  };
  const variance = (g: number) => {
    const m = stats(g, false);
    let s = 0;
    let c = 0;
    for (let i = 0; i < x.length; i++) if (group[i] === g) (s += (x[i]! - m) ** 2), c++;
    return s / (c - 1);
  };
  const denom = Math.sqrt((variance(1) + variance(0)) / 2);
  const mt0 = stats(1, false);
  const mc0 = stats(0, false);
  const mt1 = stats(1, true);
  const mc1 = stats(0, true);
  return {
    covariate: name,
    mean_treated_before: mt0,
    mean_control_before: mc0,
    std_diff_before: (100 * (mt0 - mc0)) / denom,
    mean_treated_after: mt1,
    mean_control_after: mc1,
    std_diff_after: (100 * (mt1 - mc1)) / denom,
  };
}
