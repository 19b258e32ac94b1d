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
 *
 * One walker (collectEvents) turns segments into per-cell events (row, col, trapezoid, cover). Two
 * consumers read them: a dense one (fractions for every window cell: the public API and the tests'
 * view) and a run-length one for the engine (partial cells + runs of whole cells, so interior cells
 * cost one value read each and exterior cells nothing). Both add the same numbers in the same order,
 * so they agree bitwise.
 */
import type { PolygonRings } from '../vector/types.js';
import type { CellWindow, Grid } from './grid.js';
import { preparePolygon, SEG_STRIDE, type PreparedPolygon } from './prepare.js';

/** Per-cell contributions of boundary pieces: area[col] += a, cover from col+1 onwards += v. */
class EventBuffer {
  n = 0;
  row = new Int32Array(256);
  col = new Int32Array(256);
  a = new Float64Array(256);
  v = new Float64Array(256);
  push(row: number, col: number, a: number, v: number): void {
    if (this.n === this.row.length) this.grow();
    const i = this.n++;
    this.row[i] = row;
    this.col[i] = col;
    this.a[i] = a;
    this.v[i] = v;
  }
  private grow(): void {
    const m = this.row.length * 2;
    const r = new Int32Array(m);
    r.set(this.row);
    this.row = r;
    const c = new Int32Array(m);
    c.set(this.col);
    this.col = c;
    const a = new Float64Array(m);
    a.set(this.a);
    this.a = a;
    const v = new Float64Array(m);
    v.set(this.v);
    this.v = v;
  }
}

/**
 * Coverage of a row band as runs, for the engine: per window row rr, entries
 * [rowStart[rr], rowStart[rr+1]) of (from, to, c) in column order — a run of wholly covered cells has
 * c = 1 and to > from + 1 possibly; a boundary cell has to = from + 1 and its fraction c ∈ (0, 1].
 * Cells not listed have coverage 0. Columns are absolute grid columns.
 */
export class CoverageSpans {
  rows = 0;
  rowStart = new Int32Array(2);
  from = new Int32Array(256);
  to = new Int32Array(256);
  c = new Float64Array(256);
  n = 0;
  push(from: number, to: number, c: number): void {
    if (this.n === this.from.length) {
      const m = this.n * 2;
      const f = new Int32Array(m);
      f.set(this.from);
      this.from = f;
      const t = new Int32Array(m);
      t.set(this.to);
      this.to = t;
      const cc = new Float64Array(m);
      cc.set(this.c);
      this.c = cc;
    }
    this.from[this.n] = from;
    this.to[this.n] = to;
    this.c[this.n] = c;
    this.n++;
  }
}

/**
 * The segments of one polygon that can reach the current row band, for a traversal whose bands move
 * strictly downwards (the engine's). Keeps sorted order — new segments are appended in start-row order and
 * dead ones removed stably — so events come out in exactly the order of a full scan, and results stay
 * bitwise identical, while a band only visits the few segments crossing it.
 */
export class SegmentCursor {
  list: Int32Array;
  n = 0;
  private next = 0;
  constructor(private readonly p: PreparedPolygon) {
    this.list = new Int32Array(Math.min(p.nSegs, 64));
  }
  /** Make `list` hold the segments with start < row1 and end > row0 (row0 never decreases between calls). */
  advance(row0: number, row1: number): void {
    const { segs, vmaxOf, nSegs } = this.p;
    let m = 0;
    for (let k = 0; k < this.n; k++) {
      const i = this.list[k];
      if (vmaxOf[i] > row0) this.list[m++] = i;
    }
    while (this.next < nSegs) {
      const o = this.next * SEG_STRIDE;
      const vlo = segs[o + 1] < segs[o + 3] ? segs[o + 1] : segs[o + 3];
      if (vlo >= row1) break;
      if (vmaxOf[this.next] > row0) {
        if (m === this.list.length) {
          const bigger = new Int32Array(Math.min(nSegs, this.list.length * 2));
          bigger.set(this.list);
          this.list = bigger;
        }
        this.list[m++] = this.next;
      }
      this.next++;
    }
    this.n = m;
  }
}

