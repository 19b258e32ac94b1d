/**
 * A polygon converted once to the grid's own units, so the coverage kernels never touch map coordinates:
 * u = (x − xmin)/dx counts columns, v = (ymax − y)/dy counts rows, and cell (row, col) is the unit square
 * [col, col+1] × [row, row+1]. Cell edges are then exact integers, which makes clipping deterministic.
 */
import { NtlError } from '../errors.js';
import type { PolygonRings } from '../vector/types.js';
import { clampWindow, type CellWindow, type Grid } from './grid.js';

/** Values per segment in PreparedPolygon.segs: u0, v0, u1, v1, s (s = ±1: +1 adds area, −1 removes it). */
export const SEG_STRIDE = 5;

export interface PreparedPolygon {
  /** Segments in grid units, SEG_STRIDE values each, ordered by the row they start in (then ring order). */
  readonly segs: Float64Array;
  /** Largest v of each segment, parallel to segs (for a cheap row-band test). */
  readonly vmaxOf: Float64Array;
  readonly nSegs: number;
  /** Bounding box in grid units (±Infinity when there are no segments). */
  readonly umin: number;
  readonly umax: number;
  readonly vmin: number;
  readonly vmax: number;
  /** Cells the bbox overlaps, clamped to the grid (may be empty). */
  readonly window: CellWindow;
}

/** Twice the signed area of a closed interleaved ring, in (u, v) as stored (positive = counter-clockwise in u, v). */
function doubledSignedArea(r: Float64Array): number {
  let a = 0;
  for (let i = 0; i + 3 < r.length; i += 2) a += r[i] * r[i + 3] - r[i + 2] * r[i + 1];
  return a;
}

/**
 * Convert polygon parts (outer ring first, then holes) to sorted grid-unit segments. Orientation is
 * normalised from the ring's own signed area, so an outer ring always adds and a hole always subtracts
 * even if a reader delivered the opposite winding. Zero-area rings contribute nothing and are dropped.
 */
export function preparePolygon(parts: readonly PolygonRings[], g: Grid, where = 'zone'): PreparedPolygon {
  return preparePolygonUv(toUv(parts, g, where), g.nx, g.ny);
}

/**
 * preparePolygon(parts, g).window without keeping the segments: the engine sorts and partitions zones by their
 * windows first and prepares each polygon only while its rows are being read.
 */
export function polygonWindow(parts: readonly PolygonRings[], g: Grid, where = 'zone'): CellWindow {
  let umin = Infinity,
    umax = -Infinity,
    vmin = Infinity,
    vmax = -Infinity,
    any = false;
  forEachSegment(toUv(parts, g, where), (u0, v0) => {
    any = true;
    if (u0 < umin) umin = u0;
    if (u0 > umax) umax = u0;
    if (v0 < vmin) vmin = v0;
    if (v0 > vmax) vmax = v0;
  });
  return any ? clampWindow(g, Math.floor(vmin), Math.ceil(vmax), Math.floor(umin), Math.ceil(umax)) : { row0: 0, row1: 0, col0: 0, col1: 0 };
}

/** Rings in map coordinates → grid units (a ring of fewer than 4 vertices becomes empty, to be skipped). */
function toUv(parts: readonly PolygonRings[], g: Grid, where: string): Float64Array[][] {
  return parts.map((rings) =>
    rings.map((r, ri) => {
      const m = r.length >> 1;
      if (m < 4) return new Float64Array(0);
      const uv = new Float64Array(m * 2);
      for (let i = 0; i < m; i++) {
        const x = r[2 * i],
          y = r[2 * i + 1];
        if (!Number.isFinite(x) || !Number.isFinite(y)) {
          throw new NtlError(
            `${where}: ring ${ri + 1} has a non-finite coordinate (${x}, ${y}) at vertex ${i + 1}; repair the geometry (e.g. ogr2ogr -makevalid) and retry.`,
          );
        }
        uv[2 * i] = (x - g.xmin) / g.dx;
        uv[2 * i + 1] = (g.ymax - y) / g.dy;
      }
      return uv;
    }),
  );
}

/**
 * Every segment preparePolygonUv keeps, in ring order, with its sign: the one place that decides which rings and
 * segments count, so polygonWindow and the preparation agree exactly.
 */
