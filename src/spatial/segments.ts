/** Every ring edge of every zone as one flat segment table, the unit the adjacency search works on. */
import type { Zone } from '../vector/types.js';

export interface SegmentTable {
  readonly count: number;
  /** x0, y0, x1, y1 per segment. */
  readonly coords: Float64Array;
  /** Zone index (position in the ZoneSet) per segment. */
  readonly zone: Int32Array;
  /** minX, minY, maxX, maxY per segment, for the spatial index. */
  readonly boxes: Float64Array;
}

export function segmentTable(zones: readonly Zone[]): SegmentTable {
  let count = 0;
  for (const z of zones) for (const part of z.parts) for (const ring of part) count += ring.length / 2 - 1;
  const coords = new Float64Array(count * 4);
  const zone = new Int32Array(count);
  const boxes = new Float64Array(count * 4);
  let s = 0;
  zones.forEach((z, zi) => {
    for (const part of z.parts) {
      for (const ring of part) {
        for (let i = 0; i + 3 < ring.length; i += 2, s++) {
          const x0 = ring[i]!,
            y0 = ring[i + 1]!,
            x1 = ring[i + 2]!,
            y1 = ring[i + 3]!;
          coords[s * 4] = x0;
          coords[s * 4 + 1] = y0;
          coords[s * 4 + 2] = x1;
          coords[s * 4 + 3] = y1;
          boxes[s * 4] = Math.min(x0, x1);
          boxes[s * 4 + 1] = Math.min(y0, y1);
          boxes[s * 4 + 2] = Math.max(x0, x1);
          boxes[s * 4 + 3] = Math.max(y0, y1);
          zone[s] = zi;
        }
      }
    }
  });
  return { count, coords, zone, boxes };
}

/** Bounding box of each zone (NaN for a zone without geometry). */
export function zoneBoxes(zones: readonly Zone[]): Float64Array {
  const out = new Float64Array(zones.length * 4).fill(NaN);
  zones.forEach((z, zi) => {
    let x0 = Infinity,
      y0 = Infinity,
      x1 = -Infinity,
      y1 = -Infinity;
    for (const part of z.parts) {
      const outer = part[0];
      if (outer === undefined) continue;
      for (let i = 0; i < outer.length; i += 2) {
        const x = outer[i]!,
          y = outer[i + 1]!;
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
    }
    if (x0 <= x1) out.set([x0, y0, x1, y1], zi * 4);
  });
  return out;
}

/** Even-odd point-in-ring test on an interleaved closed ring. */
export function pointInRing(x: number, y: number, ring: Float64Array): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 4; i + 1 < ring.length - 2; j = i, i += 2) {
    const xi = ring[i]!,
      yi = ring[i + 1]!,
      xj = ring[j]!,
      yj = ring[j + 1]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}
