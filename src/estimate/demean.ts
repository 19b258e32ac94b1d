/**
 * Absorbing fixed effects: iterative singleton removal (as reghdfe) and demeaning by alternating projections
 * (Gauss–Seidel sweeps over the FE dimensions, weighted means), plus the degrees of freedom the FEs use.
 */

/** Observations to keep after dropping, repeatedly, every observation alone in a level of some FE dimension. */
export function nonSingletonMask(fe: readonly Int32Array[], n: number): Uint8Array {
  const keep = new Uint8Array(n).fill(1);
  if (fe.length === 0) return keep;
  const counts = fe.map((codes) => {
    const c = new Int32Array(levelCount(codes));
    for (let i = 0; i < n; i++) c[codes[i]!]!++;
    return c;
  });
  let changed = true;
  while (changed) {
    changed = false;
    for (let i = 0; i < n; i++) {
      if (!keep[i]) continue;
      let single = false;
      for (let d = 0; d < fe.length; d++) if (counts[d]![fe[d]![i]!] === 1) single = true;
      if (!single) continue;
      keep[i] = 0;
      changed = true;
      for (let d = 0; d < fe.length; d++) counts[d]![fe[d]![i]!]!--;
    }
  }
  return keep;
}

export function levelCount(codes: Int32Array): number {
  let m = -1;
  for (let i = 0; i < codes.length; i++) if (codes[i]! > m) m = codes[i]!;
  return m + 1;
}

/** Renumber codes to 0..L−1 in order of first appearance (after subsetting, some levels may be empty). */
export function recode(codes: Int32Array): { codes: Int32Array; levels: number } {
  const map = new Map<number, number>();
  const out = new Int32Array(codes.length);
  for (let i = 0; i < codes.length; i++) {
    let c = map.get(codes[i]!);
    if (c === undefined) {
      c = map.size;
      map.set(codes[i]!, c);
    }
    out[i] = c;
  }
  return { codes: out, levels: map.size };
}

export interface Absorber {
  readonly fe: readonly Int32Array[];
  readonly levels: readonly number[];
  /** Σ w per level, per dimension. */
  readonly weightSums: readonly Float64Array[];
  readonly weights: Float64Array | null;
}

export function makeAbsorber(fe: readonly Int32Array[], levels: readonly number[], weights: Float64Array | null): Absorber {
  const weightSums = fe.map((codes, d) => {
    const s = new Float64Array(levels[d]!);
    for (let i = 0; i < codes.length; i++) s[codes[i]!]! += weights ? weights[i]! : 1;
    return s;
  });
  return { fe, levels, weightSums, weights };
}

export const DEMEAN_TOLERANCE = 1e-13;
export const DEMEAN_MAX_SWEEPS = 100_000;

/**
 * Residual of v on the FE dummies, in place. One dimension is exact in one sweep; with more, sweeps repeat
 * until the largest change in a sweep is ≤ tol × max|v| (a balanced two-way panel converges after one sweep).
 * Returns the number of sweeps, or −1 when it did not converge.
 */
export function demeanInPlace(v: Float64Array, ab: Absorber, tol = DEMEAN_TOLERANCE): number {
  const { fe, weightSums, weights } = ab;
  const n = v.length;
  let scale = 0;
  for (let i = 0; i < n; i++) scale = Math.max(scale, Math.abs(v[i]!));
  if (scale === 0) return 0;
  const sums = ab.levels.map((l) => new Float64Array(l));
  for (let sweep = 1; sweep <= DEMEAN_MAX_SWEEPS; sweep++) {
    let maxChange = 0;
    for (let d = 0; d < fe.length; d++) {
      const codes = fe[d]!;
      const s = sums[d]!;
      const ws = weightSums[d]!;
      s.fill(0);
      if (weights) for (let i = 0; i < n; i++) s[codes[i]!]! += weights[i]! * v[i]!;
      else for (let i = 0; i < n; i++) s[codes[i]!]! += v[i]!;
      for (let l = 0; l < s.length; l++) {
        s[l] = ws[l]! > 0 ? s[l]! / ws[l]! : 0;
        const a = Math.abs(s[l]!);
        if (a > maxChange) maxChange = a;
      }
      for (let i = 0; i < n; i++) v[i]! -= s[codes[i]!]!;
    }
    if (fe.length === 1 || maxChange <= tol * scale) return sweep;
  }
  return -1;
}

/** Number of connected components of the bipartite graph level(dim a) — level(dim b) (union–find). */
export function connectedComponents(a: Int32Array, la: number, b: Int32Array, lb: number): number {
  const parent = new Int32Array(la + lb);
  for (let i = 0; i < parent.length; i++) parent[i] = i;
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]!]!;
      x = parent[x]!;
    }
    return x;
  };
  let comps = la + lb;
  for (let i = 0; i < a.length; i++) {
    const ra = find(a[i]!);
    const rb = find(la + b[i]!);
    if (ra !== rb) {
      parent[ra] = rb;
      comps--;
    }
  }
  return comps;
}

/** True when every level of `fe` lies within one level of `cluster` (the FE is nested in the cluster). */
export function isNested(fe: Int32Array, levels: number, cluster: Int32Array): boolean {
  const owner = new Int32Array(levels).fill(-1);
  for (let i = 0; i < fe.length; i++) {
    const o = owner[fe[i]!]!;
    if (o === -1) owner[fe[i]!] = cluster[i]!;
    else if (o !== cluster[i]) return false;
  }
  return true;
}

/**
 * Parameters absorbed by the FE dimensions (the intercept included): Σ L_d minus redundancies. Exact for one
 * and two dimensions (L1 + L2 − components, as reghdfe/fixest); from the third on each dimension is assumed to
 * lose one level to the intercept (reghdfe's conservative default), so K may be overstated by a few there.
 */
export function absorbedDof(fe: readonly Int32Array[], levels: readonly number[]): number {
  if (fe.length === 0) return 1;
  if (fe.length === 1) return levels[0]!;
  let dof = levels[0]! + levels[1]! - connectedComponents(fe[0]!, levels[0]!, fe[1]!, levels[1]!);
  for (let d = 2; d < fe.length; d++) dof += levels[d]! - 1;
  return dof;
}
