/**
 * Callaway & Sant'Anna (2021) group-time average treatment effects ATT(g,t) for a balanced panel without
 * covariates (the 2×2 long-difference estimator), with the influence function of each ATT(g,t) so that
 * standard errors (clustered by unit) and aggregations follow R did::att_gt / did::aggte with bstrap = FALSE.
 * Sample rules follow did 2.x: see `prepareCohorts`.
 */
import { NtlError } from '../errors.js';

export type ControlGroup = 'never' | 'notyet';
export type BasePeriod = 'varying' | 'universal';

export interface AttGtInput {
  readonly units: readonly string[];
  readonly times: readonly number[];
  /** Outcome, unit-major: y[u * times.length + t]. */
  readonly y: Float64Array;
  /** First treated period per unit; 0 = never treated. */
  readonly cohort: Float64Array;
  readonly control?: ControlGroup;
  readonly anticipation?: number;
  readonly base?: BasePeriod;
}

export interface AttGtCell {
  readonly group: number;
  readonly time: number;
  /** The period the long difference is taken from. */
  readonly baseTime: number;
  /** t ≥ g (as did reports it). */
  readonly post: boolean;
  readonly att: number;
  /** Null where did reports NA (zero variance, e.g. the universal base period itself). */
  readonly se: number | null;
  readonly treatedUnits: number;
  readonly controlUnits: number;
}

export interface AttGtResult {
  readonly cells: readonly AttGtCell[];
  /** Influence function of each cell over the units used (scaled as did: se = √(Σ ψ²) / n). */
  readonly influence: readonly Float64Array[];
  /** First treated period of each unit used (0 = never or treated only after the panel). */
  readonly unitCohort: Float64Array;
  readonly nUnits: number;
  readonly groups: readonly number[];
  readonly times: readonly number[];
  readonly control: ControlGroup;
  readonly base: BasePeriod;
  readonly anticipation: number;
  readonly notes: readonly string[];
}

/** Standard errors at or below this are reported as missing, as did does. */
const SE_ZERO = Math.sqrt(2.220446049250313e-16) * 10;

export function seFromInfluence(psi: Float64Array): number | null {
  let s = 0;
  for (let i = 0; i < psi.length; i++) s += psi[i]! * psi[i]!;
  const se = Math.sqrt(s / psi.length) / Math.sqrt(psi.length);
  return se <= SE_ZERO ? null : se;
}

interface Prepared {
  keep: Int32Array; // unit indices used
  cohort: Float64Array; // per kept unit
  timeIdx: number[]; // indices into input times that are kept
  groups: number[];
  notes: string[];
}

/**
 * did's sample rules: a cohort after the last period (+ anticipation) counts as never treated; units treated in
 * the first period (+ anticipation) have no pre-period and are dropped; without never-treated units, `never`
 * is an error and `notyet` keeps only the periods before the last cohort (− anticipation), which then serves
 * only as a control.
 */
function prepareCohorts(input: AttGtInput, control: ControlGroup, anticipation: number): Prepared {
  const { units, times } = input;
  const notes: string[] = [];
  const last = times[times.length - 1]!;
  const cohort0 = Float64Array.from(input.cohort, (g) => (g > last + anticipation ? 0 : g));
  const lateUnits = input.cohort.filter((g, u) => g !== cohort0[u]).length;
  if (lateUnits > 0)
    notes.push(
      `${lateUnits} units first treated after the last period (${last}${anticipation ? ` + ${anticipation} anticipation` : ''}) are counted as never treated`,
    );
  for (let u = 0; u < units.length; u++) {
    const g = cohort0[u]!;
    if (g < 0 || !Number.isFinite(g)) throw new NtlError(`unit "${units[u]}" has first-treated period ${g}; use a period, or 0 / empty for never treated`);
  }
  let timeIdx = times.map((_, i) => i);
  let latest = -Infinity;
  if (!cohort0.some((g) => g === 0)) {
    if (control === 'never') {
      throw new NtlError('there are no never-treated units (cohort 0 or empty), so --control never has no comparison group; use --control notyet');
    }
    latest = Math.max(...cohort0);
    timeIdx = timeIdx.filter((i) => times[i]! < latest - anticipation);
    notes.push(
      `no never-treated units: periods from ${latest - anticipation} on are dropped and the last cohort (${latest}) serves only as a not-yet-treated control`,
    );
  }
  if (timeIdx.length < 2) throw new NtlError('fewer than two periods remain, so no long difference can be formed');
  const first = times[timeIdx[0]!]!;
  const keepList: number[] = [];
  let early = 0;
  for (let u = 0; u < units.length; u++) {
    const g = cohort0[u]!;
    if (g !== 0 && g <= first + anticipation) early++;
    else keepList.push(u);
  }
  if (early > 0)
    notes.push(
      `dropped ${early} units already treated in the first period ${first}${anticipation ? ` (+ ${anticipation} anticipation)` : ''}: they have no pre-treatment period (as did does)`,
    );
  const keep = Int32Array.from(keepList);
  const cohort = Float64Array.from(keepList, (u) => cohort0[u]!);
  const groups = [...new Set(cohort)].filter((g) => g > 0 && g !== latest).sort((a, b) => a - b);
  if (groups.length === 0)
    throw new NtlError('no treated cohort with a pre-treatment period remains; check the cohort column (first treated period, 0 = never)');
  return { keep, cohort, timeIdx, groups, notes };
}

