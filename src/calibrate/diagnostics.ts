/**
 * Step 7 — continuity diagnostics for a series of rasters: per year and sensor the total light, the lit cell
 * count and lit area, year-over-year ratios, and a flagged break where the series jumps.
 *
 * Break rule (documented, robust to a steady trend): with r_t = ln(total_t / total_{t−1}) over consecutive
 * years, a step is a break when |r_t − median(r)| > max(k · 1.4826 · MAD(r), ln(minRatio)); the same test
 * runs on lit area. Defaults k = 4, minRatio = 1.5 (a 50 % jump beyond the series' usual growth). A change of
 * sensor between the two years is named in the flag.
 */
export interface YearTotals {
  readonly year: number;
  readonly sensor: string;
  readonly file: string;
  readonly total: number;
  readonly litCells: number;
  readonly litAreaKm2: number;
  readonly validCells: number;
}

export interface ContinuityRow extends YearTotals {
  readonly totalRatio: number | null;
  readonly litAreaRatio: number | null;
  readonly flag: string;
}

export interface BreakRule {
  readonly k: number;
  readonly minRatio: number;
}
export const DEFAULT_BREAK_RULE: BreakRule = { k: 4, minRatio: 1.5 };

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

function breaks(ratios: readonly (number | null)[], rule: BreakRule): boolean[] {
  const logs = ratios.map((r) => (r !== null && r > 0 && Number.isFinite(r) ? Math.log(r) : null));
  const ok = logs.filter((x): x is number => x !== null);
  if (ok.length === 0) return ratios.map(() => false);
  const med = median(ok);
  const mad = median(ok.map((x) => Math.abs(x - med)));
  const limit = Math.max(rule.k * 1.4826 * mad, Math.log(rule.minRatio));
  return logs.map((x, i) => (x === null ? ratios[i] !== null : Math.abs(x - med) > limit));
}

export function continuityReport(years: readonly YearTotals[], rule: BreakRule = DEFAULT_BREAK_RULE): ContinuityRow[] {
  const sorted = [...years].sort((a, b) => a.year - b.year || a.sensor.localeCompare(b.sensor));
  const ratio = (a: number, b: number) => (b > 0 ? a / b : a > 0 ? Infinity : null);
  const tr = sorted.map((y, i) => (i === 0 ? null : ratio(y.total, sorted[i - 1]!.total)));
  const ar = sorted.map((y, i) => (i === 0 ? null : ratio(y.litAreaKm2, sorted[i - 1]!.litAreaKm2)));
  const bt = breaks(tr, rule),
    ba = breaks(ar, rule);
  return sorted.map((y, i) => {
    const parts: string[] = [];
    if (bt[i]) parts.push('break:total');
    if (ba[i]) parts.push('break:lit_area');
    if (i > 0 && sorted[i - 1]!.sensor !== y.sensor) parts.push(`sensor_change:${sorted[i - 1]!.sensor}->${y.sensor}`);
    return { ...y, totalRatio: tr[i] ?? null, litAreaRatio: ar[i] ?? null, flag: parts.join(';') };
  });
}
