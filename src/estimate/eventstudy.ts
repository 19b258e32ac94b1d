/**
 * Event study: y on relative-time dummies 1[t − g_i = r] for r in the window except the reference period,
 * with the endpoints binned (r ≤ lo counts as lo, r ≥ hi as hi); never-treated units (cohort missing, 0 or
 * non-finite) have all dummies 0 and serve as controls. Fixed effects and variance as in the DID.
 */
import { NtlError } from '../errors.js';
import { fitModel, type ModelOptions, type Regressor } from './did.js';
import type { PreparedPanel } from './prepare.js';
import { tQuantile } from './tdist.js';
import type { RegressionResult } from './types.js';

export interface EventStudyOptions extends ModelOptions {
  readonly cohort: string;
  readonly window: readonly [number, number];
  readonly ref: number;
}

export interface EventPeriod {
  readonly rel: number;
  readonly coef: number;
  readonly se: number | null;
  readonly p: number | null;
  readonly lo: number;
  readonly hi: number;
  /** True for the omitted reference period (coefficient 0 by construction). */
  readonly reference: boolean;
}

export interface EventStudyResult {
  readonly result: RegressionResult;
  readonly periods: readonly EventPeriod[];
}

export const relName = (r: number) => `rel_${r}`;

export function relativeTimeRegressors(panel: PreparedPanel, cohortCol: string, window: readonly [number, number], ref: number): Regressor[] {
  const cohort = panel.numeric.get(cohortCol)!;
  const [lo, hi] = window;
  if (!(lo < ref && ref < hi) && !(lo <= ref && ref <= hi)) throw new NtlError(`--ref ${ref} must lie inside --window ${lo},${hi}`);
  const rel = Float64Array.from(panel.time, (t, i) => {
    const g = cohort[i]!;
    if (!Number.isFinite(g) || g === 0) return Number.NaN;
    return Math.min(hi, Math.max(lo, t - g));
  });
  if (rel.every((r) => Number.isNaN(r))) throw new NtlError(`${panel.path}: cohort column "${cohortCol}" has no treated unit (all missing or 0); it must hold each treated unit's first treated ${'period'}`);
  const out: Regressor[] = [];
  for (let r = lo; r <= hi; r++) {
    if (r === ref) continue;
    out.push({ name: relName(r), values: Float64Array.from(rel, (v) => (v === r ? 1 : 0)) });
  }
  return out;
}

export function eventStudy(panel: PreparedPanel, opts: EventStudyOptions): EventStudyResult {
  const dummies = relativeTimeRegressors(panel, opts.cohort, opts.window, opts.ref);
  const controls: Regressor[] = opts.controls.map((c) => ({ name: c, values: panel.numeric.get(c)! }));
  const result = fitModel(panel, [...dummies, ...controls], opts, []);
  const crit = tQuantile(0.975, result.df);
  const periods: EventPeriod[] = [];
  for (let r = opts.window[0]; r <= opts.window[1]; r++) {
    if (r === opts.ref) {
      periods.push({ rel: r, coef: 0, se: null, p: null, lo: 0, hi: 0, reference: true });
      continue;
    }
    const j = result.names.indexOf(relName(r));
    if (j < 0) continue; // dropped as collinear / empty: reported in result.dropped
    const c = result.coef[j]!;
    const s = result.se[j]!;
    periods.push({ rel: r, coef: c, se: s, p: result.p[j]!, lo: c - crit * s, hi: c + crit * s, reference: false });
  }
  return { result, periods };
}
