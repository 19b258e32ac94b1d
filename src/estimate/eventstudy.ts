/**
 * Event study: y on relative-time dummies 1[t − g_i = r] for r in the window except the reference period,
 * with the endpoints binned (r ≤ lo counts as lo, r ≥ hi as hi); never-treated units (cohort missing, 0 or
 * non-finite) have all dummies 0 and serve as controls. Fixed effects and variance as in the DID.
 */
import { NtlError } from '../errors.js';
import { fitModel, type ModelOptions, type Regressor } from './did.js';
import type { PreparedPanel } from './prepare.js';
import { tQuantile } from './tdist.js';
import { pretrendTest, type PretrendTest } from './pretrend.js';
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
  /** True for an endpoint that pools every earlier (later) relative period. */
  readonly binned: boolean;
  /** "≤ lo" / "≥ hi" for binned endpoints, else the relative period. */
  readonly label: string;
}

export interface EventStudyResult {
  readonly result: RegressionResult;
  readonly periods: readonly EventPeriod[];
  /** Joint Wald test that all leads (relative periods before the reference) are zero. */
  readonly pretrend: PretrendTest;
}

/** Which endpoints pool periods beyond the window: only where some unit is observed beyond it. */
export function binnedEnds(panel: PreparedPanel, cohortCol: string, window: readonly [number, number]): { lo: boolean; hi: boolean } {
  const cohort = panel.numeric.get(cohortCol)!;
  let lo = false;
  let hi = false;
  panel.time.forEach((t, i) => {
    const g = cohort[i]!;
    if (!Number.isFinite(g) || g === 0) return;
    if (t - g < window[0]) lo = true;
    if (t - g > window[1]) hi = true;
  });
  return { lo, hi };
}

export function periodLabel(r: number, window: readonly [number, number], ends: { lo: boolean; hi: boolean }): { label: string; binned: boolean } {
  if (r === window[0] && ends.lo) return { label: `≤ ${r}`, binned: true };
  if (r === window[1] && ends.hi) return { label: `≥ ${r}`, binned: true };
  return { label: String(r), binned: false };
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
  if (rel.every((r) => Number.isNaN(r)))
    throw new NtlError(
      `${panel.path}: cohort column "${cohortCol}" has no treated unit (all missing or 0); it must hold each treated unit's first treated ${'period'}`,
    );
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
  const ends = binnedEnds(panel, opts.cohort, opts.window);
  const periods: EventPeriod[] = [];
  for (let r = opts.window[0]; r <= opts.window[1]; r++) {
    const lab = periodLabel(r, opts.window, ends);
    if (r === opts.ref) {
      periods.push({ rel: r, coef: 0, se: null, p: null, lo: 0, hi: 0, reference: true, ...lab });
      continue;
    }
    const j = result.names.indexOf(relName(r));
    if (j < 0) continue; // dropped as collinear / empty: reported in result.dropped
    const c = result.coef[j]!;
    const s = result.se[j]!;
    periods.push({ rel: r, coef: c, se: s, p: result.p[j]!, lo: c - crit * s, hi: c + crit * s, reference: false, ...lab });
  }
  const leads: string[] = [];
  for (let r = opts.window[0]; r < opts.ref; r++) leads.push(relName(r));
  return { result, periods, pretrend: pretrendTest(result, leads) };
}
