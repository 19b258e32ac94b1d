/**
 * One consistent reading of a zone's rings, so that every statistic sees the same area.
 *
 * Area (Σ|outer| − Σ|holes|) and coverage (winding sums clamped to [0, 1]) agree only when every hole lies inside
 * its own outer ring, holes do not lie inside each other, and no polygon part lies inside another part's filled
 * area. A zone that breaks this — a hole outside its outer ring, a hole that belongs to another part, a hole
 * inside a hole, a part inside a part, a "hole" enclosing its outer ring — is re-organised once, here, by
 * containment: a ring inside an even number of the zone's other rings is an outer ring, one inside an odd number is
 * a hole of the smallest ring containing it (the even-odd reading of GEOS MakeValid "linework" and GDAL's
 * organizePolygons). The caller warns with the zone id and `changes`. Rings that cross each other cannot be read
 * either way; validity.ts refuses them afterwards.
 */
import { orientRing, pointInRing, signedArea2 } from './rings.js';
import type { PolygonRings, Ring } from './types.js';

interface RingInfo {
  readonly ring: Ring;
  readonly area: number;
  readonly minX: number;
  readonly minY: number;
  readonly maxX: number;
  readonly maxY: number;
  /** Original role: part index and whether it was the outer ring. */
  readonly part: number;
  readonly outer: boolean;
  interior: [number, number] | null;
}

export interface NestingResult {
  readonly parts: PolygonRings[];
  /** What was changed, in words (empty when the rings were already consistent). */
  readonly changes: string[];
  /** A point of a ring that repeats another ring of the zone (no reading makes sense of it), or null. */
  readonly repeated: [number, number] | null;
}

export function nestRings(parts: readonly PolygonRings[]): NestingResult {
  const infos: RingInfo[] = [];
  parts.forEach((rings, p) => rings.forEach((ring, k) => infos.push(info(ring, p, k === 0))));
  if (infos.length < 2) return { parts: parts as PolygonRings[], changes: [], repeated: null };
  const repeated = findRepeated(infos);
  if (repeated !== null || consistent(parts.length, infos)) return { parts: parts as PolygonRings[], changes: [], repeated };

  // Even-odd by containment: larger rings first, each ring's parent is the smallest larger ring containing it.
  const order = infos.map((_, i) => i).sort((a, b) => (infos[b] as RingInfo).area - (infos[a] as RingInfo).area || a - b);
  const parent = new Int32Array(infos.length).fill(-1);
  const depth = new Int32Array(infos.length);
  for (let oi = 0; oi < order.length; oi++) {
    const i = order[oi] as number;
    for (let oj = oi - 1; oj >= 0; oj--) {
      const j = order[oj] as number; // earlier = larger; scanning backwards finds the smallest container first
      if (inside(infos[i] as RingInfo, infos[j] as RingInfo)) {
        parent[i] = j;
        depth[i] = (depth[j] as number) + 1;
        break;
      }
    }
  }
  const out: PolygonRings[] = [];
  const partOfShell = new Map<number, Ring[]>();
  for (const i of order) {
    if ((depth[i] as number) % 2 === 0) {
      const rings = [orientRing((infos[i] as RingInfo).ring, true)];
      partOfShell.set(i, rings);
      out.push(rings);
    }
  }
  for (const i of order) {
    if ((depth[i] as number) % 2 === 1) (partOfShell.get(parent[i] as number) as Ring[]).push(orientRing((infos[i] as RingInfo).ring, false));
  }

  const changes = new Set<string>();
  infos.forEach((r, i) => {
    const becameOuter = (depth[i] as number) % 2 === 0;
    const up = parent[i] as number;
    if (!r.outer) {
      const ownOuter = infos.findIndex((o) => o.part === r.part && o.outer);
      if (becameOuter) {
        if (ownOuter >= 0 && inside(infos[ownOuter] as RingInfo, r))
          changes.add('a hole ring enclosing its own outer ring became the outer ring (and that ring the hole)');
        else if (up >= 0) changes.add('a hole ring inside another hole became a separate polygon (an island)');
        else changes.add('a hole ring outside its outer ring became a separate polygon');
      } else if (up !== ownOuter) {
        changes.add(
          (infos[up] as RingInfo).outer ? 'a hole ring inside another part was moved to that part' : 'a hole ring was re-assigned to the ring containing it',
        );
      }
    } else if (!becameOuter && !(up >= 0 && (infos[up] as RingInfo).part === r.part)) {
      // (inside a hole of its own part: the swap already described above)
      changes.add('a polygon part inside another part became a hole of it');
    }
  });
  return { parts: out, changes: [...changes], repeated: null };
}

