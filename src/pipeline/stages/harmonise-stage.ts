/**
 * District-level DMSP ↔ VIIRS harmonisation inside a pipeline (the `harmonise:` section), run right after panel
 * assembly so gap, inequality and estimates see the emitted series:
 *   pairs  = (from.stat, to.stat) of the same unit in every overlap year (both series have a value that year),
 *            in panel order (unit_id, year); pairs with a missing value are dropped and counted, pairs with
 *            from.stat ≤ 0 are dropped (and counted) by fitHarmonisation, since every model uses ln x;
 *   fit    = fitHarmonisation(model, x, y) — the same code as `ntl calibrate harmonise --pairs`;
 *   emit   = series `name`: for every row of `from`, stat = predict(from.stat) in `to`'s scale (empty where
 *            from.stat is missing or ≤ 0); every other statistic column is empty on those rows.
 * Pure: the same panel gives the same bytes.
 */
import { NtlError } from '../../errors.js';
import { fitHarmonisation, predict, type HarmoniseFit, type HarmoniseModel } from '../../calibrate/harmonise.js';
import type { Column, Table } from '../../output/table.js';
import type { PanelPlan } from '../plan/types.js';
import { errorAt } from '../yaml-errors.js';

/** What run.json (`harmonisation`) and harmonisation.json record. */
export interface HarmonisationRecord {
  readonly from: string;
  readonly to: string;
  readonly stat: string;
  readonly model: HarmoniseModel;
  readonly formula: string;
  readonly parameters: Readonly<Record<string, number>>;
  /** null when the target has no variance (R² undefined). */
  readonly r2: number | null;
  readonly rmse: number;
  readonly n_pairs: number;
  readonly overlap_years: readonly number[];
  readonly dropped_pairs: { readonly total: number; readonly missing: number; readonly non_positive: number };
  readonly converged: boolean;
  readonly iterations: number;
  readonly emitted: { readonly name: string; readonly rows: number; readonly empty: number };
}

export interface HarmoniseResult {
  readonly table: Table;
  readonly record: HarmonisationRecord;
}

type Cell = string | number | null;

