/**
 * Joint pre-trend test of an event study: the Wald test that every estimated lead coefficient (relative periods
 * before the reference, the binned endpoint included) is zero, with the model's own variance (cluster-robust by
 * default): W = b′V⁻¹b, F = W/q on (q, G − 1) degrees of freedom (the model's t df) — as
 * `car::linearHypothesis(fit, leads, vcov = vcovCL, test = "F")` with df2 = G − 1, or fixest::wald.
 */
import { choleskyDropping, choleskyInverse } from './linalg.js';
import { fUpper } from './tdist.js';
import type { RegressionResult } from './types.js';

export interface PretrendTest {
  readonly F: number | null;
  readonly df1: number;
  readonly df2: number;
  readonly p: number | null;
  readonly leads: readonly string[];
  /** Set when the test cannot be computed (no lead estimated, singular variance). */
  readonly note?: string;
}

export function waldTest(r: RegressionResult, terms: readonly string[]): { W: number; q: number } | null {
  const idx = terms.map((t) => r.names.indexOf(t)).filter((j) => j >= 0);
  const q = idx.length;
  if (q === 0) return null;
  const K = r.names.length;
  const v = new Float64Array(q * q);
  const scale = idx.map((j) => Math.sqrt(r.vcov[j * K + j]!));
  if (scale.some((s) => !(s > 0))) return null;
  for (let a = 0; a < q; a++) for (let b = 0; b < q; b++) v[a * q + b] = r.vcov[idx[a]! * K + idx[b]!]! / (scale[a]! * scale[b]!);
  const ch = choleskyDropping(v, q, 1e-12);
  if (ch.dropped.length > 0) return null;
  const inv = choleskyInverse(ch.l, q);
  const z = idx.map((j, a) => r.coef[j]! / scale[a]!);
  let W = 0;
  for (let a = 0; a < q; a++) for (let b = 0; b < q; b++) W += z[a]! * inv[a * q + b]! * z[b]!;
  return { W, q };
}

export function pretrendTest(r: RegressionResult, leads: readonly string[]): PretrendTest {
  const kept = leads.filter((l) => r.names.includes(l));
  const w = waldTest(r, kept);
  if (!w)
    return {
      F: null,
      df1: kept.length,
      df2: r.df,
      p: null,
      leads: kept,
      note: kept.length === 0 ? 'no lead coefficient was estimated (window starts at the reference period)' : "the leads' variance matrix is singular",
    };
  const F = w.W / w.q;
  return { F, df1: w.q, df2: r.df, p: fUpper(F, w.q, r.df), leads: kept };
}
