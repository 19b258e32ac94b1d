/**
 * Exact coverage fractions of grid cells by a polygon (with holes, multipart).
 *
 * Hand-written because no JS library computes exact fractional cell coverage. The idea is exactextract's
 * — walk every ring segment once through the cells it crosses, compute the boundary cells' covered area
 * exactly, and settle all other cells as wholly in or out without any per-cell clipping or point tests —
 * but the per-cell area comes from Green's theorem instead of stitching traversals along the cell perimeter:
 *
 *   coverage(cell) = ∫∫_cell w(u, v) du dv,   w = winding number of the rings,
 *
 * and w(u, v) = Σ over boundary pieces left of (u, v) at height v of ∓1. Each piece of a segment inside one
 * cell therefore adds a trapezoid (−dv · (distance from the piece's midpoint to the cell's right edge))
 * to its own cell and a "cover" −dv to every cell right of it in the same row. A running sum over the row
 * turns covers into coverage. Holes (opposite orientation) subtract on their own, multipolygons add, and
 * corners, vertices on cell edges and segments along grid lines need no special case: a piece on a grid
 * line simply belongs to the cell on its right with a full-width trapezoid.
 *
 * Cells no piece passes through have a constant winding number, so their coverage is exactly the rounded
 * running sum (0 or 1) — that is the scan-line decision for untouched cells, and it also resets rounding
 * noise along long rows. Rows are independent, so any row window gives bitwise the same fractions as the
 * full computation; pieces left of a column window are folded into the row's starting cover.
 */
import type { PolygonRings } from '../vector/types.js';
import type { CellWindow, Grid } from './grid.js';
import { preparePolygon, SEG_STRIDE, type PreparedPolygon } from './prepare.js';

/** Reusable buffers for the kernels (grown on demand; never shrink). */
export class CoverageScratch {
  cover = new Float64Array(0);
  touched = new Uint8Array(0);
  ensure(cells: number, coverCells: number): void {
    if (this.cover.length < coverCells) this.cover = new Float64Array(Math.max(coverCells, this.cover.length * 2));
    if (this.touched.length < cells) this.touched = new Uint8Array(Math.max(cells, this.touched.length * 2));
  }
}

const sharedScratch = new CoverageScratch();

/** Coverage fractions of `window`'s cells (row-major, rows × cols) by the polygon `parts`. */
export function coverageFractions(parts: readonly PolygonRings[], grid: Grid, window: CellWindow): Float64Array {
  const p = preparePolygon(parts, grid);
  const out = new Float64Array(Math.max(0, window.row1 - window.row0) * Math.max(0, window.col1 - window.col0));
  exactCoverageInto(p, window, out, sharedScratch);
  return out;
}

/** Centre-rule coverage (1 if the cell centre is inside, even-odd over all rings, half-open), else 0. */
export function centreCoverage(parts: readonly PolygonRings[], grid: Grid, window: CellWindow): Float64Array {
  const p = preparePolygon(parts, grid);
  const out = new Float64Array(Math.max(0, window.row1 - window.row0) * Math.max(0, window.col1 - window.col0));
  centreCoverageInto(p, window, out, sharedScratch);
  return out;
}

/**
 * Write exact coverage of the window's cells into out[0 .. rows·cols). `out` doubles as the per-cell
 * trapezoid accumulator, so the kernel allocates nothing.
 */
export function exactCoverageInto(p: PreparedPolygon, w: CellWindow, out: Float64Array, scratch: CoverageScratch): void {
  const R0 = w.row0, R1 = w.row1, C0 = w.col0, C1 = w.col1;
  const nr = R1 - R0, nc = C1 - C0;
  if (nr <= 0 || nc <= 0) return;
  const cells = nr * nc;
  const stride = nc + 1;
  scratch.ensure(cells, nr * stride);
  const area = out;
  const cover = scratch.cover;
  const touched = scratch.touched;
  area.fill(0, 0, cells);
  cover.fill(0, 0, nr * stride);
  touched.fill(0, 0, cells);

  const segs = p.segs, vmaxOf = p.vmaxOf;
  for (let i = 0; i < p.nSegs; i++) {
    const o = i * SEG_STRIDE;
    const u0 = segs[o], v0 = segs[o + 1], u1 = segs[o + 2], v1 = segs[o + 3], s = segs[o + 4];
    const vlo = v0 < v1 ? v0 : v1;
    if (vlo >= R1) break; // sorted by vlo: no later segment reaches the window
    const vhi = vmaxOf[i];
    if (vhi <= R0) continue;
    if ((u0 < u1 ? u0 : u1) >= C1) continue; // right of the window: no effect on any window cell

    if (v0 === v1) {
      // Horizontal: adds no area, but the winding changes inside the cells it crosses (unless it lies on a row line).
      const r = Math.floor(v0);
      if (r === v0 || r < R0 || r >= R1) continue;
      const lo = Math.max(Math.floor(Math.min(u0, u1)), C0);
      const hi = Math.min(Math.ceil(Math.max(u0, u1)), C1);
      const base = (r - R0) * nc - C0;
      for (let j = lo; j < hi; j++) touched[base + j] = 1;
      continue;
    }

    // Walk the rows the segment spans, top (small v) to bottom; boundary points are computed once and
    // shared by the two rows they separate.
    const dudv = (u1 - u0) / (v1 - v0);
    const down = v1 > v0; // travelling towards larger v
    const uAtLo = down ? u0 : u1;
    const uAtHi = down ? u1 : u0;
    const rStart = Math.max(Math.floor(vlo), R0);
    const rEnd = Math.min(Math.ceil(vhi), R1);
    let vt: number, ut: number;
    if (rStart <= vlo) { vt = vlo; ut = uAtLo; } else { vt = rStart; ut = u0 + (rStart - v0) * dudv; }
    for (let r = rStart; r < rEnd; r++) {
      let vb: number, ub: number;
      if (r + 1 >= vhi) { vb = vhi; ub = uAtHi; } else { vb = r + 1; ub = u0 + (vb - v0) * dudv; }
      if (down) emitPiece(ut, vt, ub, vb, s, r - R0, C0, C1, area, cover, touched, nc);
      else emitPiece(ub, vb, ut, vt, s, r - R0, C0, C1, area, cover, touched, nc);
      vt = vb; ut = ub;
    }
  }

  // Row sweep: running cover + own trapezoids; untouched cells take the exact integer winding.
  for (let rr = 0; rr < nr; rr++) {
    let run = 0;
    const cb = rr * stride, ab = rr * nc;
    for (let j = 0; j < nc; j++) {
      run += cover[cb + j];
      let c: number;
      if (touched[ab + j] === 1) {
        c = run + area[ab + j];
      } else {
        run = Math.round(run);
        c = run;
      }
      area[ab + j] = c > 0 ? (c < 1 ? c : 1) : 0;
    }
  }
}

