/**
 * Map coordinates → image pixels. Continuous pixel space: pixel (i, j) covers [i, i+1) × [j, j+1), row 0 at the
 * top (north), so y is flipped. Geographic coordinates get x scaled by cos(mid-latitude) so a degree of longitude
 * is drawn as wide as it is on the ground there.
 */
import { NtlError } from '../errors.js';
import type { BBox } from '../zonal/grid.js';
import type { Zone } from '../vector/types.js';

export interface MapView {
  /** Map coordinate at pixel-space origin (top-left corner of pixel 0,0). */
  readonly x0: number;
  readonly y0: number;
  /** Pixels per map unit, east and south. */
  readonly sx: number;
  readonly sy: number;
  /** Size of the map area in pixels. */
  readonly width: number;
  readonly height: number;
}

export function toPixel(v: MapView, x: number, y: number): [number, number] {
  return [(x - v.x0) * v.sx, (v.y0 - y) * v.sy];
}

/** Ring (interleaved x,y in map units) → interleaved pixel coordinates. */
export function projectRing(v: MapView, ring: Float64Array): Float64Array {
  const out = new Float64Array(ring.length);
  for (let i = 0; i < ring.length; i += 2) {
    out[i] = (ring[i] - v.x0) * v.sx;
    out[i + 1] = (v.y0 - ring[i + 1]) * v.sy;
  }
  return out;
}

/** Bounding box of every ring of every zone; a clear error when there is nothing to draw. */
export function zonesBBox(zones: readonly Zone[], what: string): BBox {
  let xmin = Infinity,
    ymin = Infinity,
    xmax = -Infinity,
    ymax = -Infinity;
  for (const z of zones) {
    for (const part of z.parts) {
      for (const ring of part) {
        for (let i = 0; i < ring.length; i += 2) {
          const x = ring[i],
            y = ring[i + 1];
          if (!Number.isFinite(x) || !Number.isFinite(y)) {
            throw new NtlError(`${what}: zone ${z.id} has a non-finite coordinate (${x}, ${y}); fix or re-export the boundary file.`);
          }
          if (x < xmin) xmin = x;
          if (x > xmax) xmax = x;
          if (y < ymin) ymin = y;
          if (y > ymax) ymax = y;
        }
      }
    }
  }
  if (zones.length === 0 || xmin === Infinity) {
    throw new NtlError(`${what}: there are no zone polygons to draw (${zones.length} zones, none with geometry); check the boundary file and the id filter.`);
  }
  if (!(xmax > xmin && ymax > ymin)) {
    throw new NtlError(`${what}: the zones' extent is degenerate (${xmin}, ${ymin} – ${xmax}, ${ymax}); a map needs polygons with area.`);
  }
  return { xmin, ymin, xmax, ymax };
}

/** Horizontal ground-size factor: cos(mid-latitude) for lon/lat, 1 otherwise (floored so polar maps stay finite). */
export function aspectFactor(b: BBox, geographic: boolean): number {
  if (!geographic) return 1;
  const mid = Math.min(89, Math.max(-89, (b.ymin + b.ymax) / 2));
  return Math.max(0.05, Math.cos((mid * Math.PI) / 180));
}

/** A view fitting `b` into a map whose longest side is `maxSize` px, with `pad` px blank around the extent. */
export function fitView(b: BBox, maxSize: number, pad: number, kx: number): MapView {
  const inner = maxSize - 2 * pad;
  const s = inner / Math.max((b.xmax - b.xmin) * kx, b.ymax - b.ymin);
  const sx = s * kx,
    sy = s;
  const width = Math.max(1, Math.round((b.xmax - b.xmin) * sx)) + 2 * pad;
  const height = Math.max(1, Math.round((b.ymax - b.ymin) * sy)) + 2 * pad;
  return { x0: b.xmin - pad / sx, y0: b.ymax + pad / sy, sx, sy, width, height };
}

export function checkMaxSize(maxSize: number | undefined, what: string): number {
  const m = maxSize ?? 1200;
  if (!Number.isInteger(m) || m < 32 || m > 16384) {
    throw new NtlError(`${what}: maxSize ${m} must be a whole number of pixels between 32 and 16384.`);
  }
  return m;
}
