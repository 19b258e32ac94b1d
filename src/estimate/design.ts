/**
 * Design diagnostics of a DID-family estimation sample: who is treated when, and so who identifies the effect.
 * A TWFE β is identified by units that switch from untreated to treated inside the sample (and, unhelpfully, by
 * comparisons against always-treated units); when most treated units are treated from their first observed
 * period, or only a handful switch, the estimate rests on very few units and the reader must be told.
 */

export interface Design {
  readonly units: number;
  readonly periods: number;
  /** Units never treated in the sample (includes cohorts after the last period). */
  readonly never_treated: number;
  /** Units treated in the first period they are observed. */
  readonly always_treated: number;
  /** Units observed untreated, then treated. */
  readonly switchers: number;
  /** Units per first treated period (observed in the sample), keyed by the period. */
  readonly cohorts: Readonly<Record<string, number>>;
  /** Treated units with no observed period before their first treated period (= always-treated units). */
  readonly treated_without_pre_period: number;
  /** Cohorts none of whose units is observed before treatment. */
  readonly cohorts_without_pre_period: readonly number[];
  readonly singletons_dropped: number;
  /** 'continuous' when the treatment is not 0/1: the counts treat any non-zero value as treated. */
  readonly treatment?: 'continuous';
}

export interface DesignReport {
  readonly design: Design;
  readonly warnings: readonly string[];
}

/** Below this many switchers the effect is identified by too few units to trust a cluster-robust SE. */
export const FEW_SWITCHERS = 10;

/**
 * unit: unit code 0..U−1 per observation; time per observation; treatedAt(u) = first treated period of unit u
 * (NaN = never), or derived from a 0/1 treatment column when `firstTreated` is null.
 */
export function designOf(
  unit: Int32Array,
  units: number,
  time: Float64Array,
  firstTreated: Float64Array | null,
  treat: Float64Array | null,
  singletons = 0,
): DesignReport {
  const firstSeen = new Float64Array(units).fill(Infinity);
  const firstOn = new Float64Array(units).fill(Infinity);
  const periods = new Set<number>();
  for (let i = 0; i < unit.length; i++) {
    const u = unit[i]!;
    const t = time[i]!;
    periods.add(t);
    if (t < firstSeen[u]!) firstSeen[u] = t;
    if (!firstTreated && treat && treat[i] !== 0 && t < firstOn[u]!) firstOn[u] = t;
  }
  const lastPeriod = Math.max(...periods);
  let never = 0;
  let always = 0;
  let switchers = 0;
  const cohorts = new Map<number, { n: number; withPre: number }>();
  for (let u = 0; u < units; u++) {
    if (firstSeen[u] === Infinity) continue; // unit code without rows (filtered out)
    const g = firstTreated ? firstTreated[u]! : firstOn[u]!;
    if (!Number.isFinite(g) || g > lastPeriod) {
      never++;
      continue;
    }
    const c = cohorts.get(g) ?? { n: 0, withPre: 0 };
    c.n++;
    if (firstSeen[u]! < g) {
      switchers++;
      c.withPre++;
    } else always++;
    cohorts.set(g, c);
  }
  const sorted = [...cohorts.entries()].sort((a, b) => a[0] - b[0]);
  const design: Design = {
    units: never + always + switchers,
    periods: periods.size,
    never_treated: never,
    always_treated: always,
    switchers,
    cohorts: Object.fromEntries(sorted.map(([g, c]) => [String(g), c.n])),
    treated_without_pre_period: always,
    cohorts_without_pre_period: sorted.filter(([, c]) => c.withPre === 0).map(([g]) => g),
    singletons_dropped: singletons,
  };
  return { design, warnings: designWarnings(design) };
}

export function designWarnings(d: Design): string[] {
  const out: string[] = [];
  const treated = d.always_treated + d.switchers;
  if (treated === 0) return out;
  if (d.always_treated > d.switchers) {
    out.push(
      `${d.always_treated} of ${treated} treated units are treated in the first period they are observed (always-treated): ` +
        `they have no pre-period, so the effect is identified by the ${d.switchers} switcher${d.switchers === 1 ? '' : 's'} only, and TWFE also compares switchers against them as controls`,
    );
  }
  if (d.switchers < FEW_SWITCHERS) {
    out.push(
      `only ${d.switchers} unit${d.switchers === 1 ? '' : 's'} switch${d.switchers === 1 ? 'es' : ''} from untreated to treated in the sample: the estimate rests on very few units; read it and its standard error with caution`,
    );
  }
  if (d.cohorts_without_pre_period.length > 0) {
    out.push(
      `cohort${d.cohorts_without_pre_period.length === 1 ? '' : 's'} ${d.cohorts_without_pre_period.join(', ')} ha${d.cohorts_without_pre_period.length === 1 ? 's' : 've'} no pre-treatment period in the sample: no unit of ${d.cohorts_without_pre_period.length === 1 ? 'it' : 'them'} is observed untreated`,
    );
  }
  if (d.never_treated === 0) out.push('no never-treated unit: every comparison is between treatment cohorts (later-treated units serve as controls)');
  return out;
}
