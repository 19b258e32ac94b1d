/**
 * Inequality measures as a panel Table ready to join: one row per (group, by) — e.g. each prefecture's Gini of
 * its counties per year — or one row per by key with the decompositions (level "by").
 */
import { NtlError } from '../errors.js';
import { columnLabel, ROLE_LABELS } from '../output/labels.js';
import type { Column, Table } from '../output/table.js';
import { dagumFromGroups } from './dagum.js';
import { giniSorted } from './gini.js';
import { MIN_GROUP_SIZE_DEFAULT, SmallGroups } from './group-size.js';
import { byLabel, prepareInput, type ByBlock, type InequalityInput, type PreparedInput } from './prepare.js';
import { sortGroup } from './sorted-group.js';
import { coefficientOfVariation, theilDecomposition, theilL, theilT } from './theil.js';
import { sumOf, weightedSumOf } from './sum.js';

export const INEQUALITY_MEASURES = ['gini', 'theil', 'theil_l', 'cv', 'dagum'] as const;
export type InequalityMeasure = (typeof INEQUALITY_MEASURES)[number];

export interface InequalityPanelOptions {
  readonly measures: readonly InequalityMeasure[];
  /** "group": a row per (group, by) (default when a group column is given); "by": a row per by key. */
  readonly level?: 'group' | 'by';
  /** Output column names of the keys (default group_id and by). */
  readonly groupName?: string;
  readonly byName?: string;
  /**
   * Per-group measures of a group with fewer units with a value in a period are left empty (default 2: the
   * inequality within one unit is undefined); so are all measures of a period with fewer units in all.
   */
  readonly minGroupSize?: number;
  /** How warnings name that setting (default `--min-group-size`). */
  readonly setting?: string;
  /**
   * A collector shared by several calls (e.g. one per series, context = the series): its min_group_size applies,
   * and the size-rule warnings are left to the caller (smallGroupWarnings), so they come once.
   */
  readonly sizes?: { readonly log: SmallGroups; readonly context?: string | null };
}

export interface InequalityPanelResult {
  readonly table: Table;
  readonly warnings: string[];
}

export function isInequalityMeasure(s: string): s is InequalityMeasure {
  return (INEQUALITY_MEASURES as readonly string[]).includes(s);
}

type Num = number | null;

export function inequalityPanel(input: InequalityInput, options: InequalityPanelOptions): InequalityPanelResult {
  const measures = [...new Set(options.measures)];
  if (measures.length === 0) throw new NtlError(`no inequality measure chosen; pick one or more of ${INEQUALITY_MEASURES.join(', ')}`);
  const hasGroup = Boolean(input.group);
  const level = options.level ?? (hasGroup ? 'group' : 'by');
  if (measures.includes('dagum') && !hasGroup) throw new NtlError('the dagum measure decomposes by groups: give a group column (e.g. --group parent_id)');
  if (level === 'group' && !hasGroup) throw new NtlError('level "group" needs a group column (e.g. --group parent_id)');
  // Every measure except cv is defined only for nonnegative values.
  const prepared = prepareInput(input, { nonnegative: measures.some((m) => m !== 'cv') });
  const groupName = options.groupName ?? 'group_id';
  const byName = options.byName ?? 'by';
  const log = options.sizes?.log ?? new SmallGroups(options.minGroupSize ?? MIN_GROUP_SIZE_DEFAULT);
  const sizes = { log, context: options.sizes?.context ?? null };
  const out = level === 'group' ? groupRows(prepared, measures, sizes) : byRows(prepared, measures, hasGroup, sizes);
  if (!options.sizes) out.warnings.push(...smallGroupWarnings(log, measures, level, options.setting));
  const columns: Column[] = [];
  if (level === 'group') columns.push({ name: groupName, type: 'string', label: columnLabel(groupName, ROLE_LABELS.group), values: out.groups });
  if (input.by) {
    const label = columnLabel(byName, ROLE_LABELS.period);
    columns.push(
      prepared.numericBy
        ? {
            name: byName,
            type: out.byKeys.every((k) => Number.isInteger(k) && Math.abs(k as number) < 2 ** 31) ? 'int32' : 'float64',
            label,
            values: out.byKeys as Num[],
          }
        : { name: byName, type: 'string', label, values: out.byKeys.map((k) => (k === null ? null : String(k))) },
    );
  }
  let overflow = 0;
  for (const [name, c] of out.columns) {
    // Never NaN or ±Infinity in an output (sums of values near the float limit): empty, with a warning.
    const values = c.map((x) => (x === null || Number.isFinite(x) ? x : (overflow++, null)));
    columns.push({ name, type: name === 'n' || name === 'n_missing' || name === 'k' ? 'int32' : 'float64', label: LABELS[name], values });
  }
  if (overflow > 0) out.warnings.push(`${overflow} result(s) overflowed double precision (values near 1e308?) and are left empty; rescale the values`);
  return { table: { columns }, warnings: [...prepared.warnings, ...out.warnings] };
}

