/**
 * Ring hygiene and polygon assembly: close rings, drop repeated points and zero-width spikes, drop
 * degenerate rings, orient (outer CCW, holes CW), and group shapefile rings into polygons by containment.
 */
import type { PolygonRings, Ring } from './types.js';

/** What cleaning did to one ring, for the user's warnings. */
export interface RingNotes {
  unclosed: number;
  spikes: number;
  dropped: number;
}

export function newNotes(): RingNotes {
  return { unclosed: 0, spikes: 0, dropped: 0 };
}

/** Twice the signed area (shoelace); positive for counter-clockwise rings (x east, y north). */
export function signedArea2(r: Ring): number {
  const n = r.length;
  // Shift to the first vertex so large coordinates (projected metres) lose no precision.
  const x0 = r[0] as number;
  const y0 = r[1] as number;
  let s = 0;
  for (let i = 2; i + 2 < n; i += 2) {
    s += ((r[i] as number) - x0) * ((r[i + 3] as number) - y0) - ((r[i + 2] as number) - x0) * ((r[i + 1] as number) - y0);
  }
  return s;
}

export function reverseRing(r: Ring): Ring {
  return reverseInto(r, new Float64Array(r.length));
}

/** `r` reversed, written into `out` (same length, another buffer). */
function reverseInto(r: Ring, out: Float64Array): Ring {
  for (let i = 0, j = r.length - 2; j >= 0; i += 2, j -= 2) {
    out[i] = r[j] as number;
    out[i + 1] = r[j + 1] as number;
  }
  return out;
}

/** The ring with the requested orientation (reversed copy if needed). */
export function orientRing(r: Ring, ccw: boolean): Ring {
  return signedArea2(r) > 0 === ccw ? r : reverseRing(r);
}

/**
 * Clean one ring given as interleaved x,y (closed or not). Returns a closed ring with ≥ 4 points and
 * non-zero area, or null when nothing usable is left. Coordinates that are not finite also drop the ring.
 */
export function cleanRing(input: ArrayLike<number>, notes: RingNotes): Ring | null {
  const r = cleanRingView(input, notes);
  return r === null ? null : r.slice();
}

// Work buffers reused by every cleanRingView call: thousands of rings per file, and fresh memory is costly.
let xsBuf = new Float64Array(1024);
let ysBuf = new Float64Array(1024);
let ringBuf = new Float64Array(2048);

/** cleanRing's result as a view of a shared buffer, valid until the next call (copy what is kept). */
function cleanRingView(input: ArrayLike<number>, notes: RingNotes): Ring | null {
  const count = cleanPoints(input, notes);
  if (count < 0) return null;
  const xs = xsBuf,
    ys = ysBuf,
    s = seamStart;
  const ring = ringBuf.subarray(0, 2 * (count + 1));
  for (let i = 0; i < count; i++) {
    ring[2 * i] = xs[s + i] as number;
    ring[2 * i + 1] = ys[s + i] as number;
  }
  ring[2 * count] = xs[s] as number;
  ring[2 * count + 1] = ys[s] as number;
  if (isZeroArea(ring)) {
    notes.dropped++;
    return null;
  }
  return ring;
}

/** Where cleanPoints' ring starts in xsBuf/ysBuf. */
let seamStart = 0;

/**
 * cleanRing's point work: the open ring's points left in xsBuf/ysBuf from seamStart on; returns their count (≥ 3),
 * or -1 when the ring is dropped (noted). The zero-area test is the caller's.
 */
