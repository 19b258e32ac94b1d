/**
 * Where a segment comes within distance d of another segment. The set of points within d of a segment is a
 * convex "capsule" (a rectangle of half-width d along it plus two end disks), so the part of a second segment
 * inside it is a single parameter interval — computed exactly from one slab and two disks, no sampling.
 */

/** The output slot: [lo, hi] parameters along the first segment (0 = its start, 1 = its end). */
export interface Interval {
  lo: number;
  hi: number;
}

/**
 * Parameters u ∈ [0, 1] of the segment (0,0)→(vx,vy) whose points lie within d of the segment
 * (qx0,qy0)→(qx1,qy1). Writes into `out` and returns true when the interval is non-empty.
 * All coordinates in metres in one local frame, the first segment starting at the origin.
 */
export function withinDistance(vx: number, vy: number, qx0: number, qy0: number, qx1: number, qy1: number, d: number, out: Interval): boolean {
  let lo = Infinity;
  let hi = -Infinity;
  // End disks.
  const vv = vx * vx + vy * vy;
  for (let k = 0; k < 2; k++) {
    const qx = k === 0 ? qx0 : qx1;
    const qy = k === 0 ? qy0 : qy1;
    // |u v − q|² ≤ d²  ⇔  vv u² − 2 (v·q) u + (|q|² − d²) ≤ 0
    const b = vx * qx + vy * qy;
    const disc = b * b - vv * (qx * qx + qy * qy - d * d);
    if (disc >= 0) {
      const r = Math.sqrt(disc);
      const a0 = (b - r) / vv;
      const a1 = (b + r) / vv;
      if (a0 < lo) lo = a0;
      if (a1 > hi) hi = a1;
    }
  }
  // Slab: 0 ≤ e·(u v − q0) ≤ L and |n·(u v − q0)| ≤ d, e the unit direction of the second segment, n = (−ey, ex).
  // Written out with locals rather than a helper returning tuples: this runs ~10⁶ times for China.
  const wx = qx1 - qx0;
  const wy = qy1 - qy0;
  const len = Math.hypot(wx, wy);
  if (len > 0) {
    const ex = wx / len;
    const ey = wy / len;
    let s0 = -Infinity;
    let s1 = Infinity;
    let ok = true;
    for (let k = 0; k < 2 && ok; k++) {
      // along(u) = (e·v) u − e·q0 ∈ [0, L];  perp(u) = (n·v) u − n·q0 ∈ [−d, d]
      const alpha = k === 0 ? ex * vx + ey * vy : -ey * vx + ex * vy;
      const beta = k === 0 ? -(ex * qx0 + ey * qy0) : ey * qx0 - ex * qy0;
      const min = k === 0 ? 0 : -d;
      const max = k === 0 ? len : d;
      if (alpha === 0) {
        ok = beta >= min && beta <= max;
      } else {
        let a = (min - beta) / alpha;
        let b = (max - beta) / alpha;
        if (a > b) {
          const t = a;
          a = b;
          b = t;
        }
        if (a > s0) s0 = a;
        if (b < s1) s1 = b;
        ok = s0 <= s1;
      }
    }
    if (ok) {
      if (s0 < lo) lo = s0;
      if (s1 > hi) hi = s1;
    }
  }
  if (lo < 0) lo = 0;
  if (hi > 1) hi = 1;
  out.lo = lo;
  out.hi = hi;
  return lo <= hi;
}
