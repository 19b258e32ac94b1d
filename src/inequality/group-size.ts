/**
 * The small-group rule (issue 14): the inequality *within* fewer than `min_group_size` units is undefined — a
 * prefecture of one county has no within-prefecture inequality, and reporting 0 would pass a construction off as a
 * measurement (and move any regression on it). Per-group measures of such a group-period are left empty (null);
 * measures of a whole period (year) with fewer than `min_group_size` units likewise. Decompositions of a period
 * still use every unit.
 *
 * One definition of the option — default, validation, help text — used by `ntl dagum`, `ntl inequality` and the
 * pipeline's `inequality.min_group_size`, so they cannot drift.
 */
import { z } from 'zod';
import { NtlError } from '../errors.js';
import { MIN_GROUP_SIZE_DEFAULT } from './group-size-text.js';

export { MIN_GROUP_SIZE_DEFAULT, minGroupSizeText } from './group-size-text.js';

const WHOLE = 'must be a whole number ≥ 1';

/** `inequality.min_group_size` in a pipeline and `--min-group-size` on the command line both validate with this. */
export const minGroupSizeSchema = z.number({ error: WHOLE }).int(WHOLE).min(1, WHOLE).default(MIN_GROUP_SIZE_DEFAULT);

/** The flag, for the commands' parseArgs tables. */
export const MIN_GROUP_SIZE_FLAG = { 'min-group-size': { type: 'string' } } as const;

export function minGroupSizeHelp(measures: string): string {
  return `  --min-group-size <N>
                     per-group measures (${measures}) of a group with fewer than N units with a
                     value in a year are empty there (undefined, not 0), with one warning naming the groups;
                     n and mean stay filled, and the year's overall measures still use every unit. A year
                     with fewer than N units in all gets empty overall measures. Default ${MIN_GROUP_SIZE_DEFAULT} (one unit has
                     no within-group inequality); 1 keeps such groups at 0 by construction, with a warning
`;
}

/** The flag's value (undefined = the default), or one `ntl <command>: --min-group-size …` error. */
export function parseMinGroupSize(command: string, raw: string | boolean | undefined): number {
  if (raw === undefined) return MIN_GROUP_SIZE_DEFAULT;
  const text = String(raw).trim();
  const r = minGroupSizeSchema.safeParse(text === '' ? Number.NaN : Number(text));
  if (!r.success) throw new NtlError(`ntl ${command}: --min-group-size ${r.error.issues[0]?.message ?? WHOLE}, got "${String(raw)}"`);
  return r.data;
}

type Key = string | number | null;

export interface SmallGroup {
  readonly id: string;
  /** e.g. the series (source) in a pipeline. */
  readonly context: string | null;
  /** The periods (by keys) in which the group had fewer units than the rule, in the order seen. */
  readonly by: Key[];
  /** Its unit count in each of those periods. */
  readonly n: number[];
}

export interface SmallPeriod {
  readonly by: Key;
  readonly context: string | null;
  readonly n: number;
}

/**
 * Applies the rule and remembers what it hit, so a caller running it over many periods (and series) can warn once
 * and record the groups (run.json). With min_group_size 1 nothing is emptied, but single-unit groups and periods
 * are still recorded and warned about: their 0 is a construction.
 */
export class SmallGroups {
  private readonly groupMap = new Map<string, SmallGroup>();
  private readonly periodList: SmallPeriod[] = [];

  constructor(readonly minGroupSize: number = MIN_GROUP_SIZE_DEFAULT) {
    if (!(Number.isInteger(minGroupSize) && minGroupSize >= 1)) throw new NtlError(`min group size ${WHOLE}, got ${minGroupSize}`);
  }

  /** True when within-group measures of n units (n ≥ 1) are left empty. */
  empties(n: number): boolean {
    return n > 0 && n < this.minGroupSize;
  }

  /** Records a group-period of n units (n ≥ 1) if the rule concerns it; returns whether its measures are emptied. */
  group(id: string, by: Key, n: number, context: string | null = null): boolean {
    if (n > 0 && n < Math.max(this.minGroupSize, 2)) {
      const key = `${context ?? ''}\u0000${id}`;
      let g = this.groupMap.get(key);
      if (!g) this.groupMap.set(key, (g = { id, context, by: [], n: [] }));
      g.by.push(by);
      g.n.push(n);
    }
    return this.empties(n);
  }

  /** Same for a whole period (all groups together). */
  period(by: Key, n: number, context: string | null = null): boolean {
    if (n > 0 && n < Math.max(this.minGroupSize, 2)) this.periodList.push({ by, context, n });
    return this.empties(n);
  }

  /** Recorded groups, by context then id (string order). */
  groups(): SmallGroup[] {
    const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    return [...this.groupMap.values()].sort((a, b) => cmp(a.context ?? '', b.context ?? '') || cmp(a.id, b.id));
  }

  periods(): SmallPeriod[] {
    return [...this.periodList];
  }

  /**
   * At most one warning about groups and one about periods. `measures`: the per-group measures concerned (e.g.
   * "gini, G_jj"); `overall`: the period measures (either empty: no warning of that kind); `setting`: how the
   * user sets the rule (`--min-group-size`).
   */
  warnings(o: { readonly measures: string; readonly overall: string; readonly setting: string }): string[] {
    const out: string[] = [];
    const min = this.minGroupSize;
    const groups = o.measures === '' ? [] : this.groups();
    if (groups.length > 0) {
      const ids = [...new Set(groups.map((g) => g.id))].sort();
      const cells = groups.reduce((s, g) => s + g.by.length, 0);
      const head = `${ids.length} group(s) have ${min <= 2 ? 'a single unit' : `fewer than ${min} units`} with a value in some year (${cells} group-year(s)): ${listShort(ids)}`;
      const kept = "n and mean are kept; each year's overall measures still use every unit";
      out.push(
        min === 1
          ? `${o.setting} 1: ${head}; their within-group inequality (${o.measures}) is 0 by construction, not a measured equality — leave ${o.setting} at ${MIN_GROUP_SIZE_DEFAULT} to have it empty`
          : min === 2
            ? `${o.setting} 2: ${head}; the inequality within a single unit is undefined (not 0), so their ${o.measures} are left empty (${kept})`
            : `${o.setting} ${min}: ${head}; their ${o.measures} are left empty as too small to measure (${kept})`,
      );
    }
    const periods = o.overall === '' ? [] : this.periods();
    if (periods.length > 0) {
      const labels = periods.map((p) => `${p.by === null ? 'all rows' : p.by}${p.context === null ? '' : ` (${p.context})`}: ${p.n} unit(s)`);
      out.push(
        min === 1
          ? `${o.setting} 1: ${periods.length} year(s) have a single unit with a value (${listShort(labels)}); their ${o.overall} are 0 by construction`
          : `${o.setting} ${min}: ${periods.length} year(s) have fewer than ${min} units with a value (${listShort(labels)}); their ${o.overall} are left empty${min === 2 ? ' (undefined for a single unit)' : ''}`,
      );
    }
    return out;
  }
}

/** "a, b, c, … 25 more" (first 8). */
export function listShort(items: readonly string[], max = 8): string {
  return items.length <= max ? items.join(', ') : `${items.slice(0, max).join(', ')}, … ${items.length - max} more`;
}