/**
 * One segment piece inside row `rr` (window-relative), from (ua, va) to (ub, vb) in travel order.
 * Splits it at integer columns; pieces left of the window only add to the row's starting cover.
 */
function emitPiece(
  ua: number, va: number, ub: number, vb: number, s: number, rr: number, C0: number, C1: number,
  area: Float64Array, cover: Float64Array, touched: Uint8Array, nc: number,
): void {
  if (va === vb) return;
  const cb = rr * (nc + 1);
  const ab = rr * nc;
  if (ua === ub) {
    // Vertical: belongs to the column on its right (a piece on a grid line covers that cell fully).
    const j = Math.floor(ua);
    const wgt = -s * (vb - va);
    if (j < C0) { cover[cb] += wgt; return; }
    if (j >= C1) return;
    const jj = j - C0;
    area[ab + jj] += wgt * (j + 1 - ua);
    cover[cb + jj + 1] += wgt;
    touched[ab + jj] = 1;
    return;
  }
  // Work left to right; `dir` restores the travel direction of dv.
  let uL: number, vL: number, uR: number, vR: number, dir: number;
  if (ua < ub) { uL = ua; vL = va; uR = ub; vR = vb; dir = -s; } else { uL = ub; vL = vb; uR = ua; vR = va; dir = s; }
  // dir·(v_right − v_left) = −s·dv in travel order.
  const dvdu = (vR - vL) / (uR - uL);
  let x1 = uL, p = vL;
  if (x1 < C0) {
    const x2 = uR <= C0 ? uR : C0;
    const q = x2 === uR ? vR : vL + (x2 - uL) * dvdu;
    cover[cb] += dir * (q - p);
    if (x2 === uR) return;
    x1 = x2; p = q;
  }
  let j = Math.floor(x1);
  while (x1 < uR && j < C1) {
    const nx = j + 1;
    const x2 = uR <= nx ? uR : nx;
    const q = x2 === uR ? vR : vL + (x2 - uL) * dvdu;
    const wgt = dir * (q - p);
    const jj = j - C0;
    area[ab + jj] += wgt * (nx - 0.5 * (x1 + x2));
    cover[cb + jj + 1] += wgt;
    touched[ab + jj] = 1;
    x1 = x2; p = q; j = nx;
  }
}

/** Centre rule into out[0 .. rows·cols): parity of boundary crossings left of (or at) each cell centre. */
export function centreCoverageInto(p: PreparedPolygon, w: CellWindow, out: Float64Array, scratch: CoverageScratch): void {
  const R0 = w.row0, R1 = w.row1, C0 = w.col0, C1 = w.col1;
  const nr = R1 - R0, nc = C1 - C0;
  if (nr <= 0 || nc <= 0) return;
  const cells = nr * nc;
  scratch.ensure(cells, 0);
  const toggles = scratch.touched;
  toggles.fill(0, 0, cells);
  const segs = p.segs;
  for (let i = 0; i < p.nSegs; i++) {
    const o = i * SEG_STRIDE;
    const u0 = segs[o], v0 = segs[o + 1], u1 = segs[o + 2], v1 = segs[o + 3];
    const vlo = v0 < v1 ? v0 : v1;
    if (vlo >= R1) break;
    if (v0 === v1) continue; // horizontal segments never cross a centre line under the half-open rule
    const vhi = p.vmaxOf[i];
    // Centre line v = k + 0.5 is crossed when vlo <= k + 0.5 < vhi.
    const kStart = Math.max(Math.ceil(vlo - 0.5), R0);
    const kEnd = Math.min(Math.ceil(vhi - 0.5), R1);
    if (kStart >= kEnd) continue;
    const dudv = (u1 - u0) / (v1 - v0);
    for (let k = kStart; k < kEnd; k++) {
      const uc = u0 + (k + 0.5 - v0) * dudv;
      // The crossing flips every cell whose centre j + 0.5 is at or right of it.
      let j = Math.ceil(uc - 0.5);
      if (j >= C1) continue;
      if (j < C0) j = C0;
      toggles[(k - R0) * nc + (j - C0)] ^= 1;
    }
  }
  for (let rr = 0; rr < nr; rr++) {
    let par = 0;
    const b = rr * nc;
    for (let j = 0; j < nc; j++) {
      par ^= toggles[b + j];
      out[b + j] = par;
    }
  }
}
