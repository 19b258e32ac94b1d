/**
 * Fake-date placebo ("timing" mode): every treated unit's adoption date is moved `shift` periods earlier and the
 * DID is estimated on the observations before the true date only (treated units' pre-treatment periods, every
 * period of never-treated units). Under parallel trends and no anticipation the fake effect is zero; its
 * regression β, SE and CI are the evidence. This is an ordinary regression test, not a permutation test: it has
 * no randomization p-value.
 */
import { NtlError } from '../errors.js';
import { fitModel, type ModelOptions, type Regressor } from './did.js';
import type { PreparedPanel } from './prepare.js';
import { tQuantile } from './tdist.js';
import type { RegressionResult } from './types.js';

export interface FakeDateResult {
  readonly shift: number;
  readonly coef: number;
  readonly se: number;
  /** The regression's own two-sided t-test p-value of the fake effect (cluster-robust by default). */
  readonly p: number;
  readonly lo: number;
  readonly hi: number;
  readonly n: number;
  /** Treated units observed in the `shift` periods before their adoption (they carry the fake treatment). */
  readonly fake_treated_units: number;
  readonly result: RegressionResult;
}

export const FAKE_NAME = 'fake_treat';

export function fakeDateTest(panel: PreparedPanel, opts: ModelOptions, unit: Int32Array, cohortByUnit: Float64Array, shift: number): FakeDateResult {
  const rows: number[] = [];
  const fake = new Float64Array(panel.n);
  const carriers = new Set<number>();
  for (let i = 0; i < panel.n; i++) {
    const g = cohortByUnit[unit[i]!]!;
    const t = panel.time[i]!;
    if (Number.isFinite(g) && t >= g) continue; // on or after the true date: out of the sample
    rows.push(i);
    if (Number.isFinite(g) && t >= g - shift) {
      fake[i] = 1;
      carriers.add(unit[i]!);
    }
  }
  if (carriers.size === 0) {
    throw new NtlError(
      `${panel.path}: no treated unit is observed in the ${shift} period(s) before its first treated period, so a date ${shift} period(s) early cannot be tested; use a smaller shift or a panel with pre-treatment years`,
    );
  }
  const regs: Regressor[] = [{ name: FAKE_NAME, values: fake }, ...opts.controls.map((c) => ({ name: c, values: panel.numeric.get(c)! }))];
  const r = fitModel(panel, regs, opts, [FAKE_NAME], Int32Array.from(rows));
  const j = r.names.indexOf(FAKE_NAME);
  const crit = tQuantile(0.975, r.df);
  const coef = r.coef[j]!;
  const se = r.se[j]!;
  return { shift, coef, se, p: r.p[j]!, lo: coef - crit * se, hi: coef + crit * se, n: r.n, fake_treated_units: carriers.size, result: r };
}
