/**
 * Sun & Abraham (2021) interaction-weighted event study: TWFE of y on cohort × relative-period dummies
 * (reference period −1; the control cohort — never treated, or else the last treated — gets none), clustered
 * by unit, then each relative period's effect is the cohort-share weighted average of its cohort coefficients
 * (weights = observations per cohort × period, as fixest's sunab aggregation), SE by the delta method.
 */
import { NtlError } from '../errors.js';
import { feols } from './feols.js';
import type { AggregateTerm } from './staggered-aggregate.js';

export interface SunabInput {
  readonly units: readonly string[];
  readonly times: readonly number[];
  /** Outcome, unit-major: y[u * times.length + t]. */
  readonly y: Float64Array;
  /** First treated period per unit; 0 = never treated. */
  readonly cohort: Float64Array;
  /** 'never' (default) or 'last': the last-treated cohort as control, periods from its treatment on dropped. */
  readonly control?: 'never' | 'last';
}

export interface SunabCoefficient {
  readonly cohort: number;
  readonly event: number;
  readonly coef: number;
  readonly se: number;
  /** Observations of this cohort × relative period (the aggregation weight before normalising). */
  readonly obs: number;
}

export interface SunabResult {
  /** Interaction-weighted effect per relative period (the reference period −1 is omitted). */
  readonly terms: readonly AggregateTerm[];
  /** Observation-weighted average of the post-period (e ≥ 0) cohort coefficients, as fixest `agg = "ATT"`. */
  readonly att: number;
  readonly se: number;
  readonly coefficients: readonly SunabCoefficient[];
  readonly n: number;
  readonly clusters: number;
  readonly notes: readonly string[];
}

export function sunAbraham(input: SunabInput): SunabResult {
  const { units, times, y } = input;
  const T0 = times.length;
  const notes: string[] = [];
  const last = times[T0 - 1]!;
  const first = times[0]!;
  const cohort = Float64Array.from(input.cohort, (g) => (g > last ? 0 : g));
  let controlCohort = 0;
  let periodEnd = Infinity;
  if (input.control === 'last' || !cohort.some((g) => g === 0)) {
    if (input.control !== 'last') notes.push('no never-treated units: the last-treated cohort is the control');
    controlCohort = Math.max(...cohort);
    periodEnd = controlCohort;
    notes.push(`control: cohort ${controlCohort} (last treated); periods from ${controlCohort} on are dropped`);
  }
  const keepT = times.map((_, i) => i).filter((i) => times[i]! < periodEnd);
  const keepU: number[] = [];
  let always = 0;
  for (let u = 0; u < units.length; u++) {
    if (cohort[u] !== 0 && cohort[u]! <= first) always++;
    else keepU.push(u);
  }
  if (always > 0) notes.push(`dropped ${always} units treated in the first period ${first}: they have no pre-treatment period`);
  const isControl = (g: number) => g === 0 || g === controlCohort;

  // Cohort × relative-period cells present in the sample, in (cohort, event) order.
  const cellKey = (g: number, e: number) => `${g}:${e}`;
  const cellObs = new Map<string, { cohort: number; event: number; obs: number }>();
  for (const u of keepU) {
    const g = cohort[u]!;
    if (isControl(g)) continue;
    for (const i of keepT) {
      const e = times[i]! - g;
      if (e === -1) continue;
      const key = cellKey(g, e);
      const c = cellObs.get(key) ?? { cohort: g, event: e, obs: 0 };
      c.obs++;
      cellObs.set(key, c);
    }
  }
  const cells = [...cellObs.values()].sort((a, b) => a.cohort - b.cohort || a.event - b.event);
  if (cells.length === 0) throw new NtlError('sunab: no treated cohort besides the control; nothing to estimate');
  if (!keepU.some((u) => isControl(cohort[u]!))) throw new NtlError('sunab: no control units remain');
  const col = new Map(cells.map((c, j) => [cellKey(c.cohort, c.event), j]));

  const n = keepU.length * keepT.length;
  const yy = new Float64Array(n);
  const x = cells.map(() => new Float64Array(n));
  const unitFe = new Int32Array(n);
  const timeFe = new Int32Array(n);
  let r = 0;
  keepU.forEach((u, ui) => {
    keepT.forEach((i, ti) => {
      yy[r] = y[u * T0 + i]!;
      unitFe[r] = ui;
      timeFe[r] = ti;
      const g = cohort[u]!;
      const j = isControl(g) ? undefined : col.get(cellKey(g, times[i]! - g));
      if (j !== undefined) x[j]![r] = 1;
      r++;
    });
  });
  const names = cells.map((c) => cellKey(c.cohort, c.event));
  const fit = feols({ y: yy, x, xNames: names, fe: [unitFe, timeFe], feNames: ['unit', 'time'] }, { type: 'CR1', clusters: [unitFe] });
  if (fit.dropped.length > 0) notes.push(`collinear cohort × period terms dropped: ${fit.dropped.join(', ')}`);
  const K = fit.names.length;
  const kept = cells.filter((c) => fit.names.includes(cellKey(c.cohort, c.event)));
  const at = (c: { cohort: number; event: number }) => fit.names.indexOf(cellKey(c.cohort, c.event));

  // Weighted combination a'β with variance a'Va.
  const combine = (which: typeof kept): { att: number; se: number } => {
    const total = which.reduce((s, c) => s + c.obs, 0);
    const a = new Float64Array(K);
    for (const c of which) a[at(c)] = c.obs / total;
    let est = 0;
    let v = 0;
    for (let p = 0; p < K; p++) {
      est += a[p]! * fit.coef[p]!;
      for (let q = 0; q < K; q++) v += a[p]! * fit.vcov[p * K + q]! * a[q]!;
    }
    return { att: est, se: Math.sqrt(v) };
  };
  const events = [...new Set(kept.map((c) => c.event))].sort((a, b) => a - b);
  const terms = events.map((e) => ({ at: e, ...combine(kept.filter((c) => c.event === e)) }));
  const post = kept.filter((c) => c.event >= 0);
  if (post.length === 0) throw new NtlError('sunab: no post-treatment period in the sample');
  const overall = combine(post);
  const coefficients = kept.map((c) => ({ cohort: c.cohort, event: c.event, coef: fit.coef[at(c)]!, se: fit.se[at(c)]!, obs: c.obs }));
  return { terms, att: overall.att, se: overall.se, coefficients, n: fit.n, clusters: fit.clusters ?? keepU.length, notes: [...notes, ...fit.notes] };
}