/** Per-group and per-period columns the size rule empties, as the warnings and run.json name them. */
export function sizeRuleColumns(measures: readonly InequalityMeasure[], level: 'group' | 'by'): { perGroup: string[]; overall: string[] } {
  const dagum = ['G', 'Gw', 'Gnb', 'Gt'];
  if (level === 'group') return { perGroup: measures.map((m) => (m === 'dagum' ? 'G_jj' : m)), overall: measures.includes('dagum') ? dagum : [] };
  return { perGroup: [], overall: measures.flatMap((m) => (m === 'dagum' ? [...dagum, 'shares'] : [m])) };
}

/** The (at most two) warnings of the size rule for inequalityPanel calls that shared `log`. */
export function smallGroupWarnings(log: SmallGroups, measures: readonly InequalityMeasure[], level: 'group' | 'by', setting = '--min-group-size'): string[] {
  const { perGroup, overall } = sizeRuleColumns(measures, level);
  return log.warnings({ measures: perGroup.join(', '), overall: overall.join(', '), setting });
}

const LABELS: Record<string, string> = {
  n: 'Units with a value',
  n_missing: 'Units dropped (missing value)',
  k: 'Groups',
  mean: 'Mean (weighted if weights)',
  gini: 'Gini coefficient',
  theil: 'Theil T (GE(1))',
  theil_within: 'Theil T within groups',
  theil_between: 'Theil T between groups',
  theil_l: 'Theil L (mean log deviation)',
  theil_l_within: 'Theil L within groups',
  theil_l_between: 'Theil L between groups',
  cv: 'Coefficient of variation (population sd)',
  G_jj: 'Dagum within-group Gini',
  G: 'Dagum overall Gini',
  Gw: 'Dagum within-group contribution',
  Gnb: 'Dagum net between-group contribution',
  Gt: 'Dagum transvariation contribution',
  Gw_share: 'Gw share of G (%)',
  Gnb_share: 'Gnb share of G (%)',
  Gt_share: 'Gt share of G (%)',
};

interface Rows {
  groups: (string | null)[];
  byKeys: (string | number | null)[];
  columns: Map<string, Num[]>;
  warnings: string[];
}

function newRows(names: readonly string[]): Rows {
  return { groups: [], byKeys: [], columns: new Map(names.map((n) => [n, []])), warnings: [] };
}

function push(rows: Rows, values: Record<string, Num>): void {
  for (const [name, col] of rows.columns) col.push(values[name] ?? null);
}

interface Sizes {
  readonly log: SmallGroups;
  readonly context: string | null;
}

const NO_DAGUM: Record<string, Num> = { G: null, Gw: null, Gnb: null, Gt: null, Gw_share: null, Gnb_share: null, Gt_share: null };