function cleanPoints(input: ArrayLike<number>, notes: RingNotes): number {
  let n = input.length >> 1;
  for (let i = 0; i < 2 * n; i++) {
    if (!Number.isFinite(input[i] as number)) {
      notes.dropped++;
      return -1;
    }
  }
  if (n > 1 && (input[0] !== input[2 * n - 2] || input[1] !== input[2 * n - 1])) notes.unclosed++;
  else if (n > 1) n--; // work on the open ring; closing point re-added at the end
  // Stack pass: skip repeated points, pop the tip of any back-tracking (zero-width) spike.
  if (xsBuf.length < n + 1) {
    const cap = 2 ** Math.ceil(Math.log2(n + 1));
    xsBuf = new Float64Array(cap);
    ysBuf = new Float64Array(cap);
    ringBuf = new Float64Array(2 * cap);
  }
  const xs = xsBuf;
  const ys = ysBuf;
  let m = 0;
  for (let i = 0; i < n; i++) {
    const x = input[2 * i] as number;
    const y = input[2 * i + 1] as number;
    if (m > 0 && xs[m - 1] === x && ys[m - 1] === y) continue;
    while (m >= 2) {
      const ax = xs[m - 2] as number,
        ay = ys[m - 2] as number,
        bx = xs[m - 1] as number,
        by = ys[m - 1] as number;
      // backtracks' first test, inline: most points turn by less than a right angle
      if ((bx - ax) * (x - bx) + (by - ay) * (y - by) >= 0 || !backtracks(ax, ay, bx, by, x, y)) break;
      m--;
      notes.spikes++;
    }
    if (m > 0 && xs[m - 1] === x && ys[m - 1] === y) continue;
    xs[m] = x;
    ys[m] = y;
    m++;
  }
  // The same at the seam where the ring closes on itself.
  let s = 0;
  for (let changed = true; changed && m - s >= 3; ) {
    changed = false;
    if (xs[m - 1] === xs[s] && ys[m - 1] === ys[s]) {
      m--;
      changed = true;
    } else if (backtracks(xs[m - 2] as number, ys[m - 2] as number, xs[m - 1] as number, ys[m - 1] as number, xs[s] as number, ys[s] as number)) {
      m--;
      notes.spikes++;
      changed = true;
    } else if (backtracks(xs[m - 1] as number, ys[m - 1] as number, xs[s] as number, ys[s] as number, xs[s + 1] as number, ys[s + 1] as number)) {
      s++;
      notes.spikes++;
      changed = true;
    }
  }
  const count = m - s;
  if (count < 3) {
    notes.dropped++;
    return -1;
  }
  seamStart = s;
  return count;
}

/**
 * A shapefile ring cleaned as cleanRing does, returned reversed (the file's clockwise outer rings become
 * counter-clockwise, its holes clockwise) in `reuse` when that has the right length, else in a new array; with the
 * cleaned ring's signed area ×2 and extent. One pass gives what isZeroArea, signedArea2 and bbox compute on the
 * cleaned ring, term for term in the same order, so the numbers are the same to the bit. Null when dropped.
 */
function cleanShapefileRing(input: Float64Array, notes: RingNotes, reuse: Float64Array | null): { ring: Ring; area2: number; box: Bbox } | null {
  const count = cleanPoints(input, notes);
  if (count < 0) return null;
  const xs = xsBuf,
    ys = ysBuf,
    s = seamStart;
  const x0 = xs[s] as number,
    y0 = ys[s] as number;
  let minX = Infinity,
    minY = Infinity,
    maxX = -Infinity,
    maxY = -Infinity;
  let fan = 0,
    area2 = 0;
  for (let k = 0; k <= count; k++) {
    const x = xs[s + (k === count ? 0 : k)] as number,
      y = ys[s + (k === count ? 0 : k)] as number;
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
    if (k < count) {
      const k1 = k + 1 === count ? 0 : k + 1;
      const term = (x - x0) * ((ys[s + k1] as number) - y0) - ((xs[s + k1] as number) - x0) * (y - y0);
      fan += Math.abs(term);
      if (k >= 1) area2 += term;
    }
  }
  if (fan <= 1e-12 * (maxX - minX) * (maxY - minY)) {
    notes.dropped++;
    return null;
  }
  const len = 2 * (count + 1);
  const ring = reuse !== null && reuse.length === len ? reuse : new Float64Array(len);
  ring[0] = x0;
  ring[1] = y0;
  for (let m = 1; m < count; m++) {
    ring[2 * m] = xs[s + count - m] as number;
    ring[2 * m + 1] = ys[s + count - m] as number;
  }
  ring[2 * count] = x0;
  ring[2 * count + 1] = y0;
  return { ring, area2, box: { minX, minY, maxX, maxY } };
}

/** b is the tip of a back-tracking pair a→b→c: the direction reverses exactly (angle π to 1e-12 rad). */
function backtracks(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): boolean {
  const ux = bx - ax;
  const uy = by - ay;
  const vx = cx - bx;
  const vy = cy - by;
  const dot = ux * vx + uy * vy;
  if (dot >= 0) return false;
  const cross = ux * vy - uy * vx;
  return Math.abs(cross) <= 1e-12 * Math.hypot(ux, uy) * Math.hypot(vx, vy);
}

/**
 * All points (nearly) on one line. Judged by the fan of triangles from the first vertex, not the signed
 * area: a symmetric bow-tie has zero signed area but is a crossing for validity.ts to report, not a sliver.
 */
