/**
 * Segment-intersection check for one polygon (outer ring + holes): a sweep over segments sorted along the
 * polygon's longer axis, testing only pairs whose extents overlap. Finds
 *  - crossings: two segments cross at interior points (bow-tie, hole crossing its shell, parts overlapping) → unrepairable here;
 *  - overlaps: collinear segments sharing a stretch of positive length (after spikes were removed) → unrepairable;
 *  - touches: a ring touching itself at a point (legal for area and coverage, illegal in OGC terms) → warn.
 */
import type { PolygonRings } from './types.js';

export interface RingDefects {
  crossings: number;
  overlaps: number;
  touches: number;
  /** One location of the first crossing/overlap found, for messages. */
  where: [number, number] | null;
}

/**
 * `partOf[k]`: the polygon part ring k belongs to, when `rings` are all rings of a multi-part zone. Parts may share
 * boundary stretches (they add up to the same area either way), so overlaps between rings of different parts are
 * not defects; crossings always are.
 */
export function findDefects(rings: PolygonRings, partOf?: ArrayLike<number>): RingDefects {
  const out: RingDefects = { crossings: 0, overlaps: 0, touches: 0, where: null };
  let nSeg = 0;
  for (const r of rings) nSeg += (r.length >> 1) - 1;
  if (nSeg < 4) return out;
  const { ax, ay, bx, by, ringOf, idxInRing, lo, hi, vlo, vhi, order } = scratchFor(nSeg);
  const ringLen = new Uint32Array(rings.length);
  let minX = Infinity,
    maxX = -Infinity,
    minY = Infinity,
    maxY = -Infinity;
  let s = 0;
  for (let k = 0; k < rings.length; k++) {
    const r = rings[k] as Float64Array;
    const m = (r.length >> 1) - 1;
    ringLen[k] = m;
    for (let i = 0; i < m; i++, s++) {
      const x = r[2 * i] as number,
        y = r[2 * i + 1] as number;
      ax[s] = x;
      ay[s] = y;
      bx[s] = r[2 * i + 2] as number;
      by[s] = r[2 * i + 3] as number;
      ringOf[s] = k;
      idxInRing[s] = i;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
  }
  // Sweep along the longer axis: (u, v) = (x, y) or (y, x).
  const alongX = maxX - minX >= maxY - minY;
  for (let i = 0; i < nSeg; i++) {
    const u1 = alongX ? (ax[i] as number) : (ay[i] as number),
      u2 = alongX ? (bx[i] as number) : (by[i] as number);
    const v1 = alongX ? (ay[i] as number) : (ax[i] as number),
      v2 = alongX ? (by[i] as number) : (bx[i] as number);
    lo[i] = Math.min(u1, u2);
    hi[i] = Math.max(u1, u2);
    vlo[i] = Math.min(v1, v2);
    vhi[i] = Math.max(v1, v2);
  }
  sortByKey(order, lo, nSeg);
  for (let oi = 0; oi < nSeg; oi++) {
    const i = order[oi] as number;
    const hiI = hi[i] as number;
    for (let oj = oi + 1; oj < nSeg; oj++) {
      const j = order[oj] as number;
      if ((lo[j] as number) > hiI) break;
      if ((vlo[j] as number) > (vhi[i] as number) || (vhi[j] as number) < (vlo[i] as number)) continue;
      if (ringOf[i] === ringOf[j] && adjacent(idxInRing[i] as number, idxInRing[j] as number, ringLen[ringOf[i] as number] as number)) continue;
      const kind = classify(
        ax[i] as number,
        ay[i] as number,
        bx[i] as number,
        by[i] as number,
        ax[j] as number,
        ay[j] as number,
        bx[j] as number,
        by[j] as number,
      );
      if (kind === 0) continue;
      if (kind === TOUCH) {
        // Different rings may touch at a point (OGC allows it); one ring touching itself is noted.
        if (ringOf[i] === ringOf[j]) out.touches++;
        continue;
      }
      if (kind === CROSS) out.crossings++;
      else if (partOf !== undefined && partOf[ringOf[i] as number] !== partOf[ringOf[j] as number]) continue;
      else out.overlaps++;
      out.where ??= intersectionPoint(
        ax[i] as number,
        ay[i] as number,
        bx[i] as number,
        by[i] as number,
        ax[j] as number,
        ay[j] as number,
        bx[j] as number,
        by[j] as number,
      );
    }
  }
  return out;
}

/** Scratch arrays shared by every call (findDefects runs thousands of times per file; fresh memory is costly). */
interface Scratch {
  ax: Float64Array;
  ay: Float64Array;
  bx: Float64Array;
  by: Float64Array;
  lo: Float64Array;
  hi: Float64Array;
  vlo: Float64Array;
  vhi: Float64Array;
  ringOf: Uint32Array;
  idxInRing: Uint32Array;
  order: Uint32Array;
  tmp: Uint32Array;
}

let scratch: Scratch | null = null;

function scratchFor(n: number): Scratch {
  if (scratch === null || scratch.ax.length < n) {
    const cap = Math.max(1024, 2 ** Math.ceil(Math.log2(n)));
    const f = (): Float64Array => new Float64Array(cap);
    const u = (): Uint32Array => new Uint32Array(cap);
    scratch = { ax: f(), ay: f(), bx: f(), by: f(), lo: f(), hi: f(), vlo: f(), vhi: f(), ringOf: u(), idxInRing: u(), order: u(), tmp: u() };
  }
  return scratch;
}

/**
 * order[0..n) = 0..n-1 sorted by key, ties by index: the permutation a stable sort by key gives (the sweep finds the
 * same first defect), by a bottom-up merge sort without a comparator callback.
 */
function sortByKey(order: Uint32Array, key: Float64Array, n: number): void {
  const RUN = 16;
  for (let i = 0; i < n; i++) order[i] = i;
  for (let start = 0; start < n; start += RUN) {
    const end = Math.min(n, start + RUN);
    for (let i = start + 1; i < end; i++) {
      const v = order[i] as number;
      const kv = key[v] as number;
      let j = i - 1;
      while (j >= start && (key[order[j] as number] as number) > kv) {
        order[j + 1] = order[j] as number;
        j--;
      }
      order[j + 1] = v;
    }
  }
  let src = order;
  let dst = (scratch as Scratch).tmp;
  for (let width = RUN; width < n; width *= 2) {
    for (let left = 0; left < n; left += 2 * width) {
      const mid = Math.min(n, left + width),
        right = Math.min(n, left + 2 * width);
      let i = left,
        j = mid,
        k = left;
      while (i < mid && j < right) {
        const a = src[i] as number,
          b = src[j] as number;
        // take from the left run unless the right key is strictly smaller: stable
        if ((key[b] as number) < (key[a] as number)) {
          dst[k++] = b;
          j++;
        } else {
          dst[k++] = a;
          i++;
        }
      }
      while (i < mid) dst[k++] = src[i++] as number;
      while (j < right) dst[k++] = src[j++] as number;
    }
    const t = src;
    src = dst;
    dst = t;
  }
  if (src !== order) order.set(src.subarray(0, n));
}

function adjacent(i: number, j: number, m: number): boolean {
  const d = Math.abs(i - j);
  return d === 1 || d === m - 1;
}

const TOUCH = 1;
const CROSS = 2;
const OVERLAP = 3;

function orient(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): number {
  const v = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
  return v > 0 ? 1 : v < 0 ? -1 : 0;
}

function onSegment(ax: number, ay: number, bx: number, by: number, px: number, py: number): boolean {
  return Math.min(ax, bx) <= px && px <= Math.max(ax, bx) && Math.min(ay, by) <= py && py <= Math.max(ay, by);
}

/** 0 = disjoint, TOUCH = share a point only, CROSS = interiors cross, OVERLAP = collinear with common length. */
function classify(ax: number, ay: number, bx: number, by: number, cx: number, cy: number, dx: number, dy: number): number {
  const o1 = orient(ax, ay, bx, by, cx, cy);
  const o2 = orient(ax, ay, bx, by, dx, dy);
  const o3 = orient(cx, cy, dx, dy, ax, ay);
  const o4 = orient(cx, cy, dx, dy, bx, by);
  if (o1 * o2 < 0 && o3 * o4 < 0) return CROSS;
  if (o1 === 0 && o2 === 0) {
    // Collinear: project on the longer axis of ab and measure the common stretch.
    const useX = Math.abs(bx - ax) >= Math.abs(by - ay);
    const a1 = useX ? Math.min(ax, bx) : Math.min(ay, by),
      a2 = useX ? Math.max(ax, bx) : Math.max(ay, by);
    const c1 = useX ? Math.min(cx, dx) : Math.min(cy, dy),
      c2 = useX ? Math.max(cx, dx) : Math.max(cy, dy);
    const common = Math.min(a2, c2) - Math.max(a1, c1);
    if (common > 0) return OVERLAP;
    return common === 0 ? TOUCH : 0;
  }
  if (
    (o1 === 0 && onSegment(ax, ay, bx, by, cx, cy)) ||
    (o2 === 0 && onSegment(ax, ay, bx, by, dx, dy)) ||
    (o3 === 0 && onSegment(cx, cy, dx, dy, ax, ay)) ||
    (o4 === 0 && onSegment(cx, cy, dx, dy, bx, by))
  )
    return TOUCH;
  return 0;
}

function intersectionPoint(ax: number, ay: number, bx: number, by: number, cx: number, cy: number, dx: number, dy: number): [number, number] {
  const den = (bx - ax) * (dy - cy) - (by - ay) * (dx - cx);
  if (den === 0) return [cx, cy];
  const t = ((cx - ax) * (dy - cy) - (cy - ay) * (dx - cx)) / den;
  return [ax + t * (bx - ax), ay + t * (by - ay)];
}
