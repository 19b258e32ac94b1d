/**
 * Long panel columns → a balanced unit × time grid for the staggered-DID estimators (Bacon, CS, Sun–Abraham).
 * Units keep their order of first appearance (deterministic output); times are sorted ascending.
 */
import { NtlError } from '../errors.js';

/** A balanced panel: `rowOf[u * times.length + t]` is the input row of unit u at time t. */
export interface BalancedPanel {
  readonly units: readonly string[];
  readonly times: readonly number[];
  readonly rowOf: Int32Array;
}

/** How to name an input row in messages ("data.csv line 7"); defaults to "row r+1". */
export type RowLabel = (row: number) => string;
const defaultLabel: RowLabel = (r) => `row ${r + 1}`;

/**
 * Index long columns as a balanced panel. Missing unit/time, a duplicated (unit, time) pair or a unit
 * missing a period is one NtlError naming the row or the unit and the missing period.
 */
export function balancePanel(
  unit: readonly (string | null)[],
  time: readonly (number | null)[],
  names: { readonly unit: string; readonly time: string },
  label: RowLabel = defaultLabel,
): BalancedPanel {
  const n = unit.length;
  if (time.length !== n) throw new NtlError(`panel columns differ in length: ${names.unit} has ${n} values, ${names.time} has ${time.length}`);
  if (n === 0) throw new NtlError('the panel has a header but no data rows; check that the file was written completely');
  const unitIndex = new Map<string, number>();
  const units: string[] = [];
  const timeSet = new Set<number>();
  for (let r = 0; r < n; r++) {
    const u = unit[r];
    const t = time[r];
    if (u === null || u === undefined || u === '') throw new NtlError(`${label(r)}: the unit column "${names.unit}" is empty; every row needs a unit id`);
    if (t === null || t === undefined) throw new NtlError(`${label(r)}: the time column "${names.time}" is empty; every row needs a period`);
    if (!unitIndex.has(u)) {
      unitIndex.set(u, units.length);
      units.push(u);
    }
    timeSet.add(t);
  }
  const times = [...timeSet].sort((a, b) => a - b);
  const timeIndex = new Map(times.map((t, i) => [t, i]));
  const T = times.length;
  const rowOf = new Int32Array(units.length * T).fill(-1);
  for (let r = 0; r < n; r++) {
    const cell = unitIndex.get(unit[r]!)! * T + timeIndex.get(time[r]!)!;
    if (rowOf[cell] !== -1) {
      throw new NtlError(
        `${label(r)}: unit "${unit[r]}" has a second row for ${names.time} = ${time[r]} (first at ${label(rowOf[cell]!)}); a panel needs one row per ${names.unit} × ${names.time} — aggregate or drop the duplicate`,
      );
    }
    rowOf[cell] = r;
  }
  for (let u = 0; u < units.length; u++) {
    for (let t = 0; t < T; t++) {
      if (rowOf[u * T + t] === -1) {
        const missing = times.filter((_, k) => rowOf[u * T + k] === -1);
        throw new NtlError(
          `unbalanced panel: unit "${units[u]}" has no row for ${names.time} = ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''} ` +
            `(${units.length} units × ${T} periods expected); this estimator needs a balanced panel — drop the unit or fill the period`,
        );
      }
    }
  }
  return { units, times, rowOf };
}

/** A numeric column laid out unit-major on the panel grid; a missing value is an NtlError naming its row. */
export function gridValues(panel: BalancedPanel, values: readonly (number | null)[], column: string, label: RowLabel = defaultLabel): Float64Array {
  const out = new Float64Array(panel.rowOf.length);
  for (let c = 0; c < out.length; c++) {
    const r = panel.rowOf[c]!;
    const v = values[r];
    if (v === null || v === undefined || !Number.isFinite(v)) {
      throw new NtlError(`${label(r)}: column "${column}" is missing; the staggered estimators need it in every row (drop the unit or impute)`);
    }
    out[c] = v;
  }
  return out;
}

/**
 * A per-unit constant (e.g. the first-treated period) read from a long column: it must be the same in every
 * row of a unit. Missing values are allowed only if `missingAs` is given (then they count as that value).
 */
export function unitConstant(
  panel: BalancedPanel,
  values: readonly (number | null)[],
  column: string,
  label: RowLabel = defaultLabel,
  missingAs?: number,
): Float64Array {
  const T = panel.times.length;
  const out = new Float64Array(panel.units.length);
  for (let u = 0; u < panel.units.length; u++) {
    let first = NaN;
    let firstRow = -1;
    for (let t = 0; t < T; t++) {
      const r = panel.rowOf[u * T + t]!;
      let v = values[r];
      if (v === null || v === undefined || !Number.isFinite(v)) {
        if (missingAs === undefined) throw new NtlError(`${label(r)}: column "${column}" is missing`);
        v = missingAs;
      }
      if (firstRow < 0) {
        first = v;
        firstRow = r;
      } else if (v !== first) {
        throw new NtlError(
          `column "${column}" must be constant within a unit, but unit "${panel.units[u]}" has ${first} at ${label(firstRow)} and ${v} at ${label(r)}; ` +
            'it is the period the unit is first treated (0 or empty for never treated)',
        );
      }
    }
    out[u] = first;
  }
  return out;
}
