/**
 * Pareto top-code imputation (saturation.ts `paretoAdjust`) in two streaming passes, bitwise identical to it.
 * A value ≥ L gets the quantile at the average rank of its tie group, a group being the pixels ≥ L with the same
 * (rank key, value) pair in the order (key, then value). So pass 1 counts the pixels of every distinct pair (memory
 * grows with the number of distinct pairs among pixels ≥ L, never with the raster), the pairs are sorted and each
 * gets p = (s + e − 1) / 2 / (m − 1) exactly as the whole-grid loop computes it, and pass 2 looks every pixel up.
 * A proxy key that is NaN on a pixel ≥ L has no defined place in the whole-grid sort (its comparator is then
 * inconsistent), so that case returns false and the caller runs the whole-grid version.
 */
import { NtlError } from '../errors.js';
import { paretoQuantile, type ParetoParams } from './saturation.js';

export interface ParetoRows {
  /** the image rows (float32, NaN = no-data) */
  readonly data: ArrayLike<number>;
  /** the proxy rows when ranking by a proxy (as float32, NaN = no-data) */
  readonly rank?: ArrayLike<number>;
  readonly rows: number;
}

/** Returns false (nothing written) when a proxy key is NaN on a pixel ≥ L; `write` gets float32 rows top to bottom. */
export async function paretoStream(
  open: () => AsyncIterable<ParetoRows>,
  params: ParetoParams,
  byProxy: boolean,
  write: (rows: Float32Array, n: number) => Promise<void>,
): Promise<boolean> {
  if (!(params.alpha > 0 && params.lower > 0 && params.upper > params.lower))
    throw new NtlError(`Pareto adjustment: need α > 0 and 0 < L < H (got α ${params.alpha}, L ${params.lower}, H ${params.upper})`);
  const L = params.lower;
  const counts = new Map<number, Map<number, number>>(); // key → value → pixels (Map keys: −0 equals 0, as === does)
  for await (const b of open()) {
    const n = b.data.length;
    if (byProxy && (!b.rank || b.rank.length !== n)) throw new NtlError('internal: Pareto proxy rows missing or of another size');
    for (let i = 0; i < n; i++) {
      const v = b.data[i] as number;
      if (!(v >= L)) continue;
      const k = byProxy ? Math.fround(b.rank![i] as number) : v;
      if (k !== k) return false;
      let m = counts.get(k);
      if (!m) counts.set(k, (m = new Map()));
      m.set(v, (m.get(v) ?? 0) + 1);
    }
  }
  const keys = [...counts.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  let m = 0;
  for (const k of keys) for (const c of counts.get(k)!.values()) m += c;
  const quant = new Map<number, Map<number, number>>();
  let s = 0;
  for (const k of keys) {
    const byV = counts.get(k)!,
      q = new Map<number, number>();
    for (const v of [...byV.keys()].sort((a, b) => a - b)) {
      const e = s + byV.get(v)!;
      q.set(v, paretoQuantile(m === 1 ? 0.5 : (s + e - 1) / 2 / (m - 1), params));
      s = e;
    }
    quant.set(k, q);
  }
  let out = new Float32Array(0);
  for await (const b of open()) {
    const n = b.data.length;
    if (out.length < n) out = new Float32Array(n);
    const o = out.subarray(0, n);
    for (let i = 0; i < n; i++) {
      const v = b.data[i] as number;
      o[i] = v >= L ? quant.get(byProxy ? Math.fround(b.rank![i] as number) : v)!.get(v)! : v;
    }
    await write(o, b.rows);
  }
  return true;
}
