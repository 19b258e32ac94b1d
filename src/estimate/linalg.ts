/**
 * Small dense linear algebra for the normal equations (K×K, row-major Float64Array). K is small (a handful of
 * regressors) and n large, so we form X̃′WX̃ in one pass and factor it by Cholesky (O(nK²) + O(K³)) instead of a
 * QR of the n×K design (twice the flops and n×K extra memory); the squared condition number is handled by
 * scaling to unit diagonal and by one step of iterative refinement on the residuals in feols.
 */

export interface CholeskyResult {
  /** Lower factor of the kept columns (kept.length × kept.length, row-major). */
  readonly l: Float64Array;
  /** Indices (into the original columns) kept, in order. */
  readonly kept: number[];
  /** Indices dropped as (near-)linear combinations of earlier columns. */
  readonly dropped: number[];
}

/**
 * Cholesky of a symmetric PSD matrix with in-order column dropping: column j is dropped when its pivot (the
 * part of it not explained by the kept earlier columns) is ≤ tol × its own diagonal — the same rule R's lm
 * (pivoted QR, tol 1e-7) and fixest (collin.tol 1e-10) use in spirit: later columns give way to earlier ones.
 */
export function choleskyDropping(a: Float64Array, k: number, tol = 1e-10): CholeskyResult {
  const kept: number[] = [];
  const dropped: number[] = [];
  const rows: Float64Array[] = []; // rows of L for kept columns
  for (let j = 0; j < k; j++) {
    const ajj = a[j * k + j]!;
    const row = new Float64Array(kept.length + 1);
    let ok = ajj > 0;
    if (ok) {
      for (let p = 0; p < kept.length; p++) {
        let s = a[j * k + kept[p]!]!;
        const lp = rows[p]!;
        for (let q = 0; q < p; q++) s -= lp[q]! * row[q]!;
        row[p] = s / lp[p]!;
      }
      let d = ajj;
      for (let q = 0; q < kept.length; q++) d -= row[q]! * row[q]!;
      ok = d > tol * ajj;
      if (ok) row[kept.length] = Math.sqrt(d);
    }
    if (ok) {
      kept.push(j);
      rows.push(row);
    } else dropped.push(j);
  }
  const m = kept.length;
  const l = new Float64Array(m * m);
  for (let i = 0; i < m; i++) for (let q = 0; q <= i; q++) l[i * m + q] = rows[i]![q]!;
  return { l, kept, dropped };
}

/** Solve L L′ x = b (L lower, m×m row-major). */
export function choleskySolve(l: Float64Array, m: number, b: Float64Array): Float64Array {
  const y = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let s = b[i]!;
    for (let q = 0; q < i; q++) s -= l[i * m + q]! * y[q]!;
    y[i] = s / l[i * m + i]!;
  }
  const x = new Float64Array(m);
  for (let i = m - 1; i >= 0; i--) {
    let s = y[i]!;
    for (let q = i + 1; q < m; q++) s -= l[q * m + i]! * x[q]!;
    x[i] = s / l[i * m + i]!;
  }
  return x;
}

/** (L L′)⁻¹, m×m row-major. */
export function choleskyInverse(l: Float64Array, m: number): Float64Array {
  const inv = new Float64Array(m * m);
  const e = new Float64Array(m);
  for (let c = 0; c < m; c++) {
    e.fill(0);
    e[c] = 1;
    const col = choleskySolve(l, m, e);
    for (let r = 0; r < m; r++) inv[r * m + c] = col[r]!;
  }
  return inv;
}

/** A B A′ for symmetric m×m A (bread) and B (meat). */
export function sandwich(bread: Float64Array, meat: Float64Array, m: number): Float64Array {
  const tmp = new Float64Array(m * m);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < m; j++) {
      let s = 0;
      for (let q = 0; q < m; q++) s += bread[i * m + q]! * meat[q * m + j]!;
      tmp[i * m + j] = s;
    }
  const out = new Float64Array(m * m);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < m; j++) {
      let s = 0;
      for (let q = 0; q < m; q++) s += tmp[i * m + q]! * bread[j * m + q]!;
      out[i * m + j] = s;
    }
  return out;
}
