/**
 * The common grid of a value raster and a weighting raster (exactextract's rule, generalised).
 *
 * exactextract (Grid::common_grid, RasterView, RasterStats::process with weights) intersects the polygon with
 * a grid fine enough to hold both rasters' cell edges: for resolutions that are integer multiples of each other
 * with origins a whole number of finer cells apart, that is the finer grid. Each common cell takes the value of
 * the value cell and the weight of the weight cell that contain it (a coarse cell is repeated, never divided),
 * and its coverage fraction is the covered share of the *common* cell. exactextract refuses other pairs
 * ("Incompatible extents"); here the common grid is defined for any two north-up grids in the same CRS as the
 * overlay of both edge sets — every common cell is exactly the intersection of one value cell and one weight
 * cell — which is the finer grid whenever exactextract accepts the pair. Overlay cells then differ in size, so
 * the coverage entering the weighted sums is the covered area in cells of the finer resolution on each axis
 * (`share`): exactly exactextract's coverage fraction when its grid applies, and independent of how finely a
 * cell is cut otherwise.
 *
 * The common grid spans the value raster's extent only (a cell outside it has no value, so it is never used);
 * a common cell outside the weighting raster has no weight (index −1). Weight edges within 1e-6 finer cells of a
 * value edge are taken as that value edge (exactextract's grid compatibility tolerance is of the same kind), so
 * a weighting raster on the same or an aligned coarser grid adds no edge: then the common grid *is* the value
 * grid (`identity`) and coverage is computed once.
 *
 * Cells of the common grid are not all the same size when the resolutions are not integer multiples, so the
 * polygon is mapped piecewise: each ring segment is split where it crosses a common edge and every piece is
 * mapped by the affine map of the cell it lies in, sending that cell to a unit square. Coverage fractions are
 * area ratios, which an affine map of one cell preserves, so the exact coverage kernels of coverage.ts run
 * unchanged on the mapped polygon and give each common cell's exact covered fraction.
 */
import { NtlError } from '../errors.js';
import type { PolygonRings } from '../vector/types.js';
import type { Grid } from './grid.js';
import { preparePolygonUv, type PreparedPolygon } from './prepare.js';

/** Tolerance, in cells of the finer grid, under which a weight edge is the same as a value edge. */
export const EDGE_TOL = 1e-6;

/** One axis of the common grid (columns: x ascending; rows: y descending, like the rasters). */
export interface CommonAxis {
  /** Number of common cells. */
  readonly n: number;
  /** n + 1 edge positions along the axis, increasing: x for columns, −y for rows. */
  readonly pos: Float64Array;
  /** Value-raster column (row) of each common cell. */
  readonly vIdx: Int32Array;
  /** First common cell of each value cell (length = value cells + 1). */
  readonly vStart: Int32Array;
  /** Weight-raster column (row) of each common cell; −1 outside the weighting raster. */
  readonly wIdx: Int32Array;
  /** Size of each common cell as a share of its weight cell (0 outside the weighting raster). */
  readonly wFrac: Float64Array;
  /**
   * Size of each common cell in cells of the finer of the two resolutions (exactextract's common cell size):
   * exactly 1 everywhere when the resolutions are integer multiples and the origins aligned.
   */
  readonly share: Float64Array;
}

export interface CommonGrid {
  readonly x: CommonAxis;
  readonly y: CommonAxis;
  /** No weight edge falls inside a value cell: the common grid is the value grid (same or aligned coarser weights). */
  readonly identity: boolean;
  /** exactextract would accept the pair (integer resolution ratio, origins a whole number of finer cells apart). */
  readonly exactextractCompatible: boolean;
}

/**
 * Build one axis. Value cell c spans [v0 + c·dv, v0 + (c+1)·dv] in axis position p (p = x, or −y), weight
 * cell k spans [w0 + k·dw, w0 + (k+1)·dw]; positions are computed from the origin by multiplication, like grid.ts.
 */
function buildAxis(v0: number, dv: number, nv: number, w0: number, dw: number, nw: number): { axis: CommonAxis; added: number } {
  const tol = EDGE_TOL * Math.min(dv, dw);
  const vEnd = v0 + nv * dv;
  // Weight edges strictly inside the value extent and not on a value edge, ascending.
  const inner: number[] = [];
  const kFrom = Math.max(0, Math.floor((v0 - w0) / dw));
  const kTo = Math.min(nw, Math.ceil((vEnd - w0) / dw));
  for (let k = kFrom; k <= kTo; k++) {
    const p = w0 + k * dw;
    if (!(p > v0 + tol && p < vEnd - tol)) continue;
    const c = Math.round((p - v0) / dv);
    if (Math.abs(p - (v0 + c * dv)) <= tol) continue;
    inner.push(p);
  }
  const n = nv + inner.length;
  const pos = new Float64Array(n + 1);
  const vIdx = new Int32Array(n);
  const vStart = new Int32Array(nv + 1);
  let j = 0,
    q = 0;
  for (let c = 0; c < nv; c++) {
    vStart[c] = j;
    pos[j] = v0 + c * dv;
    vIdx[j++] = c;
    const hi = v0 + (c + 1) * dv;
    while (q < inner.length && inner[q] < hi) {
      pos[j] = inner[q++];
      vIdx[j++] = c;
    }
  }
  vStart[nv] = j;
  pos[n] = vEnd;
  const wIdx = new Int32Array(n);
  const wFrac = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const mid = 0.5 * (pos[i] + pos[i + 1]);
    const k = Math.floor((mid - w0) / dw);
    if (k >= 0 && k < nw) {
      wIdx[i] = k;
      wFrac[i] = (pos[i + 1] - pos[i]) / dw;
    } else {
      wIdx[i] = -1;
    }
  }
  const fine = Math.min(dv, dw);
  const share = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const sh = (pos[i + 1] - pos[i]) / fine;
    share[i] = Math.abs(sh - 1) <= EDGE_TOL ? 1 : sh;
  }
  return { axis: { n, pos, vIdx, vStart, wIdx, wFrac, share }, added: inner.length };
}

