/**
 * `ntl dagum` results: one Dagum decomposition per by key (year), in the documented JSON shape
 * {"results": [{"by", "n", "k", "mean", "G", "Gw", "Gnb", "Gt", "shares", "groups", "pairs"}]}.
 */
import { dagumFromGroups, type DagumResult } from './dagum.js';
import { byLabel, prepareInput, type InequalityInput } from './prepare.js';
import { sortGroup } from './sorted-group.js';

export type DagumByResult = { readonly by: string | number | null; readonly n_missing: number } & Omit<DagumResult, 'warnings'>;

export interface DagumRun {
  readonly results: DagumByResult[];
  readonly warnings: string[];
}

/** Dagum decomposition of `input.value` by `input.group`, separately for each `input.by` key. */
export function dagumByKey(input: InequalityInput): DagumRun {
  const prepared = prepareInput(input, { nonnegative: true });
  const warnings = [...prepared.warnings];
  const results: DagumByResult[] = [];
  for (const block of prepared.blocks) {
    const groups = block.cells.filter((c) => c.values.length > 0).map((c) => sortGroup(c.group, c.values, c.weights));
    if (groups.length === 0) {
      warnings.push(`no values left${byLabel(block.by)}: skipped`);
      continue;
    }
    const { warnings: w, ...r } = dagumFromGroups(groups);
    for (const x of w) warnings.push(`${x}${byLabel(block.by)}`);
    const { n, ...rest } = r;
    results.push({ by: block.by, n, n_missing: block.missing, ...rest });
  }
  return { results, warnings };
}
