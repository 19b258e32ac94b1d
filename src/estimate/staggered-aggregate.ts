/**
 * Aggregations of ATT(g,t) as did::aggte(bstrap = FALSE): simple (post cells weighted by cohort share),
 * dynamic (by event time t − g), group (by cohort) and calendar (by period). Where cohort shares weight the
 * cells, the influence function carries the estimated-weights term (did's `wif`), as in did.
 */
import { type AttGtResult, seFromInfluence } from './cs.js';

export type AggregationType = 'simple' | 'dynamic' | 'group' | 'calendar';
export const AGGREGATION_TYPES: readonly AggregationType[] = ['simple', 'dynamic', 'group', 'calendar'];

export interface AggregateTerm {
  /** Event time e (dynamic), cohort g (group) or period t (calendar). */
  readonly at: number;
  readonly att: number;
  readonly se: number | null;
}

export interface AttAggregate {
  readonly type: AggregationType;
  readonly att: number;
  readonly se: number | null;
  /** Empty for simple. */
  readonly terms: readonly AggregateTerm[];
}

interface Combined {
  att: number;
  psi: Float64Array;
}

/** Σ w_k · ψ_k over cells (fixed weights). */
function weighted(psis: readonly Float64Array[], w: readonly number[], n: number): Float64Array {
  const out = new Float64Array(n);
  for (let k = 0; k < psis.length; k++) {
    const p = psis[k]!;
    for (let i = 0; i < n; i++) out[i]! += w[k]! * p[i]!;
  }
  return out;
}

/**
 * Weighted by cohort shares pg_k / Σ pg: the estimate, and its influence function including the effect of
 * estimating the shares: ψ_i += Σ_k att_k [(1{G_i=g_k} − pg_k)/S − Σ_j(1{G_i=g_j} − pg_j) · pg_k/S²].
 */
function shareWeighted(
  att: readonly number[],
  psis: readonly Float64Array[],
  cohorts: readonly number[],
  pg: readonly number[],
  unitCohort: Float64Array,
): Combined {
  const n = unitCohort.length;
  const S = pg.reduce((a, b) => a + b, 0);
  const w = pg.map((p) => p / S);
  const est = att.reduce((a, x, k) => a + x * w[k]!, 0);
  const psi = weighted(psis, w, n);
  const A = att.reduce((a, x, k) => a + x * pg[k]!, 0);
  for (let i = 0; i < n; i++) {
    let a = 0;
    let b = 0;
    for (let k = 0; k < cohorts.length; k++) {
      if (unitCohort[i] === cohorts[k]) {
        a += att[k]!;
        b += 1;
      }
    }
    psi[i]! += (a - A) / S - ((b - S) * A) / (S * S);
  }
  return { att: est, psi };
}

function mean(items: readonly Combined[], n: number): Combined {
  const w = items.map(() => 1 / items.length);
  return {
    att: items.reduce((a, c) => a + c.att, 0) / items.length,
    psi: weighted(
      items.map((c) => c.psi),
      w,
      n,
    ),
  };
}

export function aggregateAtt(res: AttGtResult, type: AggregationType): AttAggregate {
  const n = res.nUnits;
  const share = new Map<number, number>();
  for (const g of res.groups) share.set(g, res.unitCohort.filter((c) => c === g).length / n);
  const idx = res.cells.map((_, k) => k);
  const byShare = (which: number[]): Combined =>
    shareWeighted(
      which.map((k) => res.cells[k]!.att),
      which.map((k) => res.influence[k]!),
      which.map((k) => res.cells[k]!.group),
      which.map((k) => share.get(res.cells[k]!.group)!),
      res.unitCohort,
    );
  const term = (at: number, c: Combined): AggregateTerm => ({ at, att: c.att, se: seFromInfluence(c.psi) });
  const isPost = (k: number) => res.cells[k]!.group <= res.cells[k]!.time;

  if (type === 'simple') {
    const c = byShare(idx.filter(isPost));
    return { type, att: c.att, se: seFromInfluence(c.psi), terms: [] };
  }
  if (type === 'dynamic') {
    const events = [...new Set(res.cells.map((c) => c.time - c.group))].sort((a, b) => a - b);
    const per = events.map((e) => byShare(idx.filter((k) => res.cells[k]!.time - res.cells[k]!.group === e)));
    const overall = mean(
      per.filter((_, j) => events[j]! >= 0),
      n,
    );
    return { type, att: overall.att, se: seFromInfluence(overall.psi), terms: events.map((e, j) => term(e, per[j]!)) };
  }
  if (type === 'group') {
    // Within a cohort all cells have the same share: a plain mean of its post cells.
    const groups = res.groups.filter((g) => idx.some((k) => isPost(k) && res.cells[k]!.group === g));
    const per = groups.map((g) => {
      const which = idx.filter((k) => isPost(k) && res.cells[k]!.group === g);
      return mean(
        which.map((k) => ({ att: res.cells[k]!.att, psi: res.influence[k]! })),
        n,
      );
    });
    const overall = shareWeighted(
      per.map((c) => c.att),
      per.map((c) => c.psi),
      groups,
      groups.map((g) => share.get(g)!),
      res.unitCohort,
    );
    return { type, att: overall.att, se: seFromInfluence(overall.psi), terms: groups.map((g, j) => term(g, per[j]!)) };
  }
  const minG = Math.min(...res.groups);
  const periods = res.times.filter((t) => t >= minG && idx.some((k) => res.cells[k]!.time === t && isPost(k)));
  const per = periods.map((t) => byShare(idx.filter((k) => res.cells[k]!.time === t && isPost(k))));
  const overall = mean(per, n);
  return { type, att: overall.att, se: seFromInfluence(overall.psi), terms: periods.map((t, j) => term(t, per[j]!)) };
}