function unitsOf(block: ByBlock): number {
  return block.cells.reduce((s, c) => s + c.values.length, 0);
}

function groupRows(prepared: PreparedInput, measures: readonly InequalityMeasure[], sizes: Sizes): Rows {
  const names = ['n', 'n_missing', 'mean'];
  for (const m of measures) names.push(...(m === 'dagum' ? ['G_jj', 'G', 'Gw', 'Gnb', 'Gt'] : [m]));
  const rows = newRows(names);
  const zeroMean: string[] = [];
  const zeroValue: string[] = [];
  const cells: { group: string; by: string | number | null; values: Record<string, Num> }[] = [];
  const { log, context } = sizes;
  for (const block of prepared.blocks) {
    // A period with too few units: its G … Gt are empty (every group in it is then too small as well).
    const fewUnits = log.period(block.by, unitsOf(block), context);
    const overall = measures.includes('dagum') ? (fewUnits ? NO_DAGUM : blockDagum(block, log.minGroupSize)) : null;
    for (const c of block.cells) {
      const v: Record<string, Num> = { n: c.values.length, n_missing: c.missing };
      if (c.values.length > 0) {
        const sorted = sortGroup(c.group, c.values, c.weights);
        v.mean = sorted.Y / sorted.W;
        if (log.group(c.group, block.by, c.values.length, context)) {
          // Fewer units than min_group_size: the within-group measures stay empty; n, mean and the period's G stay.
          if (overall) Object.assign(v, overall);
          cells.push({ group: c.group, by: block.by, values: v });
          continue;
        }
        if (sorted.Y === 0) zeroMean.push(`${c.group}${byLabel(block.by)}`);
        const g = giniSorted(sorted);
        for (const m of measures) {
          if (m === 'gini') v.gini = g;
          else if (m === 'theil') v.theil = theilT(c.values, c.weights);
          else if (m === 'theil_l') {
            v.theil_l = theilL(c.values, c.weights);
            if (v.theil_l === null && sorted.Y !== 0) zeroValue.push(`${c.group}${byLabel(block.by)}`);
          } else if (m === 'cv') v.cv = coefficientOfVariation(c.values, c.weights);
          else Object.assign(v, { G_jj: g, ...overall });
        }
      } else if (overall) Object.assign(v, overall);
      cells.push({ group: c.group, by: block.by, values: v });
    }
  }
  // Keyed by group then by (the order a city × year panel is read in).
  const byOrder = new Map(prepared.blocks.map((b, i) => [b.by, i]));
  cells.sort((a, b) => (a.group < b.group ? -1 : a.group > b.group ? 1 : byOrder.get(a.by)! - byOrder.get(b.by)!));
  for (const c of cells) {
    rows.groups.push(c.group);
    rows.byKeys.push(c.by);
    push(rows, c.values);
  }
  if (zeroMean.length > 0)
    rows.warnings.push(`${zeroMean.length} group-period(s) have mean 0, so their Gini/Theil/CV are undefined (left empty): ${short(zeroMean)}`);
  if (zeroValue.length > 0)
    rows.warnings.push(`theil_l is undefined when a value is 0 (ln(μ/0)); left empty for ${zeroValue.length} group-period(s): ${short(zeroValue)}`);
  return rows;
}

/** The period's G … Gt over every unit (group sizes only decide G_jj, which is computed by the caller). */
function blockDagum(block: ByBlock, minGroupSize: number): Record<string, Num> {
  const groups = block.cells.filter((c) => c.values.length > 0).map((c) => sortGroup(c.group, c.values, c.weights));
  if (groups.length === 0) return { G: null, Gw: null, Gnb: null, Gt: null };
  const r = dagumFromGroups(groups, { minGroupSize });
  return { G: r.G, Gw: r.Gw, Gnb: r.Gnb, Gt: r.Gt, Gw_share: r.shares.Gw, Gnb_share: r.shares.Gnb, Gt_share: r.shares.Gt, k: r.k };
}