export function harmonisePanel(panel: Table, plan: PanelPlan, warnings: string[]): HarmoniseResult | null {
  const h = plan.harmonise;
  if (!h || h.level !== 'district') return null;
  const fail = (message: string): NtlError => errorAt({ display: plan.origin, lines: plan.specLines ?? {} }, ['harmonise'], message);
  const col = (name: string): Column => {
    const c = panel.columns.find((x) => x.name === name);
    if (!c) throw fail(`the panel has no column ${name}`);
    return c;
  };
  const unit = col('unit_id').values as readonly (string | null)[];
  const year = col('year').values as readonly (number | null)[];
  const source = col('source').values as readonly (string | null)[];
  const value = col(h.column).values as readonly (number | null)[];
  const n = unit.length;

  // Overlap years: years in which both series have at least one value.
  const yearsWithValue = (s: string): Set<number> => {
    const out = new Set<number>();
    for (let i = 0; i < n; i++) if (source[i] === s && value[i] !== null) out.add(year[i]!);
    return out;
  };
  const toYears = yearsWithValue(h.to);
  const overlap = [...yearsWithValue(h.from)].filter((y) => toYears.has(y)).sort((a, b) => a - b);
  if (overlap.length === 0) throw fail(`series '${h.from}' and '${h.to}' have no year in which both have a ${h.column} value; there are no pairs to fit`);
  const inOverlap = new Set(overlap);

  // Pairs in panel order (unit_id, year); the `to` value is looked up by unit × year.
  const key = (i: number): string => `${unit[i]}\u0000${year[i]}`;
  const target = new Map<string, number | null>();
  for (let i = 0; i < n; i++) if (source[i] === h.to && inOverlap.has(year[i]!)) target.set(key(i), value[i] ?? null);
  const xs: number[] = [],
    ys: number[] = [];
  let missing = 0;
  for (let i = 0; i < n; i++) {
    if (source[i] !== h.from || !inOverlap.has(year[i]!)) continue;
    const x = value[i] ?? null;
    const y = target.has(key(i)) ? target.get(key(i))! : null;
    target.delete(key(i));
    if (x === null || y === null) {
      missing++;
      continue;
    }
    xs.push(x);
    ys.push(y);
  }
  missing += target.size; // `to` rows without a `from` row

  let fit: HarmoniseFit;
  try {
    fit = fitHarmonisation(h.model, xs, ys);
  } catch (e) {
    if (e instanceof NtlError) throw fail(`${e.message} (${missing} pair(s) with a missing value also dropped)`);
    throw e;
  }
  const dropped = { total: missing + fit.dropped, missing, non_positive: fit.dropped };
  if (dropped.total > 0)
    warnings.push(
      `harmonise: ${dropped.total} of ${dropped.total + fit.n} ${h.from}/${h.to} pairs dropped (${missing} with a missing ${h.column}, ${fit.dropped} with ${h.from} ${h.column} ≤ 0)`,
    );
  if (!fit.converged)
    warnings.push(`harmonise: the ${h.model} fit did not converge in ${fit.iterations} iterations; check harmonisation.json before using ${h.name}`);

  // Emitted rows: copies of the `from` rows with source = name, the prediction in `stat`, other statistics empty.
  const sourceAt = panel.columns.findIndex((c) => c.name === 'source');
  const extra: number[] = [];
  const predicted: (number | null)[] = [];
  let empty = 0;
  for (let i = 0; i < n; i++) {
    if (source[i] !== h.from) continue;
    const x = value[i] ?? null;
    const p = x !== null && x > 0 ? predict(h.model, fit.params, x) : NaN;
    extra.push(i);
    if (Number.isFinite(p)) predicted.push(p);
    else {
      predicted.push(null);
      empty++;
    }
  }
  const cellOf = (c: Column, k: number, row: number): Cell => {
    if (row < n) return c.values[row] ?? null;
    const e = row - n;
    if (c.name === 'source') return h.name;
    if (c.name === h.column) return predicted[e]!;
    return k <= sourceAt || c.name === 'month' ? (c.values[extra[e]!] ?? null) : null;
  };
  const month = panel.columns.find((c) => c.name === 'month')?.values as readonly (number | null)[] | undefined;
  const order = Array.from({ length: n + extra.length }, (_, r) => r);
  const keyOf = (r: number): readonly [string, number, number, string] => {
    const i = r < n ? r : extra[r - n]!;
    return [String(unit[i]), Number(year[i]), month?.[i] ?? 0, r < n ? String(source[i]) : h.name];
  };
  const keys = order.map(keyOf);
  order.sort((a, b) => {
    const [ua, ya, ma, sa] = keys[a]!;
    const [ub, yb, mb, sb] = keys[b]!;
    return (ua < ub ? -1 : ua > ub ? 1 : 0) || ya - yb || ma - mb || (sa < sb ? -1 : sa > sb ? 1 : 0);
  });
  const table: Table = {
    columns: panel.columns.map((c, k) =>
      c.type === 'string'
        ? { ...c, values: order.map((r) => cellOf(c, k, r) as string | null) }
        : { ...c, values: order.map((r) => cellOf(c, k, r) as number | null) },
    ),
  };
  const record: HarmonisationRecord = {
    from: h.from,
    to: h.to,
    stat: h.stat,
    model: h.model,
    formula: fit.formula,
    parameters: fit.params,
    r2: Number.isFinite(fit.r2) ? fit.r2 : null,
    rmse: fit.rmse,
    n_pairs: fit.n,
    overlap_years: overlap,
    dropped_pairs: dropped,
    converged: fit.converged,
    iterations: fit.iterations,
    emitted: { name: h.name, rows: extra.length, empty },
  };
  return { table, record };
}