function forEachSegment(uvParts: readonly (readonly Float64Array[])[], emit: (u0: number, v0: number, u1: number, v1: number, s: number) => void): void {
  for (const rings of uvParts) {
    for (let ri = 0; ri < rings.length; ri++) {
      const uv = rings[ri];
      const m = uv.length >> 1;
      if (m < 4) continue;
      // Rings are closed by contract; close defensively so a missing closing vertex cannot leak area.
      const closed = uv[0] === uv[2 * m - 2] && uv[1] === uv[2 * m - 1];
      const ring = closed ? uv : appendFirst(uv);
      const a2 = doubledSignedArea(ring);
      if (a2 === 0) continue;
      const s = (ri === 0 ? 1 : -1) * Math.sign(a2);
      for (let i = 0; i + 3 < ring.length; i += 2) {
        const u0 = ring[i],
          v0 = ring[i + 1],
          u1 = ring[i + 2],
          v1 = ring[i + 3];
        if (u0 === u1 && v0 === v1) continue;
        emit(u0, v0, u1, v1, s);
      }
    }
  }
}

/**
 * The same preparation for rings already in grid units (u = column, v = row; an empty ring is skipped):
 * used for grids whose cells are not all the same size (the common grid of a value and a weighting raster,
 * src/zonal/common-grid.ts), where the caller maps coordinates piece by piece.
 */
export function preparePolygonUv(uvParts: readonly (readonly Float64Array[])[], nx: number, ny: number): PreparedPolygon {
  const g = { nx, ny };
  let n = 0;
  for (const rings of uvParts) for (const r of rings) n += Math.max(0, r.length >> 1);
  const raw = new Float64Array(n * SEG_STRIDE);
  let k = 0;
  let umin = Infinity,
    umax = -Infinity,
    vmin = Infinity,
    vmax = -Infinity;
  forEachSegment(uvParts, (u0, v0, u1, v1, s) => {
    raw[k] = u0;
    raw[k + 1] = v0;
    raw[k + 2] = u1;
    raw[k + 3] = v1;
    raw[k + 4] = s;
    k += SEG_STRIDE;
    if (u0 < umin) umin = u0;
    if (u0 > umax) umax = u0;
    if (v0 < vmin) vmin = v0;
    if (v0 > vmax) vmax = v0;
  });
  const nSegs = k / SEG_STRIDE;
  // Order segments by the row they start in (a stable counting sort, keys clamped to the grid's rows ±1),
  // so a row band only scans a prefix of the list and the order — hence the float sums — is fixed.
  const rowKey = (i: number) => Math.min(Math.max(Math.floor(Math.min(raw[i * SEG_STRIDE + 1], raw[i * SEG_STRIDE + 3])), -1), g.ny);
  const kLo = nSegs === 0 ? 0 : Math.min(Math.max(Math.floor(vmin), -1), g.ny);
  const kHi = nSegs === 0 ? 0 : Math.min(Math.max(Math.floor(vmax), -1), g.ny);
  const start = new Uint32Array(kHi - kLo + 2);
  for (let i = 0; i < nSegs; i++) start[rowKey(i) - kLo + 1]++;
  for (let b = 1; b < start.length; b++) start[b] += start[b - 1];
  const segs = new Float64Array(nSegs * SEG_STRIDE);
  const vmaxOf = new Float64Array(nSegs);
  for (let i = 0; i < nSegs; i++) {
    const dst = start[rowKey(i) - kLo]++;
    const src = i * SEG_STRIDE;
    for (let q = 0; q < SEG_STRIDE; q++) segs[dst * SEG_STRIDE + q] = raw[src + q];
    vmaxOf[dst] = Math.max(raw[src + 1], raw[src + 3]);
  }
  const window = nSegs === 0 ? { row0: 0, row1: 0, col0: 0, col1: 0 } : clampWindow(g, Math.floor(vmin), Math.ceil(vmax), Math.floor(umin), Math.ceil(umax));
  return { segs, vmaxOf, nSegs, umin, umax, vmin, vmax, window };
}

function appendFirst(uv: Float64Array): Float64Array {
  const out = new Float64Array(uv.length + 2);
  out.set(uv);
  out[uv.length] = uv[0];
  out[uv.length + 1] = uv[1];
  return out;
}
