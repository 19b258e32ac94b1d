/**
 * Contiguity of polygons with a snap tolerance in metres (methods.md §4).
 *
 * Every ring edge is put in a packed Hilbert R-tree (flatbush). For each edge s of zone A, the edges t of other
 * zones whose boxes come within the snap are tested exactly: the part of s within `snapM` of t is one interval
 * (capsule.ts).
 * Per (A, B) the union of those intervals along A's boundary, in metres, is A's boundary length lying within
 * the snap of B's boundary. From that:
 *  - queen: any point of A's boundary within the snap of B's boundary;
 *  - rook: shared length ≥ `minSharedM`, shared length = mean of the A-side and B-side lengths (they differ
 *    only where the two borders are digitised differently). Two separate touching points give about 2·snap
 *    each, far below the default minimum, so they are queen but not rook.
 *  - an island (no contact at all) lying inside another zone's outer ring — an enclave separated from its
 *    surrounding hole by a gap wider than the snap, or an overlap — is that zone's neighbour (sharedM 0).
 * Lengths: geodesic on the CRS ellipsoid for lon/lat, planar × unit for projected CRSs (metric.ts).
 */
import { DEFAULT_MIN_SHARED_SNAPS, DEFAULT_SNAP_M } from './adjacency-defaults.js';
import Flatbush from 'flatbush';
import { NtlError } from '../errors.js';
import type { ZoneSet } from '../vector/types.js';
import { withinDistance, type Interval } from './capsule.js';
import { connectedComponents } from './graph.js';
import { degreeScales, metricOf, segmentLengthM, type Metric } from './metric.js';
import { pointInRing, segmentTable, zoneBoxes, type SegmentTable } from './segments.js';

export type ContiguityRule = 'queen' | 'rook';

export { DEFAULT_MIN_SHARED_SNAPS, DEFAULT_SNAP_M } from './adjacency-defaults.js';

export interface AdjacencyOptions {
  readonly rule?: ContiguityRule;
  /** Boundary points closer than this (metres) touch. > 0. */
  readonly snapM?: number;
  /** Rook only: the least shared border length (metres) that counts; default 10 × snapM. */
  readonly minSharedM?: number;
}

export interface NeighbourPair {
  /** The two unit ids, a < b in string (UTF-16 code unit) order. */
  readonly a: string;
  readonly b: string;
  /** Shared border length in metres (0 for an enclave found by containment). */
  readonly sharedM: number;
}

export interface AdjacencyResult {
  readonly rule: ContiguityRule;
  readonly snapM: number;
  readonly minSharedM: number;
  /** Every unit id, in the order of the zone set. */
  readonly ids: readonly string[];
  /** Sorted by a, then b. */
  readonly pairs: readonly NeighbourPair[];
  /** Units without any neighbour, sorted. */
  readonly islands: readonly string[];
  /** Connected components of the neighbour graph (an island is a component of its own). */
  readonly components: number;
  /** Pairs found by containment rather than boundary contact (enclaves behind a gap, overlaps). */
  readonly enclosed: readonly NeighbourPair[];
  readonly warnings: readonly string[];
}

export const compareIds = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0);

