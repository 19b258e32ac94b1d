/** Deterministic number text for the report (no locale APIs: the same digits on every machine). */

/** Fixed decimals with thousands separators; '' for null/NaN; never "-0.000". */
export function fmt(x: number | null | undefined, digits: number): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return x === Infinity ? '∞' : '';
  let s = Math.abs(x).toFixed(digits);
  const neg = x < 0 && /[1-9]/.test(s);
  const [int, frac] = s.split('.') as [string, string | undefined];
  s = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',') + (frac === undefined ? '' : `.${frac}`);
  return neg ? `-${s}` : s;
}

/** Decimals that suit a whole column: fewer for large magnitudes, so digits line up within the column. */
export function columnDigits(values: readonly (number | null)[]): number {
  const m = Math.max(0, ...values.filter((v): v is number => v !== null && Number.isFinite(v)).map(Math.abs));
  return m >= 1e4 ? 0 : m >= 100 ? 1 : m >= 1 ? 2 : 3;
}

/** A whole-column formatter: one decimal count for every value. */
export function fmtColumn(values: readonly (number | null)[]): string[] {
  const d = columnDigits(values);
  return values.map((v) => fmt(v, d));
}

export function fmtInt(x: number | null | undefined): string {
  return fmt(x, 0);
}

/** Bytes as "457.6 KB" (powers of 1000, as file managers show them). */
export function fmtBytes(n: number): string {
  if (!Number.isFinite(n)) return '';
  if (n < 1000) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1000;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v.toFixed(1)} ${units[i]}`;
}

export function median(sorted: readonly number[]): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const m = n >> 1;
  return n % 2 ? sorted[m]! : (sorted[m - 1]! + sorted[m]!) / 2;
}
