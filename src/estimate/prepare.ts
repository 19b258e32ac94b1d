/**
 * From a loaded panel file to estimation columns: row filters (--drop), listwise deletion of missing values
 * (counted), winsorizing y, factor codes for units / fixed effects / clusters, and the panel checks that give
 * one clear error (duplicate unit × time rows, a unit observed once, an all-zero treatment, < 2 clusters).
 */
import { NtlError } from '../errors.js';
import { checkOneRowPerUnitPeriod, periodValue, readPeriodNumbers, requireDataRows, type TimeType } from '../panel/period.js';
import type { LoadedTable } from '../panel/read-table.js';
import type { OutcomeTransform } from './options.js';

export interface PanelSpec {
  readonly y: string;
  readonly unit: string;
  readonly time: string;
  /** Numeric columns that must be present in a used row (treatment, controls, weights, …). */
  readonly numeric: readonly string[];
  /** Numeric columns where missing is meaningful (e.g. cohort: missing/0 = never treated): NaN, not dropped. */
  readonly optionalNumeric?: readonly string[];
  /** Columns used as factors (fixed effects, clusters, interaction levels); missing → row dropped. */
  readonly factors: readonly string[];
  readonly weights?: string;
  /** Rows whose COL text equals VAL are removed before anything else. */
  readonly drops?: readonly { readonly column: string; readonly value: string }[];
  /** Transform of y (log, log1p, ihs, or winsor at p and 1−p — Stata _pctile / winsor2 quantiles). */
  readonly transform?: OutcomeTransform;
  /** The treatment column, checked not to be zero in every used row. */
  readonly treat?: string;
  /** How time (and cohort) values are read: integer (default: whole periods) or continuous. */
  readonly timeType?: TimeType;
  /** First-treated-period column (missing / 0 = never treated): its other values are periods, checked like time. */
  readonly cohort?: string;
}

/** The time types the estimators offer (--time-type): periods are ordered, so they must be numbers. */
export const ESTIMATE_TIME_TYPES: readonly TimeType[] = ['integer', 'continuous'];

export interface PreparedPanel {
  readonly path: string;
  readonly n: number;
  readonly y: Float64Array;
  readonly yName: string;
  /** Numeric columns by name (y, unit-independent), over the used rows. */
  readonly numeric: ReadonlyMap<string, Float64Array>;
  /** Factor codes (0..L−1, first-appearance order) and level labels, by column name; includes unit. */
  readonly factors: ReadonlyMap<string, { codes: Int32Array; labels: string[] }>;
  readonly time: Float64Array;
  readonly weights?: Float64Array;
  /** Data-file line/row of each used row (1-based rows of the table). */
  readonly sourceRows: Int32Array;
  readonly droppedByFilter: number;
  readonly droppedMissing: number;
  readonly winsorBounds?: readonly [number, number];
  readonly notes: readonly string[];
}