export function adjacency(zoneSet: ZoneSet, opts: AdjacencyOptions = {}): AdjacencyResult {
  const rule = opts.rule ?? 'queen';
  const snapM = opts.snapM ?? DEFAULT_SNAP_M;
  const minSharedM = opts.minSharedM ?? DEFAULT_MIN_SHARED_SNAPS * snapM;
  if (rule !== 'queen' && rule !== 'rook') throw new NtlError(`adjacency: unknown rule "${String(rule)}"; use queen or rook`);
  if (!(snapM > 0) || !Number.isFinite(snapM)) throw new NtlError(`adjacency: the snap tolerance must be a positive number of metres, got ${snapM}`);
  if (!(minSharedM >= 0) || !Number.isFinite(minSharedM)) throw new NtlError(`adjacency: the minimum shared border must be ≥ 0 metres, got ${minSharedM}`);

  const zones = zoneSet.zones;
  const n = zones.length;
  const metric = metricOf(zoneSet.crs);
  const segs = segmentTable(zones);
  const directed = directedSharedLengths(segs, n, metric, snapM);

  const warnings: string[] = [];
  const empty = zones.filter((z) => z.parts.length === 0).map((z) => z.id);
  if (empty.length > 0) warnings.push(`${empty.length} unit(s) without geometry, reported as islands: ${empty.join(', ')}`);

  const byPair = new Map<number, NeighbourPair>();
  const linked = new Uint8Array(n);
  for (const [key, len] of directed) {
    const i = Math.floor(key / n);
    const j = key % n;
    if (i > j) continue;
    const sharedM = (len + (directed.get(j * n + i) ?? 0)) / 2;
    if (rule === 'rook' && sharedM < minSharedM) continue;
    byPair.set(key, orderedPair(zones[i]!.id, zones[j]!.id, sharedM));
    linked[i] = 1;
    linked[j] = 1;
  }
  // Zones touching nothing at all (under either rule) may still be enclosed by another zone.
  const touched = new Uint8Array(n);
  for (const key of directed.keys()) touched[Math.floor(key / n)] = 1;
  const enclosed: NeighbourPair[] = [];
  for (const [i, j] of enclosures(zoneSet, touched)) {
    const key = Math.min(i, j) * n + Math.max(i, j);
    if (byPair.has(key)) continue;
    const p = orderedPair(zones[i]!.id, zones[j]!.id, 0);
    byPair.set(key, p);
    enclosed.push(p);
    linked[i] = 1;
    linked[j] = 1;
  }

  const pairs = [...byPair.values()].sort((p, q) => compareIds(p.a, q.a) || compareIds(p.b, q.b));
  const ids = zones.map((z) => z.id);
  const islands = ids.filter((_, i) => linked[i] === 0).sort(compareIds);
  return {
    rule,
    snapM,
    minSharedM,
    ids,
    pairs,
    islands,
    components: connectedComponents(ids, pairs).count,
    enclosed: enclosed.sort((p, q) => compareIds(p.a, q.a) || compareIds(p.b, q.b)),
    warnings,
  };
}

function orderedPair(x: string, y: string, sharedM: number): NeighbourPair {
  return x < y ? { a: x, b: y, sharedM } : { a: y, b: x, sharedM };
}

/**
 * key i·n + j → metres of zone i's boundary within snapM of zone j's boundary (present, possibly 0, whenever
 * any point is within snapM).
 */
function directedSharedLengths(segs: SegmentTable, n: number, metric: Metric, snapM: number): Map<number, number> {
  const tree = boxIndex(segs.boxes);
  const { coords, zone } = segs;
  const out = new Map<number, number>();
  const hits: number[] = [];
  const iv: Interval = { lo: 0, hi: 0 };
  // Intervals of the current segment against other zones: zone, lo, hi.
  const hz: number[] = [],
    hlo: number[] = [],
    hhi: number[] = [];
  const order: number[] = [];
  // Segments are queried in chunks of CHUNK consecutive ring edges (one box around them; each edge then keeps
  // the hits inside its own box): consecutive edges are neighbours, so this halves the tree work.
  const CHUNK = 8;
  const kxs = new Float64Array(CHUNK),
    kys = new Float64Array(CHUNK),
    mxs = new Float64Array(CHUNK),
    mys = new Float64Array(CHUNK);
  for (let c = 0; tree !== null && c < segs.count; c += CHUNK) {
    const end = Math.min(segs.count, c + CHUNK);
    let cx0 = Infinity,
      cy0 = Infinity,
      cx1 = -Infinity,
      cy1 = -Infinity;
    for (let s = c; s < end; s++) {
      const y0 = coords[s * 4 + 1]!,
        y1 = coords[s * 4 + 3]!;
      let kx: number, ky: number, mx: number, my: number;
      if (metric.geographic) {
        ({ kx, ky } = degreeScales(metric, (y0 + y1) / 2));
        my = (snapM / ky) * 1.001;
        // The longitude margin must hold at the segment's most poleward point.
        const latMax = Math.min(89.999, Math.max(Math.abs(y0), Math.abs(y1)) + my);
        mx = (snapM / degreeScales(metric, latMax).kx) * 1.001;
      } else {
        kx = ky = metric.toMeter;
        mx = my = (snapM / metric.toMeter) * 1.001;
      }
      const slot = s - c;
      kxs[slot] = kx;
      kys[slot] = ky;
      mxs[slot] = mx;
      mys[slot] = my;
      cx0 = Math.min(cx0, segs.boxes[s * 4]! - mx);
      cy0 = Math.min(cy0, segs.boxes[s * 4 + 1]! - my);
      cx1 = Math.max(cx1, segs.boxes[s * 4 + 2]! + mx);
      cy1 = Math.max(cy1, segs.boxes[s * 4 + 3]! + my);
    }
    const chunkHits = tree.search(cx0, cy0, cx1, cy1);
    for (let s = c; s < end; s++) {
      const slot = s - c;
      const kx = kxs[slot]!,
        ky = kys[slot]!,
        mx = mxs[slot]!,
        my = mys[slot]!;
      const x0 = coords[s * 4]!,
        y0 = coords[s * 4 + 1]!,
        x1 = coords[s * 4 + 2]!,
        y1 = coords[s * 4 + 3]!;
      const bx0 = segs.boxes[s * 4]! - mx,
        by0 = segs.boxes[s * 4 + 1]! - my,
        bx1 = segs.boxes[s * 4 + 2]! + mx,
        by1 = segs.boxes[s * 4 + 3]! + my;
      hits.length = 0;
      for (const t of chunkHits) {
        if (segs.boxes[t * 4]! <= bx1 && segs.boxes[t * 4 + 2]! >= bx0 && segs.boxes[t * 4 + 1]! <= by1 && segs.boxes[t * 4 + 3]! >= by0) hits.push(t);
      }
      const a = zone[s]!;
      hz.length = 0;
      hlo.length = 0;
      hhi.length = 0;
      const vx = (x1 - x0) * kx,
        vy = (y1 - y0) * ky;
      for (const t of hits) {
        const b = zone[t]!;
        if (b === a) continue;
        const qx0 = (coords[t * 4]! - x0) * kx,
          qy0 = (coords[t * 4 + 1]! - y0) * ky;
        const qx1 = (coords[t * 4 + 2]! - x0) * kx,
          qy1 = (coords[t * 4 + 3]! - y0) * ky;
        if (withinDistance(vx, vy, qx0, qy0, qx1, qy1, snapM, iv)) {
          hz.push(b);
          hlo.push(iv.lo);
          hhi.push(iv.hi);
        }
      }
      if (hz.length === 0) continue;
      const len = segmentLengthM(metric, x0, y0, x1, y1);
      order.length = 0;
      for (let k = 0; k < hz.length; k++) order.push(k);
      order.sort((p, q) => hz[p]! - hz[q]! || hlo[p]! - hlo[q]!);
      // Union of the intervals per other zone, as a length along s.
      let k = 0;
      while (k < order.length) {
        const b = hz[order[k]!]!;
        let covered = 0;
        let lo = hlo[order[k]!]!,
          hi = hhi[order[k]!]!;
        k++;
        while (k < order.length && hz[order[k]!] === b) {
          const l2 = hlo[order[k]!]!,
            h2 = hhi[order[k]!]!;
          if (l2 > hi) {
            covered += hi - lo;
            lo = l2;
            hi = h2;
          } else if (h2 > hi) hi = h2;
          k++;
        }
        covered += hi - lo;
        const key = a * n + b;
        out.set(key, (out.get(key) ?? 0) + covered * len);
      }
    }
  }
  return out;
}