/** Two rings with the same area and extent, one's interior point inside the other: the same ring twice. */
function findRepeated(infos: readonly RingInfo[]): [number, number] | null {
  const byArea = [...infos].sort((a, b) => a.area - b.area);
  for (let i = 0; i + 1 < byArea.length; i++) {
    const a = byArea[i] as RingInfo,
      b = byArea[i + 1] as RingInfo;
    if (Math.abs(a.area - b.area) > 1e-12 * b.area || a.minX !== b.minX || a.maxX !== b.maxX || a.minY !== b.minY || a.maxY !== b.maxY) continue;
    a.interior ??= interiorPoint(a.ring);
    if (pointInRing(a.interior[0], a.interior[1], b.ring)) return [a.ring[0] as number, a.ring[1] as number];
  }
  return null;
}

function info(ring: Ring, part: number, outer: boolean): RingInfo {
  let minX = Infinity,
    minY = Infinity,
    maxX = -Infinity,
    maxY = -Infinity;
  for (let i = 0; i < ring.length; i += 2) {
    const x = ring[i] as number,
      y = ring[i + 1] as number;
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  return { ring, area: Math.abs(signedArea2(ring)) / 2, minX, minY, maxX, maxY, part, outer, interior: null };
}

/** The rings as given are consistent: holes inside their own outer ring and not in each other, parts not nested. */
function consistent(nParts: number, infos: readonly RingInfo[]): boolean {
  const outers: RingInfo[] = new Array(nParts);
  const holesOf: RingInfo[][] = Array.from({ length: nParts }, () => []);
  for (const r of infos) {
    if (r.outer) outers[r.part] = r;
    else (holesOf[r.part] as RingInfo[]).push(r);
  }
  for (let p = 0; p < nParts; p++) {
    const holes = holesOf[p] as RingInfo[];
    for (const h of holes) if (!inside(h, outers[p] as RingInfo)) return false;
    for (let a = 0; a < holes.length; a++) {
      for (let b = 0; b < holes.length; b++) if (a !== b && inside(holes[a] as RingInfo, holes[b] as RingInfo)) return false;
    }
  }
  for (let a = 0; a < nParts; a++) {
    for (let b = 0; b < nParts; b++) {
      if (a === b || !inside(outers[a] as RingInfo, outers[b] as RingInfo)) continue;
      // A part inside another part's hole (an island in a lake) is fine; inside its filled area it is not.
      if (!(holesOf[b] as RingInfo[]).some((h) => inside(outers[a] as RingInfo, h))) return false;
    }
  }
  return true;
}

/**
 * Ring a lies inside ring b (the rings do not cross; crossings are refused elsewhere): a is smaller, its bbox is
 * within b's, and a point strictly inside a is inside b. Rings sharing boundary stretches are judged correctly
 * because the probe is an interior point of a, never one of its vertices.
 */
function inside(a: RingInfo, b: RingInfo): boolean {
  if (a === b || a.area >= b.area) return false;
  if (a.minX < b.minX || a.maxX > b.maxX || a.minY < b.minY || a.maxY > b.maxY) return false;
  a.interior ??= interiorPoint(a.ring);
  return pointInRing(a.interior[0], a.interior[1], b.ring);
}

/**
 * A point strictly inside a simple ring: on a horizontal line between two vertex heights near the middle of the
 * ring's extent (so it passes through no vertex), the midpoint of the widest inside stretch.
 */
export function interiorPoint(ring: Ring): [number, number] {
  const ys: number[] = [];
  for (let i = 1; i < ring.length; i += 2) ys.push(ring[i] as number);
  const distinct = [...new Set(ys)].sort((p, q) => p - q);
  if (distinct.length < 2) return [ring[0] as number, ring[1] as number];
  // The widest gap between consecutive vertex heights among the middle half, for a well-conditioned scanline.
  const lo = Math.floor((distinct.length - 1) / 4),
    hi = Math.max(lo + 1, Math.ceil((3 * (distinct.length - 1)) / 4));
  let k = lo;
  for (let j = lo; j < hi; j++) if ((distinct[j + 1] as number) - (distinct[j] as number) > (distinct[k + 1] as number) - (distinct[k] as number)) k = j;
  const y = ((distinct[k] as number) + (distinct[k + 1] as number)) / 2;
  const xs: number[] = [];
  for (let i = 0; i + 3 < ring.length; i += 2) {
    const x0 = ring[i] as number,
      y0 = ring[i + 1] as number,
      x1 = ring[i + 2] as number,
      y1 = ring[i + 3] as number;
    if (y0 > y !== y1 > y) xs.push(x0 + ((y - y0) * (x1 - x0)) / (y1 - y0));
  }
  xs.sort((p, q) => p - q);
  let best = 0,
    bestW = -1;
  for (let i = 0; i + 1 < xs.length; i += 2) {
    const w = (xs[i + 1] as number) - (xs[i] as number);
    if (w > bestW) {
      bestW = w;
      best = i;
    }
  }
  return xs.length >= 2 ? [((xs[best] as number) + (xs[best + 1] as number)) / 2, y] : [ring[0] as number, ring[1] as number];
}