export function preparePanel(table: LoadedTable, spec: PanelSpec): PreparedPanel {
  const N = table.rowCount;
  requireDataRows(table);
  const notes: string[] = [];
  const use = new Uint8Array(N).fill(1);
  let droppedByFilter = 0;
  const dropCounts: string[] = [];
  for (const d of spec.drops ?? []) {
    const col = table.text(d.column);
    let c = 0;
    for (let i = 0; i < N; i++) if (use[i] && col[i] === d.value) (use[i] = 0), c++;
    droppedByFilter += c;
    dropCounts.push(`--drop ${d.column}=${d.value}: ${c} row(s)`);
    notes.push(`--drop ${d.column}=${d.value}: ${c} row(s) removed`);
  }
  if (droppedByFilter === N) {
    throw new NtlError(`${table.path}: the --drop filters removed all ${N} row(s) (${dropCounts.join(', ')}); check the filter values`);
  }
  const kept: number[] = [];
  for (let i = 0; i < N; i++) if (use[i]) kept.push(i);
  // Time is a period: checked (a number; whole unless --time-type continuous) in every row the filters kept.
  const timeRaw = readPeriodNumbers(table, spec.time, spec.timeType === 'continuous' ? 'continuous' : 'integer', ESTIMATE_TIME_TYPES, kept);
  const numericNames = unique([spec.y, spec.time, ...spec.numeric, ...(spec.weights ? [spec.weights] : [])]);
  const numericRaw = new Map(numericNames.map((c) => [c, c === spec.time ? timeRaw : table.numbers(c)] as const));
  if (spec.cohort !== undefined) checkCohortPeriods(table, spec, use);
  const optionalRaw = new Map(unique(spec.optionalNumeric ?? []).map((c) => [c, table.numbers(c)] as const));
  const factorNames = unique([spec.unit, ...spec.factors]);
  const factorRaw = new Map(factorNames.map((c) => [c, table.text(c)] as const));

  // One row per unit × time (the rule every panel command shares).
  const unitText = factorRaw.get(spec.unit)!;
  checkOneRowPerUnitPeriod({
    source: table.path,
    unit: spec.unit,
    unitValues: unitText,
    periods: [{ name: spec.time, values: timeRaw }],
    rows: kept,
    at: (r) => where(table, r),
    fix: 'aggregate or --drop the duplicate',
  });
  if (spec.cohort !== undefined) checkCohortConstant(table, spec.cohort, unitText, kept);
  // A unit with one row in the file (before missing values) is a data problem, not a singleton to drop.
  const rowsPerUnit = new Map<string, number>();
  for (let i = 0; i < N; i++) {
    if (!use[i] || unitText[i] === null || timeRaw[i] === null) continue;
    const u = unitText[i]!;
    rowsPerUnit.set(u, (rowsPerUnit.get(u) ?? 0) + 1);
  }
  for (const [u, c] of rowsPerUnit) {
    if (c === 1) {
      const i = unitText.indexOf(u);
      throw new NtlError(
        `${table.path} ${where(table, i)}: unit "${u}" is observed in one period only; a DID needs each unit in at least two periods — remove it (e.g. --drop ${spec.unit}=${u})`,
      );
    }
  }

  let droppedMissing = 0;
  const missingBy = new Map<string, number>();
  for (let i = 0; i < N; i++) {
    if (!use[i]) continue;
    let miss: string | null = null;
    for (const [c, v] of numericRaw) if (v[i] === null) miss ??= c;
    for (const [c, v] of factorRaw) if (v[i] === null) miss ??= c;
    if (miss !== null) {
      use[i] = 0;
      droppedMissing++;
      missingBy.set(miss, (missingBy.get(miss) ?? 0) + 1);
    }
  }
  if (droppedMissing > 0) {
    notes.push(`${droppedMissing} row(s) with missing values dropped (${[...missingBy].map(([c, k]) => `${c}: ${k}`).join(', ')})`);
  }
  const rows: number[] = [];
  for (let i = 0; i < N; i++) if (use[i]) rows.push(i);
  const n = rows.length;
  if (n === 0) {
    const filters = dropCounts.length > 0 ? ` after the --drop filters (${dropCounts.join(', ')})` : '';
    throw new NtlError(
      `${table.path}: no rows left: every remaining row has a missing value${filters} (${[...missingBy].map(([c, k]) => `${c}: ${k}`).join(', ')}); check the column names and the missing values`,
    );
  }

  const numeric = new Map<string, Float64Array>();
  for (const [c, v] of numericRaw)
    numeric.set(
      c,
      Float64Array.from(rows, (i) => v[i]!),
    );
  for (const [c, v] of optionalRaw)
    numeric.set(
      c,
      Float64Array.from(rows, (i) => v[i] ?? Number.NaN),
    );
  const factors = new Map<string, { codes: Int32Array; labels: string[] }>();
  for (const [c, v] of factorRaw) factors.set(c, codeFactor(rows.map((i) => v[i]!)));

  if (spec.treat !== undefined) {
    const d = numeric.get(spec.treat)!;
    if (d.every((x) => x === 0)) {
      throw new NtlError(`${table.path}: treatment column "${spec.treat}" is 0 in every used row (${n} rows); check --treat and the --drop filters`);
    }
  }
  const y = Float64Array.from(numeric.get(spec.y)!);
  const transformed = transformOutcome(y, spec.transform, spec.y, (k) => `${table.path} ${where(table, rows[k]!)}`);
  if (transformed.note) notes.push(transformed.note);
  const winsorBounds = transformed.bounds;
  const weights = spec.weights ? numeric.get(spec.weights) : undefined;
  if (weights) {
    const bad = weights.findIndex((w) => !(w >= 0));
    if (bad >= 0) throw new NtlError(`${table.path} ${where(table, rows[bad]!)}: weight column "${spec.weights}" has ${weights[bad]}; weights must be ≥ 0`);
  }
  return {
    path: table.path,
    n,
    y,
    yName: spec.y,
    numeric,
    factors,
    time: numeric.get(spec.time)!,
    weights,
    sourceRows: Int32Array.from(rows),
    droppedByFilter,
    droppedMissing,
    winsorBounds,
    notes,
  };
}

/**
 * Apply the outcome transform in place. log needs y > 0 and log1p y > −1: a value outside is an error naming the
 * row (silently dropping rows would change the sample); ihs = asinh(y) is defined everywhere.
 */
