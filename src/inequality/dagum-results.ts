/**
 * `ntl dagum` results: one Dagum decomposition per by key (year), in the documented JSON shape
 * {"results": [{"by", "n", "k", "mean", "G", "Gw", "Gnb", "Gt", "shares", "groups", "pairs"}]}.
 */
import { dagumFromGroups, type DagumResult } from './dagum.js';
import { MIN_GROUP_SIZE_DEFAULT, SmallGroups } from './group-size.js';
import { byLabel, prepareInput, type InequalityInput } from './prepare.js';
import { sortGroup } from './sorted-group.js';

export type DagumByResult = { readonly by: string | number | null; readonly n_missing: number } & Omit<DagumResult, 'warnings'>;

export interface DagumRun {
  readonly results: DagumByResult[];
  readonly warnings: string[];
}

export interface DagumByKeyOptions {
  /** Groups with fewer units with a value in a period get G_jj null (default 2); one warning names them all. */
  readonly minGroupSize?: number;
  /** How messages name the setting (default `--min-group-size`). */
  readonly setting?: string;
}

/** Dagum decomposition of `input.value` by `input.group`, separately for each `input.by` key. */
export function dagumByKey(input: InequalityInput, opts: DagumByKeyOptions = {}): DagumRun {
  const prepared = prepareInput(input, { nonnegative: true });
  const warnings = [...prepared.warnings];
  const log = new SmallGroups(opts.minGroupSize ?? MIN_GROUP_SIZE_DEFAULT);
  const results: DagumByResult[] = [];
  for (const block of prepared.blocks) {
    const groups = block.cells.filter((c) => c.values.length > 0).map((c) => sortGroup(c.group, c.values, c.weights));
    if (groups.length === 0) {
      warnings.push(`no values left${byLabel(block.by)}: skipped`);
      continue;
    }
    const { warnings: w, ...r } = dagumFromGroups(groups, { sizes: { log, by: block.by } });
    for (const x of w) warnings.push(`${x}${byLabel(block.by)}`);
    const { n, ...rest } = r;
    results.push({ by: block.by, n, n_missing: block.missing, ...rest });
  }
  warnings.push(...log.warnings({ measures: 'G_jj', overall: 'G, Gw, Gnb, Gt and shares', setting: opts.setting ?? '--min-group-size' }));
  return { results, warnings };
}
