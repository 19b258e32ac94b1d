/**
 * Analyses on the assembled panel, each optional and driven by its pipeline section:
 * gap (adds `<value>_gap` to the panel), inequality (city × year table), spatial (adjacency files and the
 * exposure panel). Pure functions of the panel, the zones and the pinned treatment table.
 */
import { inequalityFromPanel, sizeRuleColumns, SmallGroups, smallGroupWarnings, withGapColumn } from '../../inequality/index.js';
import { columnLabel } from '../../output/labels.js';
import type { Column, Table } from '../../output/table.js';
import { readTreatment } from '../../panel/treatment.js';
import { adjacency, edgesCsv, exposurePanel, galText } from '../../spatial/index.js';
import type { ZoneSet } from '../../vector/types.js';
import type { PanelPlan } from '../plan/types.js';

const sources = (panel: Table): string[] => {
  const c = panel.columns.find((x) => x.name === 'source');
  return c ? [...new Set(c.values.map((v) => String(v)))].sort() : [];
};

/**
 * The harmonised series (harmonise-stage.ts) fills only its own statistic; an analysis of another statistic
 * leaves it out (its gap stays empty, it has no inequality rows) instead of warning about rows that are empty by design.
 */
function skipsHarmonised(plan: PanelPlan, value: string): string | null {
  // a pixel-level harmonised series is a raster series with every statistic: nothing to skip
  return plan.harmonise?.level === 'district' && plan.harmonise.column !== value ? plan.harmonise.name : null;
}

export function addGap(panel: Table, plan: PanelPlan, warnings: string[]): Table {
  if (!plan.gap) return panel;
  const opts = { value: plan.gap.value, by: ['year', 'source'], ref: plan.gap.ref };
  const skip = skipsHarmonised(plan, plan.gap.value);
  const src = panel.columns.find((c) => c.name === 'source')?.values ?? [];
  const kept = src.flatMap((s, i) => (skip !== null && s === skip ? [] : [i]));
  if (kept.length === src.length) {
    const r = withGapColumn(panel, opts);
    warnings.push(...r.warnings);
    return r.table;
  }
  // Gap by year × source: computing it without the skipped rows changes no other row's value.
  const sub: Table = { columns: panel.columns.map((c) => ({ ...c, values: kept.map((i) => c.values[i] ?? null) }) as Column) };
  const r = withGapColumn(sub, opts);
  warnings.push(...r.warnings);
  const gap = r.table.columns[r.table.columns.length - 1]!;
  const values: (number | null)[] = src.map(() => null);
  kept.forEach((i, k) => {
    values[i] = (gap.values[k] as number | null) ?? null;
  });
  return { columns: [...panel.columns, { ...gap, values } as Column] };
}

/** The inequality stage's entry in run.json: what it computed and which cells the small-group rule left empty. */
export interface InequalityRecord {
  readonly value: string;
  /** Panel column the units are grouped by (parent_id or province_id). */
  readonly group: string;
  readonly measures: readonly string[];
  readonly min_group_size: number;
  /** Present when some group had fewer than max(min_group_size, 2) units with a value in some year. */
  readonly small_groups?: {
    readonly rule: string;
    /** Columns left empty (null) for these group-years; [] with min_group_size 1 (kept at 0 by construction). */
    readonly emptied_columns: readonly string[];
    readonly groups: number;
    readonly group_years: number;
    /** By series, then group id: the years concerned and the group's unit count in each. */
    readonly list: readonly {
      readonly source: string;
      readonly group: string;
      readonly years: readonly (string | number | null)[];
      readonly n: readonly number[];
    }[];
  };
  /** Years (per series) with fewer than max(min_group_size, 2) units in all. */
  readonly small_years?: readonly {
    readonly source: string;
    readonly year: string | number | null;
    readonly n: number;
    readonly emptied_columns: readonly string[];
  }[];
  /** Prefecture-level estimation on an emptied column: the groups that leave the estimation sample. */
  readonly estimation?: { readonly outcome: string; readonly source: string; readonly excluded_groups: readonly string[]; readonly note: string };
}

export interface InequalityStageResult {
  readonly table: Table;
  readonly record: InequalityRecord;
}

/** One inequality table per series, stacked with a `source` column after the keys. */
export function inequalityTable(panel: Table, plan: PanelPlan, warnings: string[]): InequalityStageResult | null {
  if (!plan.inequality) return null;
  const { value, measures, min_group_size: minGroupSize } = plan.inequality;
  const group = plan.inequality.group === 'province' ? 'province_id' : 'parent_id';
  const parts: { source: string; table: Table }[] = [];
  const skip = skipsHarmonised(plan, value);
  // One collector over every series, so the small-group rule warns once for the whole table.
  const log = new SmallGroups(minGroupSize);
  for (const source of sources(panel)) {
    if (source === skip) continue;
    const r = inequalityFromPanel(panel, { value, group, by: 'year', where: { source }, measures, sizes: { log, context: source } });
    warnings.push(...r.warnings.map((w) => `inequality (${source}): ${w}`));
    parts.push({ source, table: r.table });
  }
  const record = inequalityRecord(plan, group, log);
  const sizeWarnings = smallGroupWarnings(log, measures, 'group', 'inequality.min_group_size');
  if (sizeWarnings.length > 0 && record.estimation) sizeWarnings[0] += `; ${record.estimation.note}`;
  warnings.push(...sizeWarnings.map((w) => `inequality: ${w} (listed in run.json under inequality)`));
  return { table: stackWithSource(parts), record };
}