const integral = (d: number, tol: number) => Math.abs(d - Math.round(d)) <= tol;

/** The common grid of a value grid and a weight grid (both north-up, same CRS: the caller checks the CRS). */
export function commonGrid(value: Grid, weights: Grid): CommonGrid {
  const xs = buildAxis(value.xmin, value.dx, value.nx, weights.xmin, weights.dx, weights.nx);
  const ys = buildAxis(-value.ymax, value.dy, value.ny, -weights.ymax, weights.dy, weights.ny);
  const fx = Math.min(value.dx, weights.dx),
    fy = Math.min(value.dy, weights.dy);
  const exactextractCompatible =
    integral(Math.max(value.dx, weights.dx) / fx, EDGE_TOL) &&
    integral(Math.max(value.dy, weights.dy) / fy, EDGE_TOL) &&
    integral(Math.abs(value.xmin - weights.xmin) / fx, EDGE_TOL) &&
    integral(Math.abs(value.ymax - weights.ymax) / fy, EDGE_TOL);
  return { x: xs.axis, y: ys.axis, identity: xs.added === 0 && ys.added === 0, exactextractCompatible };
}

/** Largest k in [0, n−1] with pos[k] <= p (0 below the first edge, n−1 above the last). */
function cellOf(pos: Float64Array, n: number, p: number): number {
  if (p < pos[0]) return 0;
  if (p >= pos[n]) return n - 1;
  let lo = 0,
    hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (pos[mid] <= p) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Axis position → common-grid units (an edge maps to its exact integer; affine inside a cell and beyond the ends). */
function toUnits(a: CommonAxis, p: number): number {
  const k = cellOf(a.pos, a.n, p);
  if (p === a.pos[k]) return k;
  return k + (p - a.pos[k]) / (a.pos[k + 1] - a.pos[k]);
}

/**
 * One ring (interleaved x, y; closed) in common-grid units, split at every common edge it crosses so that each
 * piece lies in one cell and is mapped by that cell's affine map. Points on an edge get the exact integer.
 */
function ringToUnits(r: PolygonRings[number], cg: CommonGrid, where: string, ri: number): Float64Array {
  const m = r.length >> 1;
  if (m < 4) return new Float64Array(0);
  const X = cg.x,
    Y = cg.y;
  const out: number[] = [];
  let px = r[0],
    py = r[1];
  check(px, py, where, ri, 0);
  let pu = toUnits(X, px),
    pv = toUnits(Y, -py);
  out.push(pu, pv);
  const tx: number[] = [],
    ty: number[] = [];
  for (let i = 1; i < m; i++) {
    const qx = r[2 * i],
      qy = r[2 * i + 1];
    check(qx, qy, where, ri, i);
    const qu = toUnits(X, qx),
      qv = toUnits(Y, -qy);
    // Edges strictly between the two ends, in travel order, with their parameter t along the segment.
    tx.length = 0;
    ty.length = 0;
    if (pu !== qu) {
      const step = qu > pu ? 1 : -1;
      let k = step > 0 ? Math.max(Math.floor(pu) + 1, 0) : Math.min(Math.ceil(pu) - 1, X.n);
      for (; step > 0 ? k < qu && k <= X.n : k > qu && k >= 0; k += step) tx.push(k);
    }
    if (pv !== qv) {
      const step = qv > pv ? 1 : -1;
      let k = step > 0 ? Math.max(Math.floor(pv) + 1, 0) : Math.min(Math.ceil(pv) - 1, Y.n);
      for (; step > 0 ? k < qv && k <= Y.n : k > qv && k >= 0; k += step) ty.push(k);
    }
    let a = 0,
      b = 0;
    const dx = qx - px,
      dy = qy - py;
    while (a < tx.length || b < ty.length) {
      const ta = a < tx.length ? (X.pos[tx[a]] - px) / dx : Infinity;
      const tb = b < ty.length ? (-Y.pos[ty[b]] - py) / dy : Infinity;
      if (ta === tb) {
        out.push(tx[a++], ty[b++]);
      } else if (ta < tb) {
        out.push(tx[a], toUnits(Y, -(py + ta * dy)));
        a++;
      } else {
        out.push(toUnits(X, px + tb * dx), ty[b]);
        b++;
      }
    }
    out.push(qu, qv);
    px = qx;
    py = qy;
    pu = qu;
    pv = qv;
  }
  return Float64Array.from(out);
}

function check(x: number, y: number, where: string, ri: number, i: number): void {
  if (!Number.isFinite(x) || !Number.isFinite(y)) {
    throw new NtlError(
      `${where}: ring ${ri + 1} has a non-finite coordinate (${x}, ${y}) at vertex ${i + 1}; repair the geometry (e.g. ogr2ogr -makevalid) and retry.`,
    );
  }
}

/** A polygon prepared on the common grid (cells = unit squares in common-grid units). */
export function preparePolygonCommon(parts: readonly PolygonRings[], cg: CommonGrid, where = 'zone'): PreparedPolygon {
  const uvParts = parts.map((rings) => rings.map((r, ri) => ringToUnits(r, cg, where, ri)));
  return preparePolygonUv(uvParts, cg.x.n, cg.y.n);
}