/** Reusable buffers for the kernels (grown on demand; never shrink). */
export class CoverageScratch {
  readonly ev = new EventBuffer();
  cover = new Float64Array(0);
  touched = new Uint8Array(0);
  order = new Uint32Array(0);
  rowCount = new Int32Array(0);
  keys = new Float64Array(0);
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
 * Walk every segment that reaches the window through the cells it crosses and record one event per
 * (segment piece, cell). Rows are window-relative; a piece left of the window becomes a cover event in
 * column col0 − 1; pieces right of the window are dropped (they cannot change any window cell).
 */
function collectEvents(p: PreparedPolygon, w: CellWindow, ev: EventBuffer, live: SegmentCursor | null): void {
  const R0 = w.row0,
    R1 = w.row1,
    C0 = w.col0,
    C1 = w.col1;
  ev.n = 0;
  const segs = p.segs,
    vmaxOf = p.vmaxOf;
  const list = live === null ? null : live.list;
  const count = live === null ? p.nSegs : live.n;
  for (let k = 0; k < count; k++) {
    const i = list === null ? k : list[k];
    const o = i * SEG_STRIDE;
    const u0 = segs[o],
      v0 = segs[o + 1],
      u1 = segs[o + 2],
      v1 = segs[o + 3],
      s = segs[o + 4];
    const vlo = v0 < v1 ? v0 : v1;
    if (vlo >= R1) break; // ordered by start row, so no later segment reaches the window
    const vhi = vmaxOf[i];
    if (vhi <= R0) continue;
    if ((u0 < u1 ? u0 : u1) >= C1) continue;

    if (v0 === v1) {
      // Horizontal: adds no area, but the winding changes inside the cells it crosses (unless it lies on a
      // row line), so those cells must not be settled as wholly in or out: record zero events.
      const r = Math.floor(v0);
      if (r === v0 || r < R0 || r >= R1) continue;
      const lo = Math.max(Math.floor(Math.min(u0, u1)), C0);
      const hi = Math.min(Math.ceil(Math.max(u0, u1)), C1);
      for (let j = lo; j < hi; j++) ev.push(r - R0, j, 0, 0);
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
    if (rStart <= vlo) {
      vt = vlo;
      ut = uAtLo;
    } else {
      vt = rStart;
      ut = u0 + (rStart - v0) * dudv;
    }
    for (let r = rStart; r < rEnd; r++) {
      let vb: number, ub: number;
      if (r + 1 >= vhi) {
        vb = vhi;
        ub = uAtHi;
      } else {
        vb = r + 1;
        ub = u0 + (vb - v0) * dudv;
      }
      if (down) emitPiece(ut, vt, ub, vb, s, r - R0, C0, C1, ev);
      else emitPiece(ub, vb, ut, vt, s, r - R0, C0, C1, ev);
      vt = vb;
      ut = ub;
    }
  }
}

/**
 * One segment piece inside window row `rr`, from (ua, va) to (ub, vb) in travel order.
 * Splits it at integer columns; the part left of the window only adds to the row's starting cover.
 */
function emitPiece(ua: number, va: number, ub: number, vb: number, s: number, rr: number, C0: number, C1: number, ev: EventBuffer): void {
  if (va === vb) return;
  if (ua === ub) {
    // Vertical: belongs to the column on its right (a piece on a grid line covers that cell fully).
    const j = Math.floor(ua);
    const wgt = -s * (vb - va);
    if (j < C0) ev.push(rr, C0 - 1, 0, wgt);
    else if (j < C1) ev.push(rr, j, wgt * (j + 1 - ua), wgt);
    return;
  }
  // Work left to right; `dir` restores the travel direction: dir·(v_right − v_left) = −s·dv in travel order.
  let uL: number, vL: number, uR: number, vR: number, dir: number;
  if (ua < ub) {
    uL = ua;
    vL = va;
    uR = ub;
    vR = vb;
    dir = -s;
  } else {
    uL = ub;
    vL = vb;
    uR = ua;
    vR = va;
    dir = s;
  }
  const dvdu = (vR - vL) / (uR - uL);
  let x1 = uL,
    p = vL;
  if (x1 < C0) {
    const x2 = uR <= C0 ? uR : C0;
    const q = x2 === uR ? vR : vL + (x2 - uL) * dvdu;
    ev.push(rr, C0 - 1, 0, dir * (q - p));
    if (x2 === uR) return;
    x1 = x2;
    p = q;
  }
  let j = Math.floor(x1);
  while (x1 < uR && j < C1) {
    const nx = j + 1;
    const x2 = uR <= nx ? uR : nx;
    const q = x2 === uR ? vR : vL + (x2 - uL) * dvdu;
    const wgt = dir * (q - p);
    ev.push(rr, j, wgt * (nx - 0.5 * (x1 + x2)), wgt);
    x1 = x2;
    p = q;
    j = nx;
  }
}

const clamp01 = (c: number): number => (c > 0 ? (c < 1 ? c : 1) : 0);

/**
 * Write exact coverage of the window's cells into out[0 .. rows·cols). `out` doubles as the per-cell
 * trapezoid accumulator, so the kernel allocates nothing.
 */
export function exactCoverageInto(p: PreparedPolygon, w: CellWindow, out: Float64Array, scratch: CoverageScratch): void {
  const C0 = w.col0;
  const nr = w.row1 - w.row0,
    nc = w.col1 - C0;
  if (nr <= 0 || nc <= 0) return;
  const cells = nr * nc;
  const stride = nc + 1;
  scratch.ensure(cells, nr * stride);
  const area = out,
    cover = scratch.cover,
    touched = scratch.touched;
  area.fill(0, 0, cells);
  cover.fill(0, 0, nr * stride);
  touched.fill(0, 0, cells);
  const ev = scratch.ev;
  collectEvents(p, w, ev, null);
  for (let e = 0; e < ev.n; e++) {
    const rr = ev.row[e],
      jj = ev.col[e] - C0;
    cover[rr * stride + jj + 1] += ev.v[e];
    if (jj >= 0) {
      area[rr * nc + jj] += ev.a[e];
      touched[rr * nc + jj] = 1;
    }
  }
  // Row sweep: running cover + own trapezoids; untouched cells take the exact integer winding.
  for (let rr = 0; rr < nr; rr++) {
    let run = 0;
    const cb = rr * stride,
      ab = rr * nc;
    for (let j = 0; j < nc; j++) {
      run += cover[cb + j];
      if (touched[ab + j] === 1) {
        area[ab + j] = clamp01(run + area[ab + j]);
      } else {
        run = Math.round(run);
        area[ab + j] = clamp01(run);
      }
    }
  }
}

/**
 * The same coverage as exactCoverageInto, as runs (see CoverageSpans): events are grouped by row and
 * column (stable, so sums keep emission order) and the sweep jumps from one boundary cell to the next.
 * `live` (optional) restricts the walk to a SegmentCursor already advanced to this window's rows.
 */
export function exactCoverageSpans(p: PreparedPolygon, w: CellWindow, spans: CoverageSpans, scratch: CoverageScratch, live: SegmentCursor | null = null): void {
  const C0 = w.col0,
    C1 = w.col1;
  const nr = Math.max(0, w.row1 - w.row0);
  spans.rows = nr;
  spans.n = 0;
  if (spans.rowStart.length < nr + 1) spans.rowStart = new Int32Array(nr + 1);
  spans.rowStart[0] = 0;
  if (nr === 0 || C1 <= C0) {
    spans.rowStart.fill(0, 0, nr + 1);
    return;
  }
  const ev = scratch.ev;
  collectEvents(p, w, ev, live);
  const n = ev.n;
  // Stable counting sort of events by row.
  if (scratch.rowCount.length < nr + 1) scratch.rowCount = new Int32Array(nr + 1);
  if (scratch.order.length < n) scratch.order = new Uint32Array(Math.max(n, scratch.order.length * 2));
  if (scratch.keys.length < n) scratch.keys = new Float64Array(Math.max(n, scratch.keys.length * 2));
  const rc = scratch.rowCount,
    order = scratch.order,
    keys = scratch.keys;
  rc.fill(0, 0, nr + 1);
  for (let e = 0; e < n; e++) rc[ev.row[e] + 1]++;
  for (let r = 0; r < nr; r++) rc[r + 1] += rc[r];
  for (let e = 0; e < n; e++) order[rc[ev.row[e]]++] = e;
  // rc[r] is now the end of row r's events; its start is rc[r − 1] (0 for r = 0).
  let lo = 0;
  for (let rr = 0; rr < nr; rr++) {
    const hi = rc[rr];
    // Sort this row's events by column, ties by emission order: key = (col − C0 + 1)·2^26 + rank.
    const k = hi - lo;
    for (let i = 0; i < k; i++) keys[lo + i] = (ev.col[order[lo + i]] - C0 + 1) * 67108864 + i;
    const rowKeys = keys.subarray(lo, hi);
    if (k > 1) rowKeys.sort();
    let run = 0,
      pending = 0,
      next = C0;
    let i = 0;
    while (i < k) {
      const g = Math.floor(rowKeys[i] / 67108864) + C0 - 1;
      let aSum = 0,
        vSum = 0;
      for (; i < k && Math.floor(rowKeys[i] / 67108864) + C0 - 1 === g; i++) {
        const e = order[lo + (rowKeys[i] % 67108864)];
        aSum += ev.a[e];
        vSum += ev.v[e];
      }
      if (g < C0) {
        pending = vSum;
        continue;
      } // pieces left of the window: the row's starting cover
      if (next < g) {
        run = Math.round(run + pending);
        pending = 0;
        if (run >= 1) spans.push(next, g, 1);
      }
      run += pending;
      const c = clamp01(run + aSum);
      if (c > 0) spans.push(g, g + 1, c);
      pending = vSum;
      next = g + 1;
    }
    if (next < C1) {
      run = Math.round(run + pending);
      if (run >= 1) spans.push(next, C1, 1);
    }
    spans.rowStart[rr + 1] = spans.n;
    lo = hi;
  }
}

/** Convert dense fractions (rows × cols of window `w`) to runs: used for the centre rule in the engine. */
export function spansFromDense(cov: Float64Array, w: CellWindow, spans: CoverageSpans): void {
  const nr = Math.max(0, w.row1 - w.row0),
    nc = Math.max(0, w.col1 - w.col0);
  spans.rows = nr;
  spans.n = 0;
  if (spans.rowStart.length < nr + 1) spans.rowStart = new Int32Array(nr + 1);
  spans.rowStart[0] = 0;
  for (let rr = 0; rr < nr; rr++) {
    const b = rr * nc;
    let j = 0;
    while (j < nc) {
      const c = cov[b + j];
      if (c === 1) {
        const start = j;
        while (j < nc && cov[b + j] === 1) j++;
        spans.push(w.col0 + start, w.col0 + j, 1);
        continue;
      }
      if (c > 0) spans.push(w.col0 + j, w.col0 + j + 1, c);
      j++;
    }
    spans.rowStart[rr + 1] = spans.n;
  }
}

/** Centre rule into out[0 .. rows·cols): parity of boundary crossings left of (or at) each cell centre. */
export function centreCoverageInto(p: PreparedPolygon, w: CellWindow, out: Float64Array, scratch: CoverageScratch): void {
  const R0 = w.row0,
    R1 = w.row1,
    C0 = w.col0,
    C1 = w.col1;
  const nr = R1 - R0,
    nc = C1 - C0;
  if (nr <= 0 || nc <= 0) return;
  const cells = nr * nc;
  scratch.ensure(cells, 0);
  const toggles = scratch.touched;
  toggles.fill(0, 0, cells);
  const segs = p.segs;
  for (let i = 0; i < p.nSegs; i++) {
    const o = i * SEG_STRIDE;
    const u0 = segs[o],
      v0 = segs[o + 1],
      u1 = segs[o + 2],
      v1 = segs[o + 3];
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