function inequalityRecord(plan: PanelPlan, group: string, log: SmallGroups): InequalityRecord {
  const { value, measures, min_group_size: min } = plan.inequality!;
  const { perGroup, overall } = sizeRuleColumns(measures, 'group');
  const emptied = min > 1 ? perGroup : [];
  const small = log.groups();
  const years = log.periods();
  const est = plan.estimate;
  const excluded =
    est && est.level === 'prefecture' && emptied.includes(est.outcome) ? [...new Set(small.filter((g) => g.context === est.source).map((g) => g.id))] : [];
  return {
    value,
    group,
    measures,
    min_group_size: min,
    ...(small.length > 0
      ? {
          small_groups: {
            rule:
              min > 1
                ? `a group with fewer than ${min} units with a value in a year gets empty (null) ${perGroup.join(', ')} in that year (${min === 2 ? 'the inequality within a single unit is undefined, not 0' : `min_group_size ${min}: too small to measure`}); n and mean are kept, and the year's ${overall.length > 0 ? overall.join(', ') : 'overall measures'} still use every unit`
                : `min_group_size 1: single-unit groups are kept, their within-group ${perGroup.join(', ')} being 0 by construction (not a measured equality)`,
            emptied_columns: emptied,
            groups: new Set(small.map((g) => g.id)).size,
            group_years: small.reduce((s, g) => s + g.by.length, 0),
            list: small.map((g) => ({ source: g.context ?? '', group: g.id, years: g.by, n: g.n })),
          },
        }
      : {}),
    ...(years.length > 0 ? { small_years: years.map((p) => ({ source: p.context ?? '', year: p.by, n: p.n, emptied_columns: min > 1 ? overall : [] })) } : {}),
    ...(excluded.length > 0
      ? {
          estimation: {
            outcome: est!.outcome,
            source: est!.source,
            excluded_groups: excluded,
            note: `estimate.outcome ${est!.outcome} is empty for ${excluded.length} ${group} unit(s) of series ${est!.source} in some year, and the estimation stage drops units whose outcome is missing in any year, so they are not in the estimation sample`,
          },
        }
      : {}),
  };
}

function stackWithSource(parts: readonly { source: string; table: Table }[]): Table {
  const first = parts[0]?.table;
  if (!first) return { columns: [] };
  const keys = 2; // group column, year
  const columns: Column[] = [];
  first.columns.forEach((c, k) => {
    const values = parts.flatMap((p) => p.table.columns[k]!.values as (string | number | null)[]);
    columns.push({ ...c, values } as Column);
    if (k === keys - 1) {
      columns.push({
        name: 'source',
        type: 'string',
        label: columnLabel('source'),
        values: parts.flatMap((p) => p.table.columns[0]!.values.map(() => p.source)),
      });
    }
  });
  return { columns };
}

export interface SpatialOutputs {
  readonly files: { rel: string; data: string }[];
  readonly exposure: Table | null;
}

export async function spatialOutputs(zoneSet: ZoneSet, plan: PanelPlan, warnings: string[]): Promise<SpatialOutputs | null> {
  const sp = plan.spatial;
  if (!sp) return null;
  const adj = adjacency(zoneSet, { rule: sp.rule, snapM: sp.snapM, minSharedM: sp.minSharedM });
  warnings.push(...adj.warnings);
  if (adj.islands.length > 0) warnings.push(`adjacency: ${adj.islands.length} unit(s) without neighbours: ${adj.islands.slice(0, 10).join(', ')}`);
  const files = [
    { rel: 'adjacency.csv', data: edgesCsv(adj.pairs) },
    { rel: 'adjacency.gal', data: galText(adj.ids, adj.pairs, plan.name, plan.boundaries.idField) },
  ];
  let exposure: Table | null = null;
  if (sp.exposure) {
    const ex = sp.exposure;
    // The same treatment table as the treatment section is read with its exclusions and waves, so exposure and estimates agree.
    const same = plan.treatment && plan.treatment.file.id === ex.file.id ? plan.treatment : undefined;
    const read = await readTreatment(ex.file.file, {
      unit: ex.unit,
      time: ex.time,
      firstYear: ex.time === undefined ? ex.firstYear : undefined,
      exclude: same?.exclude,
      waves: ex.waves ?? same?.waves,
      wavesOption: `set waves: true in spatial.exposure${same ? ' or the treatment section' : ''}`,
    });
    warnings.push(...read.warnings.map((w) => `exposure: ${w}`));
    const treated = new Map<string, number>();
    const ids = new Set(adj.ids);
    let unmatched = 0;
    for (const [code, y] of read.timing) {
      if (!ids.has(code)) unmatched++;
      else treated.set(code, y);
    }
    if (unmatched > 0) warnings.push(`exposure: ${unmatched} treated unit(s) of ${ex.file.id} are not in the boundaries (other regions or code changes)`);
    exposure = exposurePanel(adj.pairs, treated, adj.ids, plan.years, ex.order, { unitColumn: 'unit_id' });
  }
  return { files, exposure };
}
