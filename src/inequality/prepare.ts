/**
 * From columns with missing values to clean cells: rows split by the `by` key (e.g. year) and the group (e.g.
 * prefecture), missing values dropped and counted, negative values rejected with the row named.
 */
import { NtlError } from '../errors.js';
import { NEGATIVE_WHY } from './gini.js';

/** Columnar input: one entry per row (the long panel's columns as they are). */
export interface InequalityInput {
  readonly value: ArrayLike<number | null>;
  /** Group id per row (e.g. parent_id); omitted = all rows one group. */
  readonly group?: ArrayLike<string | null> | null;
  /** By key per row (e.g. year); omitted = all rows one set. */
  readonly by?: ArrayLike<string | number | null> | null;
  /** Population weight per row; omitted = unweighted. */
  readonly weight?: ArrayLike<number | null> | null;
  /** Names row i in error messages, e.g. `panel.csv line 12`; default `row i+1`. */
  readonly where?: (row: number) => string;
  /** Column names for messages. */
  readonly valueName?: string;
  readonly weightName?: string;
}

export interface Cell {
  readonly group: string;
  readonly values: Float64Array;
  readonly weights: Float64Array | null;
  /** Rows of this (by, group) dropped for a missing value or weight. */
  readonly missing: number;
}

export interface ByBlock {
  /** The by key as given (number or string); null when there is no by column. */
  readonly by: string | number | null;
  /** Cells sorted by group id (string order). */
  readonly cells: readonly Cell[];
  readonly missing: number;
}

export interface PreparedInput {
  readonly blocks: readonly ByBlock[];
  /** True when every by key is a number (or numeric text): the key column is numeric and sorted numerically. */
  readonly numericBy: boolean;
  readonly weighted: boolean;
  readonly warnings: string[];
}

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function prepareInput(input: InequalityInput, opts: { nonnegative: boolean }): PreparedInput {
  const n = input.value.length;
  const where = input.where ?? ((i: number) => `row ${i + 1}`);
  const valueName = input.valueName ?? 'value';
  const weightName = input.weightName ?? 'weight';
  for (const [name, col] of [
    ['group', input.group],
    ['by', input.by],
    ['weight', input.weight],
  ] as const) {
    if (col && col.length !== n) throw new NtlError(`inequality input: ${n} values but ${col.length} ${name} entries; give one per row`);
  }
  const weighted = Boolean(input.weight);
  type Acc = { values: number[]; weights: number[]; missing: number };
  const blocks = new Map<string, { key: string | number | null; groups: Map<string, Acc>; missing: number }>();
  let noGroup = 0;
  let noBy = 0;
  let noValue = 0;
  let zeroWeight = 0;
  for (let i = 0; i < n; i++) {
    const rawBy = input.by ? input.by[i] : null;
    if (input.by && (rawBy === null || rawBy === undefined || rawBy === '')) {
      noBy++;
      continue;
    }
    const byKey = rawBy === null || rawBy === undefined ? '' : String(rawBy);
    const g = input.group ? input.group[i] : '';
    if (g === null || g === undefined || (input.group && g === '')) {
      noGroup++;
      continue;
    }
    let block = blocks.get(byKey);
    if (!block) blocks.set(byKey, (block = { key: input.by ? (rawBy as string | number) : null, groups: new Map(), missing: 0 }));
    let acc = block.groups.get(g);
    if (!acc) block.groups.set(g, (acc = { values: [], weights: [], missing: 0 }));
    const v = input.value[i];
    const w = input.weight ? input.weight[i] : 1;
    if (v === null || v === undefined || !Number.isFinite(v) || w === null || w === undefined || !Number.isFinite(w)) {
      acc.missing++;
      block.missing++;
      noValue++;
      continue;
    }
    if (w < 0) throw new NtlError(`${where(i)}: ${weightName} is negative (${w}); population weights must be ≥ 0`);
    if (w === 0) {
      zeroWeight++;
      continue;
    }
    if (opts.nonnegative && v < 0) throw new NtlError(`${where(i)}: ${valueName} is negative (${v}); ${NEGATIVE_WHY}`);
    acc.values.push(v);
    acc.weights.push(w);
  }
  const warnings: string[] = [];
  if (noValue > 0) warnings.push(`${noValue} row(s) with a missing ${valueName}${weighted ? ` or ${weightName}` : ''} dropped (counted in n_missing)`);
  if (noGroup > 0) warnings.push(`${noGroup} row(s) without a group id dropped`);
  if (noBy > 0) warnings.push(`${noBy} row(s) without a by key dropped`);
  if (zeroWeight > 0) warnings.push(`${zeroWeight} row(s) with ${weightName} 0 dropped (they carry no population)`);

  const keys = [...blocks.values()];
  const numericBy = keys.every((b) => b.key === null || Number.isFinite(Number(b.key)));
  keys.sort((a, b) => (numericBy ? Number(a.key) - Number(b.key) : byString(String(a.key), String(b.key))));
  return {
    numericBy,
    weighted,
    warnings,
    blocks: keys.map((b) => ({
      by: b.key === null ? null : numericBy ? Number(b.key) : String(b.key),
      missing: b.missing,
      cells: [...b.groups.entries()]
        .sort((x, y) => byString(x[0], y[0]))
        .map(([group, acc]) => ({
          group,
          values: Float64Array.from(acc.values),
          weights: weighted ? Float64Array.from(acc.weights) : null,
          missing: acc.missing,
        })),
    })),
  };
}

export function byLabel(by: string | number | null): string {
  return by === null ? '' : ` (by ${by})`;
}