function isZeroArea(r: Ring): boolean {
  let minX = Infinity,
    minY = Infinity,
    maxX = -Infinity,
    maxY = -Infinity;
  const x0 = r[0] as number;
  const y0 = r[1] as number;
  let fan = 0;
  for (let i = 0; i < r.length; i += 2) {
    const x = r[i] as number;
    const y = r[i + 1] as number;
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
    if (i + 3 < r.length) fan += Math.abs((x - x0) * ((r[i + 3] as number) - y0) - ((r[i + 2] as number) - x0) * (y - y0));
  }
  return fan <= 1e-12 * (maxX - minX) * (maxY - minY);
}

/** A GeoJSON-style polygon (outer first): clean, orient, and drop the part if its outer ring is unusable. */
export function polygonFromRings(rings: readonly ArrayLike<number>[], notes: RingNotes): PolygonRings | null {
  const out: Ring[] = [];
  for (let k = 0; k < rings.length; k++) {
    const r = cleanRing(rings[k] as ArrayLike<number>, notes);
    if (r === null) {
      if (k === 0) {
        notes.dropped += rings.length - 1; // holes without their outer ring mean nothing
        return null;
      }
      continue;
    }
    out.push(orientRing(r, k === 0));
  }
  return out;
}

interface Bbox {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

function bbox(r: Ring): Bbox {
  const b = { minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity };
  for (let i = 0; i < r.length; i += 2) {
    const x = r[i] as number;
    const y = r[i + 1] as number;
    if (x < b.minX) b.minX = x;
    if (x > b.maxX) b.maxX = x;
    if (y < b.minY) b.minY = y;
    if (y > b.maxY) b.maxY = y;
  }
  return b;
}

/** Crossing-number point-in-ring test (boundary points count either way). */
export function pointInRing(x: number, y: number, r: Ring): boolean {
  let inside = false;
  for (let i = 0, j = r.length - 2; i < r.length; j = i, i += 2) {
    const xi = r[i] as number,
      yi = r[i + 1] as number,
      xj = r[j] as number,
      yj = r[j + 1] as number;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Most of three probe points (two vertices and an edge midpoint) of `inner` lie inside `outer`. */
function ringInside(inner: Ring, outer: Ring): boolean {
  let votes = 0;
  const probes = [
    [inner[0] as number, inner[1] as number],
    [inner[2] as number, inner[3] as number],
    [((inner[0] as number) + (inner[2] as number)) / 2, ((inner[1] as number) + (inner[3] as number)) / 2],
  ];
  for (const [x, y] of probes) if (pointInRing(x as number, y as number, outer)) votes++;
  return votes >= 2;
}

/**
 * Shapefile polygon record → polygons. Clockwise rings (in the file) are outer rings; each counter-clockwise
 * ring is a hole of the smallest outer ring containing it. A hole no outer ring contains becomes an outer ring
 * (counted in `orphanHoles`), as GDAL does. `consume`: the raw rings are the caller's to give away — a cleaned ring as
 * long as its raw ring is written (reversed) into that ring's array instead of a new one, sparing fresh memory.
 */
export function groupShapefileRings(rawRings: readonly Float64Array[], notes: RingNotes, consume = false): { parts: PolygonRings[]; orphanHoles: number } {
  const outers: { ring: Ring; box: Bbox; area: number; holes: Ring[] }[] = [];
  const holes: Ring[] = [];
  for (const raw of rawRings) {
    const owned = consume && raw.byteOffset === 0 && raw.buffer.byteLength === raw.byteLength;
    const c = cleanShapefileRing(raw, notes, owned ? raw : null);
    if (c === null) continue;
    if (c.area2 < 0) outers.push({ ring: c.ring, box: c.box, area: -c.area2, holes: [] });
    else holes.push(c.ring); // stored CCW → hole, kept clockwise
  }
  let orphanHoles = 0;
  for (const h of holes) {
    const hb = bbox(h);
    let best: (typeof outers)[number] | null = null;
    for (const o of outers) {
      if (hb.minX < o.box.minX || hb.maxX > o.box.maxX || hb.minY < o.box.minY || hb.maxY > o.box.maxY) continue;
      if (best !== null && o.area >= best.area) continue;
      if (ringInside(h, o.ring)) best = o;
    }
    if (best) best.holes.push(h);
    else {
      orphanHoles++;
      outers.push({ ring: reverseRing(h), box: hb, area: -signedArea2(h), holes: [] });
    }
  }
  return { parts: outers.map((o) => [o.ring, ...o.holes]), orphanHoles };
}
