/**
 * County gap (methods.md §2): gap_it = E_it / M_t, M_t the reference level of year t over all units with a value
 * that year — the median (main specification), the mean, or the 90th percentile (type 7, R's default quantile)
 * as robustness variants. Missing values (and rows without a by key) get a missing gap, never NaN.
 */
import { listShort } from './group-size.js';
import { medianSorted, meanOf, quantileSorted } from './quantile.js';

export type GapReference = 'median' | 'mean' | 'p90';
export const GAP_REFERENCES: readonly GapReference[] = ['median', 'mean', 'p90'];

export interface GapResult {
  /**
   * value / reference per row; null where the value, the by key or the reference is missing or 0, and where the
   * by key has a single row with a value (its reference is itself: 1 by construction).
   */
  readonly values: (number | null)[];
  /** The reference level per by key (String(key)), in first-seen order; by keys with a single value have none. */
  readonly references: ReadonlyMap<string, number>;
  readonly warnings: string[];
}

export function referenceLevel(sorted: Float64Array, ref: GapReference): number {
  switch (ref) {
    case 'median':
      return medianSorted(sorted);
    case 'mean':
      return meanOf(sorted);
    case 'p90':
      return quantileSorted(sorted, 0.9);
  }
}

/**
 * The gap column for `values` (null = missing) with references computed within each `byKeys` value (null byKeys
 * = one reference over all rows).
 */
export function gapColumn(values: ArrayLike<number | null>, byKeys: ArrayLike<string | number | null> | null, ref: GapReference): GapResult {
  const n = values.length;
  const keyOf = (i: number): string | null => {
    if (byKeys === null) return '';
    const k = byKeys[i];
    return k === null || k === undefined ? null : String(k);
  };
  const rowsByKey = new Map<string, number[]>();
  let noKey = 0;
  let missing = 0;
  for (let i = 0; i < n; i++) {
    const k = keyOf(i);
    if (k === null) {
      noKey++;
      continue;
    }
    const v = values[i];
    if (v === null || v === undefined || !Number.isFinite(v)) {
      missing++;
      continue;
    }
    let list = rowsByKey.get(k);
    if (!list) rowsByKey.set(k, (list = []));
    list.push(i);
  }
  const warnings: string[] = [];
  const out: (number | null)[] = new Array<number | null>(n).fill(null);
  const references = new Map<string, number>();
  const zeroRefs: string[] = [];
  const single: string[] = [];
  const label = (k: string) => (byKeys === null ? 'all rows' : k.split('\u0000').join(' '));
  for (const [k, rows] of rowsByKey) {
    if (rows.length === 1) {
      // The reference of one unit is that unit: a gap of 1 by construction says nothing about where it stands.
      single.push(label(k));
      continue;
    }
    const sorted = Float64Array.from(rows, (i) => values[i] as number).sort();
    const level = referenceLevel(sorted, ref);
    references.set(k, level);
    if (level === 0) {
      zeroRefs.push(label(k));
      continue;
    }
    for (const i of rows) out[i] = (values[i] as number) / level;
  }
  if (missing > 0) warnings.push(`${missing} row(s) have no value: their gap is left empty`);
  if (noKey > 0) warnings.push(`${noKey} row(s) have no by key: their gap is left empty`);
  if (single.length > 0)
    warnings.push(
      `${single.length} by key(s) have a single row with a value (${listShort(single)}): the ${ref} of one unit is that unit, so its gap would be 1 by construction; left empty`,
    );
  if (zeroRefs.length > 0) warnings.push(`the ${ref} is 0 for ${zeroRefs.join(', ')}: a gap relative to 0 is undefined, left empty`);
  return { values: out, references, warnings };
}