function byRows(prepared: PreparedInput, measures: readonly InequalityMeasure[], hasGroup: boolean, sizes: Sizes): Rows {
  const names = ['n', 'n_missing', ...(hasGroup ? ['k'] : []), 'mean'];
  for (const m of measures) {
    if (m === 'dagum') names.push('G', 'Gw', 'Gnb', 'Gt', 'Gw_share', 'Gnb_share', 'Gt_share');
    else if (m === 'theil' && hasGroup) names.push('theil', 'theil_within', 'theil_between');
    else if (m === 'theil_l' && hasGroup) names.push('theil_l', 'theil_l_within', 'theil_l_between');
    else names.push(m);
  }
  const rows = newRows(names);
  const zeroMean: string[] = [];
  const zeroValue: string[] = [];
  for (const block of prepared.blocks) {
    const cells = block.cells.filter((c) => c.values.length > 0);
    const all = concatCells(cells);
    const v: Record<string, Num> = { n: all.values.length, n_missing: block.missing, k: cells.length };
    if (all.values.length > 0) {
      const W = all.weights === null ? all.values.length : sumOf(all.weights);
      v.mean = weightedSumOf(all.values, all.weights) / W;
    }
    // Too few units in the period: every measure stays empty (n, k and mean are kept).
    if (all.values.length > 0 && !sizes.log.period(block.by, all.values.length, sizes.context)) {
      const needsTheil = measures.includes('theil') || measures.includes('theil_l');
      const dec = needsTheil && hasGroup ? theilDecomposition(cells.map((c) => ({ id: c.group, values: c.values, weights: c.weights }))) : null;
      for (const m of measures) {
        if (m === 'gini') v.gini = giniSorted(sortGroup('all', all.values, all.weights));
        else if (m === 'theil')
          Object.assign(v, dec ? { theil: dec.T, theil_within: dec.T_within, theil_between: dec.T_between } : { theil: theilT(all.values, all.weights) });
        else if (m === 'theil_l')
          Object.assign(
            v,
            dec ? { theil_l: dec.L, theil_l_within: dec.L_within, theil_l_between: dec.L_between } : { theil_l: theilL(all.values, all.weights) },
          );
        else if (m === 'cv') v.cv = coefficientOfVariation(all.values, all.weights);
        else Object.assign(v, blockDagum(block, sizes.log.minGroupSize));
      }
      if (v.mean === 0) zeroMean.push(`${block.by ?? 'all rows'}`);
      else if (measures.includes('theil_l') && v.theil_l === null) zeroValue.push(`${block.by ?? 'all rows'}`);
    }
    rows.groups.push(null);
    rows.byKeys.push(block.by);
    push(rows, v);
  }
  if (zeroMean.length > 0)
    rows.warnings.push(`${zeroMean.length} period(s) have mean 0, so their Gini/Theil/CV and decompositions are undefined (left empty): ${short(zeroMean)}`);
  if (zeroValue.length > 0)
    rows.warnings.push(`theil_l is undefined when a value is 0 (ln(μ/0)); left empty for ${zeroValue.length} period(s): ${short(zeroValue)}`);
  return rows;
}

function concatCells(cells: ByBlock['cells']): { values: Float64Array; weights: Float64Array | null } {
  const n = cells.reduce((s, c) => s + c.values.length, 0);
  const values = new Float64Array(n);
  const weights = cells.some((c) => c.weights !== null) ? new Float64Array(n) : null;
  let at = 0;
  for (const c of cells) {
    values.set(c.values, at);
    if (weights !== null && c.weights !== null) weights.set(c.weights, at);
    at += c.values.length;
  }
  return { values, weights };
}

function short(items: readonly string[]): string {
  return items.length <= 5 ? items.join(', ') : `${items.slice(0, 5).join(', ')}, … ${items.length - 5} more`;
}