export function attGt(input: AttGtInput): AttGtResult {
  const control = input.control ?? 'never';
  const base = input.base ?? 'varying';
  const anticipation = input.anticipation ?? 0;
  if (!(Number.isInteger(anticipation) && anticipation >= 0)) throw new NtlError(`anticipation must be a whole number ≥ 0, got ${anticipation}`);
  const T0 = input.times.length;
  if (input.y.length !== input.units.length * T0 || input.cohort.length !== input.units.length) {
    throw new NtlError(`attGt: y needs ${input.units.length} units × ${T0} periods and cohort one value per unit`);
  }
  const { keep, cohort, timeIdx, groups, notes } = prepareCohorts(input, control, anticipation);
  const times = timeIdx.map((i) => input.times[i]!);
  const n = keep.length;
  const T = times.length;
  const yAt = (k: number, t: number) => input.y[keep[k]! * T0 + timeIdx[t]!]!;

  const cells: AttGtCell[] = [];
  const influence: Float64Array[] = [];
  for (const g of groups) {
    let pretG = -1; // last period before g − anticipation
    for (let i = 0; i < T; i++) if (times[i]! + anticipation < g) pretG = i;
    const from = base === 'varying' ? 1 : 0;
    for (let cur = from; cur < T; cur++) {
      const post = g <= times[cur]!;
      const pret = base === 'universal' || post ? pretG : cur - 1;
      const psi = new Float64Array(n);
      if (cur === pret) {
        // The universal base period itself: ATT 0 by construction.
        cells.push({ group: g, time: times[cur]!, baseTime: times[pret]!, post, att: 0, se: null, treatedUnits: 0, controlUnits: 0 });
        influence.push(psi);
        continue;
      }
      const threshold = times[Math.max(cur, pret)]! + anticipation;
      const isControl = (c: number) => c === 0 || (control === 'notyet' && c > threshold && c !== g);
      let nT = 0;
      let nC = 0;
      let sT = 0;
      let sC = 0;
      for (let k = 0; k < n; k++) {
        const c = cohort[k]!;
        if (c === g) {
          nT++;
          sT += yAt(k, cur) - yAt(k, pret);
        } else if (isControl(c)) {
          nC++;
          sC += yAt(k, cur) - yAt(k, pret);
        }
      }
      if (nC === 0) {
        throw new NtlError(
          `no comparison units for cohort ${g} at ${times[cur]} (${control === 'notyet' ? 'every other unit is treated by then' : 'no never-treated units'}); use --control never or drop the late periods`,
        );
      }
      const muT = sT / nT;
      const muC = sC / nC;
      // ψ_i = n/n_T (ΔY_i − μ_T) for the cohort, −n/n_C (ΔY_i − μ_C) for controls: did's (n/n1)·IF of the 2×2.
      for (let k = 0; k < n; k++) {
        const c = cohort[k]!;
        if (c === g) psi[k] = (n / nT) * (yAt(k, cur) - yAt(k, pret) - muT);
        else if (isControl(c)) psi[k] = (-n / nC) * (yAt(k, cur) - yAt(k, pret) - muC);
      }
      cells.push({ group: g, time: times[cur]!, baseTime: times[pret]!, post, att: muT - muC, se: seFromInfluence(psi), treatedUnits: nT, controlUnits: nC });
      influence.push(psi);
    }
  }
  return { cells, influence, unitCohort: cohort, nUnits: n, groups, times, control, base, anticipation, notes };
}