/** Pairs (inner, outer): a zone with no boundary contact whose first vertex lies inside another's outer ring. */
function enclosures(zoneSet: ZoneSet, touched: Uint8Array): [number, number][] {
  const zones = zoneSet.zones;
  const lonely = zones.map((_, i) => i).filter((i) => touched[i] === 0 && zones[i]!.parts.length > 0);
  if (lonely.length === 0) return [];
  const boxes = zoneBoxes(zones);
  const withGeom = zones.map((_, i) => i).filter((i) => !Number.isNaN(boxes[i * 4]!));
  const packed = new Float64Array(withGeom.length * 4);
  withGeom.forEach((i, k) => packed.set(boxes.subarray(i * 4, i * 4 + 4), k * 4));
  const tree = boxIndex(packed);
  const out: [number, number][] = [];
  for (const i of lonely) {
    const first = zones[i]!.parts[0]![0]!;
    const x = first[0]!,
      y = first[1]!;
    for (const k of tree?.search(x, y, x, y) ?? []) {
      const j = withGeom[k]!;
      if (j === i) continue;
      if (zones[j]!.parts.some((p) => p[0] !== undefined && pointInRing(x, y, p[0]))) out.push([i, j]);
    }
  }
  return out;
}

/**
 * A static packed Hilbert R-tree over `boxes` (minX, minY, maxX, maxY per item; item k = its position), or null
 * for no items (flatbush needs one). Float64 coordinates, so a search finds exactly the boxes that intersect the
 * query (closed intervals).
 */
function boxIndex(boxes: Float64Array): Flatbush | null {
  const n = boxes.length / 4;
  if (n === 0) return null;
  const index = new Flatbush(n, 16, Float64Array);
  for (let k = 0; k < n; k++) index.add(boxes[k * 4]!, boxes[k * 4 + 1]!, boxes[k * 4 + 2]!, boxes[k * 4 + 3]!);
  index.finish();
  return index;
}