export function transformOutcome(
  y: Float64Array,
  t: OutcomeTransform | undefined,
  name: string,
  at: (k: number) => string,
): { note?: string; bounds?: [number, number] } {
  const kind = t?.transform ?? 'none';
  if (kind === 'none') return {};
  if (kind === 'winsor') {
    const p = t!.p!;
    const bounds: [number, number] = [stataPercentile(y, p), stataPercentile(y, 1 - p)];
    let changed = 0;
    for (let i = 0; i < y.length; i++) {
      const v = y[i]!;
      const c = Math.min(Math.max(v, bounds[0]), bounds[1]);
      if (c !== v) changed++;
      y[i] = c;
    }
    return { bounds, note: `${name} winsorized at [${bounds[0]}, ${bounds[1]}] (${p} and ${1 - p} quantiles): ${changed} value(s) changed` };
  }
  const f = kind === 'log' ? Math.log : kind === 'log1p' ? Math.log1p : Math.asinh;
  const bad = kind === 'log' ? y.findIndex((v) => !(v > 0)) : kind === 'log1p' ? y.findIndex((v) => !(v > -1)) : -1;
  if (bad >= 0) {
    const fix = kind === 'log' ? 'log1p (for y ≥ 0) or ihs (any sign)' : 'ihs (any sign)';
    throw new NtlError(`${at(bad)}: ${name} = ${y[bad]} has no ${kind}; use ${fix}, or drop such rows deliberately`);
  }
  for (let i = 0; i < y.length; i++) y[i] = f(y[i]!);
  return { note: `${name} transformed: ${kind}(${name})` };
}

/**
 * Stata's _pctile (and winsor2) p-quantile: with P = n·p, x_(P) and x_(P+1) averaged when P is a whole number,
 * else x_(⌊P⌋+1) (sorted ascending, 1-based) — R's quantile type 2.
 */
export function stataPercentile(values: Float64Array, p: number): number {
  const s = Float64Array.from(values).sort();
  const n = s.length;
  const P = n * p;
  const f = Math.floor(P);
  if (Math.abs(P - Math.round(P)) < 1e-9 * Math.max(1, P)) {
    const r = Math.round(P);
    if (r <= 0) return s[0]!;
    if (r >= n) return s[n - 1]!;
    return (s[r - 1]! + s[r]!) / 2;
  }
  return s[Math.min(n - 1, f)]!;
}

export function codeFactor(values: readonly string[]): { codes: Int32Array; labels: string[] } {
  const map = new Map<string, number>();
  const labels: string[] = [];
  const codes = Int32Array.from(values, (v) => {
    let c = map.get(v);
    if (c === undefined) {
      c = labels.length;
      map.set(v, c);
      labels.push(v);
    }
    return c;
  });
  return { codes, labels };
}

/** Cohort values other than missing / 0 (never treated) are periods: a number, whole unless continuous time. */
function checkCohortPeriods(table: LoadedTable, spec: PanelSpec, use: Uint8Array): void {
  const text = table.text(spec.cohort!);
  const col = {
    name: spec.cohort!,
    type: spec.timeType === 'continuous' ? 'continuous' : 'integer',
    offered: ESTIMATE_TIME_TYPES,
    at: (r: number) => `${table.path} ${where(table, r)}`,
  } as const;
  for (let i = 0; i < text.length; i++) if (use[i] && text[i] !== null && Number(text[i]) !== 0) periodValue(text[i], i, col);
}

/**
 * The first treated period belongs to the unit: one value in all its rows (missing and 0 both mean never treated).
 * A unit whose rows disagree would put its observations at different event times and in different cohorts.
 */
function checkCohortConstant(table: LoadedTable, cohort: string, unitText: readonly (string | null)[], rows: readonly number[]): void {
  const values = table.numbers(cohort);
  const text = table.text(cohort);
  const first = new Map<string, { g: number; row: number }>();
  const shown = (r: number, g: number) => (g === 0 ? `${text[r] === null ? 'an empty value' : text[r]} (never treated)` : text[r]);
  for (const r of rows) {
    const u = unitText[r];
    if (u === null || u === undefined) continue;
    const v = values[r];
    const g = v === null || v === undefined || v === 0 ? 0 : v;
    const prev = first.get(u);
    if (!prev) first.set(u, { g, row: r });
    else if (prev.g !== g) {
      throw new NtlError(
        `column "${cohort}" must be constant within a unit, but unit "${u}" has ${shown(prev.row, prev.g)} at ${table.path} ${where(table, prev.row)} ` +
          `and ${shown(r, g)} at ${table.path} ${where(table, r)}; it is the period the unit is first treated (0 or empty for never treated) — give it in every row of the unit`,
      );
    }
  }
}

function where(table: LoadedTable, row: number): string {
  return table.rowLabel(row);
}

function unique<T>(xs: readonly T[]): T[] {
  return [...new Set(xs)];
}
